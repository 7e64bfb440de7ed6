"""Floor for `portfolio --grade`: the same elements as the app's term portfolio, drawn with
bare ReportLab (platypus, reportlab.graphics, a numbering canvas) from data read with bare
sqlite3. Per student: a cover (double border, school, spaced title, rule, subtitles, a dashed
photo box, a six-line information table), then the body pages with a running header and a
"第 x 页 共 y 页" footer numbered per student: the score table (8 dimensions and the overall,
this term, level, previous term, change) beside a radar (rings, spokes, labels, this and the
previous term), the growth charts (the overall and one small line chart per dimension over the
terms), the projects (information table, summary), the awards table, the self-records table,
the evaluations by role with the comments, the adviser's comment in a box, the signature lines
with the seal circle; a bookmark per student. One font (the bundled Chinese one) instead of
the Chinese font has no Latin digits or letters, so ASCII runs are set in the bundled Latin
font (DejaVu), as the app does. No value-added rules, no draft watermark, no class sheets.

    python bench/floors/floor_portfolio.py SCHOOL.db TERM GRADE OUT.pdf
"""
import json
import math
import re
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (Flowable, HRFlowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
                                Table, TableStyle)

db, term, grade, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
pdfmetrics.registerFont(TTFont("F", str(next(FONTS.glob("DroidSansFallback*.ttf")))))
pdfmetrics.registerFont(TTFont("L", str(FONTS / "DejaVuSans.ttf")))
ASCII = re.compile(r"[\x21-\x7e][\x20-\x7e]*")


def runs(text: str):
    """(font, chunk): ASCII runs in the Latin font, the rest in the Chinese one."""
    out, at = [], 0
    for m in ASCII.finditer(text):
        if m.start() > at:
            out.append(("F", text[at:m.start()]))
        out.append(("L", m.group()))
        at = m.end()
    if at < len(text):
        out.append(("F", text[at:]))
    return out


def markup(text: str) -> str:
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ASCII.sub(lambda m: f'<font face="L">{m.group()}</font>', esc).replace("\n", "<br/>")


def mixed(c, x, y, text, size, align="left"):
    width = sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs(text))
    x -= width if align == "right" else width / 2 if align == "centre" else 0
    t = c.beginText(x, y)
    for f, chunk in runs(text):
        t.setFont(f, size)
        t.textOut(chunk)
    c.drawText(t)
INK, ACCENT, GRID, MUTED, LIGHT = (colors.HexColor(c) for c in ("#1F3B5C", "#2E75B6", "#C9D3DF", "#6B7785", "#EEF3F9"))


def st(name, size, leading, **kw):
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName="F", fontSize=size, leading=leading, wordWrap="CJK", **kw)


BODY, SMALL, CELL, TITLE = st("b", 9.5, 15.5), st("s", 8, 11.5, textColor=MUTED), st("c", 8.5, 11.5), st("t", 15, 22, alignment=1)
BOX = st("box", 9.5, 17, backColor=LIGHT, borderColor=GRID, borderWidth=0.6, borderPadding=8, firstLineIndent=19)
GRID_STYLE = TableStyle([("FONT", (0, 0), (-1, -1), "F", 8.5), ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                         ("BACKGROUND", (0, 0), (-1, 0), INK), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                         ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])

con = sqlite3.connect(db)
school = con.execute("SELECT value FROM gd_setting WHERE key = 'school_name'").fetchone()[0]
year = con.execute("SELECT school_year FROM term WHERE code = ?", (term,)).fetchone()[0]
terms = [r[0] for r in con.execute("SELECT code FROM term WHERE code <= ? ORDER BY code", (term,))]
dims = [(d["code"], d["name_zh"], d.get("weight", 0)) for d in json.loads(
    con.execute("SELECT document FROM rubric WHERE active = 1").fetchone()[0])["dimensions"]]
students = con.execute(
    "SELECT s.id, s.name, s.gender, s.national_student_no, c.class_no, c.adviser_name FROM student s "
    "JOIN enrollment e ON e.student_id = s.id JOIN school_class c ON c.id = e.class_id WHERE c.school_year = ? "
    "AND c.grade = ? AND s.deleted = 0 AND e.deleted = 0 ORDER BY c.class_no, s.national_student_no",
    (year, grade)).fetchall()
scores, evals = defaultdict(lambda: defaultdict(list)), defaultdict(list)
for sid, t, dim, score, role, who, comment, day in con.execute(
        "SELECT student_id, term_code, dimension, score, evaluator_role, evaluator_name, comment, eval_date "
        "FROM process_evaluation WHERE deleted = 0"):
    scores[sid][(t, dim)].append(score)
    if t == term:
        evals[sid].append((dim, role, who, comment, day, score))
awards = defaultdict(list)
for sid, name, level, award, day, no in con.execute(
        "SELECT m.student_id, c.name, r.level, r.award, r.award_date, r.certificate_no FROM competition_result_member m "
        "JOIN competition_result r ON r.id = m.result_id JOIN competition c ON c.id = r.competition_id "
        "WHERE m.deleted = 0 AND r.deleted = 0 AND r.term_code = ?", (term,)):
    awards[sid].append((name, level, award, str(day), no or ""))
projects = defaultdict(list)
for sid, title, kind, status, summary, role in con.execute(
        "SELECT m.student_id, p.title, p.kind, p.status, p.summary, m.role FROM project_member m "
        "JOIN innovation_project p ON p.id = m.project_id WHERE m.deleted = 0 AND p.deleted = 0 AND p.term_code = ?", (term,)):
    projects[sid].append((title, kind, status, summary or "", role))
records = defaultdict(list)
for sid, title, day, place, hours, role in con.execute(
        "SELECT student_id, title, activity_date, place, hours, role FROM self_record WHERE term_code = ? "
        "AND deleted = 0 AND state = 'approved'", (term,)):
    records[sid].append((title, str(day), place or "", hours, role or ""))
comments = {sid: (c, w) for sid, c, w in con.execute(
    "SELECT student_id, comment, adviser_name FROM term_evaluation WHERE term_code = ? AND deleted = 0", (term,))}
con.close()


def mean(v):
    return sum(v) / len(v) if v else None


def radar(now: list, before: list) -> Drawing:
    d, n, cx, cy, r = Drawing(190, 190), len(dims), 95, 91, 61

    def pt(i, v):
        a = math.pi / 2 - 2 * math.pi * i / n
        return cx + r * v / 100 * math.cos(a), cy + r * v / 100 * math.sin(a)
    for ring in (20, 40, 60, 80, 100):
        d.add(Polygon([c for i in range(n) for c in pt(i, ring)], strokeColor=GRID, strokeWidth=0.5, fillColor=None))
        d.add(String(cx + 2, cy + r * ring / 100 + 1, str(ring), fontName="L", fontSize=5.5, fillColor=MUTED))
    for i, (_c, name, _w) in enumerate(dims):
        d.add(Line(cx, cy, *pt(i, 100), strokeColor=GRID, strokeWidth=0.5))
        x, y = pt(i, 116)
        d.add(String(x, y - 3, name, fontName="F", fontSize=8, textAnchor="middle", fillColor=INK))
    if any(v is not None for v in before):
        d.add(Polygon([c for i, v in enumerate(before) if v is not None for c in pt(i, v)], strokeColor=colors.red,
                      strokeWidth=1.4, fillColor=None, strokeDashArray=(3, 2)))
    pts = [c for i, v in enumerate(now) if v is not None for c in pt(i, v)]
    if len(pts) >= 6:
        d.add(Polygon(pts, strokeColor=ACCENT, strokeWidth=1.4, fillColor=colors.Color(0.18, 0.46, 0.71, alpha=0.22)))
        for k in range(0, len(pts), 2):
            d.add(Circle(pts[k], pts[k + 1], 1.8, fillColor=ACCENT, strokeColor=colors.white, strokeWidth=0.4))
    d.add(Line(60, 2.5, 76, 2.5, strokeColor=ACCENT, strokeWidth=1.6))
    d.add(String(80, 0, "本学期", fontName="F", fontSize=7.5, fillColor=INK))
    return d


def line_chart(title: str, values: list, width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    left, right, bottom, top = 24, width - 10, 18, height - 20
    d.add(Rect(0, 0, width, height, strokeColor=GRID, strokeWidth=0.5, fillColor=colors.HexColor("#FAFBFD")))
    d.add(String(6, height - 12, title, fontName="F", fontSize=8.5, fillColor=INK))
    for tick in range(50, 101, 10 if top - bottom > 60 else 25):
        y = bottom + (tick - 50) / 50 * (top - bottom)
        d.add(Line(left, y, right, y, strokeColor=GRID, strokeWidth=0.3))
        d.add(String(left - 3, y - 2, str(tick), fontName="L", fontSize=5.5, textAnchor="end", fillColor=MUTED))
    xs = [left + (right - left) * (i + 0.5) / len(terms) for i in range(len(terms))]
    for x, t in zip(xs, terms):
        d.add(String(x, bottom - 10, t[2:4] + t[-1], fontName="L", fontSize=6, textAnchor="middle", fillColor=MUTED))
    pts = [(x, bottom + (max(50, min(100, v)) - 50) / 50 * (top - bottom), v) for x, v in zip(xs, values) if v is not None]
    if len(pts) > 1:
        d.add(PolyLine([c for x, y, _v in pts for c in (x, y)], strokeColor=ACCENT, strokeWidth=1.3))
    for x, y, v in pts:
        d.add(Circle(x, y, 1.9, fillColor=ACCENT, strokeColor=colors.white, strokeWidth=0.4))
        d.add(String(x, y + 4, f"{v:.0f}", fontName="L", fontSize=6, textAnchor="middle", fillColor=INK))
    return d


class Mark(Flowable):
    """Which student the following pages belong to (numbering and header), and a bookmark."""

    def __init__(self, key, name, kind):
        super().__init__()
        self.key, self.name, self.kind = key, name, kind

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        self.canv.page_info = (self.key, self.name, self.kind)
        if self.kind == "cover":
            self.canv.bookmarkPage(self.key)
            self.canv.addOutlineEntry(self.name, self.key, level=0)


class NumberedCanvas(Canvas):
    """ReportLab's numbered-canvas recipe: pages kept until save, then numbered per student."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.pages, self.page_info = [], None

    def showPage(self):
        self.pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        totals = defaultdict(int)
        for p in self.pages:
            totals[p["page_info"][0]] += 1
        seen = defaultdict(int)
        for p in self.pages:
            self.__dict__.update(p)
            key, name, kind = self.page_info
            seen[key] += 1
            self.setFont("F", 8.5)
            self.setFillColor(MUTED)
            if kind == "cover":
                self.setStrokeColor(INK)
                self.rect(12 * mm, 20 * mm, A4[0] - 24 * mm, A4[1] - 32 * mm)
                self.setStrokeColor(ACCENT)
                self.rect(14 * mm, 22 * mm, A4[0] - 28 * mm, A4[1] - 36 * mm)
            else:
                mixed(self, 18 * mm, A4[1] - 13 * mm, school, 8.5)
                mixed(self, A4[0] - 18 * mm, A4[1] - 13 * mm, f"{name}  学生成长档案", 8.5, "right")
                self.line(18 * mm, A4[1] - 13 * mm - 4, A4[0] - 18 * mm, A4[1] - 13 * mm - 4)
            self.line(18 * mm, 11 * mm + 10, A4[0] - 18 * mm, 11 * mm + 10)
            mixed(self, A4[0] / 2, 11 * mm, f"第 {seen[key]} 页 共 {totals[key]} 页", 8.5, "centre")
            mixed(self, A4[0] - 18 * mm, 11 * mm, "打印日期：2026年12月1日", 8, "right")
            Canvas.showPage(self)
        Canvas.save(self)


def photo() -> Drawing:
    d = Drawing(35 * mm, 49 * mm)
    d.add(Rect(0, 0, 35 * mm, 49 * mm, strokeColor=MUTED, strokeDashArray=(3, 2), fillColor=None))
    d.add(String(17.5 * mm, 24.5 * mm, "照 片", fontName="F", fontSize=11, textAnchor="middle", fillColor=MUTED))
    return d


def P(text, style=CELL):
    return Paragraph(markup(str(text)), style)


def grid(rows, widths, **kw) -> Table:
    """A table whose one-font cells stay plain strings (ASCII ones in the Latin font, set per
    cell); only cells mixing Chinese and Latin text become Paragraphs. The first row is the
    header (white on ink)."""
    cmds, out = list(GRID_STYLE.getCommands()), []
    for r, row in enumerate(rows):
        line = []
        for c, v in enumerate(row):
            if isinstance(v, str) and r and ASCII.fullmatch(v):
                cmds.append(("FONT", (c, r), (c, r), "L", 8.5))
            elif isinstance(v, str) and r and ASCII.search(v):
                v = P(v)
            line.append(v)
        out.append(line)
    return Table(out, colWidths=widths, style=TableStyle(cmds), **kw)


story = []
for sid, name, gender, no, class_no, adviser in students:
    label = f"初{'一二三'[grade - 7] if 7 <= grade <= 9 else grade}({class_no})班"
    info = [("姓　　名", name), ("性　　别", "男" if gender == "M" else "女"), ("班　　级", label), ("学 籍 号", no or "—"),
            ("班 主 任", adviser or "—"), ("学　　期", term)]
    fields = Table([[P(k), P(v, st("v", 12, 15))] for k, v in info], colWidths=[22 * mm, 72 * mm],
                   rowHeights=[10 * mm] * 6, style=[("LINEBELOW", (1, 0), (1, -1), 0.6, INK)])
    story += [Mark(sid, name, "cover"), Spacer(1, 24 * mm), P(school, st("sc", 19, 26, alignment=1)), Spacer(1, 14 * mm),
              P("学 生 成 长 档 案", st("big", 34, 48, alignment=1)), HRFlowable(width="30%", thickness=1.2, color=ACCENT),
              P("学期综合素质评价报告", TITLE), P(term, TITLE), Spacer(1, 26 * mm),
              Table([[photo(), fields]], colWidths=[50 * mm, 96 * mm]), Spacer(1, 30 * mm), P(f"{school}　制", TITLE),
              PageBreak(), Mark(sid, name, "body")]
    now = [mean(scores[sid][(term, c)]) for c, _n, _w in dims]
    prev = [mean(scores[sid][(terms[-2], c)]) for c, _n, _w in dims] if len(terms) > 1 else [None] * len(dims)
    rows = [["评价维度", "本学期", "等级", "上学期", "增值"]]
    for (c, n, _w), a, b in zip(dims, now, prev):
        rows.append([n, f"{a:.1f}" if a is not None else "—", "A" if (a or 0) >= 85 else "B",
                     f"{b:.1f}" if b is not None else "—", f"{a - b:+.1f}" if a is not None and b is not None else "—"])
    overall = sum((a or 0) * w for a, (_c, _n, w) in zip(now, dims))
    rows.append(["综合得分", f"{overall:.1f}", "", "", ""])
    scores_t = grid(rows, [60, 44, 38, 44, 52])
    story += [P("一、综合素质评价", st("h", 12.5, 24)), Table([[scores_t, radar(now, prev)]], colWidths=[246, 260]),
              P("得分为本学期各评价主体过程性评价的加权平均（满分 100），综合得分按各维度权重计算。", SMALL)]
    history = {t: [mean(scores[sid][(t, c)]) for c, _n, _w in dims] for t in terms}
    total = [sum((v or 0) * w for v, (_c, _n, w) in zip(history[t], dims)) or None for t in terms]
    smalls = [line_chart(n, [history[t][i] for t in terms], 126, 84) for i, (_c, n, _w) in enumerate(dims)]
    story += [P("二、成长轨迹", st("h", 12.5, 24)), KeepTogether([line_chart("综合得分", total, 510, 100),
              Table([smalls[i:i + 4] for i in range(0, len(smalls), 4)], colWidths=[127.5] * 4)]),
              P(f"共 {len(terms)} 个学期有评价记录。", SMALL)]
    story.append(P("三、科创项目", st("h", 12.5, 24)))
    for title, kind, status, summary, role in projects[sid] or [("（无）", "", "", "", "")]:
        story += [P(title, st("pt", 11, 16, textColor=ACCENT)),
                  grid([["项目", title], ["项目类型", f"{kind} · {status}"], ["本人角色", role]], [62, 448])]
        if summary:
            story.append(P(f"项目简介：{summary}", BODY))
    story += [P("四、竞赛获奖", st("h", 12.5, 24)), P(f"本学期共获奖 {len(awards[sid])} 项。", BODY)]
    if awards[sid]:
        story.append(grid([["序号", "竞赛名称 / 作品", "级别", "奖项", "获奖日期"]] +
                          [[str(i), P(a[0] + (f"\n证书编号：{a[4]}" if a[4] else "")), a[1], a[2], a[3]]
                           for i, a in enumerate(awards[sid], 1)], [26, 220, 60, 60, 80], repeatRows=1))
    story += [P("五、写实记录", st("h", 12.5, 24)), P(f"本学期经审核通过的写实记录 {len(records[sid])} 条。", BODY)]
    if records[sid]:
        story.append(grid([["序号", "活动内容", "时间", "地点", "时长", "角色"]] +
                          [[str(i), P(r[0]), r[1], P(r[2]), f"{r[3]:g} 小时" if r[3] else "—", P(r[4])]
                           for i, r in enumerate(records[sid], 1)], [26, 190, 78, 80, 50, 86], repeatRows=1))
    roles = sorted({e[1] for e in evals[sid]})
    by = defaultdict(list)
    for dim, role, _w, _c, _d, score in evals[sid]:
        by[(dim, role)].append(score)
    story += [P("六、过程性评价", st("h", 12.5, 24)), P(f"本学期共有过程性评价 {len(evals[sid])} 条。", BODY)]
    if roles:
        story.append(grid([["评价维度"] + roles] + [[n] + [f"{mean(by[(c, r)]):.1f}（{len(by[(c, r)])}次）"
                                                         if by[(c, r)] else "—" for r in roles] for c, n, _w in dims],
                          [62] + [448 / len(roles)] * len(roles)))
    for dim, role, who, comment, day, _s in evals[sid]:
        if comment:
            story.append(P(f"【{dim} · {role} · {who} · {day}】{comment}", BODY))
    text, who = comments.get(sid, ("", ""))
    story += [P("七、班主任评语", st("h", 12.5, 24)), P(text or "班主任尚未填写本学期评语。", BOX),
              P(f"班主任：{who}", st("r", 9.5, 15, alignment=2))]
    sign = Drawing(510, 40 * mm)
    for k, who in enumerate(("学生签名", "家长签名", "班主任签名")):
        y = 40 * mm - 9 * mm - k * 12 * mm
        sign.add(String(0, y, f"{who}：", fontName="F", fontSize=10.5, fillColor=INK))
        sign.add(Line(24 * mm, y - 2, 78 * mm, y - 2, strokeColor=INK, strokeWidth=0.6))
    sign.add(Circle(510 - 24 * mm, 20 * mm, 17 * mm, strokeColor=colors.red, strokeDashArray=(3, 2), fillColor=None))
    story += [P("签字确认", st("h", 12.5, 24)), P("本人已阅读本学期成长档案。", SMALL), sign, PageBreak()]

doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=22 * mm,
                        bottomMargin=20 * mm, title="grade", author=school)
doc.build(story, canvasmaker=NumberedCanvas)
