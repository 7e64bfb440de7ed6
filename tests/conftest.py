"""Shared fixtures: real database files in tmp_path. Areas add their own fixtures in their modules."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture()
def gd_home(tmp_path, monkeypatch):
    """Point the app's data folder at a temporary directory."""
    home = tmp_path / "gd-home"
    monkeypatch.setenv("GROWTHDESK_HOME", str(home))
    return home


@pytest.fixture()
def bare_school_db(tmp_path):
    """A migrated, empty school database file with its identity settings, nothing else."""
    from growthdesk.db import open_database, write_settings

    db = open_database(tmp_path / "school.db", create=True)
    with db.session() as s:
        write_settings(s, {"kind": "school", "school_code": "S0001", "school_name": "示例市第一中学",
                           "district_code": "D01", "district_name": "示例区", "person_key_secret": "00" * 32})
    db.reload_settings()
    yield db
    db.close()
