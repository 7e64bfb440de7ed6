"""Teachers' accounts in bulk (教师账户批量导入) from an .xlsx/.csv: parse and check → preview →
apply in one transaction → printed slips with each new teacher's initial password.

Columns: 工号 (the login), 姓名, 任教班级 (one or more classes of the school year, e.g.
``初一(1)班、初一(2)班``), 任教学科 (one or more subjects: every listed class gets each), 是否班主任
(是/否, or the class the teacher advises when they teach several). The sheet is the truth for
the teachers it lists: their teaching assignments and adviser class of that school year become
what the sheet says. Teachers not in the sheet, and other school years, are left alone;
nothing is deleted. New accounts get a random initial password that must be changed at the
first log-in (``User.must_change_password``); existing accounts keep their password.

Follows ``sheets.roster``: same reader, header finder, cleaning and error report; the preview
writes nothing, apply checks the file is the one previewed (SHA-256) and writes every good
row in one transaction or none.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import GrowthDeskError, ValidationError
from ..models import SchoolClass, TeachingAssignment, User
from ..services import users as user_svc
from ..services.names import class_label, parse_class_label
from .cleaning import CellError, clean_code, clean_text
from .headers import Column, Header
from .report import RowIssue, write_error_report
from .roster import _is_blank, default_school_year, file_sha256

ACCOUNT_COLUMNS = [
    Column("login", "工号", ("工号", "教师工号", "职工号", "教职工号", "工作证号", "登录名", "账号", "账户"),
           required=True),
    Column("name", "姓名", ("姓名", "教师姓名", "名字"), required=True),
    Column("classes", "任教班级", ("任教班级", "所教班级", "任课班级", "班级")),
    Column("subjects", "任教学科", ("任教学科", "任课学科", "学科", "任教科目", "科目")),
    Column("adviser", "是否班主任", ("是否班主任", "班主任", "是否为班主任")),
]

LOGIN_RE = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,63}")
SPLIT = re.compile(r"[,，、;；/\s]+")
YES = {"是", "Y", "YES", "1", "√", "✓", "TRUE", "对"}
NO = {"", "否", "不是", "N", "NO", "0", "×", "FALSE", "无"}
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no l/1, o/0: read off paper without doubt
PASSWORD_LENGTH = 8
MAX_SHOWN = 2000
ADMIN_ROLES = ("school_admin", "district_staff")


def initial_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


@dataclass
class AccountRow:
    row: int
    login: str
    name: str
    classes: list[tuple[int, int]]       # (grade, class_no), in sheet order
    subjects: list[str]                  # "" when the sheet gives none
    adviser_of: tuple[int, int] | None


@dataclass
class Slip:
    """What one teacher's printed slip says (the password exists only here and on paper)."""

    login: str
    name: str
    password: str
    classes: str = ""


@dataclass
class AccountPreview:
    path: Path
    sha256: str
    sheet: str
    header_row: int
    columns: dict[str, str]
    school_year: int
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)   # one per new/updated teacher
    rows: list[AccountRow] = field(default_factory=list, repr=False)  # the good rows, for apply
    error_row_numbers: set[int] = field(default_factory=set, repr=False)

    @property
    def issue_count(self) -> int:
        return len(self.issues)

    @property
    def importable(self) -> int:
        return self.new + self.updated

    def summary(self, lang: str = "zh_CN") -> str:
        if lang.startswith("zh"):
            return (f"共 {self.total} 位教师：新建账户 {self.new}，更新 {self.updated}，无变化 {self.unchanged}，"
                    f"有错误 {self.error_rows}")
        return (f"{self.total} teachers: {self.new} new accounts, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.error_rows} with errors")

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "sheet": self.sheet, "header_row": self.header_row, "columns": self.columns,
                "school_year": self.school_year, "total": self.total, "new": self.new, "updated": self.updated,
                "unchanged": self.unchanged, "errors": self.error_rows,
                "issues": [i.to_dict() for i in self.issues], "changes": self.changes}


@dataclass
class AccountResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    slips: list[Slip] = field(default_factory=list, repr=False)
    slips_path: str | None = None   # where the caller saved them, if it did

    def to_dict(self) -> dict[str, Any]:
        """Counts and logins; never the passwords (they go on the slips only)."""
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": self.skipped, "new_logins": [s.login for s in self.slips]}


# ------------------------------------------------------------------------------ parsing a row


def _issue(header: Header, r: int, key: str, zh: str, en: str) -> RowIssue:
    col = header.index.get(key)
    return RowIssue(row=r, column=header.label(key) if col is not None else "", col_index=col, zh=zh, en=en)


def _class_list(text: str, header: Header, r: int, key: str, issues: list[RowIssue]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for part in (p for p in SPLIT.split(text) if p):
        try:
            gc = parse_class_label(part)
        except GrowthDeskError as exc:
            issues.append(_issue(header, r, key, exc.zh, exc.en))
            continue
        if gc not in out:
            out.append(gc)
    return out


def parse_row(header: Header, r: int, values: tuple) -> tuple[AccountRow | None, list[RowIssue]]:
    issues: list[RowIssue] = []
    try:
        login = clean_code(header.get(values, "login"), "工号", "staff number").lower()
    except CellError as exc:
        issues.append(_issue(header, r, "login", exc.zh, exc.en))
        login = ""
    if not login and not any(i.column == header.label("login") for i in issues):
        issues.append(_issue(header, r, "login", "请填写工号（即登录名）", "the staff number (login) is required"))
    elif login and not LOGIN_RE.fullmatch(login):
        issues.append(_issue(header, r, "login", f"工号只能由字母、数字、“-”“_”“.”组成（最多 64 位）：{login}",
                             f"a staff number may only hold letters, digits, '-', '_', '.' (at most 64): {login!r}"))
    name = clean_text(header.get(values, "name"))
    if not name:
        issues.append(_issue(header, r, "name", "请填写姓名", "the name is required"))
    elif len(name) > 50:
        issues.append(_issue(header, r, "name", "姓名过长（最多 50 字）", "the name is too long (at most 50)"))
    classes = _class_list(clean_text(header.get(values, "classes")), header, r, "classes", issues)
    subjects = []
    for part in (p for p in SPLIT.split(clean_text(header.get(values, "subjects"))) if p):
        if len(part) > 20:
            issues.append(_issue(header, r, "subjects", f"学科名称过长（最多 20 字）：{part[:20]}…",
                                 "a subject name is too long (at most 20 characters)"))
        elif part not in subjects:
            subjects.append(part)
    adviser_of = _adviser(clean_text(header.get(values, "adviser")), classes, header, r, issues)
    if issues:
        return None, issues
    return AccountRow(r, login, name, classes, subjects or [""], adviser_of), []


def _adviser(text: str, classes: list[tuple[int, int]], header: Header, r: int,
             issues: list[RowIssue]) -> tuple[int, int] | None:
    flag = text.upper()
    if flag in NO:
        return None
    if flag in YES:
        if len(classes) == 1:
            return classes[0]
        if not classes:
            issues.append(_issue(header, r, "adviser", "班主任要有所带班级：请在“任教班级”填写，或在本列写班级，如 初一(3)班",
                                 "an adviser needs a class: fill in the classes taught, or write the class here, "
                                 "e.g. 初一(3)班"))
        else:
            issues.append(_issue(header, r, "adviser", "任教多个班级：请在本列写明担任班主任的班级，如 初一(3)班",
                                 "several classes are taught: write the class this teacher advises here, "
                                 "e.g. 初一(3)班"))
        return None
    found = _class_list(text, header, r, "adviser", [])
    if len(found) == 1:
        return found[0]
    issues.append(_issue(header, r, "adviser", f"无法识别：{text}（应为 是、否，或班级如 初一(3)班）",
                         f"not understood: {text!r} (是, 否, or a class such as 初一(3)班)"))
    return None


# ------------------------------------------------------------------------------ reading


def _source(path: Path):
    """The first sheet with a 工号/姓名 header (the roster reader's streaming opener)."""
    from contextlib import contextmanager

    from .headers import find_header
    from .reader import iter_sheets

    @contextmanager
    def opened():
        digest = file_sha256(path)
        _opened, sheets = iter_sheets(path)
        first_error = None
        try:
            for sheet in sheets:
                try:
                    header = find_header(sheet.rows, ACCOUNT_COLUMNS, sheet=sheet.name, what_zh="教师名单",
                                         what_en="teacher list")
                except ValidationError as exc:
                    if first_error is None or (exc.row is not None and first_error.row is None):
                        first_error = exc
                    continue
                yield sheet.name, header, sheet.rows, digest
                return
        finally:
            sheets.close()
        raise first_error or ValidationError("文件中没有工作表", "the file has no worksheet", field="file",
                                             value=str(path))
    return opened()


def _data_rows(header: Header, rows):
    repeat = (header.label("login"), header.label("name"))
    for r, values in rows:
        if _is_blank(values):
            continue
        login, name = clean_text(header.get(values, "login")), clean_text(header.get(values, "name"))
        if not login and not name:
            continue  # notes under the table
        if (login, name) == repeat:
            continue  # the header again
        yield r, values


# ------------------------------------------------------------------------------ the database


class _State:
    """Users, classes of the year, assignments and advisers, read once."""

    def __init__(self, s: Session, year: int) -> None:
        self.users = {u.login.lower(): u for u in s.scalars(select(User))}
        self.classes = {(c.grade, c.class_no): c for c in s.scalars(
            select(SchoolClass).where(SchoolClass.deleted.is_(False), SchoolClass.school_year == year))}
        by_id = {c.id: key for key, c in self.classes.items()}
        self.assigned: dict[str, set[tuple[tuple[int, int], str]]] = defaultdict(set)
        self.assignment_rows: dict[tuple[str, tuple[int, int], str], TeachingAssignment] = {}
        for a in s.scalars(select(TeachingAssignment).where(TeachingAssignment.class_id.in_(list(by_id)))):
            self.assigned[a.user_id].add((by_id[a.class_id], a.subject))
            self.assignment_rows[(a.user_id, by_id[a.class_id], a.subject)] = a
        self.advises: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for key, c in self.classes.items():
            if c.adviser_user_id:
                self.advises[c.adviser_user_id].add(key)


def _role(row: AccountRow, user: User | None) -> str:
    if user is not None and user.role in ADMIN_ROLES:
        return user.role  # an administrator who also teaches stays an administrator
    return "adviser" if row.adviser_of else "teacher"


def _wanted(row: AccountRow) -> set[tuple[tuple[int, int], str]]:
    return {(gc, subject) for gc in row.classes for subject in row.subjects}


def _labels(keys) -> str:
    return "、".join(class_label(g, c) for g, c in sorted(keys))


def _diff(row: AccountRow, user: User, st: _State) -> list[str]:
    """What applying the row changes for an existing account (in Chinese, for the preview)."""
    out = []
    if user.display_name != row.name:
        out.append(f"姓名：{user.display_name} → {row.name}")
    role = _role(row, user)
    if user.role != role:
        from ..models.enums import ROLES, label
        out.append(f"角色：{label(ROLES, user.role)} → {label(ROLES, role)}")
    if not user.active:
        out.append("重新启用账户")
    have, want = st.assigned.get(user.id, set()), _wanted(row)
    if have != want:
        added, removed = want - have, have - want
        if added:
            out.append("增加任教：" + "、".join(_pair(p) for p in sorted(added)))
        if removed:
            out.append("取消任教：" + "、".join(_pair(p) for p in sorted(removed)))
    advised = st.advises.get(user.id, set())
    target = {row.adviser_of} if row.adviser_of else set()
    if advised != target:
        out.append("班主任：" + (_labels(advised) or "无") + " → " + (_labels(target) or "无"))
    return out


def _pair(p: tuple[tuple[int, int], str]) -> str:
    (g, c), subject = p
    return class_label(g, c) + (f"（{subject}）" if subject else "")


# ------------------------------------------------------------------------------ preview


def preview_accounts(db, path: str | Path, *, school_year: int | None = None) -> AccountPreview:
    """Check every row and compare with the database. Writes nothing."""
    path = Path(path)
    year = school_year or default_school_year()
    issues: list[RowIssue] = []
    with _source(path) as (sheet, header, rows, digest), db.session() as s:
        pv = AccountPreview(path=path, sha256=digest, sheet=sheet, header_row=header.row,
                            columns={k: header.label(k) for k in header.index}, school_year=year)
        st = _State(s, year)
        parsed: list[tuple[int, AccountRow | None, list[RowIssue]]] = []
        for r, values in _data_rows(header, rows):
            row, row_issues = parse_row(header, r, values)
            if row is not None:
                row_issues = _check_classes(header, row, st)
                if row_issues:
                    row = None
            parsed.append((r, row, row_issues))
        _cross_checks(header, parsed, st)
        for r, row, row_issues in parsed:
            pv.total += 1
            if row is None:
                pv.error_rows += 1
                pv.error_row_numbers.add(r)
                issues.extend(row_issues)
                continue
            pv.rows.append(row)
            user = st.users.get(row.login)
            if user is None:
                pv.new += 1
                pv.changes.append({"row": r, "login": row.login, "name": row.name, "kind": "new",
                                   "role": _role(row, None), "what": [_summary_of(row)]})
                continue
            diff = _diff(row, user, st)
            if diff:
                pv.updated += 1
                pv.changes.append({"row": r, "login": row.login, "name": row.name, "kind": "updated",
                                   "role": _role(row, user), "what": diff})
            else:
                pv.unchanged += 1
        s.rollback()
    pv.issues = sorted(issues, key=lambda i: (i.row, i.col_index or 0))[:MAX_SHOWN]
    return pv


def _summary_of(row: AccountRow) -> str:
    parts = []
    if row.classes:
        subjects = "、".join(x for x in row.subjects if x)
        parts.append("任教 " + _labels(row.classes) + (f"（{subjects}）" if subjects else ""))
    if row.adviser_of:
        parts.append("班主任 " + class_label(*row.adviser_of))
    return "；".join(parts) or "不任教班级"


def _check_classes(header: Header, row: AccountRow, st: _State) -> list[RowIssue]:
    out = []
    missing = [gc for gc in row.classes if gc not in st.classes]
    if missing:
        out.append(_issue(header, row.row, "classes", f"本学年没有这个班级：{_labels(missing)}（请先导入学生名单）",
                          f"no such class this school year: {_labels(missing)} (import the roster first)"))
    if row.adviser_of and row.adviser_of not in st.classes:
        out.append(_issue(header, row.row, "adviser", f"本学年没有这个班级：{class_label(*row.adviser_of)}",
                          f"no such class this school year: {class_label(*row.adviser_of)}"))
    existing = st.users.get(row.login)
    if existing is not None and existing.role == "district_staff":
        out.append(_issue(header, row.row, "login", f"工号 {row.login} 是区教育局账户，不能在这里修改",
                          f"login {row.login} is a district account and cannot be changed here"))
    return out


def _cross_checks(header: Header, parsed: list, st: _State) -> None:
    """A 工号 on two rows, or two advisers for one class: none of those rows is taken."""
    by_login: dict[str, list[int]] = defaultdict(list)
    by_class: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (_r, row, _issues) in enumerate(parsed):
        if row is not None:
            by_login[row.login].append(i)
            if row.adviser_of:
                by_class[row.adviser_of].append(i)
    bad: dict[int, RowIssue] = {}
    for login, idxs in by_login.items():
        if len(idxs) > 1:
            for i in idxs:
                others = "、".join(str(parsed[j][0]) for j in idxs if j != i)
                bad[i] = _issue(header, parsed[i][0], "login", f"工号 {login} 与第 {others} 行重复，这些行都未导入",
                                f"the staff number {login} also appears on row(s) {others}; none was imported")
    for gc, idxs in by_class.items():
        if len(idxs) > 1:
            for i in idxs:
                others = "、".join(str(parsed[j][0]) for j in idxs if j != i)
                bad.setdefault(i, _issue(header, parsed[i][0], "adviser",
                                         f"{class_label(*gc)}的班主任在第 {others} 行也有填写，一个班只能有一位班主任",
                                         f"row(s) {others} name another adviser of {class_label(*gc)}; a class has "
                                         "one adviser"))
    for i, issue in bad.items():
        r, _row, issues = parsed[i]
        parsed[i] = (r, None, issues + [issue])


# ------------------------------------------------------------------------------ apply


def apply_accounts(db, preview: AccountPreview, *, user: str = "", progress=None,
                   before_commit=None) -> AccountResult:
    """Write the good rows in one transaction; new accounts get initial passwords (in the
    result's ``slips``, for printing) that must be changed at first log-in.

    ``before_commit(result)`` runs inside the transaction once every row is written (the slips
    PDF is written there): if it fails, nothing is imported, so no account exists whose initial
    password nobody has."""
    if file_sha256(preview.path) != preview.sha256:
        raise ValidationError("文件在预览之后被修改过，请重新预览后再导入",
                              "the file changed after the preview; preview it again before importing",
                              field="file", value=str(preview.path))
    result = AccountResult(skipped=preview.error_rows)
    with db.session(user=user or "account-import") as s:
        st = _State(s, preview.school_year)
        new_rows = [r for r in preview.rows if r.login not in st.users]
        total = len(new_rows) + len(preview.rows)
        initial = _initial_passwords(new_rows, (lambda n, _t: progress(n, total)) if progress else None)
        for n, row in enumerate(preview.rows, start=1):
            try:
                _apply_row(s, row, st, result, initial)
            except GrowthDeskError as exc:
                raise ValidationError(f"第 {row.row} 行未能导入：{exc.zh}；整个导入已撤销，数据库未改变",
                                      f"row {row.row} could not be imported: {exc.en}; the whole import was rolled "
                                      "back, the database is unchanged", field=exc.field, row=row.row,
                                      column=preview.columns.get(exc.field or ""), value=exc.value) from exc
            if progress:
                progress(len(new_rows) + n, total)
        if before_commit is not None:
            before_commit(result)
    return result


def _initial_passwords(rows: list[AccountRow], progress=None) -> dict[str, tuple[str, str]]:
    """login -> (initial password, its scrypt hash), hashed on every core: scrypt is most of an
    import's time (100 teachers: 100 hashes) and hashlib releases the GIL while it works."""
    import os
    from concurrent.futures import ThreadPoolExecutor
    passwords = {r.login: initial_password() for r in rows}
    out: dict[str, tuple[str, str]] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(8, os.cpu_count() or 1))) as pool:
        for n, (login, hashed) in enumerate(zip(passwords, pool.map(user_svc.hash_password, passwords.values())), 1):
            out[login] = (passwords[login], hashed)
            if progress:
                progress(n, len(passwords))
    return out


def _apply_row(s: Session, row: AccountRow, st: _State, result: AccountResult,
               initial: dict[str, tuple[str, str]]) -> None:
    existing = st.users.get(row.login)
    if existing is None:
        password, hashed = initial[row.login]
        u = user_svc.create_user(s, row.login, row.name, _role(row, None), password, must_change=True,
                                 password_hash=hashed)
        st.users[row.login] = u
        result.created += 1
        classes = _labels(row.classes)
        result.slips.append(Slip(row.login, row.name, password, classes))
        changed = True
    else:
        u = existing
        changed = bool(_diff(row, u, st))
        if u.display_name != row.name:
            u.display_name = row.name
        role = _role(row, u)
        if u.role != role:
            u.role = role
        if not u.active:
            u.active = True
    have, want = st.assigned.get(u.id, set()), _wanted(row)
    for (gc, subject) in have - want:
        s.delete(st.assignment_rows.pop((u.id, gc, subject)))
    for (gc, subject) in sorted(want - have):
        s.add(TeachingAssignment(user_id=u.id, class_id=st.classes[gc].id, subject=subject))
    st.assigned[u.id] = want
    target = row.adviser_of
    for gc in st.advises.get(u.id, set()) - ({target} if target else set()):
        cls = st.classes[gc]
        cls.adviser_user_id = None
        cls.adviser_name = ""
    if target:
        cls = st.classes[target]
        if cls.adviser_user_id != u.id or cls.adviser_name != row.name:
            previous = cls.adviser_user_id
            cls.adviser_user_id = u.id
            cls.adviser_name = row.name
            if previous and previous != u.id:
                st.advises[previous].discard(target)
    st.advises[u.id] = {target} if target else set()
    s.flush()
    if existing is not None:
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1


# ------------------------------------------------------------------------------ report, template


def write_account_report(preview: AccountPreview, out: str | Path) -> Path:
    """The rows that would not be (or were not) taken, with reasons, under the file's header."""
    by_row: dict[int, list[RowIssue]] = defaultdict(list)
    for issue in preview.issues:
        by_row[issue.row].append(issue)
    with _source(preview.path) as (_sheet, header, rows, _digest):
        bad = [(r, values, by_row.get(r, [])) for r, values in _data_rows(header, rows)
               if r in preview.error_row_numbers]
        return write_error_report(out, header.texts, bad, title="未导入的行")


TEMPLATE_HEADERS = ["工号", "姓名", "任教班级", "任教学科", "是否班主任"]
TEMPLATE_NOTE = ("说明：在“教师名单”工作表填写，每位教师一行。工号即登录名；任教班级可写多个，用顿号分开，如 初一(1)班、初一(2)班；任教学科同理；"
                 "是否班主任填 是 或 否，任教多个班级的班主任请直接写所带班级，如 初一(3)班。"
                 "新账户的初始密码打印在账户条上，首次登录须修改。")


def write_account_template(out: str | Path, db=None) -> Path:
    """An empty teacher list with the five columns, two example rows and a note."""
    from .writer import write_table_workbook
    examples = [["T001", "王老师", "初一(1)班", "语文", "是"],
                ["T002", "李老师", "初一(1)班、初一(2)班", "数学", "否"],
                ["T003", "赵老师", "初一(2)班、初一(3)班", "英语", "初一(3)班"],
                [TEMPLATE_NOTE, "", "", "", ""]]
    # The first sheet is the one read; the examples sit on the second, so they are never imported.
    return write_table_workbook(out, [("教师名单", TEMPLATE_HEADERS, []), ("填写示例", TEMPLATE_HEADERS, examples)])


def import_accounts(db, path: str | Path, *, user: str = "", school_year: int | None = None):
    pv = preview_accounts(db, path, school_year=school_year)
    return pv, apply_accounts(db, pv, user=user)


def count_users(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(User)) or 0


__all__ = ["ACCOUNT_COLUMNS", "AccountPreview", "AccountResult", "Slip", "preview_accounts", "apply_accounts",
           "write_account_report", "write_account_template", "import_accounts", "initial_password"]
