"""Exports of the district statistics: an Excel workbook (through ``sheets.writer``) and a PDF
report with a bar chart and a table per statistic (ReportLab, bundled fonts)."""

from __future__ import annotations

from pathlib import Path

from ..sheets.writer import FLOAT_FORMAT, PERCENT_FORMAT, Styled, write_table_workbook
from .cultivation import NOTICE, NOTICE_EN
from .report import CULTIVATION_COLUMNS, META, SCHOOL_COLUMNS, cell_text

SERIES_COLOURS = ["#2F6FB3", "#E08A2E", "#4E9A57", "#B8463F", "#7E5AA6"]


# ---------------------------------------------------------------- Excel

def _xlsx_value(value, kind: str):
    if value is None:
        return None
    if kind == "share":
        return Styled(value, PERCENT_FORMAT)
    if kind == "float":
        return Styled(value, FLOAT_FORMAT)
    if kind == "list":
        return "；".join(str(v) for v in value)
    return value


def _sheet(title: str, columns, rows):
    return (title, [c.zh for c in columns], [[_xlsx_value(r.get(c.key), c.kind) for c in columns] for r in rows])


def write_xlsx(report: dict, path: str | Path) -> Path:
    """One sheet per statistic, plus 说明 (filters, notice), 学校 (sync status), 培养名单."""
    about = [["生成时间", report.get("generated_local") or report["generated_at"]], ["筛选条件", report["filters_text"]],
             ["培养名单说明", f"{NOTICE}（{NOTICE_EN}）"]]
    sheets = [("说明", ["项目", "内容"], about), _sheet("学校", SCHOOL_COLUMNS, report["schools"])]
    for key, rows in report["statistics"].items():
        meta = META[key]
        sheets.append(_sheet(meta.title_zh, meta.columns, rows))
    cult = report["cultivation"]
    title, headers, rows = _sheet("培养名单", CULTIVATION_COLUMNS, cult["students"])
    legend = [[f"※ {NOTICE}"] + [""] * (len(headers) - 1)]
    legend += [[f"规则 {r['code']}", f"{r['label_zh']}：{r['description']}"] + [""] * (len(headers) - 2)
               for r in cult["rules"]]
    sheets.append((title, headers, legend + rows))
    sheets += _process_sheets(report)
    return write_table_workbook(path, sheets)


def _process_sheets(report: dict) -> list:
    """综评进度: per school the classes at each step, then each class with its step."""
    from ..services.views import term_label
    from .process import PROCESS_CLASS_COLUMNS, PROCESS_SCHOOL_COLUMNS, class_rows, school_rows
    process = report.get("archive_process")
    if not process:
        return []
    title, head, rows = _sheet("综评进度", PROCESS_SCHOOL_COLUMNS, school_rows(process))
    _, class_head, classes = _sheet("", PROCESS_CLASS_COLUMNS, class_rows(process))
    gap = [[""] * len(head)]
    pad = [""] * (len(head) - len(class_head))
    rows = rows + gap + [[f"各班进度（{term_label(process['term'], 'zh_CN')}）"] + [""] * (len(head) - 1)] + [class_head + pad] + \
        [r + pad for r in classes]
    return [(title, head, rows)]


# ---------------------------------------------------------------- PDF

def _bar_chart(meta, rows, width: float):
    """A horizontal grouped bar chart as a ReportLab Flowable, labels drawn with fonts.runs."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Flowable

    from ..reports import fonts

    series = [c for c in meta.columns if c.key in meta.values]
    rows = [r for r in rows if any(r.get(s.key) is not None for s in series)][:25]
    bar_h, gap, label_w, size = 7, 5, 110, 7
    top_pad = 16

    class Chart(Flowable):
        def wrap(self, *_):
            self.height = top_pad + len(rows) * (len(series) * bar_h + gap) + 4
            return width, self.height

        def draw(self):
            c = self.canv
            values = [abs(r.get(s.key) or 0) for r in rows for s in series]
            top = max(values, default=0) or 1
            neg = any((r.get(s.key) or 0) < 0 for r in rows for s in series)
            plot_w = width - label_w - 50
            zero = label_w + (plot_w / 2 if neg else 0)
            scale = (plot_w / 2 if neg else plot_w) / top
            x = label_w
            for i, s in enumerate(series):  # legend
                c.setFillColor(HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]))
                c.rect(x, self.height - 9, 8, 6, stroke=0, fill=1)
                c.setFillColor(HexColor("#000000"))
                fonts.draw_string(c, x + 11, self.height - 9, s.zh, size)
                x += 20 + fonts.string_width(s.zh, size)
            y = self.height - top_pad
            for r in rows:
                label = str(r.get(meta.label) or "")[:14]
                y_group = y - len(series) * bar_h
                fonts.draw_string(c, label_w - 4, y_group + (len(series) * bar_h) / 2 - 2, label, size, "right")
                for i, s in enumerate(series):
                    v = r.get(s.key) or 0
                    y -= bar_h
                    c.setFillColor(HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]))
                    w = v * scale
                    c.rect(zero if w >= 0 else zero + w, y + 1, abs(w), bar_h - 2, stroke=0, fill=1)
                    c.setFillColor(HexColor("#000000"))
                    fonts.draw_string(c, zero + max(w, 0) + 3, y + 1.5, cell_text(r.get(s.key), s.kind), size - 1)
                y -= gap
            c.setStrokeColor(HexColor("#808080"))
            c.line(zero, y + gap, zero, self.height - top_pad)

    return Chart()


def _table(columns, rows, width: float, styles):
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph, Table, TableStyle

    from ..reports import fonts

    from reportlab.pdfbase.pdfmetrics import stringWidth

    head = [Paragraph(fonts.markup(c.zh), styles["head"]) for c in columns]
    cell = styles["cell"]
    texts = [[cell_text(r.get(c.key), c.kind) for c in columns] for r in rows]
    wide = [c.kind in ("text", "list") for c in columns]
    # A number is one unbreakable word: its column is as wide as its widest value (a number
    # never wraps mid-number); text and list columns share what is left, lists getting more.
    pad = 14.0  # the cell paddings (6 + 6) and a little air
    need = [max([stringWidth(str(row[j]), cell.fontName, cell.fontSize) + pad for row in texts] +
                [stringWidth("0000", cell.fontName, cell.fontSize) + pad]) for j in range(len(columns))]
    fixed = sum(n for n, w in zip(need, wide) if not w)
    weights = [{"text": 1.6, "list": 2.4}.get(c.kind, 1.0) for c in columns]
    free = max(width - fixed, 0.0)
    total_w = sum(w for w, is_wide in zip(weights, wide) if is_wide) or 1.0
    widths = [free * w / total_w if is_wide else n for w, n, is_wide in zip(weights, need, wide)]
    if not any(wide):
        widths = [width * n / (fixed or 1.0) for n in need]
    body = [[Paragraph(fonts.markup(text), cell) for text in row] for row in texts]
    t = Table([head] + body, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, HexColor("#A0A0A0")),
                           ("BACKGROUND", (0, 0), (-1, 0), HexColor("#DDEBF7")),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return t


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    from ..reports import fonts

    name = fonts.register_reportlab_font()
    return {"title": ParagraphStyle("t", fontName=name, fontSize=16, leading=22, spaceAfter=6),
            "h": ParagraphStyle("h", fontName=name, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4),
            "p": ParagraphStyle("p", fontName=name, fontSize=9, leading=13),
            "notice": ParagraphStyle("n", fontName=name, fontSize=10, leading=14, textColor="#B8463F"),
            "head": ParagraphStyle("hd", fontName=name, fontSize=7.5, leading=9.5),
            "cell": ParagraphStyle("c", fontName=name, fontSize=7.5, leading=9.5)}


def _process_story(report: dict, width: float, st) -> list:
    """综评档案进度: the classes at each step per school, then every class with its step."""
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    from ..reports import fonts
    from ..services.views import term_label
    from .process import PROCESS_CLASS_COLUMNS, PROCESS_SCHOOL_COLUMNS, PROCESS_TITLE, class_rows, school_rows
    process = report.get("archive_process")
    if not process:
        return []
    m = fonts.markup
    out = [PageBreak(), Paragraph(m(PROCESS_TITLE), st["h"]),
           Paragraph(m(f"学期：{term_label(process['term'], 'zh_CN')}。各班所处环节按本学期的遴选、公示期、未处理异议和"
                       f"签字记录计算；只统计已通过审核的记录。"), st["p"]), Spacer(1, 4)]
    if not process.get("schools"):
        return out + [Paragraph(m("本学期还没有学校的班级数据。"), st["p"])]
    out += [_table(PROCESS_SCHOOL_COLUMNS, school_rows(process), width, st), Spacer(1, 8),
            Paragraph(m("各班进度"), st["h"]), _table(PROCESS_CLASS_COLUMNS, class_rows(process), width, st)]
    return out


def write_pdf(report: dict, path: str | Path) -> Path:
    """A4 report: filters, school sync status, each statistic as chart + table, cultivation list."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    from ..reports import fonts

    from ..outfiles import atomic_output

    path = Path(path)
    st = _styles()
    width = A4[0] - 30 * mm
    m = fonts.markup
    story = [Paragraph(m("区域学生成长档案统计报告"), st["title"]),
             Paragraph(m(f"筛选条件：{report['filters_text']}"), st["p"]),
             Paragraph(m(f"生成时间：{report.get('generated_local') or report['generated_at']}"), st["p"]),
             Paragraph(m("学校数据报送情况"), st["h"]),
             _table(SCHOOL_COLUMNS, report["schools"], width, st)]
    for key, rows in report["statistics"].items():
        meta = META[key]
        story.append(KeepTogether([Paragraph(m(meta.title_zh), st["h"]), _bar_chart(meta, rows, width), Spacer(1, 4)]))
        story.append(_table(meta.columns, rows, width, st))
    cult = report["cultivation"]
    story += [PageBreak(), Paragraph(m("科创人才培养名单"), st["h"]),
              Paragraph(m(f"※ {NOTICE}"), st["notice"])]
    story += [Paragraph(m(f"规则 {r['code']}：{r['label_zh']}（{r['description']}）"), st["p"]) for r in cult["rules"]]
    story += [Spacer(1, 4), _table(CULTIVATION_COLUMNS, cult["students"], width, st)]
    story += _process_story(report, width, st)

    def footer(canvas, doc):
        canvas.saveState()
        fonts.draw_string(canvas, A4[0] / 2, 8 * mm, f"GrowthDesk 区域统计 · 第 {doc.page} 页 · {NOTICE}", 7, "centre")
        canvas.restoreState()

    with atomic_output(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                bottomMargin=15 * mm, title="区域统计报告", author="GrowthDesk")
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path
