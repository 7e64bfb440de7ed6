"""Accounts: scrypt password hashes, login, roles and which classes a user may see."""

from __future__ import annotations

import hashlib
import hmac
import os

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFoundError, PermissionDenied, ValidationError
from ..models import SchoolClass, TeachingAssignment, User, utcnow
from ..models.enums import ROLES, label
from ._common import bounded_text, get_live, live, required_text, vocab_code

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 17, 8, 1  # OWASP's scrypt parameters (growthdesk.keys.OWASP)
MIN_PASSWORD = 8
ALL_CLASSES_ROLES = ("school_admin", "district_staff")
# Verified against when the login is unknown, so a wrong login costs as much time as a wrong password.
_DUMMY_HASH = None


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def _session_kdf(s: Session | None):
    db = s.info.get("database") if s is not None else None
    return getattr(db, "kdf", None)


def hash_password(password: str, kdf=None) -> str:
    """``scrypt$n$r$p$salt_hex$hash_hex`` with a fresh 16-byte salt; OWASP's cost unless a test
    passes a cheaper ``kdf`` (``growthdesk.keys.Kdf``) explicitly. In an encrypted database the
    digest also wraps the account's key slot (``growthdesk.security``)."""
    n, r, p = (kdf.n, kdf.r, kdf.p) if kdf is not None else (SCRYPT_N, SCRYPT_R, SCRYPT_P)
    salt = os.urandom(16)
    digest = _scrypt(password, salt, n, r, p)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def _weaker_than_default(stored: str, kdf=None) -> bool:
    """Is the stored hash cheaper than what new passwords get (OWASP; a test database's ``kdf``)?"""
    n0, r0 = (kdf.n, kdf.r) if kdf is not None else (SCRYPT_N, SCRYPT_R)
    try:
        _, n, r, p, _, _ = stored.split("$")
        return int(n) < n0 or int(r) < r0
    except ValueError:
        return True


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = _scrypt(password, bytes.fromhex(salt_hex), int(n), int(r), int(p))
    except (ValueError, AttributeError):
        return False
    return hmac.compare_digest(digest.hex(), hash_hex)


COMMON_PASSWORDS = {"12345678", "123456789", "1234567890", "password", "password1", "11111111", "00000000",
                    "88888888", "66666666", "abcdefgh", "abc12345", "qwertyui", "iloveyou", "a1234567", "admin123",
                    "aa123456", "qq123456", "1qaz2wsx", "woaini1314", "abcd1234", "12341234", "87654321"}


def password_problem(password, login: str = "") -> tuple[str, str] | None:
    """Why a new password is too weak (zh, en), or None: at least 8 characters, not the login,
    not a common password, not one or two characters repeated."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        return (f"密码至少 {MIN_PASSWORD} 位", f"the password needs at least {MIN_PASSWORD} characters")
    low = password.lower()
    if login and low == str(login).lower():
        return ("密码不能与登录名相同", "the password cannot be the login")
    if low in COMMON_PASSWORDS or len(set(password)) <= 2:
        return ("这个密码太常见，容易被猜到", "this password is too common and easy to guess")
    return None


def _check_password(password, login: str = "") -> str:
    problem = password_problem(password, login)
    if problem:
        raise ValidationError(problem[0], problem[1], field="password")
    return password


def create_user(s: Session, login, display_name, role, password, *, must_change: bool = False,
                password_hash: str | None = None) -> User:
    """A new account. ``must_change``: the password is an initial one handed out on paper; the
    log-in asks for a new one before anything else. ``password_hash``: ``hash_password(password)``
    made beforehand (bulk imports hash on several cores at once; tests check the two agree)."""
    login = required_text(login, "login", "登录名", 64).lower()
    display_name = required_text(display_name, "display_name", "姓名", 50)
    role = vocab_code(ROLES, role, "role", "角色")
    _check_password(password, login)
    if s.scalar(select(User).where(func.lower(User.login) == login)) is not None:
        raise ValidationError(f"登录名已存在：{login}", f"login already exists: {login}", field="login", value=login)
    user = User(login=login, display_name=display_name, role=role,
                password_hash=password_hash or hash_password(password, _session_kdf(s)),
                must_change_password=bool(must_change))
    s.add(user)
    s.flush()
    return user


def get_user(s: Session, user_id: str) -> User:
    user = s.get(User, user_id)
    if user is None:
        raise NotFoundError(f"找不到用户：{user_id}", f"user not found: {user_id}", field="user_id", value=user_id)
    return user


def find_user(s: Session, login: str) -> User | None:
    return s.scalar(select(User).where(func.lower(User.login) == str(login or "").strip().lower()))


def list_users(s: Session, include_inactive: bool = False) -> list[User]:
    q = select(User).order_by(User.login)
    if not include_inactive:
        q = q.where(User.active.is_(True))
    return list(s.scalars(q))


def authenticate(s: Session, login, password, kdf=None) -> User:
    """The user, or one constant error for a wrong login or password. Inactive users are refused.

    A wrong password for a known login is counted (``failed_logins``, and the audit log shows
    it) and *committed* before the error is raised, so the count survives the rollback the
    error causes: call this in a session of its own, as the login dialog does."""
    global _DUMMY_HASH
    user = find_user(s, login)
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password("not-a-password")
        verify_password(str(password), _DUMMY_HASH)
        ok = False
    else:
        ok = verify_password(str(password), user.password_hash)
    if not ok:
        if user is not None:
            user.failed_logins = (user.failed_logins or 0) + 1
            s.commit()
        raise ValidationError("登录名或密码错误", "wrong login or password", field="password")
    if not user.active:
        raise ValidationError("该账户已停用，请联系学校管理员", "this account is deactivated; ask the school admin",
                              field="login", value=user.login)
    user.failed_logins = 0
    user.last_login_at = utcnow()
    kdf = kdf if kdf is not None else _session_kdf(s)
    if _weaker_than_default(user.password_hash, kdf):  # an older, cheaper hash is upgraded on login
        user.password_hash = hash_password(str(password), kdf)  # an older, cheaper hash is upgraded on login
    s.flush()
    return user


def login_unlocked(s: Session, login, password, kdf=None) -> User:
    """The login of an encrypted database, whose key slot the password has just opened (the
    slot is wrapped by the account's scrypt digest, so that was the password check)."""
    user = find_user(s, login)
    if user is None or not user.active:
        raise ValidationError("该账户已停用，请联系学校管理员", "this account is deactivated; ask the school admin",
                              field="login", value=login)
    user.failed_logins = 0
    user.last_login_at = utcnow()
    kdf = kdf if kdf is not None else _session_kdf(s)
    if _weaker_than_default(user.password_hash, kdf):  # an older, cheaper hash is upgraded on login
        user.password_hash = hash_password(str(password), kdf)
    s.flush()
    return user


def set_password(s: Session, user_id: str, password: str, *, must_change: bool = False) -> User:
    """An admin sets (resets) a password; with ``must_change`` the user picks their own at next log-in."""
    user = get_user(s, user_id)
    user.password_hash = hash_password(_check_password(password, user.login), _session_kdf(s))
    user.must_change_password = bool(must_change)
    s.flush()
    return user


def change_own_password(s: Session, user_id: str, old: str, new: str, confirm: str | None = None) -> User:
    """A user replaces their password (at first log-in: the initial one from the slip).

    The old password must be right, the new one differ from it and be repeated the same."""
    user = get_user(s, user_id)
    if not verify_password(str(old or ""), user.password_hash):
        raise ValidationError("原密码不正确", "the current password is wrong", field="old_password")
    _check_password(new, user.login)
    if confirm is not None and new != confirm:
        raise ValidationError("两次输入的新密码不一致", "the new passwords differ", field="confirm")
    if new == old:
        raise ValidationError("新密码不能与原密码相同", "the new password must differ from the current one",
                              field="password")
    user.password_hash = hash_password(new, _session_kdf(s))
    user.must_change_password = False
    s.flush()
    return user


def update_user(s: Session, user_id: str, *, display_name=None, role=None) -> User:
    user = get_user(s, user_id)
    if display_name is not None:
        user.display_name = required_text(display_name, "display_name", "姓名", 50)
    if role is not None:
        user.role = vocab_code(ROLES, role, "role", "角色")
    s.flush()
    return user


def deactivate_user(s: Session, user_id: str) -> User:
    user = get_user(s, user_id)
    user.active = False
    s.flush()
    return user


def activate_user(s: Session, user_id: str) -> User:
    user = get_user(s, user_id)
    user.active = True
    s.flush()
    return user


def assign_class(s: Session, user_id: str, class_id: str, subject: str = "") -> TeachingAssignment:
    user = get_user(s, user_id)
    cls = get_live(s, SchoolClass, class_id, "班级", "class", "class_id")
    subject = bounded_text(subject, "subject", "任教学科", 20)
    existing = s.scalar(select(TeachingAssignment).where(TeachingAssignment.user_id == user.id,
                                                         TeachingAssignment.class_id == cls.id,
                                                         TeachingAssignment.subject == subject))
    if existing is not None:
        return existing
    row = TeachingAssignment(user_id=user.id, class_id=cls.id, subject=subject)
    s.add(row)
    s.flush()
    return row


def unassign_class(s: Session, user_id: str, class_id: str, subject: str | None = None) -> None:
    q = select(TeachingAssignment).where(TeachingAssignment.user_id == user_id, TeachingAssignment.class_id == class_id)
    if subject is not None:
        q = q.where(TeachingAssignment.subject == subject)
    for row in s.scalars(q):
        s.delete(row)
    s.flush()


def visible_class_ids(s: Session, user: User) -> set[str]:
    """Admins and district staff see every class; teachers and advisers their assigned and advised ones."""
    if user.role in ALL_CLASSES_ROLES:
        return set(s.scalars(select(SchoolClass.id).where(SchoolClass.deleted.is_(False))))
    assigned = set(s.scalars(select(TeachingAssignment.class_id).where(TeachingAssignment.user_id == user.id)))
    advised = set(s.scalars(select(SchoolClass.id).where(SchoolClass.adviser_user_id == user.id)))
    live_ids = set(s.scalars(live(SchoolClass).with_only_columns(SchoolClass.id)
                             .where(SchoolClass.id.in_(assigned | advised))))
    return live_ids


def require_role(user: User | None, *roles: str) -> User:
    if user is None or user.role not in roles:
        need_zh = "、".join(label(ROLES, r) for r in roles)
        need_en = ", ".join(label(ROLES, r, "en") for r in roles)
        raise PermissionDenied(f"此操作需要以下角色：{need_zh}", f"this action needs one of the roles: {need_en}",
                               field="role", value=None if user is None else user.role)
    return user
