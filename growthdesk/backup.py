"""Backup and restore of SQLite databases, and automatic backups before migrations.

A backup is made with SQLite's online backup API (consistent even while the app has the
database open in WAL mode), then the copy is checked with ``PRAGMA integrity_check``. An
encrypted database (SQLCipher) is backed up into an encrypted file under the same key, with a
copy of its key file (``<backup>.keys``) beside it: the backup opens with any account's
password or the recovery key, and reveals nothing without one. Every file is owner-only. A
restore refuses anything that is damaged, not GrowthDesk, made by a newer GrowthDesk, or of
the other kind (school vs district), and keeps a safety copy of the current database first.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import keys
from .db import SQLITE_MAGIC, _cipher_errors, _known_revisions, connect_sqlite, integrity_ok, sqlite_path, to_url
from .errors import DatabaseError, ValidationError
from .fileperms import private_dir, tighten
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


def _one_line(detail: str, limit: int = 160) -> str:
    """``integrity_check`` reports many lines; errors must stay one line, so keep the first problems."""
    lines = [ln.strip() for ln in detail.replace("; ", "\n").splitlines() if ln.strip() and not ln.startswith("***")]
    text = " / ".join(lines) if lines else detail.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _timestamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")


def _copy(src: Path, dst: Path, key: bytes | None = None) -> None:
    """SQLite online backup of ``src`` into ``dst`` (replacing dst's content); with ``key``
    both are SQLCipher files under that key."""
    if not dst.exists():
        fd = os.open(dst, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
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
    if key is not None:
        _copy_keyfile(src, dst)


def _copy_keyfile(src: Path, dst: Path) -> None:
    """The backup keeps the key slots it was made with (the accounts of that day)."""
    doc = keys.read_keyfile(src)
    if doc is not None:
        keys.write_keyfile(dst, doc.get("slots") or [], doc.get("recovery"), doc.get("public"))


def _is_plain(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == SQLITE_MAGIC


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


def _key_of(db_target, key: bytes | None) -> bytes | None:
    return key if key is not None else getattr(db_target, "key", None)


def _target(db_target):
    return db_target.url if hasattr(db_target, "url") and hasattr(db_target, "engine") else db_target


def backup(db_target, out: str | Path, *, key: bytes | None = None) -> BackupInfo:
    """Copy the database to ``out`` and verify the copy. Refuses to overwrite ``out``.
    ``db_target`` is a path/URL (with ``key`` for an encrypted file) or an open ``Database``."""
    key = _key_of(db_target, key)
    src = _path_of(_target(db_target))
    inspect_file(src, key)
    out = Path(out)
    if out.exists():
        raise ValidationError(f"备份文件已存在：{out}（不会覆盖）", f"the backup file already exists: {out} (not overwritten)",
                              field="out", value=str(out))
    if out.resolve() == src.resolve():
        raise ValidationError("备份文件不能是数据库本身", "the backup file cannot be the database itself", field="out")
    private_dir(out.parent)
    tmp = out.with_name(out.name + ".partial")
    try:
        _copy(src, tmp, key)
        info = inspect_file(tmp, key)  # the copy itself must pass, not just the original
        if key is not None:
            keys.keyfile_path(tmp).replace(keys.keyfile_path(out))
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
        keys.keyfile_path(tmp).unlink(missing_ok=True)
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
    folder = private_dir(backups_dir(path))
    out = folder / f"{path.stem}-{_timestamp()}.db"
    _copy(path, out, key)
    ok, detail = integrity_ok(out, key)
    if not ok:
        out.unlink(missing_ok=True)
        keys.keyfile_path(out).unlink(missing_ok=True)
        raise DatabaseError(f"自动备份未通过完整性检查：{_one_line(detail)}", f"the automatic backup failed its integrity check: "
                            f"{_one_line(detail)}", field="db", value=str(path))
    _prune(folder, path.stem, keep)
    return out


def _prune(folder: Path, stem: str, keep: int) -> None:
    copies = sorted(folder.glob(f"{stem}-*.db"))  # timestamps sort as text
    for old in copies[:-keep] if keep > 0 else copies:
        old.unlink(missing_ok=True)
        keys.keyfile_path(old).unlink(missing_ok=True)


def encrypt_backups(db_path: Path, key: bytes) -> list[Path]:
    """Encrypt (in place, same name) every plain copy in the database's backups folder, after
    the database itself was converted: no plain copy of the school is left on the disk."""
    from .security import export_encrypted
    folder = backups_dir(db_path)
    done: list[Path] = []
    if not folder.is_dir():
        return done
    for copy in sorted(folder.glob(f"{db_path.stem}-*.db")):
        if not copy.is_file() or not _is_plain(copy):
            continue
        tmp = copy.with_name(copy.name + ".encrypting")
        try:
            export_encrypted(copy, tmp, key)
            ok, _detail = integrity_ok(tmp, key)
            if not ok:
                tmp.unlink(missing_ok=True)
                continue
            _copy_keyfile(db_path, tmp)
            keys.keyfile_path(tmp).replace(keys.keyfile_path(copy))
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
    if source.resolve() == dst.resolve():
        raise ValidationError("恢复文件不能是数据库本身", "the file to restore is the database itself", field="file")
    dst_encrypted = dst.is_file() and dst.stat().st_size > 0 and not _is_plain(dst)
    if dst_encrypted and key is None:
        raise DatabaseError("加密的数据库需要登录后才能恢复", "an encrypted database can be restored only after logging in",
                            field="db", value=str(dst))
    info = inspect_file(source, key)
    plain_source = _is_plain(source)
    safety = None
    if dst.is_file() and dst.stat().st_size > 0:
        current = inspect_file(dst, key if dst_encrypted else None)
        _check_same_identity(current, info, force)
        safety = automatic_backup(dst, keep=10_000, key=key if dst_encrypted else None)  # never pruned by restores
    with contextlib.suppress(FileNotFoundError):
        private_dir(dst.parent)
    staged = None
    if plain_source and dst_encrypted:  # a plain backup from before the upgrade: encrypt it first
        from .security import export_encrypted
        staged = source.with_name(source.name + ".restoring")
        export_encrypted(source, staged, key)
    copy_key = key if (dst_encrypted or not plain_source) else None
    try:
        # Copy through SQLite into the live file, so a -wal beside it is rewritten consistently.
        _copy(staged or source, dst, copy_key)
    finally:
        if staged is not None:
            staged.unlink(missing_ok=True)
    if copy_key is not None and not keys.keyfile_path(dst).is_file():
        _copy_keyfile(source, dst)
    ok, detail = integrity_ok(dst, copy_key)
    if not ok:  # pragma: no cover - the source passed the same check a moment ago
        raise DatabaseError(f"恢复后的数据库未通过完整性检查：{_one_line(detail)}（安全副本：{safety}）",
                            f"the restored database failed its integrity check: {_one_line(detail)} (safety copy: {safety})",
                            field="db")
    return {"restored_from": str(source), "db": str(dst), "safety_copy": str(safety) if safety else None,
            "kind": info.kind, "school_code": info.school_code, "district_code": info.district_code,
            "revision": info.revision}


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


__all__ = ["backup", "restore", "automatic_backup", "inspect_file", "BackupInfo"]
