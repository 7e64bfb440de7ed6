"""Term portfolios (学期成长档案) as print-ready Chinese PDFs.

For the UI and the CLI, one call does it all (run it off the UI thread; it is Qt-free)::

    from growthdesk.reports import print_portfolios
    result = print_portfolios(db, "2025-2026-1", class_ref="初一(3)班", out=Path("初一3班.pdf"),
                              progress=lambda done, total, name: ..., cancel=threading.Event())

``out`` ending in ``.pdf`` gives one PDF with a bookmark per student (and the class list sheet
for a class or grade); any other path is a folder with one file per student. Errors are
``growthdesk.errors`` (bilingual); a cancelled run raises ``PortfolioCancelled`` and leaves no file.
"""

from __future__ import annotations

from pathlib import Path

from .batch import RenderResult, Scope, check_output, render_portfolios, resolve_scope
from .layout import PortfolioCancelled


def print_portfolios(db, term_code: str, *, out: Path, student_no: str | None = None, class_ref: str | None = None,
                     grade_ref: str | None = None, class_sheet: bool | None = None, progress=None, cancel=None,
                     printed_on=None) -> RenderResult:
    out = Path(out)
    per_student = out.suffix.lower() != ".pdf"
    check_output(out, per_student)
    with db.session() as s:
        scope = resolve_scope(s, term_code, student_no=student_no, class_ref=class_ref, grade_ref=grade_ref)
    return render_portfolios(db, scope, out, per_student=per_student, class_sheet=class_sheet, progress=progress,
                             cancel=cancel, printed_on=printed_on)


__all__ = ["print_portfolios", "render_portfolios", "resolve_scope", "check_output", "Scope", "RenderResult",
           "PortfolioCancelled"]
