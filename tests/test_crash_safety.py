"""kill -9 at a random moment of import, export, backup, restore and migration (issue 13): every
database passes integrity_check and is wholly before or wholly after. A short loop; the long one
(100 runs, receipts too) is bench/bench_crash.py. The migration case once failed: DDL steps
committed one by one and a killed upgrade left a half-migrated file marked 0001."""

from __future__ import annotations

import pytest

from growthdesk.crashloop import run_loop


@pytest.mark.slow  # about a minute: five real commands run whole once, then killed once each
def test_kill_9_at_random_points_leaves_every_database_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    result = run_loop(tmp_path, ("import", "export", "backup", "restore", "migrate"), runs=5, seed=13, students=20)
    assert result["runs"] == 5
    assert result["bad"] == [], result
    for op, states in result["states"].items():
        assert set(states) <= {"before", "after", "before (bookkeeping only)"}, (op, states)
