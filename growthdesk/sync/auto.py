"""Automatic sync (issue 11): what the app's timer, login and quit rounds call, Qt-free.

This PC's sync settings live in its own database (``gd_setting``; they never travel): the
folder (``sync_folder``, as ``services.offices.set_sync_folder`` writes it), the minutes
between automatic rounds (``sync_interval_minutes``, default 5; 0 = only at login, quit and on
demand) and the time of the last completed round (``sync_last_at``, UTC ISO).

``folder_problem`` says in one line why the folder cannot be used right now (not set, missing /
USB stick not in, read-only, full); ``run_round`` checks that, runs one ``sync_folder`` round
and stamps ``sync_last_at``; it raises ``ValidationError`` with the reason when the folder cannot
be reached, so a caller shows the reason and tries again at the next round.
"""

from __future__ import annotations

import errno
import os
from datetime import date, datetime, timezone
from pathlib import Path

from ..db import Database, write_settings
from ..errors import ValidationError

FOLDER_SETTING = "sync_folder"
INTERVAL_SETTING = "sync_interval_minutes"
LAST_SETTING = "sync_last_at"
DEFAULT_MINUTES = 5
MAX_MINUTES = 24 * 60


def folder_of(db: Database) -> str:
    return db.settings.get(FOLDER_SETTING, "")


def interval_minutes(db: Database) -> int:
    raw = db.settings.get(INTERVAL_SETTING, "")
    try:
        minutes = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_MINUTES
    return min(max(minutes, 0), MAX_MINUTES)


def last_sync_at(db: Database) -> datetime | None:
    """When this PC last completed a sync round (aware UTC), or None."""
    raw = db.settings.get(LAST_SETTING, "")
    try:
        at = datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def save_settings(db: Database, folder: str | Path, minutes: int) -> None:
    """Remember this PC's sync folder and interval (checked: minutes 0..1440, the folder a folder)."""
    folder = str(folder).strip()
    if not folder:
        raise ValidationError("请选择同步文件夹", "choose the sync folder", field="folder")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_MINUTES:
        raise ValidationError(f"自动同步间隔应为 0–{MAX_MINUTES} 分钟", f"the sync interval is 0–{MAX_MINUTES} minutes",
                              field="minutes", value=minutes)
    with db.session(user="setup") as s:
        write_settings(s, {FOLDER_SETTING: folder, INTERVAL_SETTING: str(minutes)})
    db.reload_settings()


def folder_problem(folder: str | Path | None) -> ValidationError | None:
    """Why ``folder`` cannot be used now (one Chinese/English line), or None when it can: not set;
    missing (USB stick not in, share not reachable); read-only; full. Writes and removes one tiny
    probe file, since a read-only share or stick is only known by trying."""
    if not folder or not str(folder).strip():
        return ValidationError("未设置同步文件夹（文件 → 同步设置）", "no sync folder is set (File → Sync settings)",
                               field="folder")
    path = Path(folder)
    if not path.is_dir():
        return ValidationError(f"同步文件夹不存在或无法访问：{path}（U 盘未插入或网络未连接？）",
                               f"the sync folder does not exist or cannot be reached: {path} (USB stick not in, "
                               "or network down?)", field="folder", value=str(path))
    probe = path / f".growthdesk-probe-{os.getpid()}"
    try:
        with open(probe, "wb") as fh:
            fh.write(b"x")
        probe.unlink()
    except OSError as exc:
        try:
            probe.unlink()
        except OSError:
            pass
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ValidationError(f"同步文件夹只读，无法写入：{path}", f"the sync folder is read-only: {path}",
                                   field="folder", value=str(path))
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return ValidationError(f"同步文件夹所在磁盘已满：{path}", f"the sync folder's disk is full: {path}",
                                   field="folder", value=str(path))
        return ValidationError(f"同步文件夹无法访问：{path}（{exc.strerror or exc}）",
                               f"the sync folder cannot be reached: {path} ({exc.strerror or exc})",
                               field="folder", value=str(path))
    return None


def run_round(db: Database, folder: str | Path | None = None, *, user: str = "", progress=None,
              receive: bool = True, now: datetime | None = None) -> dict:
    """One automatic (or 立即同步) round: check the folder, sync, remember when. Raises
    ``ValidationError`` with the reason when the folder cannot be used."""
    from .folder import pending_changes, sync_folder

    folder = folder if folder is not None else folder_of(db)
    problem = folder_problem(folder)
    if problem is not None:
        raise problem
    result = sync_folder(db, folder, user=user, progress=progress, receive=receive)
    at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    values = {LAST_SETTING: at.isoformat(timespec="seconds")}
    if folder_of(db) != str(folder):
        values[FOLDER_SETTING] = str(folder)
    with db.session(user="setup") as s:
        write_settings(s, values)
    db.reload_settings()
    result["last_sync_at"] = values[LAST_SETTING]
    if "pending_changes" not in result:  # sync_folder counted them already (the count reads every table)
        result["pending_changes"] = pending_changes(db) if db.kind == "school" else 0
    return result


def local_when(at: datetime | None, now: datetime | None = None) -> tuple[str, date | None, str]:
    """(day, date, HH:MM) of ``at`` in this PC's local time; day is "today", "yesterday", "year"
    (this year: say month and day) or "" (another year: say the whole date)."""
    if at is None:
        return "", None, ""
    local = at.astimezone()
    today = (now or datetime.now().astimezone()).astimezone().date()
    d = local.date()
    kind = ("today" if d == today else "yesterday" if (today - d).days == 1
            else "year" if d.year == today.year else "")
    return kind, d, local.strftime("%H:%M")


__all__ = ["folder_of", "interval_minutes", "last_sync_at", "save_settings", "folder_problem", "run_round",
           "local_when", "DEFAULT_MINUTES"]
