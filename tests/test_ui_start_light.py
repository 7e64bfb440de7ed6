"""The first screen comes before the heavy modules (issue 17): the log-in dialog of an
encrypted school is shown by a process that has not loaded SQLAlchemy, the models, the demo
module or pypinyin (they cost ~0.9 s and load on a worker thread while the password is typed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import os, sys
from growthdesk.ui.app import make_app
from growthdesk.app_launch import open_for_ui
from growthdesk.ui.login import LoginDialog
app = make_app("zh_CN")
locked = open_for_ui(sys.argv[1])
dlg = LoginDialog(locked)
dlg.show()
app.processEvents()
heavy = [m for m in ("sqlalchemy", "growthdesk.models", "growthdesk.db", "growthdesk.demo", "pypinyin")
         if m in sys.modules]
print(type(locked).__name__, dlg.isVisible(), "demo-hint:" + str("demo1234" in dlg.demo_hint.text()), *heavy,
      flush=True)
os._exit(0)  # PySide's finalisation is not under test
"""


def test_login_dialog_shows_before_the_database_layer_loads(tmp_path):
    from growthdesk.demo import ensure_demo_database
    path = tmp_path / "demo-school.db"
    ensure_demo_database(path, students=20, terms=1, encrypt=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GROWTHDESK_HOME=str(tmp_path / "home"),
               PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(path)], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.stdout.split() == ["LockedDatabase", "True", "demo-hint:True"], out.stdout + out.stderr[-2000:]
