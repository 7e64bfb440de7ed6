"""One way to run a user action: a core callable off the UI thread, with its own session.

Like Anki's CollectionOp. ``OpRunner.run(parent, func, on_success=...)`` calls ``func(ctx)`` on
a worker thread; ``ctx.session()`` is a unit of work stamped with the logged-in user,
``ctx.progress(done, total)`` moves the progress bar, ``ctx.check()`` raises ``Cancelled`` once
the user pressed Cancel. Back on the UI thread: ``on_success(result)`` refreshes the view; a
``GrowthDeskError`` shows its message in the UI language (unless ``on_error`` handled it, e.g. by
pointing at the field); anything else shows a generic dialog with the traceback as details.

The pool has one thread on purpose: SQLite has one writer, and a teacher typing A, B, C in the
grid must have those saves applied in the order typed.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ..errors import GrowthDeskError
from . import app as ui_app


class Cancelled(Exception):
    """Raised by ``OpContext.check`` when the user cancelled; ends the op quietly."""


class OpContext:
    """What a core callable gets on the worker thread."""

    def __init__(self, db, user: str, cancel: threading.Event, signals: "_Signals") -> None:
        self.db = db
        self.user = user
        self.cancel = cancel
        self._signals = signals

    def session(self):
        return self.db.session(user=self.user)

    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def check(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._signals.progress.emit(int(done), int(total), text)


class _Signals(QObject):
    progress = Signal(int, int, str)
    # No Python objects ride in the cross-thread signal: the job keeps its outcome and the
    # signal only says it is there, so the result is owned by one thread at a time.
    finished = Signal()


class _Job(QRunnable):
    def __init__(self, func: Callable[[OpContext], Any], ctx: OpContext, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps the reference until the result is delivered
        self.func, self.ctx, self.signals = func, ctx, signals
        self.result: Any = None
        self.error: BaseException | None = None
        self.trace = ""

    def run(self) -> None:
        try:
            self.result = self.func(self.ctx)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the UI thread
            from ..redact import redact
            self.error, self.trace = _user_error(exc, self.ctx.db), redact(traceback.format_exc())
        self.signals.finished.emit()


def _user_error(exc: BaseException, db) -> BaseException:
    """A damaged or locked database met by SQLite is said in words, like any GrowthDeskError."""
    import sqlite3

    from sqlalchemy.exc import DatabaseError as SADatabaseError
    if isinstance(exc, (sqlite3.DatabaseError, SADatabaseError)):
        from ..db import as_database_error
        return as_database_error(exc, getattr(db, "url", "") or "")
    return exc


class OpRunner(QObject):
    """Runs ops for one open database and logged-in user. ``idle`` fires when none is pending."""

    idle = Signal()
    failed = Signal(str)

    def __init__(self, db, user: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pending = 0
        self._live: set = set()
        self.last_error: str = ""
        self.last_box: QMessageBox | None = None

    def run(self, parent: QWidget | None, func: Callable[[OpContext], Any], *,
            on_success: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], bool] | None = None,
            title: str = "", progress: bool = False) -> threading.Event:
        """Start ``func`` and return its cancel event."""
        cancel = threading.Event()
        signals = _Signals()
        ctx = OpContext(self.db, self.user, cancel, signals)
        dialog = self._progress_dialog(parent, title, cancel) if progress else None
        job = _Job(func, ctx, signals)
        token = (job, signals, dialog)
        self._live.add(token)

        def finish() -> None:
            self._live.discard(token)
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()
            self.pending -= 1
            if self.pending == 0:
                self.idle.emit()

        def delivered() -> None:
            finish()
            if job.error is not None:
                self._report(parent, job.error, job.trace, on_error)
            elif on_success is not None:
                on_success(job.result)

        if dialog is not None:
            # Queued: a lambda has no receiver thread, so a direct call would run on the worker and
            # touch the dialog (setValue even spins the event loop) off the UI thread: a crash.
            signals.progress.connect(lambda d, t, txt: self._move(dialog, d, t, txt),
                                     Qt.ConnectionType.QueuedConnection)
        signals.finished.connect(delivered, Qt.ConnectionType.QueuedConnection)
        self.pending += 1
        self.pool.start(job)
        return cancel

    def call(self, func: Callable[[OpContext], Any]) -> Any:
        """Run ``func`` with a context on the calling thread (quick reads that must not wait)."""
        return func(OpContext(self.db, self.user, threading.Event(), _Signals()))

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)

    @staticmethod
    def _progress_dialog(parent, title: str, cancel: threading.Event) -> QProgressDialog:
        dlg = QProgressDialog(title or QCoreApplication.translate("OpRunner", "Working…"),
                              QCoreApplication.translate("OpRunner", "Cancel"), 0, 0, parent)
        dlg.setWindowTitle(title)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(400)  # quick work never flashes a dialog
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(cancel.set)
        return dlg

    @staticmethod
    def _move(dialog: QProgressDialog, done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    def _report(self, parent, exc: BaseException, tb: str, on_error) -> None:
        if isinstance(exc, Cancelled):
            return
        if on_error is not None and on_error(exc):
            return
        if isinstance(exc, GrowthDeskError):
            self.last_error = exc.message(ui_app.lang())
            self.last_box = show_message(parent, QMessageBox.Icon.Warning, self.last_error)
        else:
            self.last_error = f"{type(exc).__name__}: {exc}"
            text = self.tr("Something went wrong. Your data is safe; the action was not completed.")
            self.last_box = show_message(parent, QMessageBox.Icon.Critical, text, details=tb)
        self.failed.emit(self.last_error)


def show_message(parent, icon, text: str, details: str = "", title: str = "GrowthDesk") -> QMessageBox:
    """A non-blocking message box (``open``, not ``exec``): the UI and the tests keep running."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _record_labels() -> dict[str, str]:
    # Each call spelled out with literal context and text: that is what lupdate can collect.
    return {
        "school_class": QCoreApplication.translate("Records", "Classes"),
        "student": QCoreApplication.translate("Records", "Students"),
        "enrollment": QCoreApplication.translate("Records", "Class changes"),
        "competition": QCoreApplication.translate("Records", "Competition list"),
        "innovation_project": QCoreApplication.translate("Records", "Innovation projects"),
        "project_member": QCoreApplication.translate("Records", "Project members"),
        "project_mentor": QCoreApplication.translate("Records", "Project mentors"),
        "project_log_entry": QCoreApplication.translate("Records", "Project process log"),
        "project_outcome": QCoreApplication.translate("Records", "Project outcomes"),
        "competition_result": QCoreApplication.translate("Records", "Awards"),
        "competition_result_member": QCoreApplication.translate("Records", "Award members"),
        "process_evaluation": QCoreApplication.translate("Records", "Process evaluations"),
        "term_evaluation": QCoreApplication.translate("Records", "Term evaluations"),
        "evidence": QCoreApplication.translate("Records", "Evidence"),
    }


def record_label(table_name: str) -> str:
    """What a person calls the records of a table, for progress text (never a table name)."""
    if not table_name:
        return ""
    return _record_labels().get(table_name, QCoreApplication.translate("Records", "Other records"))
