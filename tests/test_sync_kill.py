"""A process killed in the middle of an import leaves the district database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from growthdesk.db import integrity_ok, open_database
from growthdesk.sync import IMPORTED, export_bundle, import_bundle
from growthdesk.sync.importer import PAUSE_ENV
from growthdesk.sync.testing import make_district_and_school, records, table_checksums


def test_sigkill_during_apply_leaves_the_district_unchanged(tmp_path):
    district, school, _ = make_district_and_school(tmp_path, students=60)
    bundle = export_bundle(school, tmp_path / "out")["path"]
    before = table_checksums(district, skip=())
    district.close()
    marker = tmp_path / "applying"
    env = dict(os.environ, **{PAUSE_ENV: f"60:{marker}", "GROWTHDESK_HOME": str(tmp_path / "home")})
    code = ("import sys; from growthdesk.db import open_database; from growthdesk.sync import import_bundle; "
            "import_bundle(open_database(sys.argv[1]), sys.argv[2], user='killed')")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "district.db"), bundle], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the import never reached its apply phase"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # halfway through the rows, inside the transaction
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert integrity_ok(tmp_path / "district.db")[0]
    district = open_database(tmp_path / "district.db")
    try:
        assert table_checksums(district, skip=()) == before
        again = import_bundle(district, bundle)  # and the same bundle imports cleanly afterwards
        assert again["status"] == IMPORTED, again["reason"]
        assert records(district, "S0001") == records(school, "S0001")
    finally:
        district.close()
        school.close()


def test_two_processes_importing_the_same_bundle_import_it_once(tmp_path):
    district, school, _ = make_district_and_school(tmp_path, students=30)
    bundle = export_bundle(school, tmp_path / "out")["path"]
    district.close()
    code = ("import sys, json; from growthdesk.db import open_database; from growthdesk.sync import import_bundle; "
            "print(json.dumps(import_bundle(open_database(sys.argv[1]), sys.argv[2])['status']))")
    env = dict(os.environ, GROWTHDESK_HOME=str(tmp_path / "home"))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "district.db"), bundle], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert sorted(o[0].strip() for o in outs) == ['"already imported"', '"imported"']
    district = open_database(tmp_path / "district.db")
    try:
        assert records(district, "S0001") == records(school, "S0001")
    finally:
        district.close()
        school.close()
