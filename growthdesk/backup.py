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

An encrypted database (SQLCipher) is backed up into an encrypted file under the same key, with a
copy of its key file (``<backup>.keys``) beside it: the backup opens with any account's password
(of the day it was made) or the recovery key, and reveals nothing without one. A plain backup
made before the database was converted is encrypted along with it (``encrypt_backups``). Every
file is owner-only (0600 in a 0700 folder where the OS has modes).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import keys
from .db import (SQLITE_MAGIC, _cipher_errors, _known_revisions, connect_sqlite, integrity_ok, one_line, sqlite_path,
                 to_url)
from .errors import DatabaseError, ValidationError
from .fileperms import private_dir, tighten
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


def _copy(src: Path, dst: Path, key: bytes | None = None) -> None:
    """SQLite online backup of ``src`` into ``dst`` (replacing dst's content); with ``key``
    both are SQLCipher files under that key."""
    if not dst.exists():
        os.close(os.open(dst, os.O_WRONLY | os.O_CREAT, 0o600))
    tighten(dst)
    source = connect_sqlite(src, key, readonly=True, timeout=10)
    try:
        dest = connect_sqlite(dst, key, timeout=10)
        try:
            source.backup(dest)
            # A single self-contained file: the copy must not depend on a -wal beside it.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        source.close()


def _copy_keyfile(src: Path, dst: Path) -> None:
    """The backup keeps the key slots it was made with (the accounts of that day)."""
    doc = keys.read_keyfile(src)
    if doc is not None:
        keys.write_keyfile(dst, doc.get("slots") or [], doc.get("recovery"), doc.get("public"), lockout=False)


def _is_plain(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == SQLITE_MAGIC


def _key_of(db_target, key: bytes | None) -> bytes | None:
    return key if key is not None else getattr(db_target, "key", None)


def _target(db_target):
    return db_target.url if hasattr(db_target, "url") and hasattr(db_target, "engine") else db_target


PAUSE_ENV = "GROWTHDESK_TEST_PAUSE_COPY"


def _pause_for_kill(dst: Path) -> None:
    """Tests only (``GROWTHDESK_TEST_PAUSE_COPY=seconds:marker``): write a few bytes of ``dst``,
    touch the marker and sleep, so a test can kill the process with the copy half-written."""
    seconds, _, marker = os.environ[PAUSE_ENV].partition(":")
    with open(dst, "ab") as fh:
        fh.write(SQLITE_MAGIC + b"\0" * 84)
    Path(marker).write_text(str(dst), encoding="utf-8")
    time.sleep(float(seconds))


def _copy_checked(src: Path, dst: Path, key: bytes | None = None) -> None:
    """Copy through ``<dst>.partial``: ``dst`` appears only complete and integrity-checked
    (with ``key``: encrypted, and its key file beside it)."""
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
            _copy(src, part, key)
        except (sqlite3.Error, *_cipher_errors()) as exc:
            raise sqlite_output_error(exc, dst) from None
        ok, detail = integrity_ok(part, key)
        if not ok:
            raise DatabaseError(f"备份副本未通过完整性检查：{_one_line(detail)}",
                                f"the backup copy failed its integrity check: {_one_line(detail)}", field="db",
                                value=str(src))
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        if key is not None:
            _copy_keyfile(src, dst)  # the key file first: the copy must never be there without it
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


def latest_automatic_backup(path: Path, key: bytes | None = None) -> Path | None:
    """The newest automatic backup that is a usable GrowthDesk database, if any (an encrypted
    one counts when its key file is beside it; ``key`` also checks that it opens)."""
    for candidate in reversed(automatic_backups(path)):
        try:
            if key is None and not _is_plain(candidate) and keys.keyfile_path(candidate).is_file():
                return candidate  # opened, and checked, after the login that restores it
            inspect_file(candidate, key)
        except DatabaseError:
            continue  # e.g. a copy cut short by an older version that did not name it partial
        return candidate
    return None


def inspect_file(path: Path, key: bytes | None = None) -> BackupInfo:
    """What a file is, or a DatabaseError saying why it is not a usable GrowthDesk database.
    An encrypted file needs its ``key`` (a plain one is read without)."""
    if not path.is_file():
        raise DatabaseError(f"文件不存在：{path}", f"file not found: {path}", field="file", value=str(path))
    if _is_plain(path):
        key = None
    elif key is None:
        encrypted = keys.keyfile_path(path).is_file()
        raise DatabaseError(f"{path.name} 是加密的数据库，需要登录后才能读取" if encrypted else
                            f"{path.name} 不是 SQLite 数据库文件",
                            f"{path.name} is an encrypted database; log in to read it" if encrypted else
                            f"{path.name} is not an SQLite database file", field="file", value=str(path))
    ok, detail = integrity_ok(path, key)
    if not ok and key is not None and "not a database" in detail.lower():
        raise DatabaseError(f"{path.name} 不能用当前数据库的密钥打开（另一个数据库的备份，或已损坏）",
                            f"{path.name} does not open with this database's key (a backup of another database, or "
                            "damaged)", field="file", value=str(path))
    if not ok:
        raise DatabaseError(f"{path.name} 已损坏（完整性检查未通过：{_one_line(detail)}）",
                            f"{path.name} is damaged (integrity check failed: {_one_line(detail)})", field="file",
                            value=str(path))
    try:
        con = connect_sqlite(path, key, readonly=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"gd_setting", "alembic_version"} <= tables:
                raise DatabaseError(f"{path.name} 不是 GrowthDesk 数据库", f"{path.name} is not a GrowthDesk database",
                                    field="file", value=str(path))
            settings = dict(con.execute("SELECT key, value FROM gd_setting").fetchall())
            rev_row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except (sqlite3.DatabaseError, *_cipher_errors()) as exc:
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


def backup(db_target, out: str | Path, *, key: bytes | None = None) -> BackupInfo:
    """Copy the database to ``out`` and verify the copy. Refuses to overwrite ``out``.
    ``db_target`` is a path/URL (with ``key`` for an encrypted file) or an open ``Database``."""
    key = _key_of(db_target, key)
    src = _path_of(_target(db_target))
    if _is_plain(src) if src.is_file() else True:
        key = None
    inspect_file(src, key)
    out = Path(out)
    if out.exists():
        raise ValidationError(f"备份文件已存在：{out}（不会覆盖）", f"the backup file already exists: {out} (not overwritten)",
                              field="out", value=str(out))
    if out.resolve() == src.resolve():
        raise ValidationError("备份文件不能是数据库本身", "the backup file cannot be the database itself", field="out")
    prepare_folder(out.parent)
    _copy_checked(src, out, key)  # the copy itself must pass, not just the original
    info = inspect_file(out, key)
    info.path = str(out)
    return info


def automatic_backup(db_target, keep: int = 10, *, key: bytes | None = None) -> Path | None:
    """Back up into ``<stem>.backups/`` beside the database and keep the newest ``keep``.

    Used before migrations and restores. Returns None when there is nothing to back up (no
    file yet, or not an SQLite database)."""
    key = _key_of(db_target, key)
    path = sqlite_path(to_url(_target(db_target)))
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return None
    if _is_plain(path):
        key = None
    elif key is None:
        raise DatabaseError("加密的数据库需要登录后才能备份", "an encrypted database can be backed up only after logging in",
                            field="db", value=str(path))
    folder = prepare_folder(backups_dir(path), field="db")
    private_dir(folder)
    tighten(folder)
    clean_partials(folder, path.stem)
    out = folder / f"{path.stem}-{_timestamp()}.db"
    try:
        _copy_checked(path, out, key)
    except DatabaseError as exc:
        raise DatabaseError(f"自动备份未通过完整性检查：{exc.zh}", f"the automatic backup failed: {exc.en}", field="db",
                            value=str(path)) from None
    _prune(path, keep)
    return out


def _prune(path: Path, keep: int) -> None:
    copies = automatic_backups(path)
    for old in copies[:-keep] if keep > 0 else copies:
        old.unlink(missing_ok=True)
        keys.keyfile_path(old).unlink(missing_ok=True)


def encrypt_backups(db_path: Path, key: bytes) -> list[Path]:
    """Encrypt (in place, same name) every plain copy in the database's backups folder, after
    the database itself was converted: no plain copy of the school is left on the disk."""
    from .security import export_encrypted
    done: list[Path] = []
    for copy in automatic_backups(db_path):
        if not _is_plain(copy):
            continue
        tmp = copy.with_name(copy.name + ".encrypting")
        try:
            export_encrypted(copy, tmp, key)
            ok, _detail = integrity_ok(tmp, key)
            if not ok:
                continue
            _copy_keyfile(db_path, copy)
            tmp.replace(copy)
            done.append(copy)
        finally:
            tmp.unlink(missing_ok=True)
    return done


def restore(db_target, source: str | Path, *, force: bool = False, key: bytes | None = None) -> dict:
    """Replace the database with ``source`` after checking it; returns what was done.

    The current database (if any) is first copied to its backups folder. A different school or
    district code is refused unless ``force`` (restoring another school's data by mistake is
    the error this catches)."""
    key = _key_of(db_target, key)
    dst = _path_of(_target(db_target))
    if hasattr(db_target, "engine"):
        db_target.engine.dispose()  # its pooled connections would hold the file; the next session reconnects
    source = Path(source)
    dst_encrypted = dst.is_file() and dst.stat().st_size > 0 and not _is_plain(dst)
    if dst_encrypted and key is None:
        raise DatabaseError("加密的数据库需要登录后才能恢复", "an encrypted database can be restored only after logging in",
                            field="db", value=str(dst))
    info = inspect_file(source, key)
    plain_source = _is_plain(source)
    if source.resolve() == dst.resolve():
        raise ValidationError("恢复文件不能是数据库本身", "the file to restore is the database itself", field="file")
    safety = damaged = None
    if dst.is_file() and dst.stat().st_size > 0:
        try:
            current = inspect_file(dst, key if dst_encrypted else None)
        except DatabaseError as exc:
            if not force:
                raise DatabaseError(f"当前数据库无法使用（{exc.zh}）；确认用备份替换它请加 --force（原文件会移到备份文件夹，不会删除）",
                                    f"the current database is unusable ({exc.en}); add --force to replace it with the "
                                    "backup (the file is moved into the backups folder, not deleted)",
                                    field="db", value=str(dst)) from None
            damaged = _set_aside(dst)
        else:
            _check_same_identity(current, info, force)
            safety = automatic_backup(dst, keep=10_000, key=key if dst_encrypted else None)  # never pruned here
    with contextlib.suppress(FileNotFoundError):
        private_dir(dst.parent)
    staged = None
    if plain_source and key is not None:  # a plain backup from before the upgrade: encrypt it first
        from .security import export_encrypted
        staged = source.with_name(source.name + ".restoring")
        export_encrypted(source, staged, key)
    copy_key = None if (plain_source and key is None) else key
    try:
        # Copy through SQLite into the live file, so a -wal beside it is rewritten consistently.
        _copy(staged or source, dst, copy_key)
    finally:
        if staged is not None:
            staged.unlink(missing_ok=True)
    if copy_key is not None and not plain_source:
        _copy_keyfile(source, dst)  # the restored accounts' slots (refreshed again on the next login)
    ok, detail = integrity_ok(dst, copy_key)
    if not ok:  # pragma: no cover - the source passed the same check a moment ago
        raise DatabaseError(f"恢复后的数据库未通过完整性检查：{_one_line(detail)}（安全副本：{safety}）",
                            f"the restored database failed its integrity check: {_one_line(detail)} (safety copy: {safety})",
                            field="db")
    if info.kind == "school":
        _mark_restored(dst, copy_key)
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
        for suffix in ("-wal", "-shm", ".keys"):
            side = Path(str(path) + suffix)
            if side.exists():
                os.replace(side, Path(str(aside) + suffix))
    except OSError as exc:
        raise output_error(exc, aside, field="db") from None
    return aside


def _mark_restored(path: Path, key: bytes | None = None) -> None:
    """A restored school may have sent bundles after the backup was taken: its next export must
    not reuse their sequence numbers and must carry everything (``sync.receipts.NEEDS_FULL``)."""
    con = connect_sqlite(path, key)
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


__all__ = ["backup", "restore", "automatic_backup", "encrypt_backups", "automatic_backups", "latest_automatic_backup", "clean_partials",
           "inspect_file", "BackupInfo"]
