"""The Windows installer script and the icons, checked where they can be on Linux: Inno Setup
cannot run here, so these read the script for the promises made to schools (per-machine, Chinese
shortcuts, data left alone, one version source) and decode the icons the build embeds."""

from __future__ import annotations

import importlib.util
import re
import struct
from pathlib import Path

from growthdesk import __version__

ROOT = Path(__file__).resolve().parent.parent
ISS = ROOT / "installer" / "growthdesk.iss"
ICONS = ROOT / "resources" / "icons"


def _iss() -> str:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads Chinese text only from UTF-8 with a BOM"
    return raw[3:].decode("utf-8")


def _section(text: str, name: str) -> str:
    match = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert match, f"[{name}] missing"
    return match.group(1)


def test_installs_per_machine_with_chinese_shortcuts():
    text = _iss()
    setup = _section(text, "Setup")
    assert "PrivilegesRequired=admin" in setup
    assert r"DefaultDirName={autopf}\GrowthDesk" in setup
    assert '#define AppTitle "GrowthDesk 学生成长档案"' in text
    icons = _section(text, "Icons")
    assert r'Name: "{autoprograms}\{#AppTitle}"' in icons and r'Name: "{autodesktop}\{#AppTitle}"' in icons
    languages = _section(text, "Languages")
    assert languages.index("ChineseSimplified.isl") < languages.index("Default.isl")  # Chinese first


def test_upgrades_and_uninstall_never_touch_the_data_folder():
    text = _iss()
    for name in ("InstallDelete", "UninstallDelete"):
        for line in _section(text, name).splitlines():
            if line.strip() and not line.lstrip().startswith(";"):
                assert 'Name: "{app}\\' in line, line  # only inside the program folder
    assert "{localappdata}" not in re.sub(r"^;.*$", "", text, flags=re.M)  # mentioned in comments only


def test_version_comes_from_the_app(tmp_path):
    spec = importlib.util.spec_from_file_location("gd_build", ROOT / "installer" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.app_version() == __version__
    build.write_version_files(build.app_version(), tmp_path)
    assert (tmp_path / "version.iss").read_text() == f'#define AppVersion "{__version__}"\n'
    assert f"StringStruct('ProductVersion', '{__version__}')" in (tmp_path / "version_info.txt").read_text()
    assert '#include "..\\build\\version.iss"' in _iss()


def test_icon_files_hold_every_size_windows_asks_for(qapp):
    from PySide6.QtGui import QImage

    data = (ICONS / "growthdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, _h, _c, _r, _planes, _bits, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        image = QImage.fromData(data[offset:offset + length], "PNG")
        assert not image.isNull()
        assert image.width() == (width or 256)
        sizes.append(image.width())
    assert {16, 32, 48, 256} <= set(sizes)
    png = QImage(str(ICONS / "growthdesk.png"))
    assert png.width() == png.height() == 256 and png.hasAlphaChannel()
