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
_state: dict = {"font": "", "translators": [], "lang": DEFAULT_LANG}


def lang() -> str:
    """The UI language of this process (``zh_CN`` or ``en``)."""
    return _state["lang"]


def register_font() -> str:
    """Register every bundled TrueType font with Qt and return the family to use.

    The target machines may have no Chinese font at all; without this, Chinese shows as boxes.
    """
    if _state["font"]:
        return _state["font"]
    family = ""
    for path in sorted(Path(resource("fonts")).glob("*.tt[fc]")):
        fid = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        family = family or (families[0] if families else "")
    _state["font"] = family
    return family


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
    family = register_font()
    if family:
        font = QFont(family)
        font.setPointSize(10)
        app.setFont(font)
    install_translations(app, language or DEFAULT_LANG)
    return app
