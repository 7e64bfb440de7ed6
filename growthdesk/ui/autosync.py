"""Automatic sync in the main window (issue 11): a round at login, every few minutes (this PC's
setting, default 5) and at quit (a bounded wait: quit never hangs on a stuck share), and the
permanent status-bar line ``N 条未同步 · 上次同步 今天 14:05`` — or the reason in words when the
folder cannot be reached (not set, missing / USB stick pulled, read-only, full).

Every round runs through the window's ``OpRunner`` (``ui.ops``): off the UI thread, in the one
worker thread that also applies the user's saves, so two rounds (or a round and a save) never
run at once, and a round is never started while another is queued. 文件 → 立即同步 uses the same
path; 文件 → 同步设置… chooses the folder and the interval (kept in this PC's database).
The work itself is ``sync.auto.run_round`` (Qt-free).
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from ..errors import GrowthDeskError
from ..sync import auto
from . import app as ui_app

QUIT_WAIT_MS = 20_000      # the longest quit waits for its last round (a stuck share: quit anyway)
LABEL_MAX_WIDTH = 560      # the status line never pushes the rest of the status bar away

translate = QCoreApplication.translate


class AutoSync(QObject):
    """Owns the timer and the status line of one main window (``window.autosync``)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.db = window.db
        self.ops = window.ops
        self.label = QLabel()
        self.label.setObjectName("syncStatus")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setContentsMargins(16, 0, 4, 0)
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self)
        self.timer.setObjectName("autoSyncTimer")
        self.timer.timeout.connect(self.tick)
        self.busy = False            # a round is queued or running
        self.problem = ""            # why the last round could not reach the folder ("" = it could)
        self.problem_detail = ""     # the same with the whole path (the line's tooltip)
        self.last_result: dict | None = None
        self.rounds: list[str] = []  # what started each round: login / timer / manual / quit
        self.quitting = False
        self.ops.idle.connect(self.refresh)

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """After login: a round now (when a folder is set), then one every few minutes."""
        self.apply_interval()
        self.refresh()
        if auto.folder_of(self.db):
            QTimer.singleShot(0, lambda: self.sync("login"))

    def apply_interval(self) -> None:
        minutes = auto.interval_minutes(self.db)
        self.timer.stop()
        if minutes > 0 and not self.quitting:
            self.timer.start(minutes * 60_000)

    def tick(self) -> None:
        if auto.folder_of(self.db):
            self.sync("timer")

    def at_quit(self, wait_ms: int = QUIT_WAIT_MS) -> bool:
        """The window is closing: send what is left (no import: that waits for the next start),
        waiting at most ``wait_ms``. True when everything queued finished in time."""
        if self.quitting:
            return True
        self.quitting = True
        self.timer.stop()
        if not auto.folder_of(self.db):
            return self.ops.wait(wait_ms)
        self._start("quit", receive=False)
        self.label.setText(translate("AutoSync", "Syncing before quitting…"))
        self.label.repaint()
        return self.ops.wait(wait_ms)

    # ------------------------------------------------------------ rounds
    def sync(self, why: str = "manual", folder: str | None = None) -> bool:
        """Start a round unless one is queued or running. Returns whether one was started."""
        if self.busy or self.quitting:
            if why == "manual":
                self.window.statusBar().showMessage(translate("AutoSync", "A sync is already running; please wait."), 5_000)
            return False
        self._start(why, folder=folder)
        return True

    def _start(self, why: str, folder: str | None = None, receive: bool = True) -> None:
        self.busy = True
        self.rounds.append(why)
        self._show(syncing=True)
        manual = why == "manual"

        def work(ctx):
            return auto.run_round(ctx.db, folder, user=ctx.user, receive=receive,
                                  progress=(lambda d, t, txt="": ctx.progress(d, t, txt)) if manual else None)

        self.ops.run(self.window, work, on_success=lambda r: self._done(r, manual),
                     on_error=lambda exc: self._failed(exc, manual), progress=manual,
                     title=translate("FileMenu", "Syncing…"))

    def _done(self, result: dict, manual: bool) -> None:
        self.busy = False
        self.problem = self.problem_detail = ""
        self.last_result = result
        self.window.last_sync = result
        if manual:
            self.window.statusBar().showMessage(summary(result), 15_000)
        if result.get("imported") and not self.quitting:
            refresh = getattr(self.window, "refresh", None)
            if refresh is not None:
                refresh()
        self.refresh()

    def _failed(self, exc: BaseException, manual: bool) -> bool:
        self.busy = False
        if isinstance(exc, GrowthDeskError):
            self.problem = exc.message(ui_app.lang())
            self.problem_detail = self.problem
            folder = auto.folder_of(self.db) or str(getattr(exc, "value", "") or "")
            if folder and len(folder) > 24 and folder in self.problem:  # the line names the folder briefly
                self.problem = self.problem.replace(folder, "…" + os.sep + os.path.basename(folder.rstrip("/\\")))
        else:
            from ..redact import redact
            print(redact(f"automatic sync failed: {type(exc).__name__}: {exc}"), file=sys.stderr)
            self.problem = translate("AutoSync", "the round stopped with an error; it is tried again at the next round")
            self.problem_detail = self.problem
        self.refresh()
        return not manual  # automatic rounds say it in the status line only; 立即同步 also in a box

    # ------------------------------------------------------------ status line
    def pending(self) -> int:
        from ..sync.folder import pending_changes
        try:
            return pending_changes(self.db) if self.db.kind == "school" else 0
        except Exception:  # noqa: BLE001 - the status line never breaks the window
            return 0

    def refresh(self) -> None:
        if not self.busy:
            self._show()

    def text(self, syncing: bool = False) -> str:
        n = self.pending()
        parts = [QCoreApplication.translate("AutoSync", "%n change(s) not synced", "", n)]
        if syncing:
            parts.append(translate("AutoSync", "Syncing…"))
        elif not auto.folder_of(self.db):
            parts.append(translate("AutoSync", "No sync folder set (File → Sync settings…)"))
        elif self.problem:
            parts.append(translate("AutoSync", "Cannot sync: %1").replace("%1", self.problem))
        else:
            parts.append(last_sync_text(auto.last_sync_at(self.db)))
        return " · ".join(parts)

    def _show(self, syncing: bool = False) -> None:
        full = self.text(syncing)
        metrics = QFontMetrics(self.label.font())
        shown = metrics.elidedText(full, Qt.TextElideMode.ElideMiddle, LABEL_MAX_WIDTH)
        self.label.setText(shown)
        self.label.setToolTip(full.replace(self.problem, self.problem_detail or self.problem) if self.problem else full)
        warn = bool(self.problem) and not syncing
        self.label.setStyleSheet("color: #b00020" if warn else "")


def last_sync_text(at) -> str:
    kind, day, hm = auto.local_when(at)
    if day is None:
        return translate("AutoSync", "Not synced yet")
    zh = ui_app.lang().startswith("zh")
    if kind == "today":
        when = translate("AutoSync", "today") + " " + hm
    elif kind == "yesterday":
        when = translate("AutoSync", "yesterday") + " " + hm
    elif kind == "year":
        when = (f"{day.month}月{day.day}日 " if zh else f"{day.month:02d}-{day.day:02d} ") + hm
    else:
        when = (f"{day.year}年{day.month}月{day.day}日 " if zh else f"{day.isoformat()} ") + hm
    return translate("AutoSync", "Last sync %1").replace("%1", when)


def summary(result: dict) -> str:
    text = translate("FileMenu", "Synced: {received} bundle(s) in, {sent} out.").format(
        received=len(result["imported"]), sent=len(result["sent"]))
    if result.get("skipped"):
        text += " " + translate("FileMenu", "{n} skipped: {reason}").format(
            n=len(result["skipped"]), reason=result["skipped"][0].get("reason") or "")
    if result.get("errors"):
        text += " " + str(result["errors"][0].get("message", ""))
    return text


def install(window) -> AutoSync | None:
    """Automatic sync for a node's main window (a database with a node id), started at once
    (the window is made right after the login)."""
    if not window.db.settings.get("node_id") or window.db.kind != "school":
        return None
    sync = AutoSync(window)
    sync.start()
    return sync


# ---------------------------------------------------------------- 文件 → 同步设置…

class SyncSettingsDialog(QDialog):
    """This PC's sync folder and how often it syncs by itself."""

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.db = window.db
        self.setObjectName("syncSettings")
        self.setWindowTitle(translate("AutoSync", "Sync settings"))
        self.setMinimumWidth(560)
        self.folder = QLineEdit(auto.folder_of(self.db))
        self.folder.setObjectName("syncFolder")
        self.folder.setPlaceholderText(translate("AutoSync", "A shared folder on the school network, or a USB stick"))
        browse = QPushButton(translate("AutoSync", "Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("syncMinutes")
        self.minutes.setRange(0, auto.MAX_MINUTES)
        self.minutes.setValue(auto.interval_minutes(self.db))
        self.minutes.setSuffix(translate("AutoSync", " min"))
        self.minutes.setSpecialValueText(translate("AutoSync", "only at login, at quit and on demand"))
        form = QFormLayout()
        form.addRow(translate("AutoSync", "Sync folder"), row)
        form.addRow(translate("AutoSync", "Sync every"), self.minutes)
        note = QLabel(translate("AutoSync", "This PC syncs at login, every few minutes while the folder can be reached, and at "
                          "quit. The setting belongs to this PC only."))
        note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("syncSettingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate("AutoSync", "Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("AutoSync", "Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, translate("AutoSync", "Sync folder"), self.folder.text())
        if path:
            self.folder.setText(path)

    def save(self) -> None:
        try:
            auto.save_settings(self.db, self.folder.text(), self.minutes.value())
        except GrowthDeskError as exc:
            self.error.setText(exc.message(ui_app.lang()))
            self.error.show()
            return
        sync = getattr(self.window, "autosync", None)
        if sync is not None:
            sync.apply_interval()
            sync.problem = ""
            sync.refresh()
            sync.sync("settings")
        self.accept()


def open_settings(window) -> SyncSettingsDialog:
    dlg = SyncSettingsDialog(window)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    window.sync_settings_dialog = dlg
    return dlg
