"""``growthdesk --self-check`` run in-process from the source tree (the frozen bundle is checked by
tests/test_installer_bundle.py): every check passes on a complete tree, and a missing resource
or an unknown check name makes it fail with a non-zero exit."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from growthdesk import __version__, selfcheck
from growthdesk.cli import main
from growthdesk.paths import resources_dir

UI_MAIN = Path(selfcheck.__file__).parent / "ui" / "main_window.py"


def test_self_check_passes_in_process_and_reports_json(tmp_path, monkeypatch, capsys, qapp):
    monkeypatch.delenv("GROWTHDESK_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # where the user's data folder would be
    rc = main(["--self-check", "--json"])
    out = capsys.readouterr().out
    report = json.loads(out)  # one JSON object on stdout
    failures = [c for c in report["checks"] if c["status"] == "fail"]
    assert rc == 0 and report["ok"] is True, failures
    assert [c["name"] for c in report["checks"]] == list(selfcheck.CHECK_NAMES)
    assert report["version"] == __version__ and report["frozen"] is False
    by_name = {c["name"]: c for c in report["checks"]}
    assert all(c["status"] == "ok" for c in report["checks"])
    assert "DroidSansFallbackFull.ttf" in by_name["resources"]["detail"]
    assert "migrated to" in by_name["database"]["detail"]
    assert "font embedded" in by_name["portfolio"]["detail"]
    if UI_MAIN.exists():  # the real main window, not the stand-in
        assert by_name["window"]["detail"].startswith("main window")
    assert "offscreen" in by_name["window"]["detail"]
    # The self-check leaves nothing in the user's data folder.
    user_data = tmp_path / "xdg" / "GrowthDesk"
    assert not user_data.exists() or not any(user_data.iterdir())


def test_human_report_names_each_check(gd_home, capsys, qapp):
    assert main(["--self-check", "resources,database"]) == 0
    out = capsys.readouterr().out
    assert "resources" in out and "database" in out and "window" not in out
    assert "自检通过" in out


def _resources_without(tmp_path: Path, *remove: str) -> Path:
    """A copy of resources/ as a frozen bundle would carry it, minus some files."""
    bundle = tmp_path / "bundle"
    shutil.copytree(resources_dir(), bundle / "resources")
    for rel in remove:
        target = bundle / "resources" / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return bundle


def test_a_bundle_missing_its_font_fails(tmp_path, monkeypatch, capsys):
    # resources_dir() follows sys._MEIPASS exactly as in a PyInstaller bundle.
    monkeypatch.setattr(sys, "_MEIPASS", str(_resources_without(tmp_path, "fonts")), raising=False)
    rc = main(["--self-check", "resources", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 1 and report["ok"] is False
    assert report["checks"][0]["status"] == "fail"
    assert "font" in report["checks"][0]["detail"]


def test_a_damaged_reference_file_fails(tmp_path, monkeypatch, capsys):
    bundle = _resources_without(tmp_path)
    (bundle / "resources" / "reference" / "rubric_default.json").write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert main(["--self-check", "resources"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "JSONDecodeError" in out and "自检失败" in out


def test_a_translation_that_does_not_load_fails(tmp_path, monkeypatch):
    bundle = _resources_without(tmp_path)
    (bundle / "resources" / "translations").mkdir(exist_ok=True)
    (bundle / "resources" / "translations" / "growthdesk_zh_CN.qm").write_bytes(b"not a qm file")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    [result] = selfcheck.run(["resources"]).checks
    assert result.status == "fail" and "translation" in result.detail


def test_unknown_check_name_is_a_one_line_error(capsys):
    assert main(["--self-check", "resources,nonsense"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nonsense" in err and "window" in err  # names the valid ones

