"""Roster import (学籍名单) from .xlsx/.csv: parse and validate → preview → apply on confirmation.

``preview_roster`` reads the file once, checks every row with the student services' own
validators and compares it with the database (new / updated / unchanged / error) without
writing anything. ``apply_roster`` writes the good rows in **one** transaction: students are
matched by national student number, classes are created as needed (``create_class``), nothing
is ever deleted. It uses the rows the preview kept, or for a long file reads it again — the
same file, checked by SHA-256. New students, edits and class moves are written per chunk of
500 rows rather than one service call (and flush) per row; tests pin them to what
``create_student`` / ``update_student`` / ``move_student`` store. ``write_roster_report``
writes the rows that were not taken. Reading streams in chunks, so memory stays flat: beyond
the kept rows a row costs the preview 13 bytes (a hash for duplicates, row number, outcome).
"""

from __future__ import annotations

import contextlib
import hashlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import GrowthDeskError, ValidationError
from ..models import Enrollment, SchoolClass, Student, new_uuid
from ..services import students as student_svc
from ..services._common import setting, today
from ..services.names import (class_label, cn_number, first_grade_of_stage, parse_class_label, parse_grade,
                              school_year_of, stage_for_grade)
from .bulk import check_new_allowed, insert_created
from .cleaning import CellError, clean_code, clean_header, clean_text, parse_date, parse_gender, parse_year
from .headers import Column, Header, find_header
from .reader import iter_sheets
from .report import RowIssue, write_error_report

ROSTER_COLUMNS = [
    Column("national_student_no", "学籍号", ("学籍号", "全国学籍号", "学生学籍号", "国家学籍号", "全国学籍号码",
                                           "学籍号码", "学籍编号", "全国中小学生学籍号", "学生全国学籍号"), required=True),
    Column("name", "姓名", ("姓名", "学生姓名", "名字"), required=True),
    Column("gender", "性别", ("性别", "学生性别"), required=True),
    Column("birth_date", "出生日期", ("出生日期", "出生年月", "生日", "出生年月日", "出生时间")),
    Column("grade", "年级", ("年级", "年级名称", "当前年级", "所在年级", "现年级")),
    Column("class", "班级", ("班级", "班级名称", "班号", "所在班级", "班", "班级号", "现班级"), required=True),
    Column("entry_year", "入学年份", ("入学年份", "入学年度", "入学年月", "入学时间", "入学日期", "入学年")),
    Column("class_seq", "学号", ("学号", "座号", "班内学号", "班级学号", "学生学号", "座位号", "班内序号")),
]
FIELD_LABELS = {c.key: c.label_zh for c in ROSTER_COLUMNS}
CHUNK = 500
KEEP_ROWS = 20_000  # rows a preview keeps for apply (~0.4 KB each); longer files are read twice
MAX_SHOWN_ISSUES = 2000   # kept for the preview screen; the report lists every bad row
MAX_SHOWN_CHANGES = 500
NEW, UPDATED, UNCHANGED, ERROR = 1, 2, 3, 0

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class RosterRow:
    row: int
    no: str
    name: str
    gender: str
    birth_date: date | None
    grade: int
    class_no: int
    entry_year: int | None
    class_seq: str = ""  # 学号/座号; '' where the file has none


@dataclass
class RosterPreview:
    """What importing the file would do. Nothing has been written when you hold one."""

    path: Path
    sha256: str
    sheet: str
    header_row: int
    columns: dict[str, str]                # field -> header text in the file
    school_year: int
    total: int = 0                         # data rows (blank rows not counted)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    issues: list[RowIssue] = field(default_factory=list)   # first MAX_SHOWN_ISSUES, by row
    issue_count: int = 0
    duplicate_rows: frozenset[int] = frozenset()
    new_classes: list[str] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # first updated rows: what changes
    # The checked rows of a file up to ``keep_rows`` long, so applying need not read it again;
    # None for a longer file (kept flat in memory: apply then streams the file a second time).
    kept: list[RosterRow] | None = field(default=None, repr=False)

    @property
    def importable(self) -> int:
        return self.new + self.updated

    def summary(self, lang: str = "zh_CN") -> str:
        if lang.startswith("zh"):
            text = (f"共 {self.total} 行：新增 {self.new}，更新 {self.updated}，无变化 {self.unchanged}，"
                    f"有错误 {self.error_rows}")
            if self.new_classes:
                text += f"；将新建班级：{'、'.join(self.new_classes)}"
            return text
        return (f"{self.total} rows: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.error_rows} with errors" + (f"; new classes: {', '.join(self.new_classes)}"
                                                    if self.new_classes else ""))

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "sheet": self.sheet, "header_row": self.header_row,
                "columns": self.columns, "school_year": self.school_year, "total": self.total,
                "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "errors": self.error_rows, "issue_count": self.issue_count,
                "issues": [i.to_dict() for i in self.issues], "new_classes": self.new_classes,
                "changes": self.changes}


@dataclass
class RosterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    classes_created: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": self.skipped, "classes_created": self.classes_created}


# ------------------------------------------------------------------------------ parsing a row


def _issue(header: Header, r: int, key: str, zh: str, en: str) -> RowIssue:
    col = header.index.get(key)
    return RowIssue(row=r, column=header.label(key) if col is not None else "", col_index=col, zh=zh, en=en)


def _from_service(exc: GrowthDeskError) -> tuple[str, str]:
    return exc.zh, exc.en


def parse_row(header: Header, r: int, values: tuple) -> tuple[RosterRow | None, list[RowIssue]]:
    """Clean and check one row. Returns the row (None if unusable) and every problem in it."""
    issues: list[RowIssue] = []

    def fail(key: str, zh: str, en: str) -> None:
        issues.append(_issue(header, r, key, zh, en))

    no = _student_no(header, values, fail)
    name = clean_text(header.get(values, "name"))
    if not name:
        fail("name", "请填写姓名", "name is required")
    elif len(name) > 50:
        fail("name", "姓名过长（最多 50 字）", "name is too long (at most 50 characters)")
    gender = _cell(header, values, "gender", parse_gender, fail)
    birth = _cell(header, values, "birth_date", lambda v: parse_date(v, allow_month=True), fail)
    if birth is not None:
        birth = _service_check(student_svc._check_birth_date, birth, "birth_date", fail)
    entry_year = _cell(header, values, "entry_year", parse_year, fail)
    if entry_year is not None:
        entry_year = _service_check(student_svc._check_entry_year, entry_year, "entry_year", fail)
    grade, class_no = _grade_and_class(header, values, fail)
    seq = ""
    if "class_seq" in header.index:
        seq = _service_check(student_svc.clean_class_seq, header.get(values, "class_seq"), "class_seq", fail) or ""
    if issues:
        return None, issues
    return RosterRow(r, no, name, gender, birth, grade, class_no, entry_year, seq), issues


def _cell(header: Header, values: tuple, key: str, parse, fail):
    if key not in header.index:
        return None
    try:
        return parse(header.get(values, key))
    except CellError as exc:
        fail(key, exc.zh, exc.en)
        return None


def _service_check(check, value, key: str, fail):
    # The services' own checks, so a row the preview accepts cannot fail when applied.
    try:
        return check(value)
    except ValidationError as exc:
        fail(key, exc.zh, exc.en)
        return None


def _student_no(header: Header, values: tuple, fail) -> str:
    raw = header.get(values, "national_student_no")
    try:
        text = clean_code(raw, "学籍号", "national student number")
    except CellError as exc:
        fail("national_student_no", exc.zh, exc.en)
        return ""
    if not text:
        fail("national_student_no", "请填写学籍号", "national student number is required")
        return ""
    try:
        return student_svc.validate_national_student_no(text)
    except ValidationError as exc:
        fail("national_student_no", *_from_service(exc))
        return ""


def _class_number(text: str) -> int | None:
    """3 / 3班 / (3)班 / 三班 → 3."""
    t = text.replace("(", "").replace(")", "").removesuffix("班").strip()
    n = cn_number(t)
    return n if n is not None and 1 <= n <= 99 else None


def _grade_and_class(header: Header, values: tuple, fail) -> tuple[int, int]:
    class_text = clean_text(header.get(values, "class"))
    grade_text = clean_text(header.get(values, "grade")) if "grade" in header.index else ""
    grade = None
    if grade_text:
        try:
            grade = parse_grade(grade_text)
        except ValidationError as exc:
            fail("grade", *_from_service(exc))
            return 0, 0
    if not class_text:
        fail("class", "请填写班级", "class is required")
        return 0, 0
    class_no = _class_number(class_text)
    if class_no is not None:
        if grade is None:
            fail("grade" if "grade" in header.index else "class",
                 f"缺少年级：班级“{class_text}”没有写年级，请填写年级或写成“初一(3)班”",
                 f"the grade is missing: class {class_text!r} has no grade; fill in the grade or write 初一(3)班")
            return 0, 0
        return grade, class_no
    try:
        label_grade, class_no = parse_class_label(class_text)
    except ValidationError as exc:
        fail("class", *_from_service(exc))
        return 0, 0
    if grade is not None and grade != label_grade:
        fail("class", f"班级“{class_text}”与年级“{grade_text}”不一致",
             f"class {class_text!r} does not match grade {grade_text!r}")
        return 0, 0
    return label_grade, class_no


# --------------------------------------------------------------------------- reading the file


@dataclass
class _Source:
    sheet: str
    header: Header
    rows: Iterator[tuple[int, tuple]]
    sha256: str


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


@contextlib.contextmanager
def open_source(path: Path) -> Iterator[_Source]:
    """The first sheet with a roster header, its rows continuing after the header. The
    workbook stays open (streaming) until the ``with`` block ends."""
    digest = file_sha256(path)
    _opened, sheets = iter_sheets(path)
    first_error: ValidationError | None = None
    try:
        for sheet in sheets:
            try:
                header = find_header(sheet.rows, ROSTER_COLUMNS, sheet=sheet.name, what_zh="学生名单",
                                     what_en="roster")
            except ValidationError as exc:
                # A complaint about a real header with a missing column beats "nothing found".
                if first_error is None or (exc.row is not None and first_error.row is None):
                    first_error = exc
                continue
            yield _Source(sheet.name, header, sheet.rows, digest)
            return
    finally:
        sheets.close()
    raise first_error or ValidationError("文件中没有工作表", "the file has no worksheet", field="file",
                                         value=str(path))


def _is_blank(values: tuple) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _chunks(header: Header, rows: Iterator[tuple[int, tuple]]) -> Iterator[list[tuple[int, tuple]]]:
    chunk: list[tuple[int, tuple]] = []
    repeat = (clean_header(header.label("national_student_no")), clean_header(header.label("name")))
    for r, values in rows:
        if _is_blank(values):
            continue
        no_text, name_text = clean_text(header.get(values, "national_student_no")), clean_text(header.get(values, "name"))
        if not no_text and not name_text:
            continue  # notes such as "制表人：" under the table: neither a number nor a name
        if (clean_header(no_text), clean_header(name_text)) == repeat:
            continue  # the header again: exports split into pages repeat it
        chunk.append((r, values))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ------------------------------------------------------------------------ comparing with the db


class _Classes:
    """Live classes of the database, by id and by (school year, grade, class number)."""

    def __init__(self, s: Session) -> None:
        self.by_id: dict[str, SchoolClass] = {}
        self.by_key: dict[tuple[int, int, int], SchoolClass] = {}
        for c in s.scalars(select(SchoolClass).where(SchoolClass.deleted.is_(False))):
            self.add(c)

    def add(self, c: SchoolClass) -> None:
        self.by_id[c.id] = c
        self.by_key[(c.school_year, c.grade, c.class_no)] = c

    def key_of(self, class_id: str | None) -> tuple[int, int, int] | None:
        c = self.by_id.get(class_id) if class_id else None
        return (c.school_year, c.grade, c.class_no) if c else None


def _existing(s: Session, nos: list[str]) -> dict[str, Student]:
    if not nos:
        return {}
    q = select(Student).where(Student.deleted.is_(False), Student.national_student_no.in_(nos))
    return {st.national_student_no: st for st in s.scalars(q)}


def _diff(st: Student, row: RosterRow, key: tuple[int, int, int], classes: _Classes) -> dict[str, Any]:
    """Fields the file changes. Empty optional cells never blank what the database has."""
    changes: dict[str, Any] = {}
    if st.name != row.name:
        changes["name"] = row.name
    if st.gender != row.gender:
        changes["gender"] = row.gender
    if row.birth_date is not None and st.birth_date != row.birth_date:
        changes["birth_date"] = row.birth_date
    if row.entry_year is not None and st.entry_year != row.entry_year:
        changes["entry_year"] = row.entry_year
    if row.class_seq and st.class_seq != row.class_seq:
        changes["class_seq"] = row.class_seq
    if classes.key_of(st.class_id) != key:
        changes["class"] = key
    return changes


# ------------------------------------------------------------------------------------ preview


def default_school_year(on: date | None = None) -> int:
    return school_year_of(on or today())


def preview_roster(db, path: str | Path, *, school_year: int | None = None, progress: Progress | None = None,
                   check: Callable[[], None] | None = None, keep_rows: int = KEEP_ROWS) -> RosterPreview:
    """Parse and validate ``path`` and compare it with the database. Writes nothing.

    Up to ``keep_rows`` checked rows are kept for ``apply_roster`` (a few hundred bytes each);
    a longer file is not kept, so memory stays flat and apply reads the file again."""
    path = Path(path)
    year = school_year or default_school_year()
    hashes, rows_of, outcome = array("Q"), array("I"), array("b")
    shown: list[RowIssue] = []
    with contextlib.ExitStack() as stack, db.session() as s:
        classes = _Classes(s)
        src = stack.enter_context(open_source(path))
        pv = RosterPreview(path=path, sha256=src.sha256, sheet=src.sheet, header_row=src.header.row,
                           columns={k: src.header.label(k) for k in src.header.index}, school_year=year)
        new_classes: set[tuple[int, int]] = set()
        kept: list[RosterRow] | None = []
        for chunk in _chunks(src.header, src.rows):
            if check:
                check()
            parsed = [(r, *parse_row(src.header, r, values)) for r, values in chunk]
            existing = _existing(s, [p.no for _r, p, _i in parsed if p is not None])
            for r, row, issues in parsed:
                pv.total += 1
                if row is None:
                    pv.error_rows += 1
                    pv.issue_count += len(issues)
                    if len(shown) < MAX_SHOWN_ISSUES:
                        shown.extend(issues)
                    continue
                kind = _classify(pv, row, existing.get(row.no), classes, year, new_classes)
                if kept is not None:
                    kept = kept if len(kept) < keep_rows else None
                    if kept is not None:
                        kept.append(row)
                hashes.append(hash(row.no) & 0xFFFFFFFFFFFFFFFF)
                rows_of.append(r)
                outcome.append(kind)
            if progress:
                progress(pv.total, 0)
        s.rollback()  # nothing was changed; make sure nothing is
    pv.kept = kept
    _mark_duplicates(pv, hashes, rows_of, outcome, src.header, shown)
    pv.issues = sorted(shown, key=lambda i: (i.row, i.col_index or 0))[:MAX_SHOWN_ISSUES]
    pv.new_classes = [class_label(g, c) for g, c in sorted(new_classes)]
    return pv


def _classify(pv: RosterPreview, row: RosterRow, st: Student | None, classes: _Classes, year: int,
              new_classes: set) -> int:
    key = (year, row.grade, row.class_no)
    if key not in classes.by_key:
        new_classes.add((row.grade, row.class_no))
    if st is None:
        pv.new += 1
        return NEW
    changes = _diff(st, row, key, classes)
    if not changes:
        pv.unchanged += 1
        return UNCHANGED
    pv.updated += 1
    if len(pv.changes) < MAX_SHOWN_CHANGES:
        pv.changes.append({"row": row.row, "national_student_no": row.no, "name": row.name,
                           "fields": [FIELD_LABELS.get(k, k) for k in changes]})
    return UPDATED


BITMAP_BITS = 1 << 24  # 2 MB, whatever the file size


def _repeated(hashes: array) -> set[int]:
    """The hashes that occur more than once, in fixed memory plus the repeats themselves.

    A bitmap over the low bits finds candidates (a set bit was seen before); only the
    candidates' full hashes are then counted exactly, so a bitmap collision costs nothing.
    """
    bits = bytearray(BITMAP_BITS // 8)
    candidates: set[int] = set()
    mask = BITMAP_BITS - 1
    for h in hashes:
        b = h & mask
        byte, bit = b >> 3, 1 << (b & 7)
        if bits[byte] & bit:
            candidates.add(h)
        else:
            bits[byte] |= bit
    del bits
    if not candidates:
        return set()
    counts: dict[int, int] = defaultdict(int)
    for h in hashes:
        if h in candidates:
            counts[h] += 1
    return {h for h, n in counts.items() if n > 1}


def _mark_duplicates(pv: RosterPreview, hashes: array, rows_of: array, outcome: array, header: Header,
                     shown: list[RowIssue]) -> None:
    """A number that appears on several rows: none of those rows is taken (which one is right
    is for a person to decide), each is listed with the others' row numbers."""
    dup = _repeated(hashes)
    if not dup:
        return
    groups: dict[int, list[int]] = defaultdict(list)
    for i, h in enumerate(hashes):
        if h in dup:
            groups[h].append(i)
    dup_rows: set[int] = set()
    for idxs in groups.values():
        rows = [rows_of[i] for i in idxs]
        for i in idxs:
            kind = outcome[i]
            if kind == NEW:
                pv.new -= 1
            elif kind == UPDATED:
                pv.updated -= 1
            elif kind == UNCHANGED:
                pv.unchanged -= 1
            pv.error_rows += 1
            pv.issue_count += 1
            r = rows_of[i]
            dup_rows.add(r)
            others = "、".join(str(x) for x in rows if x != r)
            if len(shown) < MAX_SHOWN_ISSUES:
                shown.append(_issue(header, r, "national_student_no", f"学籍号与第 {others} 行重复，这些行都未导入，请核对后只保留一行",
                                    f"the national student number also appears on row(s) {others}; none of "
                                    "these rows was imported: keep only one"))
    pv.changes = [c for c in pv.changes if c["row"] not in dup_rows]
    pv.duplicate_rows = frozenset(dup_rows)


# -------------------------------------------------------------------------------------- apply


def apply_roster(db, preview: RosterPreview, *, user: str = "", progress: Progress | None = None,
                 check: Callable[[], None] | None = None) -> RosterResult:
    """Write the rows the preview accepted, in one transaction. The file must be unchanged."""
    if file_sha256(preview.path) != preview.sha256:
        raise ValidationError("文件在预览之后被修改过，请重新预览后再导入",
                              "the file changed after the preview; preview it again before importing",
                              field="file", value=str(preview.path))
    result = RosterResult()
    if preview.new == 0 and preview.updated == 0:
        # Nothing to write (a re-import of the same roster): skip the second pass. A row that
        # changed in the database since the preview is left alone, as the preview said.
        return RosterResult(unchanged=preview.unchanged, skipped=preview.error_rows)
    with db.session(user=user) as s:
        _roomy_cache(s)
        classes = _Classes(s)
        secret = setting(s, "person_key_secret")
        done = 0
        for rows, skipped in _rows_to_apply(preview):
            if check:
                check()
            result.skipped += skipped
            _apply_rows(s, rows, preview, classes, result, secret)
            done += len(rows) + skipped
            if progress:
                progress(done, preview.total)
    return result


BULK_CACHE_KIB = 64 * 1024


def _roomy_cache(s: Session) -> None:
    """SQLite's default page cache (2 MB) is too small for one transaction that adds 5,000
    students with their enrollments and audit rows to nine indexes: dirty pages spill to the
    WAL mid-transaction and index pages are read back again (17,000 writes and 12,000 reads
    of 4 KB for a 5,000-row roster). A larger cache for this connection keeps them in memory
    (only what is used is allocated)."""
    conn = s.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")


def _rows_to_apply(preview: RosterPreview) -> Iterator[tuple[list[RosterRow], int]]:
    """Chunks of good rows (and how many bad rows were passed over): the rows the preview
    kept, or the file read again when it was too long to keep."""
    if preview.kept is not None:
        good = [row for row in preview.kept if row.row not in preview.duplicate_rows]
        yield [], preview.error_rows
        for i in range(0, len(good), CHUNK):
            yield good[i:i + CHUNK], 0
        return
    with open_source(preview.path) as src:
        for chunk in _chunks(src.header, src.rows):
            parsed = [parse_row(src.header, r, values)[0] for r, values in chunk]
            good = [row for row in parsed if row is not None and row.row not in preview.duplicate_rows]
            yield good, len(parsed) - len(good)


def _apply_rows(s: Session, good: list[RosterRow], preview: RosterPreview, classes: _Classes,
                result: RosterResult, secret: str) -> None:
    """Classes first, then edits and class moves, then new students and their enrollments.

    Edits and moves go through the ORM (tracking records what changed, field by field); new
    students and every new enrollment are written in bulk (``bulk.insert_created``: the same
    stamps and audit rows, one ``executemany`` per table instead of an object each)."""
    existing = _existing(s, [row.no for row in good])
    students: list[dict] = []
    enrollments: list[dict] = []
    moves: list[tuple[Student, SchoolClass, str]] = []
    _create_classes(s, classes, preview.school_year, good, result)
    for row in good:
        try:
            cls = classes.by_key[(preview.school_year, row.grade, row.class_no)]
            st = existing.get(row.no)
            if st is None:
                student, enrollment = _new_student(row, cls, secret)
                students.append(student)
                enrollments.append(enrollment)
                result.created += 1
            else:
                _update_row(row, st, cls, classes, preview.school_year, result, moves)
        except GrowthDeskError as exc:
            raise ValidationError(f"第 {row.row} 行未能导入：{exc.zh}；整个导入已撤销，数据库未改变",
                                  f"row {row.row} could not be imported: {exc.en}; the whole import was "
                                  "rolled back, the database is unchanged", field=exc.field, row=row.row,
                                  column=preview.columns.get(exc.field or ""), value=exc.value) from exc
    enrollments += _move_students(s, moves)
    if students:
        check_new_allowed(s, Student, students[0])
        _set_pinyin(students)
    s.flush()
    insert_created(s, Student, students)
    if enrollments:
        check_new_allowed(s, Enrollment, enrollments[0])
    insert_created(s, Enrollment, enrollments)


def _create_classes(s: Session, classes: _Classes, year: int, rows: list[RosterRow], result: RosterResult) -> None:
    """The classes these rows need and the database lacks, made as ``students.create_class``
    makes them (its checks; none exists yet: every live class is in ``classes``), with one
    flush for all of them instead of a query and a flush each."""
    made = []
    for row in rows:
        key = (year, row.grade, row.class_no)
        if key in classes.by_key:
            continue
        try:
            student_svc._check_class_numbers(year, row.grade, row.class_no)
        except GrowthDeskError as exc:
            raise ValidationError(f"第 {row.row} 行未能导入：{exc.zh}；整个导入已撤销，数据库未改变",
                                  f"row {row.row} could not be imported: {exc.en}; the whole import was "
                                  "rolled back, the database is unchanged", field=exc.field, row=row.row,
                                  value=exc.value) from exc
        cls = SchoolClass(id=new_uuid(), school_year=year, grade=row.grade, class_no=row.class_no, adviser_name="",
                          adviser_user_id=None)
        s.add(cls)
        classes.add(cls)
        made.append(class_label(row.grade, row.class_no))
    if made:
        s.flush()
        result.classes_created += made


def _update_row(row: RosterRow, st: Student, cls: SchoolClass, classes: _Classes, year: int,
                result: RosterResult, moves: list) -> None:
    """Field edits as ``students.update_student`` makes them (values already passed its
    validators in ``parse_row``); a class change is queued for ``_move_students``."""
    changes = _diff(st, row, (year, row.grade, row.class_no), classes)
    if not changes:
        result.unchanged += 1
        return
    old_key = classes.key_of(st.class_id)
    move = changes.pop("class", None)
    for key, value in changes.items():
        setattr(st, key, value)
    if "name" in changes:
        student_svc._set_pinyin(st)
    if move is not None:
        # A class in a later school year is the yearly promotion, not a change of class.
        moves.append((st, cls, "promotion" if old_key is not None and old_key[0] < year else "reassignment"))
    result.updated += 1


def _move_students(s: Session, moves: list[tuple[Student, SchoolClass, str]]) -> list[dict]:
    """``students.move_student`` for a whole chunk: one query for the open enrollments instead
    of a query and a flush per student (5,000 promotions: minutes → seconds). A test checks
    the result against ``move_student`` itself. Returns the new enrollments' rows."""
    if not moves:
        return []
    on = today()
    ids = [st.id for st, _c, _r in moves]
    open_rows: dict[str, list[Enrollment]] = defaultdict(list)
    for e in s.scalars(select(Enrollment).where(Enrollment.student_id.in_(ids), Enrollment.end_date.is_(None),
                                                Enrollment.deleted.is_(False))):
        open_rows[e.student_id].append(e)
    out = []
    for st, cls, reason in moves:
        for e in open_rows.get(st.id, []):
            e.end_date = max(on, e.start_date)
        out.append({"id": new_uuid(), "student_id": st.id, "class_id": cls.id, "school_year": cls.school_year,
                    "start_date": on, "end_date": None, "reason": reason})
        st.class_id = cls.id
        st.stage = stage_for_grade(cls.grade)
        if st.status != "enrolled":
            st.status = "enrolled"
    return out


def _new_student(row: RosterRow, cls: SchoolClass, secret: str) -> tuple[dict, dict]:
    """What ``students.create_student`` stores, as rows for a bulk insert: the student and its
    entry enrollment.

    ``create_student`` costs ~3 ms a row (a uniqueness query and two flushes), 15 s for a
    5,000-row roster. Here every value has already passed the services' own validators in
    ``parse_row``, uniqueness was checked for the whole chunk (``_existing``) and inside the
    file (duplicates are skipped). A test compares a student made here with one made by
    ``create_student`` column by column (and their audit rows), so the two cannot drift.
    """
    stage = stage_for_grade(cls.grade)
    entry_year = row.entry_year
    if entry_year is None:  # grade 8 in 2025 → entered junior school in 2024, as create_student does
        entry_year = cls.school_year - (cls.grade - first_grade_of_stage(stage))
    sid = new_uuid()
    student = {"id": sid, "national_student_no": row.no, "person_key": student_svc.person_key(secret, row.no),
               "name": row.name, "gender": row.gender, "birth_date": row.birth_date, "stage": stage,
               "entry_year": entry_year, "status": "enrolled", "class_id": cls.id, "note": "",
               "class_seq": row.class_seq}
    enrollment = {"id": new_uuid(), "student_id": sid, "class_id": cls.id, "school_year": cls.school_year,
                  "start_date": student_svc._enrollment_start(cls.school_year), "end_date": None, "reason": "entry"}
    return student, enrollment


def _set_pinyin(students: list[dict]) -> None:
    """The search key of each new student (``students._set_pinyin``), once per distinct name."""
    from ..services.pinyin import name_pinyin
    keys: dict[str, str] = {}
    for st in students:
        name = st["name"]
        key = keys.get(name)
        if key is None:
            key = keys[name] = name_pinyin(name)
        st["name_pinyin"] = key


# ------------------------------------------------------------------------------------- report


def write_roster_report(preview: RosterPreview, out: str | Path) -> Path:
    """The rows of ``preview.path`` that would not be (or were not) taken, with reasons."""
    with open_source(preview.path) as src:
        return write_error_report(out, src.header.texts, _bad_rows(preview, src), title="未导入的行")


def _bad_rows(preview: RosterPreview, src: _Source):
    for chunk in _chunks(src.header, src.rows):
        for r, values in chunk:
            row, issues = parse_row(src.header, r, values)
            if row is not None and r in preview.duplicate_rows:
                issues = [i for i in preview.issues if i.row == r] or [
                    _issue(src.header, r, "national_student_no", "学籍号在文件中重复出现",
                           "the national student number appears more than once in the file")]
            if issues:
                yield r, values, issues


def import_roster(db, path: str | Path, *, user: str = "", school_year: int | None = None) -> tuple[RosterPreview, RosterResult]:
    """Preview and apply in one call (scripts and tests; people confirm the preview first)."""
    pv = preview_roster(db, path, school_year=school_year)
    return pv, apply_roster(db, pv, user=user)
