"""``growthdesk bundle export|import|receipt`` through the real command line (in process)."""

from __future__ import annotations

import json
from pathlib import Path

from growthdesk.cli import main
from growthdesk.sync.testing import make_district_and_school, table_checksums


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_import_receipt_round_trip(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    district, school, _ = make_district_and_school(tmp_path, students=20)
    district.close()
    school.close()
    s_db, d_db = tmp_path / "S0001.db", tmp_path / "district.db"

    monkeypatch.setenv("GROWTHDESK_PASSWORD", "demo1234")  # the demo school has accounts: the CLI logs in
    code, out, err = run(capsys, "bundle", "export", "--db", s_db, "--user", "admin", "--out", tmp_path / "out", "--json")
    assert code == 0, err
    exported = json.loads(out)
    assert exported["sequence"] == 1 and Path(exported["path"]).name == "S0001-000001.gdbundle.zip"

    code, out, err = run(capsys, "bundle", "import", "--db", d_db, exported["path"], "--dry-run", "--json")
    assert code == 0, err
    dry = json.loads(out)
    assert dry["dry_run"] is True and dry["bundles"][0]["status"] == "imported"
    assert dry["bundles"][0]["counts"]["student"]["inserted"] == 20

    code, out, err = run(capsys, "bundle", "import", "--db", d_db, exported["path"], "--json")
    assert code == 0, err
    bundle = json.loads(out)["bundles"][0]
    assert bundle["status"] == "imported" and Path(bundle["receipt"]).exists()

    code, out, err = run(capsys, "--db", d_db, "bundle", "import", tmp_path / "out")  # the folder
    assert code == 0 and "already imported" in out and "已导入过" in out

    code, out, err = run(capsys, "bundle", "receipt", "--db", s_db, "--user", "admin", bundle["receipt"], "--json")
    assert code == 0, err
    assert json.loads(out)["acknowledged_sequence"] == 1


def test_rejected_bundle_exits_non_zero_with_one_line_reason(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    district, school, _ = make_district_and_school(tmp_path, students=5)
    before = table_checksums(district)
    district.close()
    school.close()
    junk = tmp_path / "S0001-000001.gdbundle.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    code, out, err = run(capsys, "bundle", "import", "--db", tmp_path / "district.db", junk, "--json")
    assert code == 1
    assert json.loads(out)["bundles"][0]["status"] == "rejected"
    assert len(err.strip().splitlines()) == 1 and "rejected" in err and "zip" in err
    from growthdesk.db import open_database
    district = open_database(tmp_path / "district.db")
    assert table_checksums(district) == before
    district.close()


def test_export_refuses_a_district_database(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    district, school, _ = make_district_and_school(tmp_path)
    district.close()
    school.close()
    code, out, err = run(capsys, "bundle", "export", "--db", tmp_path / "district.db", "--out", tmp_path / "o")
    assert code == 1 and "school database" in err and not (tmp_path / "o").exists()


def test_import_returns_before_the_statistics_summary_and_a_background_process_refreshes_it(tmp_path, capsys,
                                                                                            monkeypatch):
    import time

    from growthdesk.db import open_database
    from growthdesk.stats import summary
    from growthdesk.stats.queries import load_rubric

    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    district, school, _ = make_district_and_school(tmp_path, students=20)
    district.close()
    school.close()
    monkeypatch.setenv("GROWTHDESK_PASSWORD", "demo1234")  # the demo school has accounts: the CLI logs in
    code, out, err = run(capsys, "bundle", "export", "--db", tmp_path / "S0001.db", "--user", "admin", "--out",
                         tmp_path / "out", "--json")
    assert code == 0, err
    code, out, err = run(capsys, "bundle", "import", "--db", tmp_path / "district.db", json.loads(out)["path"], "--json")
    assert code == 0, err
    assert json.loads(out)["summary_refresh"] == "background"
    deadline, states = time.monotonic() + 90, []
    while time.monotonic() < deadline:
        with open_database(tmp_path / "district.db") as db, db.session() as s:
            rubric = load_rubric(s)
            states = [summary.state_of(s, t, rubric) for t in summary.evaluated_terms(s)]
        if states and all(st == "fresh" for st in states):
            break
        time.sleep(0.5)
    assert states and all(st == "fresh" for st in states), states
