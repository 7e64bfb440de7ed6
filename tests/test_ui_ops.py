"""``ui.ops``: work runs off the UI thread with its own session; results, user errors, crashes and
cancellation each end where they should."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from sqlalchemy import select

from growthdesk.errors import ValidationError
from growthdesk.models import AuditLog, SchoolClass
from tests.test_ui_helpers import school_template, ui_school  # noqa: F401


def _runner(qtbot, db, login="teacher"):
    from growthdesk.ui.ops import OpRunner
    host = QWidget()
    qtbot.addWidget(host)
    return host, OpRunner(db, login, host)


def test_op_runs_off_the_ui_thread_and_writes_as_the_user(qtbot, ui_school):
    from growthdesk.services import students
    db, _ = ui_school
    host, ops = _runner(qtbot, db, "admin")  # classes are the school admin's (services.access)
    seen = {}

    def work(ctx):
        seen["thread"] = threading.current_thread()
        with ctx.session() as s:
            return students.create_class(s, 2026, 8, 4).id

    ops.run(host, work, on_success=lambda cid: seen.setdefault("result", cid))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["thread"] is not threading.main_thread()
    with db.session() as s:
        assert s.get(SchoolClass, seen["result"]).grade == 8
        log = s.scalars(select(AuditLog).where(AuditLog.record_id == seen["result"])).one()
    assert log.user == "admin" and log.action == "create"


def test_user_error_shows_its_chinese_message_and_crash_shows_details(qtbot, ui_school):
    db, _ = ui_school
    host, ops = _runner(qtbot, db)
    called = []

    def bad(_ctx):
        raise ValidationError("年级应为 1–12：13", "grade must be 1-12: 13", field="grade")

    with qtbot.waitSignal(ops.failed, timeout=5000):
        ops.run(host, bad, on_success=called.append)
    assert ops.last_error == "年级应为 1–12：13" and not called
    assert ops.last_box.icon() == QMessageBox.Icon.Warning and ops.last_box.text() == "年级应为 1–12：13"

    def crash(_ctx):
        return {}["missing"]

    with qtbot.waitSignal(ops.failed, timeout=5000):
        ops.run(host, crash)
    assert ops.last_box.icon() == QMessageBox.Icon.Critical
    assert "数据没有受到影响" in ops.last_box.text()
    assert "KeyError" in ops.last_box.detailedText()


def test_long_work_shows_progress_and_can_be_cancelled(qtbot, ui_school):
    from growthdesk.ui.ops import Cancelled
    db, _ = ui_school
    host, ops = _runner(qtbot, db)
    host.show()
    reached, finished = [], []

    def long_work(ctx):
        for i in range(400):
            ctx.check()
            ctx.progress(i, 400, f"第 {i} 项")
            reached.append(i)
            time.sleep(0.01)
        return "done"

    cancel = ops.run(host, long_work, on_success=finished.append, title="导出", progress=True)
    qtbot.waitUntil(lambda: host.findChild(QProgressDialog) is not None and host.findChild(QProgressDialog).isVisible(),
                    timeout=5000)
    dialog = host.findChild(QProgressDialog)
    qtbot.waitUntil(lambda: dialog.value() > 5, timeout=5000)
    assert dialog.maximum() == 400
    dialog.findChild(QPushButton).click()  # the Cancel button
    qtbot.waitUntil(lambda: ops.pending == 0, timeout=5000)
    assert cancel.is_set() and not finished and len(reached) < 400
    assert ops.last_box is None  # cancelling is not an error
    assert issubclass(Cancelled, Exception)


def test_saves_apply_in_the_order_they_were_made(qtbot, ui_school):
    """One worker thread: a teacher typing A then B in one cell must end with B."""
    from growthdesk.services import evaluations
    db, info = ui_school
    host, ops = _runner(qtbot, db)
    sid = info["student_ids"][0]
    for level in "ABCDB":
        def work(ctx, level=level):
            with ctx.session() as s:
                evaluations.set_grid_level(s, student_id=sid, term_code=info["term"], dimension="moral",
                                           evaluator_role="teacher", evaluator_name="李老师", level=level)
        ops.run(host, work)
    qtbot.waitUntil(lambda: ops.pending == 0, timeout=10_000)
    from growthdesk.services.views import grid_levels
    with db.session() as s:
        assert grid_levels(s, [sid], info["term"], "teacher", "李老师") == {(sid, "moral"): "B"}


def test_void_qt_calls_do_not_leak_references_to_none(qtbot):
    """PySide6 6.12 under Python 3.11 dropped a reference to None on every void call, and a
    grid session of a few thousand saves aborted the interpreter ("none_dealloc"). The
    dependency pin keeps that release out; this fails if a bad release comes back."""
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")  # a void call
    assert sys.getrefcount(None) >= before - 10
