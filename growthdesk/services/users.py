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

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
MIN_PASSWORD = 6
ALL_CLASSES_ROLES = ("school_admin", "district_staff")
# Verified against when the login is unknown, so a wrong login costs as much time as a wrong password.
_DUMMY_HASH = None


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt_hex$hash_hex`` with a fresh 16-byte salt."""
    salt = os.urandom(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = _scrypt(password, bytes.fromhex(salt_hex), int(n), int(r), int(p))
    except (ValueError, AttributeError):
        return False
    return hmac.compare_digest(digest.hex(), hash_hex)


def _check_password(password) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少 {MIN_PASSWORD} 位", f"the password needs at least {MIN_PASSWORD} characters",
                              field="password")
    return password


def create_user(s: Session, login, display_name, role, password) -> User:
    login = required_text(login, "login", "登录名", 64).lower()
    display_name = required_text(display_name, "display_name", "姓名", 50)
    role = vocab_code(ROLES, role, "role", "角色")
    _check_password(password)
    if s.scalar(select(User).where(func.lower(User.login) == login)) is not None:
        raise ValidationError(f"登录名已存在：{login}", f"login already exists: {login}", field="login", value=login)
    user = User(login=login, display_name=display_name, role=role, password_hash=hash_password(password))
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


def authenticate(s: Session, login, password) -> User:
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
    s.flush()
    return user


def set_password(s: Session, user_id: str, password: str) -> User:
    user = get_user(s, user_id)
    user.password_hash = hash_password(_check_password(password))
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
