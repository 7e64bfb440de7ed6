"""公示表: the list of a class's archive records for the class wall during the publicity period.

Names and records only: never 学籍号, ID numbers, birth dates, addresses, scores or rankings.
Students are listed by name order (pinyin), not by any measure, and records by date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from ..models import SchoolClass, Setting
from ..models.enums import RECORD_TYPES, label
from ..services import archive, terms
from ..services.names import class_label
from .labels import zh_date


@dataclass
class SheetRow:
    name: str
    records: list[tuple[str, str, date | None]] = field(default_factory=list)  # (type label, title, date)


@dataclass
class Sheet:
    school_name: str
    class_label: str
    term_label: str
    start: date | None
    end: date | None
    rows: list[SheetRow]


def sheet_data(s: Session, term_code: str, class_id: str) -> Sheet:
    """Only what the wall may show: names and the selected (not removed) records."""
    term = terms.normalise_term_code(term_code)
    cls = s.get(SchoolClass, class_id)
    cands = archive.candidates(s, term, class_id)
    rows = []
    for sc in cands:
        recs = [(label(RECORD_TYPES, r.record_type), r.title, r.event_date) for r in sc.records
                if r.selected and not r.removed]
        if recs:
            rows.append(SheetRow(sc.name, recs))
    period = archive.publicity_of(s, term, class_id)
    school = s.get(Setting, "school_name")
    return Sheet(school.value if school else "", class_label(cls.grade, cls.class_no), terms.term_label(term),
                 period.start_date if period else None, period.end_date if period else None, rows)


def render_sheet(sheet: Sheet, out: Path) -> int:
    """A4 PDF; returns the page count."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from .layout import CONTENT_W, Styles, make_doc, para
    from .portfolio import grid, heads, c

    st = Styles()
    doc = make_doc(str(out), f"{sheet.class_label} 综合素质评价公示", "GrowthDesk")
    story = [para(f"{sheet.school_name} {sheet.class_label}", st.title),
             para(f"{sheet.term_label} 综合素质评价档案记录公示", st.sub),
             Spacer(1, 4)]
    if sheet.start and sheet.end:
        story.append(para(f"公示时间：{zh_date(sheet.start)} 至 {zh_date(sheet.end)}。对公示内容如有异议，请在公示期内"
                          "以书面形式向班主任提出（写明异议内容和理由），班主任将核实并答复。", st.body))
    else:
        story.append(para("（尚未开始公示：以下为拟入档记录。）", st.body))
    story.append(Spacer(1, 6))
    rows = [heads("姓名", "类型", "记录", "日期")]
    for r in sheet.rows:
        for i, (kind, title, d) in enumerate(r.records):
            rows.append([c(r.name if i == 0 else ""), c(kind), para(title, st.cell), c(zh_date(d) if d else "")])
    if len(rows) == 1:
        story.append(para("没有选入档案的记录。", st.body))
    else:
        story.append(grid(rows, [60, 70, CONTENT_W - 60 - 70 - 86, 86]))
    story += [Spacer(1, 10), para("班主任签字：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿", st.body)]
    doc.build(story)
    from pypdf import PdfReader
    return len(PdfReader(str(out)).pages)
