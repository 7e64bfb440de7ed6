"""Shared fixtures: real database files in tmp_path. Areas add their own fixtures in their modules."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Cheap scrypt for new hashes, here and in every process a test starts (see gd_fast_kdf).
_FASTKDF = str(Path(__file__).resolve().parent / "fastkdf")
sys.path.insert(0, _FASTKDF)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_FASTKDF, os.environ.get("PYTHONPATH")) if p)
import gd_fast_kdf  # noqa: E402

gd_fast_kdf.install()

pytest_plugins = ["tests.postgres_server"]  # throwaway PostgreSQL server (postgres_url, postgres_db)


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test():
    """Finalise what a test leaves in reference cycles (Qt wrappers of closed windows, their
    op runners) at its end, while no worker thread runs: left to a random moment in the next
    test, it crashed the process now and then (segmentation fault in the Qt event loop while a
    worker was printing or computing statistics)."""
    yield
    import gc
    gc.collect()
    # What survived is alive and stays out of later collections: a full collection over
    # everything imported cost 0.2-0.4 s after every test (a tenth of the suite's time).
    gc.freeze()


@pytest.fixture()
def production_kdf(monkeypatch):
    """The app's own scrypt cost (OWASP), for the tests that check it."""
    from growthdesk import keys
    from growthdesk.services import users

    monkeypatch.setattr(keys, "OWASP", keys.Kdf())
    monkeypatch.setattr(users, "SCRYPT_N", 2 ** 17)
    monkeypatch.setattr(users, "_DUMMY_HASH", None)


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without the interpreter's teardown once Qt was loaded: PySide6 finalising its
    wrappers in interpreter-shutdown order crashed the finished run now and then (segmentation
    fault after the summary, every test passed), which would turn a green run red. Everything
    is reported and every fixture finalised by now; the exit status is pytest's own."""
    import sys

    if _EXIT_STATUS and "PySide6.QtWidgets" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])


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


@pytest.fixture(scope="session")
def _school_template(tmp_path_factory):
    """Built once per run (migrating a new file costs ~0.5 s); ``school_db`` copies it."""
    from datetime import date

    from growthdesk.db import open_database, write_settings
    from growthdesk.services import students

    path = tmp_path_factory.mktemp("school-template") / "s.db"
    db = open_database(path, create=True)
    with db.session() as s:
        write_settings(s, {"kind": "school", "school_code": "S0001", "school_name": "示例市第一中学",
                           "district_code": "D01", "district_name": "示例区", "person_key_secret": "11" * 32})
    db.reload_settings()
    with db.session(user="fixture") as s:
        cls = students.create_class(s, 2025, 7, 3, adviser_name="王老师")
        nos, ids = [], []
        for i, (name, gender) in enumerate([("张三", "M"), ("李四", "F"), ("王五", "M")]):
            body = f"1101012012010{i + 1:04d}"
            no = "G" + body + students.gb11643_check(body)
            st = students.create_student(s, national_student_no=no, name=name, gender=gender,
                                         birth_date=date(2012, 3, i + 1), class_id=cls.id)
            nos.append(no)
            ids.append(st.id)
    db.close()  # the last connection checkpoints the WAL into the file
    return path, {"class_id": cls.id, "student_ids": ids, "student_nos": nos}


@pytest.fixture()
def school_db(tmp_path, _school_template):
    """A school database file ``tmp_path/"s.db"`` (kind=school, code S0001) with one class,
    初一(3)班 of 2025, holding three students 张三, 李四, 王五. ``school_db.sample`` =
    {"class_id", "student_ids", "student_nos"} (students in that order)."""
    import shutil

    from growthdesk.db import open_database

    template, sample = _school_template
    shutil.copyfile(template, tmp_path / "s.db")
    db = open_database(tmp_path / "s.db")
    db.sample = dict(sample)
    yield db
    db.close()
