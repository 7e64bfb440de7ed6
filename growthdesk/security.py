"""Opening a database with a login: unlock, convert a plain file, recovery key, lockout.

``unlock_database(target, login, password)`` is the one way the app and the CLI open a
database:
- an **encrypted** SQLite file: the login's key slot (key file beside the database) gives the
  database key, which opens it (one scrypt: unwrapping the slot is the password check);
- a **plain** SQLite file (made by an older version): the password is checked against the
  account, then the file is converted to SQLCipher after the automatic backup, and the plain
  backups beside it are encrypted too;
- PostgreSQL: the password is checked against the account (the server's own disk encryption and
  TLS protect it; see ``db.check_postgres_url``).
Failed attempts are counted per login in ``<db>.lockout`` beside the file; after 3, each further
try waits longer (5 s, 10 s, 20 s … at most 15 minutes): never a permanent lock that someone
could trigger to keep a teacher out. The file is authenticated with a key from the key file and
must exist: deleting or editing it makes every login wait (``TAMPER_FAILURES``), so it is no reset.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlalchemy is imported where used: the log-in dialog shows before it loads
    from sqlalchemy.orm import Session


from . import keys
from .errors import DatabaseError, ValidationError

LOCKOUT_FREE_TRIES = 3
LOCKOUT_FIRST_DELAY = 5.0
LOCKOUT_MAX_DELAY = 15 * 60.0


# ---------------------------------------------------------------- keeping the key file current


def install(db) -> None:
    """Rewrite the key file after any commit that changed an account (new, password, removed)."""
    from sqlalchemy import event

    def after_flush(session: Session, _ctx) -> None:
        from .models import User
        if any(isinstance(o, User) for o in (*session.new, *session.dirty, *session.deleted)):
            session.info["accounts_changed"] = True

    def after_commit(session: Session) -> None:
        if session.info.pop("accounts_changed", False) and db.key is not None:
            refresh_keyfile(db)

    event.listen(db._factory, "after_flush", after_flush)
    event.listen(db._factory, "after_commit", after_commit)


def _slot_from_hash(db_key: bytes, login: str, password_hash: str) -> dict | None:
    """An account's slot: the database key wrapped under the account's scrypt digest (its salt
    and cost are the password hash's), so the slot and the hash always change together."""
    try:
        scheme, n, r, p, salt_hex, hash_hex = password_hash.split("$")
    except (ValueError, AttributeError):
        return None
    if scheme != "scrypt":
        return None
    kdf = keys.Kdf(int(n), int(r), int(p))
    return keys.make_slot(db_key, login, "", kdf, _derived=(bytes.fromhex(salt_hex), bytes.fromhex(hash_hex)))


def account_slots(db) -> list[dict]:
    """One slot per active account (a deactivated or removed account has none)."""
    from sqlalchemy import select

    from .models import User
    with db._factory() as s:
        rows = s.execute(select(User.login, User.password_hash).where(User.active.is_(True))).all()
    return [slot for login, ph in rows if (slot := _slot_from_hash(db.key, login, ph)) is not None]


_KEEP = object()


def refresh_keyfile(db, *, enrollment=_KEEP) -> Path | None:
    """Write ``<db>.keys`` from the accounts and the recovery slot (an encrypted SQLite file only).

    A new workstation's temporary enrollment slot (``enrollment``, else the one the key file has)
    is kept only while the database has no account slot: the first write with the accounts'
    slots (their arrival from the hub commits through the ORM, see ``install``) drops it, and
    this PC's copy of the enrollment secret is removed with it."""
    path = db.path
    if path is None or db.key is None:
        return None
    from sqlalchemy import select

    from .models import Setting
    with db._factory() as s:
        rec = s.get(Setting, "recovery_slot")
        settings = {r.key: r.value for r in s.scalars(select(Setting))}
    slots = account_slots(db)
    try:
        old = keys.read_keyfile(path) or {}
    except DatabaseError:
        old = {}
    previous = old.get("enrollment") if isinstance(old.get("enrollment"), dict) else None
    temporary = previous if enrollment is _KEEP else enrollment
    if slots:
        temporary = None
    public = {"school_name": settings.get("school_name", ""), "district_name": settings.get("district_name", ""),
              "kind": settings.get("kind", ""), "demo_login": settings.get("demo_login", ""),
              "node_role": settings.get("node_role", ""), "node_id": settings.get("node_id", ""),
              "waiting_for_accounts": "1" if temporary else ""}
    written = keys.write_keyfile(path, slots, json.loads(rec.value) if rec else None, public, enrollment=temporary)
    for gone in (previous, enrollment if isinstance(enrollment, dict) else None):
        if gone and (temporary is None or gone.get("id") != temporary.get("id")):
            forget_enrollment_secret(gone)
    return written


# ---------------------------------------------------------------- a new workstation, before its accounts

def enrollment_store() -> Path:
    """This PC's copies of enrollment secrets of workstations still waiting for their accounts:
    ``<data folder>/enrollment/``, a 0700 folder of 0600 files, one per waiting workstation."""
    from .fileperms import private_dir
    from .paths import data_dir
    return private_dir(data_dir() / "enrollment")


def _secret_file(slot: dict) -> Path:
    slot_id = "".join(ch for ch in str(slot.get("id", "")) if ch in "0123456789abcdef")
    return enrollment_store() / f"{slot_id or 'none'}.json"


def keep_enrollment_secret(slot: dict, secret: str) -> Path:
    from .fileperms import private_file
    path = _secret_file(slot)
    tmp = path.with_name(path.name + ".tmp")
    with private_file(tmp) as fh:
        fh.write(json.dumps({"node_id": slot.get("node_id", ""), "enrollment_secret": secret}).encode("utf-8"))
    os.replace(tmp, path)
    return path


def forget_enrollment_secret(slot: dict) -> None:
    try:
        _secret_file(slot).unlink(missing_ok=True)
    except OSError:
        pass  # a read-only data folder: the secret opens nothing once its slot is gone


def _kept_secret(slot: dict) -> str | None:
    try:
        doc = json.loads(_secret_file(slot).read_text(encoding="utf-8"))
        return str(doc["enrollment_secret"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def begin_enrollment(db, secret: str, node_id: str) -> dict:
    """A new (or re-enrolled) workstation that has no accounts yet: the key file gets a temporary
    slot under the setup file's enrollment secret, and this PC keeps the secret
    (``enrollment_store``) so ``sync`` can open the database until the accounts arrive."""
    slot = keys.make_enrollment_slot(db.key, secret, node_id)
    keep_enrollment_secret(slot, secret)
    try:
        refresh_keyfile(db, enrollment=slot)
    except BaseException:
        forget_enrollment_secret(slot)
        raise
    return slot


def enrollment_slot(target: str | Path) -> dict | None:
    """The temporary slot of a workstation still waiting for its accounts, or None."""
    from .dbfile import file_path
    path = file_path(target)
    if path is None:
        return None
    try:
        doc = keys.read_keyfile(path) or {}
    except DatabaseError:
        return None
    slot = doc.get("enrollment")
    return slot if isinstance(slot, dict) and not doc.get("slots") else None


def waiting_for_accounts(target: str | Path) -> bool:
    from .dbfile import file_path, is_encrypted
    path = file_path(target)
    return path is not None and is_encrypted(path) and enrollment_slot(path) is not None


def open_waiting_workstation(target: str | Path, *, setup: str | Path | dict | None = None,
                             kdf: keys.Kdf | None = None):
    """Open a workstation that has no accounts yet (so nobody can log in) with its enrollment
    secret: from ``setup`` (the workstation setup file) when given, else this PC's kept copy.
    For its sync rounds only; once the accounts are there, only a login opens it."""
    from .db import open_database
    slot = enrollment_slot(target)
    if slot is None:
        raise ValidationError("这个工作站已有账户：请用账户和密码登录（命令行：--user 和 GROWTHDESK_PASSWORD）",
                              "this workstation has its accounts: log in (command line: --user and "
                              "GROWTHDESK_PASSWORD)", field="user")
    if setup is not None:
        from .setup import read_workstation_setup
        secret = read_workstation_setup(setup)["enrollment_secret"]
    else:
        secret = _kept_secret(slot)
        if secret is None:
            raise ValidationError("本机没有保存这个工作站的加入密钥：请选择学校管理员生成的工作站设置文件"
                                  "（命令行：sync --setup 设置文件）",
                                  "this PC does not keep this workstation's enrollment secret: give its workstation "
                                  "setup file (command line: sync --setup FILE)", field="setup")
    key = keys.open_enrollment_slot(slot, secret)
    if key is None:
        raise ValidationError("这个设置文件不属于这个工作站（或已被重新生成）",
                              "this setup file is not this workstation's (or it was re-issued since)", field="setup")
    db = open_database(target, key=key, kdf=kdf)
    if account_slots(db):
        # The accounts are here but the key file was not rewritten (a crash right after the
        # import's commit): their slots replace the temporary one now.
        try:
            refresh_keyfile(db)
        except BaseException:
            db.close()
            raise
    elif setup is not None and _kept_secret(slot) is None:
        keep_enrollment_secret(slot, secret)  # the next rounds need the file no more
    return db


class LockedDatabase:
    """An encrypted database file before anyone logged in: what the login dialog may show
    (the school's name, the demo login) from its key file, and ``unlock``."""

    encrypted = True

    def __init__(self, target: str | Path) -> None:
        from .dbfile import file_path, to_url
        self.url = to_url(target)
        self.path = file_path(target)
        doc = keys.read_keyfile(self.path) or {}
        self.settings = {k: str(v) for k, v in (doc.get("public") or {}).items() if v}

    @property
    def kind(self) -> str:
        return self.settings.get("kind", "")

    @property
    def waiting(self) -> bool:
        """A workstation that has no accounts yet (opened with its enrollment secret, no login)."""
        return enrollment_slot(self.path) is not None if self.path is not None else False

    def close(self) -> None:
        pass


# ---------------------------------------------------------------- lockout


def _lockout_path(target: str | Path) -> Path | None:
    from .db import sqlite_path, to_url
    path = sqlite_path(to_url(target))
    return None if path is None else Path(str(path) + ".lockout")


# The lockout file of an encrypted database is authenticated (HMAC-SHA256 with ``lockout_key`` from
# the key file) and must exist once the key file has that key: a deleted, emptied or hand-edited
# file counts as a run of failures (TAMPER_FAILURES: a wait of some minutes for every login,
# written back so that it ends), so removing it never gives an attacker more tries. The system
# cannot tell a restored older copy of both files from a real one; whoever can write the folder
# can also copy the database away, which the per-account scrypt makes slow to attack.
TAMPER_FAILURES = LOCKOUT_FREE_TRIES + 6  # 5 s · 2^6 = 320 s
_ALL = "*"


def _lockout_key(path: Path | None) -> bytes | None:
    if path is None:
        return None
    import base64
    try:
        doc = keys.read_keyfile(Path(str(path)[:-len(".lockout")])) or {}
    except DatabaseError:
        return None
    raw = doc.get("lockout_key")
    return base64.b64decode(raw) if raw else None


def _mac(key: bytes, entries: dict) -> str:
    import hashlib
    import hmac
    body = json.dumps(entries, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def start_lockout_file(db_path: Path, lockout_key: str) -> None:
    """A new, empty authenticated lockout file (when the key file gets its ``lockout_key``)."""
    import base64
    _write_lockout(Path(str(db_path) + ".lockout"), {}, base64.b64decode(lockout_key))


def _read_lockout(path: Path | None, now: float | None = None) -> dict:
    """{login: {"failures", "until"}}; ``"*"`` applies to every login (a tampered file)."""
    if path is None:
        return {}
    key = _lockout_key(path)
    if key is None:  # a plain database, or a key file from before the authenticated lockout
        if not path.is_file():
            return {}
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return doc if isinstance(doc, dict) else {}
        except (OSError, ValueError):
            return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        entries = doc["entries"]
        import hmac
        if isinstance(entries, dict) and hmac.compare_digest(str(doc.get("mac", "")), _mac(key, entries)):
            return entries
    except (OSError, ValueError, KeyError, TypeError):
        pass
    # missing or edited: everyone waits, from now on (written back, so the wait ends)
    now = time.time() if now is None else now
    entries = {_ALL: {"failures": TAMPER_FAILURES, "until": now + lockout_delay(TAMPER_FAILURES), "tampered": True}}
    if not _write_lockout(path, entries, key):
        return {}  # a read-only folder: no lockout can be kept there; never a permanent lock
    return entries


def _write_lockout(path: Path | None, doc: dict, key: bytes | None = None) -> bool:
    if path is None:
        return False
    from .fileperms import private_file
    key = key if key is not None else _lockout_key(path)
    body = {"entries": doc, "mac": _mac(key, doc)} if key is not None else doc
    try:
        tmp = path.with_name(path.name + ".tmp")
        with private_file(tmp) as fh:
            fh.write(json.dumps(body).encode("utf-8"))
        os.replace(tmp, path)
        return True
    except OSError:
        return False  # a read-only folder must not stop a login


def lockout_delay(failures: int) -> float:
    """Seconds to wait before the next try after ``failures`` wrong passwords in a row."""
    if failures < LOCKOUT_FREE_TRIES:
        return 0.0
    return min(LOCKOUT_FIRST_DELAY * 2 ** (failures - LOCKOUT_FREE_TRIES), LOCKOUT_MAX_DELAY)


def _check_lockout(path: Path | None, login: str, now: float) -> None:
    doc = _read_lockout(path, now)
    waits = [(float(e.get("until", 0)) - now, bool(e.get("tampered"))) for e in (doc.get(login), doc.get(_ALL)) if e]
    wait, tampered = max(waits, default=(0.0, False))
    if wait > 0:
        secs = int(wait + 0.999)
        if tampered:
            raise ValidationError(f"登录失败记录被删除或改动过，为安全起见请 {secs} 秒后再试",
                                  f"the record of failed logins was deleted or edited; try again in {secs} s",
                                  field="password", value=secs)
        raise ValidationError(f"密码错误次数过多，请 {secs} 秒后再试", f"too many wrong passwords; try again in {secs} s",
                              field="password", value=secs)


def _record_failure(path: Path | None, login: str, now: float) -> None:
    doc = _read_lockout(path, now)
    failures = max(int((doc.get(login) or {}).get("failures", 0)), int((doc.get(_ALL) or {}).get("failures", 0))) + 1
    doc[login] = {"failures": failures, "until": now + lockout_delay(failures)}
    _write_lockout(path, doc)


def _clear_failures(path: Path | None, login: str) -> None:
    doc = _read_lockout(path)
    if login in doc or _ALL in doc:
        doc.pop(login, None)
        doc.pop(_ALL, None)  # the right password: the tamper wait is over too
        _write_lockout(path, doc)


# ---------------------------------------------------------------- unlock


def _wrong() -> ValidationError:
    return ValidationError("用户名或密码错误", "wrong login or password", field="password")


def unlock_database(target: str | Path, login: str, password: str, *, kdf: keys.Kdf | None = None,
                    convert: bool = True, now: float | None = None):
    """Open ``target`` as ``login``: returns the open ``Database`` with ``db.login`` and
    ``db.user_id`` set. A plain SQLite file is converted to an encrypted one (``convert``)."""
    from .db import is_encrypted, open_database, sqlite_path, to_url
    from .services import users

    login = str(login or "").strip().lower()
    if not login:
        raise ValidationError("请输入登录名", "enter your login", field="login")
    now = time.time() if now is None else now
    lock = _lockout_path(target)
    _check_lockout(lock, login, now)
    path = sqlite_path(to_url(target))
    if path is not None and is_encrypted(path):
        key = keys.unlock_key(path, login, password)
        if key is None:
            _record_failure(lock, login, now)
            raise _wrong()
        db = open_database(target, key=key, kdf=kdf)
        try:
            with db.session(user=login) as s:
                user = users.login_unlocked(s, login, password, kdf=kdf)
        except BaseException:
            db.close()
            raise
    else:
        db = open_database(target, kdf=kdf)
        failed = None
        try:
            with db.session(user=login) as s:
                try:
                    user = users.authenticate(s, login, password, kdf=kdf)
                except ValidationError as exc:
                    failed = exc
        except BaseException:
            db.close()
            raise
        if failed is not None:
            db.close()
            if "wrong login" in failed.en:
                _record_failure(lock, login, now)
            raise failed
        if path is not None and convert:
            db = encrypt_plain_database(db)
    _clear_failures(lock, login)
    db.login, db.user_id = user.login, user.id
    if db.key is not None:
        try:  # accounts that arrived by sync (rows written without the ORM) get their slots now
            refresh_keyfile(db)
        except OSError:
            pass  # a read-only folder: the key file stays as it was; the database is open
    return db


def open_with_recovery_key(target: str | Path, recovery_key: str, *, kdf: keys.Kdf | None = None):
    """Open an encrypted database with its recovery key (a forgotten admin password): the
    admin then sets a new password (``users.set_password``)."""
    from .db import open_database, sqlite_path, to_url
    path = sqlite_path(to_url(target))
    key = keys.unlock_with_recovery(path, recovery_key) if path is not None else None
    if key is None:
        raise ValidationError("恢复密钥不对", "the recovery key does not open this database", field="recovery_key")
    db = open_database(target, key=key, kdf=kdf)
    db.login = "recovery"
    return db


def recovery_key(db) -> str:
    """The recovery key, for an admin to print again."""
    from .models import Setting
    if db.key is None:
        raise ValidationError("数据库未加密，没有恢复密钥", "the database is not encrypted; it has no recovery key",
                              field="recovery_key")
    with db._factory() as s:
        row = s.get(Setting, "recovery_key_sealed")
        if row is None:
            raise ValidationError("没有保存恢复密钥", "no recovery key is stored", field="recovery_key")
        return keys.unseal_recovery_key(db.key, row.value)


def _store_recovery(db, recovery: str) -> None:
    from .db import write_settings
    with db.session(user="system") as s:
        write_settings(s, {"recovery_slot": json.dumps(keys.make_recovery_slot(db.key, recovery)),
                           "recovery_key_sealed": keys.seal_recovery_key(db.key, recovery)})


def new_recovery_key(db) -> str:
    """Make a new recovery key (the old one stops working); shown once, re-printable."""
    recovery = keys.new_recovery_key()
    _store_recovery(db, recovery)
    refresh_keyfile(db)
    return recovery


# ---------------------------------------------------------------- encrypt a plain file


def _checkpoint_plain(path: Path) -> None:
    con = sqlite3.connect(path, timeout=10)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def export_encrypted(src: Path, dst: Path, key: bytes, *, src_key: bytes | None = None) -> None:
    """Copy the SQLite file ``src`` into a new SQLCipher file ``dst`` under ``key``."""
    from .db import connect_sqlite
    from .fileperms import touch_private
    dst.unlink(missing_ok=True)
    touch_private(dst)
    dst.unlink()  # sqlcipher_export needs a fresh file; the 0600 mode is set again below
    con = connect_sqlite(src, src_key) if src_key is not None else None
    if con is None:
        from .db import _sqlcipher_module
        con = _sqlcipher_module().connect(str(src), timeout=10)
    try:
        con.execute(f"ATTACH DATABASE ? AS enc KEY \"x'{key.hex()}'\"", (str(dst),))
        con.execute("SELECT sqlcipher_export('enc')")
        version = con.execute("PRAGMA user_version").fetchone()[0]
        con.execute(f"PRAGMA enc.user_version = {int(version)}")
        con.execute("DETACH DATABASE enc")
    finally:
        con.close()
    from .fileperms import tighten
    tighten(dst)


def encrypt_plain_database(db, *, recovery: str | None = None):
    """Convert an open plain SQLite database to SQLCipher, in place; returns the reopened one.

    First the automatic backup (plain, as every upgrade makes); then the file is exported into
    an encrypted copy, checked, and swapped in; then the plain automatic backups beside it are
    encrypted with the same key, so no plain copy of the school stays on the disk. The recovery
    key is made here (``db.recovery_key_shown`` holds it for the one-time display)."""
    from .backup import automatic_backup, encrypt_backups
    from .db import AUTOMATIC_BACKUPS_KEPT, integrity_ok, open_database
    path, kdf = db.path, db.kdf
    if path is None or db.key is not None:
        return db
    db.close()
    automatic_backup(path, keep=AUTOMATIC_BACKUPS_KEPT)
    _checkpoint_plain(path)
    key = keys.new_database_key()
    tmp = path.with_name(path.name + ".encrypting")
    try:
        export_encrypted(path, tmp, key)
        ok, detail = integrity_ok(tmp, key)
        if not ok:
            raise DatabaseError(f"加密后的数据库未通过完整性检查：{detail[:120]}", "the encrypted copy failed its "
                                f"integrity check: {detail[:120]}", value=str(path))
        # The key (wrapped by the recovery slot and the accounts' slots) must exist before the swap.
        recovery = recovery or keys.new_recovery_key()
        keys.write_keyfile(path, [], keys.make_recovery_slot(key, recovery))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    new = open_database(path, key=key, kdf=kdf)
    _store_recovery(new, recovery)
    refresh_keyfile(new)
    new.recovery_key_shown = recovery
    encrypt_backups(path, key)
    from .services.evidence import seal_plain_files
    seal_plain_files(new)
    return new


def create_encrypted(target: str | Path, *, kdf: keys.Kdf | None = None):
    """A new, empty encrypted database file (migrated) with its key file; for init-*."""
    from .db import open_database, sqlite_path, to_url
    path = sqlite_path(to_url(target))
    if path is None:
        return open_database(target, create=True, kdf=kdf)
    key = keys.new_database_key()
    keys.write_keyfile(path, [], None)
    db = open_database(target, create=True, key=key, kdf=kdf)
    return db


def finish_encrypted_setup(db, *, recovery: str | None = None) -> str | None:
    """After init: the recovery key (returned, to show once) and the key file with the slots."""
    if db.key is None:
        return None
    recovery = recovery or keys.new_recovery_key()
    _store_recovery(db, recovery)
    refresh_keyfile(db)
    return recovery


__all__ = ["unlock_database", "open_with_recovery_key", "recovery_key", "new_recovery_key", "encrypt_plain_database",
           "create_encrypted", "finish_encrypted_setup", "refresh_keyfile", "account_slots", "lockout_delay",
           "export_encrypted", "begin_enrollment", "open_waiting_workstation", "waiting_for_accounts",
           "enrollment_slot", "enrollment_store"]
