"""Open a GrowthDesk database by path or SQLAlchemy URL, migrating it to this version.

SQLite gets WAL, foreign keys and a busy timeout. Alembic migrations run on every open, so
a database made by an older version opens in a newer one with its data intact; one made by
a newer version, or one that is not ours, is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from . import keys, tracking
from .errors import DatabaseError, GrowthDeskError
from .dbfile import SQLITE_MAGIC, is_encrypted, to_url  # noqa: F401 - re-exported
from .fileperms import private_dir, tighten_sqlite, touch_private
from .models import Setting

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlcipher_module():
    try:
        import sqlcipher3
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise DatabaseError("缺少 sqlcipher3 组件，无法打开加密数据库", "the sqlcipher3 package is missing; cannot open an "
                            "encrypted database") from exc
    return sqlcipher3


def connect_sqlite(path: Path, key: bytes | None, *, readonly: bool = False, timeout: float = BUSY_TIMEOUT_MS / 1000):
    """A DB-API connection to ``path``: SQLCipher with ``key``, the standard module without."""
    if key is None:
        if readonly:
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout)
        return sqlite3.connect(path, timeout=timeout)
    mod = _sqlcipher_module()
    con = (mod.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout, check_same_thread=False) if readonly
           else mod.connect(str(path), timeout=timeout, check_same_thread=False))
    con.execute(keys.sqlcipher_key_pragma(key))
    con.execute("PRAGMA cipher_memory_security = OFF")  # SQLCipher's default; zeroing every page costs ~10%
    return con


def make_engine(url: str, key: bytes | None = None) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        if key is not None:
            path = sqlite_path(url)
            if path is None:
                raise DatabaseError("加密只适用于 SQLite 数据库文件", "encryption applies to SQLite database files only",
                                    value=url)
            engine = create_engine(url, module=_sqlcipher_module(), creator=lambda: connect_sqlite(path, key))
        else:
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    check_postgres_url(url)
    return create_engine(url, pool_pre_ping=True)


_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
ALLOW_INSECURE_POSTGRES = {"value": False}  # set by --allow-insecure-postgres (the CLI) only


def check_postgres_url(url: str, *, allow_insecure: bool | None = None) -> None:
    """A remote PostgreSQL server must be reached over TLS (``sslmode=require`` or stricter).

    Local connections (a socket, localhost) are fine. Student data must not cross a network in
    clear text: anything else is refused unless ``allow_insecure`` (``--allow-insecure-postgres``)."""
    u = make_url(url)
    if not u.get_backend_name().startswith("postgres"):
        return
    allow = ALLOW_INSECURE_POSTGRES["value"] if allow_insecure is None else allow_insecure
    host = (u.host or str(u.query.get("host", "") or "")).strip()
    if allow or host in _LOCAL_HOSTS or host.startswith("/"):
        return
    sslmode = str(u.query.get("sslmode", "")).lower()
    if sslmode not in ("require", "verify-ca", "verify-full"):
        raise DatabaseError(f"远程 PostgreSQL（{host}）必须使用 TLS：请在地址后加 ?sslmode=require（或 verify-full），"
                            "确需不加密请用 --allow-insecure-postgres",
                            f"a remote PostgreSQL server ({host}) must be reached over TLS: add ?sslmode=require (or "
                            "verify-full) to the URL, or pass --allow-insecure-postgres if you really mean it",
                            field="db", value=host)


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=\s*['\"]?([^'\"\s]+)['\"]?", re.M)


@functools.cache
def _revision_graph() -> dict[str, str | None]:
    """revision -> down_revision, read from the migration files as text.

    Opening an up-to-date database (every app start) then needs no Alembic import and no
    migration run; Alembic is loaded only when there is something to migrate. A test keeps
    this in step with Alembic's own reading of the same files."""
    graph: dict[str, str | None] = {}
    for file in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION_LINE.findall(file.read_text(encoding="utf-8")))
        if "revision" in found:
            down = found.get("down_revision")
            graph[found["revision"]] = None if down in (None, "None") else down
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - set(graph.values())
    if len(heads) != 1:
        raise RuntimeError(f"migrations must form one line; heads: {sorted(heads)}")
    return heads.pop()


def _known_revisions() -> set[str]:
    return set(_revision_graph())


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not SQLite at all before SQLite touches it."""
    if not path.exists():
        return
    with open(path, "rb") as fh:
        head = fh.read(16)
    if path.stat().st_size and head != SQLITE_MAGIC and not keys.keyfile_path(path).is_file():
        raise DatabaseError(f"文件 {path} 不是 GrowthDesk 数据库（不是 SQLite 文件）",
                            f"{path} is not a GrowthDesk database (not an SQLite file)", value=str(path))


@dataclass
class Database:
    """An open, migrated database: engine, sessions, and what kind of database it is."""

    url: str
    engine: Engine
    settings: dict[str, str] = field(default_factory=dict)
    key: bytes | None = field(default=None, repr=False)  # the SQLCipher key; None: a plain file or PostgreSQL
    kdf: keys.Kdf | None = field(default=None, repr=False)  # scrypt cost for new passwords (None: OWASP)
    login: str = ""  # who unlocked it (``unlock_database``), for the audit and access logs

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        tracking.install(self._factory)
        from .security import install as install_security
        install_security(self)
        from .services.access import install as install_access
        install_access(self._factory)
        if self.key is not None and self.path is not None:
            keys.register_database_key(self.path, self.key)
        self._integrity: tuple[bool, str] | None = None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "before_cursor_execute", self._before_write)

    def _before_write(self, _conn, cursor, statement, _params, _context, _executemany) -> None:
        """The first write through this database checks the file first (once): a damaged file
        is refused before anything is written to it, whichever command or screen writes."""
        if self._integrity is not None and self._integrity[0]:
            return
        if statement.lstrip()[:7].upper() not in _WRITE_VERBS:
            return
        if self._integrity is None:
            self._integrity = quick_check(cursor.connection)
        if not self._integrity[0]:
            raise damaged_error(self.path or self.url, self._integrity[1])

    def check_integrity(self) -> None:
        """Raise ``DatabaseError`` if the file fails ``PRAGMA quick_check`` (SQLite; checked once)."""
        if self.engine.dialect.name != "sqlite":
            return
        if self._integrity is None:
            with self.engine.connect() as conn:
                self._integrity = quick_check(conn.connection.dbapi_connection)
        if not self._integrity[0]:
            raise damaged_error(self.path or self.url, self._integrity[1])

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def kind(self) -> str:
        return self.settings.get("kind", "")

    @property
    def school_code(self) -> str:
        return self.settings.get("school_code", "")

    @property
    def district_code(self) -> str:
        return self.settings.get("district_code", "")

    @property
    def node_id(self) -> str:
        """This database's node id (the tie-break of equal clocks): the ``node_id`` setting, else
        its school or district code."""
        return self.settings.get("node_id") or self.school_code or self.district_code

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @contextlib.contextmanager
    def session(self, user: str = "") -> Iterator[Session]:
        """A unit of work: commits on success, rolls back everything on any error."""
        s = self._factory()
        s.info["user"] = user or self.login  # the logged-in account unless the caller names another
        s.info["school_code"] = self.school_code
        s.info["database"] = self
        s.info["node_id"] = self.node_id
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def reload_settings(self) -> None:
        with self._factory() as s:
            self.settings = {r.key: r.value for r in s.scalars(select(Setting))}

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


_WRITE_VERBS = {"INSERT ", "UPDATE ", "DELETE ", "REPLACE", "INSERT\n", "UPDATE\n", "DELETE\n"}


def quick_check(dbapi_conn) -> tuple[bool, str]:
    """``PRAGMA quick_check`` on an open SQLite connection: (ok, first problems in one line)."""
    try:
        rows = dbapi_conn.execute("PRAGMA quick_check(20)").fetchall()
    except (sqlite3.DatabaseError, *_cipher_errors()) as exc:
        return False, str(exc)
    detail = "; ".join(str(r[0]) for r in rows)
    return detail == "ok", detail


def one_line(detail: str, limit: int = 160) -> str:
    """``integrity_check`` reports many lines; errors must stay one line, so keep the first problems."""
    lines = [ln.strip() for ln in detail.replace("; ", "\n").splitlines() if ln.strip() and not ln.startswith("***")]
    text_ = " / ".join(lines) if lines else detail.strip()
    return text_ if len(text_) <= limit else text_[:limit] + "…"


def damaged_error(where, detail: str) -> DatabaseError:
    """The one message for a database file that failed its integrity check."""
    return DatabaseError(
        f"数据库文件已损坏（完整性检查未通过：{one_line(detail)}），未写入任何内容；"
        f"请用备份恢复（growthdesk restore --force --db {where} 备份文件，或在程序中选择“恢复备份”）",
        f"the database file is damaged (integrity check failed: {one_line(detail)}); nothing was written. "
        f"Restore it from a backup (growthdesk restore --force --db {where} BACKUP, or Restore backup in the app)",
        field="db", value=str(where))


def _state(engine: Engine) -> tuple[str | None, set[str]]:
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        rev = None
        if "alembic_version" in tables:
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return rev, tables


def _sqlite_state_readonly(path: Path, key: bytes | None = None) -> tuple[str | None, set[str]]:
    """Look at a file without changing a byte (our engine would switch it to WAL first)."""
    con = connect_sqlite(path, key, readonly=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rev = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            rev = row[0] if row else None
    finally:
        con.close()
    return rev, tables


def _cipher_errors() -> tuple[type[BaseException], ...]:
    try:
        import sqlcipher3
        return (sqlcipher3.DatabaseError,)
    except ImportError:  # pragma: no cover
        return ()


def open_database(target: str | Path, *, create: bool = False, key: bytes | None = None,
                  kdf: keys.Kdf | None = None) -> Database:
    """Open (and migrate) a database. ``create`` allows making a new, empty one.

    ``key`` is the SQLCipher database key (see ``growthdesk.keys``; the app and the CLI get it
    from ``unlock_database``): required for an encrypted file, and with ``create`` a new file is
    made encrypted. ``kdf`` is the scrypt cost for passwords set through this database; leave it
    None (OWASP) except in tests."""
    url = to_url(target)
    path = sqlite_path(url)
    if path is not None:
        if not path.exists() and not create:
            raise DatabaseError(f"数据库文件不存在：{path}", f"database file not found: {path}", value=str(path))
        check_sqlite_file(path)
        encrypted = is_encrypted(path)
        if encrypted and key is None:
            raise DatabaseError("数据库已加密，请用账户和密码登录后打开（命令行：--user 和 GROWTHDESK_PASSWORD）",
                                "the database is encrypted: log in to open it (command line: --user and "
                                "GROWTHDESK_PASSWORD)", field="password", value=str(path))
        if key is not None and path.exists() and path.stat().st_size and not encrypted:
            raise DatabaseError("这是未加密的数据库，请先登录转换（unlock_database）",
                                "this database is not encrypted yet; log in to convert it (unlock_database)",
                                value=str(path))
        private_dir(path.parent)
        touch_private(path)
    elif key is not None:
        raise DatabaseError("加密只适用于 SQLite 数据库文件；PostgreSQL 请用磁盘加密和 TLS",
                            "encryption at rest applies to SQLite files; for PostgreSQL use disk encryption and TLS",
                            value=url)
    engine = make_engine(url, key)
    try:
        if path is not None and path.exists() and path.stat().st_size:
            rev, tables = _sqlite_state_readonly(path, key)
        else:
            rev, tables = _state(engine)
    except (SADatabaseError, sqlite3.DatabaseError, *_cipher_errors()) as exc:
        engine.dispose()
        if key is not None and "not a database" in str(exc).lower():
            raise DatabaseError("数据库密钥不对，或数据库文件已损坏", "the database key does not open this file, or the "
                                "file is damaged", field="password", value=url) from exc
        raise _as_database_error(exc, url) from exc
    if rev is None and tables - {"alembic_version"}:
        engine.dispose()
        raise DatabaseError("这不是 GrowthDesk 数据库（缺少版本信息）",
                            "this is not a GrowthDesk database (no schema version)", value=url)
    if rev is None and not create:
        engine.dispose()
        raise DatabaseError("数据库是空的，请先用 init-school 或 init-district 创建",
                            "the database is empty; create it with init-school or init-district", value=url)
    if rev is not None and rev not in _known_revisions():
        engine.dispose()
        raise DatabaseError(f"数据库由更新版本的 GrowthDesk 创建（版本 {rev}），请升级本软件",
                            f"the database was made by a newer GrowthDesk (schema {rev}); upgrade the app",
                            value=rev)
    if rev != head_revision():
        if path is not None and rev is not None:
            _backup_before_upgrade(engine, path, rev, key)
        try:
            migrate(engine)
        except OperationalError as exc:
            engine.dispose()
            raise _as_database_error(exc, url) from exc
    db = Database(url=url, engine=engine, key=key, kdf=kdf)
    db.reload_settings()
    if path is not None:
        tighten_sqlite(path)
    _freeze_long_lived()
    return db


def _freeze_long_lived() -> None:
    """What exists once a database is open is mostly for the whole process: SQLAlchemy, the
    mappers of every model, Qt's wrappers. Moved out of the garbage collector's generations
    (``gc.freeze``), a full collection during a command or a session walks only what was made
    since (each walk of everything took 50-80 ms: a roster import made two, the main window one).

    Once a process: what is frozen is never collected, so a later call (a test process opening
    thousands of databases) would keep whatever garbage happened to be waiting."""
    global _FROZEN
    if _FROZEN:
        return
    _FROZEN = True
    import gc
    gc.freeze()


_FROZEN = False


AUTOMATIC_BACKUPS_KEPT = 5


def _backup_before_upgrade(engine: Engine, path: Path, rev: str, key: bytes | None = None) -> None:
    """A newer version opens an older file: copy it before any migration touches it.

    No backup, no upgrade: a failed copy (disk full, damaged file) refuses to open."""
    from .backup import automatic_backup  # backup.py imports this module

    try:
        automatic_backup(path, keep=AUTOMATIC_BACKUPS_KEPT, key=key)
    except (OSError, sqlite3.Error, GrowthDeskError, *_cipher_errors()) as exc:
        engine.dispose()
        zh, en = (exc.zh, exc.en) if isinstance(exc, GrowthDeskError) else (str(exc), str(exc))
        raise DatabaseError(f"升级数据库（版本 {rev}）前无法备份，未做任何修改：{zh}",
                            f"could not back up the database (schema {rev}) before upgrading it; nothing was "
                            f"changed: {en}", value=str(path)) from exc


def migrate(engine: Engine) -> None:
    """Upgrade to head in ONE transaction, wholly or not at all.

    On SQLite the driver itself begins a transaction only before INSERT/UPDATE/DELETE, so the
    CREATE TABLE / DROP / RENAME steps of a migration each committed on their own: a process
    killed mid-migration left a half-migrated file still marked with the old revision (found
    by kill -9 runs, issue 13), which the next start could not migrate. Here the driver's own
    transaction handling is switched off and one explicit BEGIN IMMEDIATE covers everything."""
    from alembic import command

    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        return
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        old = raw.isolation_level
        raw.isolation_level = None  # autocommit at the driver: only our BEGIN/COMMIT count
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                command.upgrade(alembic_config(conn), "head")
                conn.exec_driver_sql("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error, SADatabaseError):
                    conn.exec_driver_sql("ROLLBACK")
                raise
            conn.commit()
        finally:
            raw.isolation_level = old


def current_revision(engine: Engine) -> str | None:
    return _state(engine)[0]


def as_database_error(exc: Exception, url: str = "") -> DatabaseError:
    """A driver error (SQLAlchemy or sqlite3) as the one-line bilingual reason users see."""
    orig = getattr(exc, "orig", None) or exc
    return _as_database_error(orig, url)


def _as_database_error(exc: Exception, url: str) -> DatabaseError:
    msg = str(exc).lower()
    if "locked" in msg:
        return DatabaseError("数据库正被其他程序占用，请稍后再试", "the database is locked by another program; try again later", value=url)
    if "not a database" in msg or "malformed" in msg:
        where = (sqlite_path(url) if "://" in url else None) or url or "…"
        return DatabaseError(f"数据库文件已损坏或不是 GrowthDesk 数据库；请用备份恢复（growthdesk restore --force --db {where} 备份文件）",
                             "the database file is damaged or not a GrowthDesk database; restore it from a backup "
                             f"(growthdesk restore --force --db {where} BACKUP)", field="db", value=url)
    return DatabaseError(f"无法打开数据库：{exc}", f"cannot open the database: {exc}", value=url)


def integrity_ok(path: Path, key: bytes | None = None) -> tuple[bool, str]:
    """``PRAGMA integrity_check`` on a file without opening it through the app."""
    try:
        con = connect_sqlite(path, key, readonly=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchall()
            if key is not None:
                result += [r for r in con.execute("PRAGMA cipher_integrity_check").fetchall()]
                result = [r for r in result if r[0] != "ok"] or [("ok",)]
        finally:
            con.close()
    except (sqlite3.DatabaseError, *_cipher_errors()) as exc:
        return False, str(exc)
    text_result = "; ".join(r[0] for r in result)
    return text_result == "ok", text_result


def write_settings(session: Session, values: dict[str, str]) -> None:
    for key, value in values.items():
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=str(value)))
        else:
            row.value = str(value)


__all__ = ["Database", "open_database", "quick_check", "damaged_error", "as_database_error", "to_url", "sqlite_path", "integrity_ok", "write_settings",
           "head_revision", "current_revision", "text"]
