"""The one-page class list sheet for the adviser: every student's levels and award counts."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from .data import Batch, StudentPortfolio
from .layout import CONTENT_W, MARGIN_BOTTOM, MARGIN_TOP, PAGE_H, Marker, PageMeta, SetKind, Styles, TextLine, para
from .portfolio import table_style

ST = Styles()
SHEET_HEIGHT = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 100  # room for the title above and the legend below


def _levels(batch: Batch, p: StudentPortfolio) -> list[str]:
    """Adviser's level where given, otherwise the level of the computed score marked with *."""
    out = []
    for d in batch.rubric.dims:
        if d.code in p.adviser_levels:
            out.append(p.adviser_levels[d.code])
        elif d.code in p.scores:
            out.append(batch.rubric.level_for(p.scores[d.code]) + "*")
        else:
            out.append("—")
    return out


def class_sheet_story(batch: Batch, class_name: str, people: list[StudentPortfolio],
                      outline: list[tuple[str, int]]) -> list[Flowable]:
    rub = batch.rubric
    meta = PageMeta(f"sheet:{class_name}", "body", batch.school_name, f"{class_name}  班级汇总表", batch.term.label)
    n = max(1, len(people))
    # One page: rows shrink (down to 8 pt text) so a class of up to ~60 fits.
    row_h = max(9.0, min(15.0, SHEET_HEIGHT / (n + 1)))
    size = 8.0 if row_h >= 12 else 7.0 if row_h >= 10 else 6.2
    cell = ST.cell_c.clone("sheet", fontSize=size, leading=size + 1.5)
    cell_l = ST.cell.clone("sheet_l", fontSize=size, leading=size + 1.5)
    head = ST.head_c.clone("sheet_h", fontSize=size, leading=size + 1.5)
    names = ["序号", "姓名", "学籍号"] + [d.short_zh or d.name_zh[:1] for d in rub.dims] + [
        "综合", "获奖", "国家/省级", "科创", "评语"]
    rows = [[TextLine(x, head) for x in names]]
    for i, p in enumerate(people, 1):
        top = sum(1 for a in p.awards if a.level in ("international", "national", "provincial"))
        overall = rub.level_for(p.overall) if p.overall is not None else "—"
        values = [str(i), p.name, p.national_student_no] + _levels(batch, p) + [
            overall, str(len(p.awards)), str(top), str(len(p.projects)), "已填" if p.adviser_comment else "未填"]
        rows.append([TextLine(v, cell_l, "left", max_height=row_h - 2) if k == 1 else TextLine(v, cell)
                     for k, v in enumerate(values)])
    widths = [24, 50, 104] + [20] * len(rub.dims) + [28, 26, 42, 26, 30]
    scale = CONTENT_W / sum(widths)
    extra = [("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    extra += [("TEXTCOLOR", (-1, r), (-1, r), colors.HexColor("#C62828"))
              for r, p in enumerate(people, 1) if not p.adviser_comment]
    t = Table(rows, colWidths=[w * scale for w in widths], rowHeights=[row_h] * len(rows), repeatRows=1)
    t.setStyle(table_style(extra=extra))
    level_words = "，".join(f"{lv.code} {lv.label_zh}" for lv in rub.levels)
    dims = "，".join(f"{d.short_zh} {d.name_zh}" for d in rub.dims if d.short_zh)
    legend = (f"等级：{level_words}。维度：{dims}。未标 * 的为班主任评定等级，标 * 的为按本学期过程性评价得分折算的等级。"
              "获奖为本学期获奖项数，科创为本学期参与的项目数。")
    return [Marker(meta, outline), SetKind("body"),
            para(f"{class_name} 学生综合素质评价汇总表", ST.title),
            para(f"{batch.school_name}　{batch.term.label}　共 {len(people)} 人", ST.small.clone("c", alignment=1)),
            Spacer(1, 3 * mm), t, Spacer(1, 2 * mm), para(legend, ST.small)]
