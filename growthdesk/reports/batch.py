"""Printing portfolios for a student, a class or a grade: one PDF or one file per student.

``resolve_scope`` turns what a person typed (学籍号, 初一(3)班, 初一 / 七年级 / 7) into students
or fails with the valid choices. ``render_portfolios`` checks the output can be written
*before* any work, gathers the batch's data in a few queries, then lays out. It takes a
``progress(done, total, text)`` callback and a ``cancel`` event (threading.Event) so the UI can
run it off the UI thread; a cancelled run leaves no half-written file behind.
"""

from __future__ import annotations

import re
import tempfile
import time
from functools import partial
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.platypus import PageBreak
from reportlab.platypus.flowables import DocExec, DocIf
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import GrowthDeskError, NotFoundError, ValidationError
from ..models import Enrollment, SchoolClass, Student
from ..outfiles import atomic_output, output_error
from ..services import names
from . import labels
from .class_sheet import class_sheet_story
from .data import Batch, find_term, gather, term_classes
from .layout import Lazy, Marker, PageMeta, PortfolioCancelled, Styles, make_canvas_class, make_doc, para
from .portfolio import student_story

Progress = Callable[[int, int, str], None]


@dataclass
class Scope:
    term_code: str
    student_ids: list[str]
    title: str                      # 初一(3)班 / 初一 / 张三
    kind: str                       # student | class | grade
    classes: list[tuple[str, str]] = field(default_factory=list)  # (class id, label) in print order


@dataclass
class RenderResult:
    files: list[Path]
    students: int
    pages: int
    seconds: float
    gather_seconds: float
    # Students whose names hold characters no bundled font has: (class, student no., U+XXXX …).
    # They print as their code points; the person printing is told which to check.
    undrawable: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"files": [str(f) for f in self.files], "students": self.students, "pages": self.pages,
                "seconds": round(self.seconds, 3), "gather_seconds": round(self.gather_seconds, 3),
                "undrawable_names": [{"class": c, "national_student_no": n, "characters": cps}
                                     for c, n, cps in self.undrawable]}

    def warnings(self) -> list[str]:
        return [f"{c or ''} 学籍号 {n} 的姓名中有字体无法显示的字符 {' '.join(cps)}，已按编码打印，请核对 "
                f"(the name of student {n} holds characters no font can draw; printed as code points)"
                for c, n, cps in self.undrawable]


# ---------------------------------------------------------------- scope

def _classes(s: Session, year: int):
    q = (select(SchoolClass).where(SchoolClass.school_year == year, SchoolClass.deleted.is_(False))
         .order_by(SchoolClass.grade, SchoolClass.class_no))
    return list(s.scalars(q))


def _students_of(s: Session, class_ids: list[str], term) -> list[str]:
    """Students who were in these classes during the term (enrollment history), or whose
    current class is one of them when no history says otherwise; in class, then number order.
    The same rule as the app's student list (``services.students.term_members``)."""
    from ..services.students import term_members
    return [sid for sid, _ in term_members(s, class_ids, term.code)]


def resolve_scope(s: Session, term_code: str, *, student_no: str | None = None, class_ref: str | None = None,
                  grade_ref: str | None = None) -> Scope:
    term = find_term(s, term_code)  # unknown term → NotFoundError listing the valid ones
    term_code, year = term.code, term.year
    if student_no is not None:
        return _student_scope(s, term_code, student_no.strip())
    classes = _classes(s, year)
    if class_ref is not None:
        cls = _find_class(classes, class_ref.strip(), term_code)
        name = labels.class_label(cls.grade, cls.class_no)
        return Scope(term_code, _students_of(s, [cls.id], term), name, "class", [(cls.id, name)])
    if grade_ref is not None:
        grade = _find_grade(classes, grade_ref.strip(), term_code)
        chosen = [c for c in classes if c.grade == grade]
        pairs = [(c.id, labels.class_label(c.grade, c.class_no)) for c in chosen]
        return Scope(term_code, _students_of(s, [c.id for c in chosen], term), labels.grade_label(grade), "grade",
                     pairs)
    raise ValidationError("请指定学生（学籍号）、班级或年级", "give a student number, a class or a grade",
                          field="scope")


def _student_scope(s: Session, term_code: str, number: str) -> Scope:
    row = s.execute(select(Student.id, Student.name, Student.class_id).where(
        Student.national_student_no == number, Student.deleted.is_(False))).first()
    if row is None:
        sample = [n for (n,) in s.execute(select(Student.national_student_no).where(
            Student.deleted.is_(False), Student.national_student_no.is_not(None))
            .order_by(Student.national_student_no).limit(10))]
        more = "…" if len(sample) == 10 else ""
        raise NotFoundError(f"找不到学籍号为 {number} 的学生；已有学籍号如：{'、'.join(sample) or '（无）'}{more}",
                            f"no student with national number {number!r}; existing numbers include: "
                            f"{', '.join(sample) or '(none)'}{more}", field="student", value=number)
    return Scope(term_code, [row[0]], row[1], "student")


def _parsed(parse, ref: str):
    """``services.names`` reads every way people write a class or grade (初一（3）班, 七年级3班, 7-3)."""
    try:
        return parse(ref)
    except GrowthDeskError:
        return None


def _find_class(classes, ref: str, term_code: str):
    wanted = _parsed(names.parse_class_label, ref)
    for c in classes:
        if ref == c.id or wanted == (c.grade, c.class_no):
            return c
    valid = [labels.class_label(c.grade, c.class_no) for c in classes]
    year = names.school_year_label(int(term_code[:4]))  # 2025—2026学年
    raise NotFoundError(f"{year}没有班级“{ref}”；可选：{'、'.join(valid) or '（无）'}",
                        f"no class {ref!r} in the school year of {term_code}; valid: {', '.join(valid) or '(none)'}",
                        field="class", value=ref)


def _find_grade(classes, ref: str, term_code: str) -> int:
    have = sorted({c.grade for c in classes})
    grade = _parsed(names.parse_grade, ref)
    if grade not in have:
        valid = [labels.grade_label(g) for g in have]
        year = names.school_year_label(int(term_code[:4]))
        raise NotFoundError(f"{year}没有年级“{ref}”；可选：{'、'.join(valid) or '（无）'}",
                            f"no grade {ref!r} in the school year of {term_code}; valid: "
                            f"{', '.join(str(g) for g in have) or '(none)'}", field="grade", value=ref)
    return grade


# ---------------------------------------------------------------- output checks

def check_output(out: Path, per_student: bool) -> None:
    """Fail before any work if the output cannot be written (missing folder, no permission).

    Nothing is created here: a folder that does not exist yet is made when printing starts.
    """
    out = Path(out)
    if per_student:
        if out.exists() and not out.is_dir():
            raise ValidationError(f"输出位置不是文件夹：{out}", f"output is not a folder: {out}", field="out", value=out)
        folder = out
        while not folder.exists():  # the nearest existing ancestor decides whether it can be made
            folder = folder.parent
        if not folder.is_dir():
            raise ValidationError(f"无法在文件上创建输出文件夹：{out}", f"cannot create the output folder {out}: "
                                  f"{folder} is a file", field="out", value=out)
    else:
        if out.suffix.lower() != ".pdf":
            raise ValidationError(f"输出文件应以 .pdf 结尾：{out}", f"output file must end in .pdf: {out}",
                                  field="out", value=out)
        if out.is_dir():
            raise ValidationError(f"输出路径是一个文件夹：{out}", f"output path is a folder: {out}", field="out", value=out)
        folder = out.parent
        if not folder.is_dir():
            raise ValidationError(f"输出文件夹不存在：{folder}", f"output folder does not exist: {folder}",
                                  field="out", value=out)
        if out.exists():
            _check_replaceable(out)
    try:  # the only reliable test of writability (ACLs, read-only media) is to write
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".gd-write-test-"):
            pass
    except OSError as exc:
        raise output_error(exc, out) from None


def _check_replaceable(path: Path) -> None:
    """An existing output file must be writable and not held open (Windows locks a PDF that a
    reader has open, and the rename at the end would fail after all the work)."""
    try:
        with open(path, "r+b"):
            pass
    except OSError as exc:
        raise ValidationError(f"输出文件无法写入（可能正在 PDF 阅读器中打开）：{path}",
                              f"output file cannot be written (open in a PDF reader?): {path} ({exc.strerror})",
                              field="out", value=path) from None


def safe_filename(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._") or "portfolio"


# ---------------------------------------------------------------- rendering

class _Run:
    """Progress and cancellation shared by all documents of one batch."""

    def __init__(self, total: int, progress: Progress | None, cancel):
        self.total, self.progress, self.cancel, self.done = total, progress, cancel, 0

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise PortfolioCancelled()

    def on_student(self, meta: PageMeta) -> None:
        self.check()
        if meta.key.startswith("student:"):
            self.done += 1
            if self.progress:
                self.progress(self.done, self.total, meta.name)


def _write(path: Path, story, batch: Batch, printed_on: date, title: str) -> int:
    """Build one PDF atomically: into a temp file beside it, renamed only when complete."""
    try:
        with atomic_output(path) as tmp:
            doc = make_doc(str(tmp), title, batch.school_name)
            doc.build(story, canvasmaker=make_canvas_class(printed_on))
    except ValidationError as exc:
        if path.exists() and "磁盘已满" not in exc.zh and "只读" not in exc.zh:  # e.g. open in a reader meanwhile
            raise ValidationError(f"无法写入输出文件（可能正在 PDF 阅读器中打开）：{path}",
                                  f"cannot write the output file (open in a PDF reader?): {path}",
                                  field="out", value=path) from None
        raise
    return doc.page


def render_portfolios(db, scope: Scope, out: Path, *, per_student: bool = False, class_sheet: bool | None = None,
                      progress: Progress | None = None, cancel=None, printed_on: date | None = None,
                      pad_even: bool = False) -> RenderResult:
    """Print the scope's term portfolios. ``class_sheet`` defaults to on for a class or grade.
    ``pad_even`` (one PDF only) ends each student (and the class sheet) on an even page, with
    a blank page where needed, so that a duplex printer never puts two pupils on one sheet."""
    out = Path(out)
    check_output(out, per_student)
    if hasattr(db, "check_integrity"):  # a damaged file could silently print portfolios missing records
        db.check_integrity()
    t0 = time.perf_counter()
    printed_on = printed_on or date.today()
    from ..services import access, accesslog
    with db.session() as s:
        access.require_students(s, scope.student_ids)
        batch = gather(s, scope.term_code, scope.student_ids, getattr(db, "path", None))
    gathered = time.perf_counter() - t0
    run = _Run(len(batch.students), progress, cancel)
    run.check()
    sheets = scope.kind != "student" if class_sheet is None else class_sheet
    if per_student:
        out.mkdir(parents=True, exist_ok=True)
    files, pages = (_per_student(batch, scope, out, sheets, run, printed_on) if per_student
                    else _one_file(batch, scope, out, sheets, run, printed_on, pad_even))
    from .fonts import undrawable
    odd = [(p.class_label, p.national_student_no, cps) for p in batch.students if (cps := undrawable(p.name))]
    with db.session() as s:
        accesslog.record(s, "print_portfolio", scope.student_ids, detail=f"{scope.term_code} {scope.kind} {out.name}")
    return RenderResult(files, len(batch.students), pages, time.perf_counter() - t0, gathered, odd)


def _by_class(batch: Batch, scope: Scope):
    """Students grouped by class in print order; a single student is its own group."""
    if not scope.classes:
        return [(None, "", batch.students)]
    groups = {cid: [] for cid, _ in scope.classes}
    for p in batch.students:
        groups.setdefault(p.class_id, []).append(p)
    class_names = dict(scope.classes)
    return [(cid, class_names.get(cid, ""), people) for cid, people in groups.items()]


def _padded(part: list) -> list:
    """The part, then a blank page if it ended on an odd page (counted from its first page)."""
    return [DocExec("gd_part_start = doc.page"), *part, DocIf("(doc.page - gd_part_start) % 2 == 0", [PageBreak()])]


def _one_file(batch, scope, out: Path, sheets: bool, run: _Run, printed_on: date, pad_even: bool = False):
    parts: list[list] = []  # each part starts on a new page
    nested = scope.kind == "grade"
    for cid, cname, people in _by_class(batch, scope):
        level = 1 if nested else 0
        group = [(cname, 0)] if nested else []  # grade PDF: class → its sheet and students
        if sheets and cid is not None:
            parts.append(class_sheet_story(batch, cname, people,
                                           outline=group + [("班级汇总表" if nested else f"{cname} 班级汇总表", level)]))
            group = []
        for p in people:
            outline = group + [(f"{p.name}（{p.national_student_no}）", level)]
            parts.append([Lazy(partial(student_story, batch, p, outline, run.on_student))])
            group = []
    if not parts:
        return [out], _write_empty(out, batch, printed_on, scope)
    if pad_even:
        parts = [_padded(part) for part in parts]
    story = [f for i, part in enumerate(parts) for f in ([PageBreak()] if i else []) + part]
    return [out], _write(out, story, batch, printed_on, f"{scope.title} {batch.term.label} 学生成长档案")


def _write_empty(out: Path, batch, printed_on: date, scope: Scope) -> int:
    story = [Marker(PageMeta("empty", "body", batch.school_name, scope.title, batch.term.label), []),
             para(f"{scope.title}在{batch.term.label}没有在册学生，没有可打印的成长档案。", Styles().body)]
    return _write(out, story, batch, printed_on, scope.title)


def _per_student(batch, scope, out: Path, sheets: bool, run: _Run, printed_on: date):
    files, pages = [], 0
    for cid, cname, people in _by_class(batch, scope):
        if sheets and cid is not None:
            path = out / safe_filename(f"{cname}-班级汇总表.pdf")
            pages += _write(path, class_sheet_story(batch, cname, people, outline=[]), batch, printed_on, cname)
            files.append(path)
        for p in people:
            path = out / safe_filename(f"{p.national_student_no or p.student_id}-{p.name}.pdf")
            pages += _write(path, student_story(batch, p, [], run.on_student), batch, printed_on,
                            f"{p.name} {batch.term.label} 学生成长档案")
            files.append(path)
    return files, pages
