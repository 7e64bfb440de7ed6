"""Student accounts, made in bulk from the roster; the initial passwords go on printed slips.

A student account (role ``student``) belongs to one student (``app_user.student_id``) and sees
only that student's portfolio and records (``review.require_student_access``). Logins are
``s`` + the school year, grade, class number and the student's place in the class by name
(``s2025070312``), never the 学籍号. Passwords are random, 8 characters, without look-alikes;
they are returned once (for the slips) and only their scrypt hash is kept.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import PermissionDenied, ValidationError
from ..models import SchoolClass, Student, User
from . import review
from ._common import get_live, live
from .names import class_label
from .users import hash_password

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no i, l, o, 0, 1


@dataclass
class Slip:
    student_id: str
    name: str
    class_label: str
    login: str
    password: str


def new_password(n: int = 8) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def _require_admin_or_adviser(s: Session, cls: SchoolClass) -> None:
    user = review.current_user(s)
    if user is None or user.role == "school_admin" or cls.adviser_user_id == user.id:
        return
    raise PermissionDenied("只有学校管理员或班主任可以生成学生账户", "only a school admin or the class adviser makes "
                           "student accounts", field="role", value=user.role)


def create_student_accounts(s: Session, class_ids, *, reset: bool = False) -> list[Slip]:
    """One account for each enrolled student of the classes who has none (``reset``: new
    passwords for those who have one). Returns the slips, in class and name order."""
    ids = list(class_ids or [])
    if not ids:
        raise ValidationError("请选择班级", "choose at least one class", field="class_ids")
    existing = {u.student_id: u for u in s.scalars(select(User).where(User.student_id.is_not(None)))}
    taken = set(s.scalars(select(func.lower(User.login))))
    slips: list[Slip] = []
    for class_id in ids:
        cls = get_live(s, SchoolClass, class_id, "班级", "class", "class_id")
        _require_admin_or_adviser(s, cls)
        label = class_label(cls.grade, cls.class_no)
        studs = list(s.scalars(live(Student).where(Student.class_id == cls.id, Student.status == "enrolled")
                               .order_by(Student.name_pinyin, Student.name, Student.id)))
        for n, st in enumerate(studs, start=1):
            password = new_password()
            user = existing.get(st.id)
            if user is not None:
                if not reset:
                    continue
                user.password_hash, user.active, user.failed_logins = hash_password(password), True, 0
                slips.append(Slip(st.id, st.name, label, user.login, password))
                continue
            base = f"s{cls.school_year}{cls.grade:02d}{cls.class_no:02d}"
            k = n
            while f"{base}{k:02d}" in taken:
                k += 1
            login = f"{base}{k:02d}"
            taken.add(login)
            s.add(User(login=login, display_name=st.name[:50], role="student", student_id=st.id,
                       password_hash=hash_password(password)))
            slips.append(Slip(st.id, st.name, label, login, password))
    s.flush()
    return slips


def slips_pdf(slips: list[Slip], out, school_name: str = "") -> int:
    """Cut-apart slips (2 × 5 on an A4 page): name, class, login, initial password. Returns pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from ..reports.fonts import FONT_NAME, draw_string, register_reportlab_font

    register_reportlab_font()
    c = Canvas(str(out), pagesize=A4, initialFontName=FONT_NAME)
    c.setTitle("学生账户初始密码")
    w, h = A4
    cols, rows = 2, 5
    cw, ch = (w - 20 * mm) / cols, (h - 24 * mm) / rows
    pages = 0
    for i, slip in enumerate(slips):
        if i % (cols * rows) == 0:
            if i:
                c.showPage()
            pages += 1
        k = i % (cols * rows)
        x, y = 10 * mm + (k % cols) * cw, h - 12 * mm - (k // cols + 1) * ch
        c.setDash(3, 3)
        c.rect(x, y, cw, ch)
        c.setDash()
        lines = [(school_name or "GrowthDesk 学生成长档案", 10), (f"{slip.class_label}  {slip.name}", 13),
                 (f"登录名：{slip.login}", 12), (f"初始密码：{slip.password}", 12),
                 ("请妥善保管，勿告诉他人；忘记密码请找班主任重新生成。", 8.5)]
        ty = y + ch - 12 * mm
        for text, size in lines:
            draw_string(c, x + 8 * mm, ty, text, size)
            ty -= size + 9
    if not slips:
        draw_string(c, 20 * mm, h - 30 * mm, "没有需要生成账户的学生。", 12)
        pages = 1
    c.save()
    return pages
