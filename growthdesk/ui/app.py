"""The QApplication: bundled CJK font, translations, settings. Shared by the app and the tests."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from .. import APP_NAME, __version__
from ..paths import data_dir, resource

DEFAULT_LANG = "zh_CN"
_state: dict = {"font": [], "translators": [], "lang": DEFAULT_LANG}


def lang() -> str:
    """The UI language of this process (``zh_CN`` or ``en``)."""
    return _state["lang"]


def register_font() -> list[str]:
    """Register every bundled TrueType font with Qt and return their families.

    The target machines may have no Chinese font at all; without this, Chinese shows as boxes.
    The bundle pairs the CJK font with a Latin one for the digits and letters the CJK font lacks.
    """
    if _state["font"]:
        return _state["font"]
    families: list[str] = []
    for path in sorted(Path(resource("fonts")).glob("*.tt[fc]")):
        fid = QFontDatabase.addApplicationFont(str(path))
        for fam in QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []:
            if fam not in families:
                families.append(fam)
    # The CJK family first: code that asks for "the" app font family gets the one with Chinese.
    chinese = QFontDatabase.WritingSystem.SimplifiedChinese
    families.sort(key=lambda fam: chinese not in QFontDatabase.writingSystems(fam))
    _state["font"] = families
    return families


def install_translations(app: QCoreApplication, language: str) -> None:
    """Chinese is the default; English is the source language, so it needs no .qm."""
    for tr in _state["translators"]:
        app.removeTranslator(tr)
    _state["translators"] = []
    _state["lang"] = language
    if language.startswith("zh"):
        for name in ("growthdesk_zh_CN", "qtbase_zh_CN"):
            tr = QTranslator(app)
            ok = tr.load(name, str(resource("translations")))
            if not ok and name.startswith("qtbase"):
                from PySide6.QtCore import QLibraryInfo
                ok = tr.load(name, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
            if ok:
                app.installTranslator(tr)
                _state["translators"].append(tr)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def settings() -> QSettings:
    """UI settings (window geometry, idle minutes, last class) in the data folder, as an ini file,
    so tests and portable installs keep them beside their data."""
    return QSettings(str(data_dir() / "ui.ini"), QSettings.Format.IniFormat)


def make_app(language: str | None = None, argv: list[str] | None = None) -> QApplication:
    """The one QApplication, set up with font and language (reused if it already exists)."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource("icons", "growthdesk.png"))))  # every window, taskbar, Alt+Tab
    families = register_font()
    if families:
        # Explicit fallback order: glyphs missing from the first family come from the next, so
        # Chinese never depends on what the system happens to have.
        font = QFont()
        font.setFamilies(families)
        font.setPointSize(10)
        app.setFont(font)
    install_translations(app, language or DEFAULT_LANG)
    return app
