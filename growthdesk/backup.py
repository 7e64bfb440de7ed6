"""Backup and restore of SQLite databases, and automatic backups before migrations.

A backup is made with SQLite's online backup API (consistent even while the app has the
database open in WAL mode), then the copy is checked with ``PRAGMA integrity_check``. A
restore refuses anything that is damaged, not GrowthDesk, made by a newer GrowthDesk, or of
the other kind (school vs district), and keeps a safety copy of the current database first.

Copies are written as ``<name>.partial`` and get their real name only once complete and
checked, so a copy cut short (a killed process, a full disk) never looks like a backup: it is
not counted by the keep-newest pruning, not offered as "the newest automatic backup", and is
removed by the next backup. A damaged database can be replaced by ``restore --force``; the
damaged file is moved aside into the backups folder (``*.damaged``), never deleted.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from .db import SQLITE_MAGIC, _known_revisions, integrity_ok, one_line, sqlite_path, to_url
from .errors import DatabaseError, ValidationError
from .outfiles import PARTIAL_SUFFIX, output_error, prepare_folder, remove_quietly, sqlite_output_error
from .paths import backups_dir


@dataclass
class BackupInfo:
    path: str
    size: int
    kind: str
    school_code: str
    district_code: str
    revision: str

    def to_dict(self) -> dict:
        return asdict(self)


def _path_of(target: str | Path) -> Path:
    path = sqlite_path(to_url(target))
    if path is None:
        raise ValidationError("备份/恢复只支持 SQLite 数据库文件（PostgreSQL 请用 pg_dump）",
                              "backup and restore work on SQLite database files only (use pg_dump for PostgreSQL)",
                              field="db", value=str(target))
    return path


_one_line = one_line
STALE_PARTIAL_SECONDS = 600  # a partial copy untouched this long belongs to a process that died


def _timestamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")


def _copy(src: Path, dst: Path) -> None:
    """SQLite online backup of ``src`` into ``dst`` (replacing dst's content)."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=10)
    try:
        dest = sqlite3.connect(dst, timeout=10)
        try:
            source.backup(dest)
            # A single self-contained file: the copy must not depend on a -wal beside it.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        source.close()


PAUSE_ENV = "GROWTHDESK_TEST_PAUSE_COPY"


def _pause_for_kill(dst: Path) -> None:
    """Tests only (``GROWTHDESK_TEST_PAUSE_COPY=seconds:marker``): write a few bytes of ``dst``,
    touch the marker and sleep, so a test can kill the process with the copy half-written."""
    seconds, _, marker = os.environ[PAUSE_ENV].partition(":")
    with open(dst, "ab") as fh:
        fh.write(SQLITE_MAGIC + b"\0" * 84)
    Path(marker).write_text(str(dst), encoding="utf-8")
    time.sleep(float(seconds))


def _copy_checked(src: Path, dst: Path) -> None:
    """Copy through ``<dst>.partial``: ``dst`` appears only complete and integrity-checked."""
    part = dst.with_name(dst.name + PARTIAL_SUFFIX)
    remove_quietly(part)
    try:
        with open(part, "xb"):  # a read-only or missing folder is said as such, before SQLite tries
            pass
    except OSError as exc:
        raise output_error(exc, dst) from None
    try:
        if os.environ.get(PAUSE_ENV):  # tests: kill -9 while a copy is half-written
            _pause_for_kill(part)
        try:
            _copy(src, part)
        except sqlite3.Error as exc:
            raise sqlite_output_error(exc, dst) from None
        ok, detail = integrity_ok(part)
        if not ok:
            raise DatabaseError(f"备份副本未通过完整性检查：{_one_line(detail)}",
                                f"the backup copy failed its integrity check: {_one_line(detail)}", field="db",
                                value=str(src))
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, dst)
    except OSError as exc:
        raise output_error(exc, dst) from None
    finally:
        remove_quietly(part)


def clean_partials(folder: Path, stem: str = "", *, older_than: float = STALE_PARTIAL_SECONDS) -> list[Path]:
    """Remove copies left half-written by a process that was killed (untouched for a while)."""
    removed = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for part in folder.glob(f"{stem}*{PARTIAL_SUFFIX}"):
        with contextlib.suppress(OSError):
            if now - part.stat().st_mtime >= older_than:
                part.unlink()
                removed.append(part)
    return removed


def automatic_backups(path: Path) -> list[Path]:
    """The complete automatic backups of ``path``, oldest first (partial copies never count)."""
    folder = backups_dir(path)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{path.stem}-*.db") if p.is_file())  # timestamps sort as text


def latest_automatic_backup(path: Path) -> Path | None:
    """The newest automatic backup that is a usable GrowthDesk database, if any."""
    for candidate in reversed(automatic_backups(path)):
        try:
            inspect_file(candidate)
        except DatabaseError:
            continue  # e.g. a copy cut short by an older version that did not name it partial
        return candidate
    return None


def inspect_file(path: Path) -> BackupInfo:
    """What a file is, or a DatabaseError saying why it is not a usable GrowthDesk database."""
    if not path.is_file():
        raise DatabaseError(f"文件不存在：{path}", f"file not found: {path}", field="file", value=str(path))
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise DatabaseError(f"{path.name} 不是 SQLite 数据库文件", f"{path.name} is not an SQLite database file",
                                field="file", value=str(path))
    ok, detail = integrity_ok(path)
    if not ok:
        raise DatabaseError(f"{path.name} 已损坏（完整性检查未通过：{_one_line(detail)}）",
                            f"{path.name} is damaged (integrity check failed: {_one_line(detail)})", field="file",
                            value=str(path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"gd_setting", "alembic_version"} <= tables:
                raise DatabaseError(f"{path.name} 不是 GrowthDesk 数据库", f"{path.name} is not a GrowthDesk database",
                                    field="file", value=str(path))
            settings = dict(con.execute("SELECT key, value FROM gd_setting").fetchall())
            rev_row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path.name} 无法读取：{exc}", f"{path.name} cannot be read: {exc}", field="file",
                            value=str(path)) from exc
    kind, revision = settings.get("kind", ""), (rev_row[0] if rev_row else "")
    if kind not in ("school", "district") or not revision:
        raise DatabaseError(f"{path.name} 不是已初始化的 GrowthDesk 数据库", f"{path.name} is not an initialised "
                            "GrowthDesk database", field="file", value=str(path))
    if revision not in _known_revisions():
        raise DatabaseError(f"{path.name} 由更新版本的 GrowthDesk 创建（版本 {revision}），请升级本软件",
                            f"{path.name} was made by a newer GrowthDesk (schema {revision}); upgrade the app",
                            field="file", value=revision)
    return BackupInfo(str(path), path.stat().st_size, kind, settings.get("school_code", ""),
                      settings.get("district_code", ""), revision)


def backup(db_target: str | Path, out: str | Path) -> BackupInfo:
    """Copy the database to ``out`` and verify the copy. Refuses to overwrite ``out``."""
    src = _path_of(db_target)
    inspect_file(src)
    out = Path(out)
    if out.exists():
        raise ValidationError(f"备份文件已存在：{out}（不会覆盖）", f"the backup file already exists: {out} (not overwritten)",
                              field="out", value=str(out))
    if out.resolve() == src.resolve():
        raise ValidationError("备份文件不能是数据库本身", "the backup file cannot be the database itself", field="out")
    prepare_folder(out.parent)
    _copy_checked(src, out)  # the copy itself must pass, not just the original
    info = inspect_file(out)
    info.path = str(out)
    return info


def automatic_backup(db_target: str | Path, keep: int = 10) -> Path | None:
    """Back up into ``<stem>.backups/`` beside the database and keep the newest ``keep``.

    Used before migrations and restores. Returns None when there is nothing to back up (no
    file yet, or not an SQLite database)."""
    path = sqlite_path(to_url(db_target))
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return None
    folder = prepare_folder(backups_dir(path), field="db")
    clean_partials(folder, path.stem)
    out = folder / f"{path.stem}-{_timestamp()}.db"
    try:
        _copy_checked(path, out)
    except DatabaseError as exc:
        raise DatabaseError(f"自动备份未通过完整性检查：{exc.zh}", f"the automatic backup failed: {exc.en}", field="db",
                            value=str(path)) from None
    _prune(path, keep)
    return out


def _prune(path: Path, keep: int) -> None:
    copies = automatic_backups(path)
    for old in copies[:-keep] if keep > 0 else copies:
        old.unlink(missing_ok=True)


def restore(db_target: str | Path, source: str | Path, *, force: bool = False) -> dict:
    """Replace the database with ``source`` after checking it; returns what was done.

    The current database (if any) is first copied to its backups folder. A different school or
    district code is refused unless ``force`` (restoring another school's data by mistake is
    the error this catches)."""
    dst = _path_of(db_target)
    source = Path(source)
    info = inspect_file(source)
    if source.resolve() == dst.resolve():
        raise ValidationError("恢复文件不能是数据库本身", "the file to restore is the database itself", field="file")
    safety = damaged = None
    if dst.is_file() and dst.stat().st_size > 0:
        try:
            current = inspect_file(dst)
        except DatabaseError as exc:
            if not force:
                raise DatabaseError(f"当前数据库无法使用（{exc.zh}）；确认用备份替换它请加 --force（原文件会移到备份文件夹，不会删除）",
                                    f"the current database is unusable ({exc.en}); add --force to replace it with the "
                                    "backup (the file is moved into the backups folder, not deleted)",
                                    field="db", value=str(dst)) from None
            damaged = _set_aside(dst)
        else:
            _check_same_identity(current, info, force)
            safety = automatic_backup(dst, keep=10_000)  # restores never prune older safety copies
    with contextlib.suppress(FileNotFoundError):
        dst.parent.mkdir(parents=True, exist_ok=True)
    # Copy through SQLite into the live file, so a -wal beside it is rewritten consistently.
    _copy(source, dst)
    ok, detail = integrity_ok(dst)
    if not ok:  # pragma: no cover - the source passed the same check a moment ago
        raise DatabaseError(f"恢复后的数据库未通过完整性检查：{_one_line(detail)}（安全副本：{safety}）",
                            f"the restored database failed its integrity check: {_one_line(detail)} (safety copy: {safety})",
                            field="db")
    if info.kind == "school":
        _mark_restored(dst)
    return {"restored_from": str(source), "db": str(dst), "safety_copy": str(safety) if safety else None,
            "damaged_file_kept": str(damaged) if damaged else None,
            "kind": info.kind, "school_code": info.school_code, "district_code": info.district_code,
            "revision": info.revision}


def _set_aside(path: Path) -> Path:
    """Move an unusable database (and its -wal/-shm) into its backups folder as ``*.damaged``."""
    folder = prepare_folder(backups_dir(path), field="db")
    aside = folder / f"{path.stem}-{_timestamp()}.damaged"
    try:
        os.replace(path, aside)
        for suffix in ("-wal", "-shm"):
            side = Path(str(path) + suffix)
            if side.exists():
                os.replace(side, Path(str(aside) + suffix))
    except OSError as exc:
        raise output_error(exc, aside, field="db") from None
    return aside


def _mark_restored(path: Path) -> None:
    """A restored school may have sent bundles after the backup was taken: its next export must
    not reuse their sequence numbers and must carry everything (``sync.receipts.NEEDS_FULL``)."""
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("INSERT OR REPLACE INTO gd_setting (key, value) VALUES ('sync_needs_full', 'restored')")
    finally:
        con.close()


def _check_same_identity(current: BackupInfo, incoming: BackupInfo, force: bool) -> None:
    if current.kind != incoming.kind:
        names = {"school": "学校数据库", "district": "区级数据库"}
        raise DatabaseError(f"不能用{names.get(incoming.kind, incoming.kind)}恢复{names.get(current.kind, current.kind)}",
                            f"cannot restore a {incoming.kind} database over a {current.kind} database",
                            field="file", value=incoming.kind)
    same = (current.school_code, current.district_code) == (incoming.school_code, incoming.district_code)
    if not same and not force:
        raise DatabaseError(
            f"备份属于另一所学校或另一个区（{incoming.school_code or incoming.district_code}），"
            f"当前数据库是 {current.school_code or current.district_code}；确需恢复请加 --force",
            f"the backup belongs to another school or district ({incoming.school_code or incoming.district_code}, "
            f"this database is {current.school_code or current.district_code}); use --force if you mean it",
            field="file", value=incoming.school_code or incoming.district_code)


__all__ = ["backup", "restore", "automatic_backup", "automatic_backups", "latest_automatic_backup", "clean_partials",
           "inspect_file", "BackupInfo"]
