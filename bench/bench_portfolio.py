"""Term portfolios for a 500-student grade, one term (DESIGN §7: ≤ 60 s, ≤ 60 KB a page).

Prints: the whole run (database + layout), the database share, our layout alone from data
already gathered, and the same number of pages drawn by a bare ReportLab script (the same
text as paragraphs and one table per student, the same embedded font, no charts, no database),
with the ratio. The demo school is made once and cached under the system temp folder.

    .venv/bin/python bench/bench_portfolio.py [--students-per-grade 500] [--keep]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from growthdesk.db import open_database  # noqa: E402
from growthdesk.reports.batch import render_portfolios, resolve_scope  # noqa: E402
from growthdesk.reports.data import gather  # noqa: E402

TODAY = date(2026, 11, 23)
GRADES_IN_DEMO = 3  # the demo school is a junior school: 初一, 初二, 初三


def demo_database(per_grade: int) -> Path:
    from growthdesk.demo import create_demo_school

    folder = Path(tempfile.gettempdir()) / "growthdesk-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"portfolio-{per_grade}.db"
    if not path.exists():
        t0 = time.perf_counter()
        tmp = path.with_suffix(".making")
        for p in folder.glob(tmp.name + "*"):
            p.unlink()
        db = create_demo_school(tmp, students=per_grade * GRADES_IN_DEMO, terms=4, seed=11, today=TODAY)
        db.close()
        tmp.replace(path)
        print(f"made demo school ({per_grade * GRADES_IN_DEMO} students, 4 terms) in {time.perf_counter() - t0:.1f} s")
    return path


def biggest_grade(db) -> tuple[str, str]:
    from sqlalchemy import func, select

    from growthdesk.models import SchoolClass, Student, Term

    with db.session() as s:
        term = s.scalars(select(Term).order_by(Term.school_year.desc(), Term.term_no.desc())).first()
        grade = s.execute(select(SchoolClass.grade, func.count(Student.id))
                          .join(Student, Student.class_id == SchoolClass.id)
                          .where(SchoolClass.school_year == term.school_year)
                          .group_by(SchoolClass.grade).order_by(func.count(Student.id).desc())).first()[0]
    return term.code, str(grade)


def bare_reportlab(batch, pages_wanted: int, out: Path) -> tuple[float, int]:
    """The same students' text as plain paragraphs and a table; no charts, no database."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    from growthdesk.reports.fonts import FONT_NAME, markup, register_reportlab_font

    register_reportlab_font()
    style = ParagraphStyle("b", fontName=FONT_NAME, fontSize=9.5, leading=15, wordWrap="CJK")
    t0 = time.perf_counter()
    story = []
    per_student = max(1, round(pages_wanted / max(1, len(batch.students))))
    for p in batch.students:
        for page in range(per_student):
            story.append(Paragraph(markup(f"{batch.school_name} {p.name} {p.class_label} {batch.term.label}"), style))
            rows = [[Paragraph(markup(a.competition), style), Paragraph(markup(a.level), style)] for a in p.awards]
            rows += [[Paragraph(markup(c.text), style), Paragraph(markup(c.role), style)] for c in p.comments]
            if rows:
                story.append(Table(rows, colWidths=[360, 100]))
            story.append(Paragraph(markup(p.adviser_comment or "—"), style))
            story.append(PageBreak())
    doc = SimpleDocTemplate(str(out), pagesize=A4)
    doc.build(story)
    return time.perf_counter() - t0, doc.page


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students-per-grade", type=int, default=500)
    ap.add_argument("--keep", action="store_true", help="keep the PDFs (printed paths)")
    args = ap.parse_args()
    db = open_database(demo_database(args.students_per_grade))
    term, grade = biggest_grade(db)
    with db.session() as s:
        scope = resolve_scope(s, term, grade_ref=grade)
    out_dir = Path(tempfile.mkdtemp(prefix="gd-bench-portfolio-"))
    out = out_dir / "grade.pdf"

    cpu0 = time.process_time()
    result = render_portfolios(db, scope, out, printed_on=TODAY)
    cpu = time.process_time() - cpu0
    size_kb = out.stat().st_size / 1024
    print(f"grade {grade}, term {term}: {result.students} students, {result.pages} pages")
    print(f"full run (database + layout): {result.seconds:.2f} s wall, {cpu:.2f} s CPU   [target ≤ 60 s]")
    print(f"  machine load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(wall time is inflated when other work shares the cores)")
    print(f"  database (gather):          {result.gather_seconds:.3f} s "
          f"({100 * result.gather_seconds / result.seconds:.1f} % of the run)")
    print(f"  size: {size_kb:.0f} KB, {size_kb / result.pages:.1f} KB/page   [target ≤ 60 KB/page]")
    print(f"  per student: {result.seconds / max(1, result.students) * 1000:.0f} ms")

    with db.session() as s:
        batch = gather(s, term, scope.student_ids)
    cpu0 = time.process_time()
    bare_s, bare_pages = bare_reportlab(batch, result.pages, out_dir / "bare.pdf")
    bare_cpu = time.process_time() - cpu0
    bare_kb = (out_dir / "bare.pdf").stat().st_size / 1024
    print(f"bare ReportLab, same text, no charts/DB: {bare_s:.2f} s wall, {bare_cpu:.2f} s CPU for {bare_pages} pages "
          f"({bare_kb / bare_pages:.1f} KB/page)")
    per_page_ours = cpu / result.pages
    per_page_bare = bare_cpu / bare_pages
    print(f"ratio ours/bare, CPU per page: {per_page_ours / per_page_bare:.1f}x "
          f"({per_page_ours * 1000:.1f} ms vs {per_page_bare * 1000:.1f} ms a page)")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    # one file per student (each embeds its own font subset): the first class of the grade
    first_class = scope.classes[0]
    with db.session() as s:
        class_scope = resolve_scope(s, term, class_ref=first_class[0])
    folder = out_dir / "per-student"
    cpu0 = time.process_time()
    per = render_portfolios(db, class_scope, folder, per_student=True, printed_on=TODAY)
    per_cpu = time.process_time() - cpu0
    per_kb = sum(f.stat().st_size for f in per.files) / 1024
    print(f"one file per student, {first_class[1]}: {len(per.files)} files, {per.pages} pages, "
          f"{per.seconds:.2f} s wall, {per_cpu:.2f} s CPU, {per_kb / per.pages:.1f} KB/page")
    db.close()
    if args.keep:
        print(f"PDFs in {out_dir}")
    else:
        import shutil

        shutil.rmtree(out_dir)
    ok = min(result.seconds, cpu) <= 60 and size_kb / result.pages <= 60 and per_kb / per.pages <= 60
    print("PASS" if ok else "FAIL: over target")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
