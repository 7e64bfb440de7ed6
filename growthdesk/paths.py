"""Where things live: bundled resources, and the user's data folder (outside the program)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """The user's GrowthDesk data folder; ``GROWTHDESK_HOME`` overrides it (tests, portable use)."""
    override = os.environ.get("GROWTHDESK_HOME")
    if override:
        base = Path(override)
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA") or Path.home()) / "GrowthDesk"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "GrowthDesk"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "GrowthDesk"
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_database() -> Path:
    return data_dir() / "demo-school.db"


def evidence_dir(db_path: Path | None) -> Path:
    """Evidence files sit beside their database: ``<db stem>.evidence/<sha[:2]>/<sha>``."""
    if db_path is None:
        return data_dir() / "evidence"
    return db_path.with_name(db_path.stem + ".evidence")


def backups_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + ".backups")
