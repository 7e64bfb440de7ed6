#!/usr/bin/env python3
"""Crash safety: kill -9 at random moments of real commands (issue 13).

    .venv/bin/python bench/bench_crash.py                 100 runs over import, export, receipt (sync), backup, restore, migrate
    .venv/bin/python bench/bench_crash.py --runs 30 --ops import,restore

Each run copies prepared databases, starts one ``growthdesk`` command, kills it with SIGKILL
after a random delay (interpreter start-up .. 1.1 x the command's own duration) and checks that
every SQLite file passes integrity_check and is wholly before or wholly after the command
(growthdesk/crashloop.py). Prints one line per run and the counts as JSON; exits 1 if any run
left a damaged or in-between database.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from growthdesk.crashloop import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
