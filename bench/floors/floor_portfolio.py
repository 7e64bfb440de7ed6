"""Floor for `portfolio --grade`: the same students' term portfolio elements drawn with bare
ReportLab and read with bare sqlite3 — a title, an information table, a radar polygon and a
growth line per student, the awards table, the process-evaluation comments by dimension, the
adviser's comment and the signature lines, with the same embedded TrueType fonts. No layout
helpers, no value-added or averages, no bookmarks: what any report of this content must do.

    python bench/floors/floor_portfolio.py SCHOOL.db TERM GRADE OUT.pdf
"""
import math
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Polygon, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

db, term, grade, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
pdfmetrics.registerFont(TTFont("F", str(next(FONTS.glob("DroidSansFallback*.ttf")))))
style = ParagraphStyle("b", fontName="F", fontSize=9.5, leading=15, wordWrap="CJK")
title = ParagraphStyle("t", fontName="F", fontSize=18, leading=26, alignment=1)
grid = TableStyle([("FONT", (0, 0), (-1, -1), "F", 9), ("GRID", (0, 0), (-1, -1), 0.5, "#888888")])

con = sqlite3.connect(db)
year = con.execute("SELECT school_year FROM term WHERE code = ?", (term,)).fetchone()[0]
students = con.execute("SELECT s.id, s.name, s.gender, c.class_no FROM student s JOIN enrollment e ON e.student_id = s.id"
                       " JOIN school_class c ON c.id = e.class_id WHERE c.school_year = ? AND c.grade = ?"
                       " AND s.deleted = 0 AND e.deleted = 0 ORDER BY c.class_no, s.name", (year, grade)).fetchall()
evals, awards, comments = defaultdict(list), defaultdict(list), {}
for sid, dim, level, score, role, comment in con.execute(
        "SELECT student_id, dimension, level, score, evaluator_role, comment FROM process_evaluation "
        "WHERE term_code = ? AND deleted = 0", (term,)):
    evals[sid].append((dim, level, score, role, comment))
for sid, name, level, award, day in con.execute(
        "SELECT m.student_id, c.name, r.level, r.award, r.award_date FROM competition_result_member m "
        "JOIN competition_result r ON r.id = m.result_id JOIN competition c ON c.id = r.competition_id "
        "WHERE m.deleted = 0 AND r.deleted = 0"):
    awards[sid].append([name, level, award, str(day)])
for sid, comment in con.execute("SELECT student_id, comment FROM term_evaluation WHERE term_code = ?", (term,)):
    comments[sid] = comment


def radar(scores: dict) -> Drawing:
    d = Drawing(220, 200)
    dims = sorted(scores) or ["moral"]
    pts = []
    for i, dim in enumerate(dims):
        a = 2 * math.pi * i / len(dims)
        r = 80 * scores.get(dim, 0) / 100
        pts += [110 + r * math.sin(a), 100 + r * math.cos(a)]
        d.add(Line(110, 100, 110 + 80 * math.sin(a), 100 + 80 * math.cos(a)))
        d.add(String(110 + 90 * math.sin(a), 100 + 90 * math.cos(a), dim, fontName="F", fontSize=7))
    d.add(Polygon(pts, fillColor=None))
    d.add(PolyLine([10, 10, 70, 40, 130, 30, 190, 60]))
    return d


story = []
for sid, name, gender, class_no in students:
    story += [Paragraph(f"学生成长档案 {name}", title), Spacer(1, 12),
              Table([["姓名", name, "性别", gender], ["班级", f"{grade}年级({class_no})班", "学期", term]],
                    colWidths=[60, 160, 60, 160], style=grid)]
    scores = defaultdict(list)
    for dim, level, score, role, comment in evals[sid]:
        scores[dim].append(score)
    story.append(radar({k: sum(v) / len(v) for k, v in scores.items()}))
    story.append(PageBreak())
    if awards[sid]:
        story.append(Table([["竞赛", "级别", "奖项", "日期"]] + awards[sid], colWidths=[220, 60, 60, 80],
                           style=grid, repeatRows=1))
    for dim, level, score, role, comment in evals[sid]:
        if comment:
            story.append(Paragraph(f"{dim} {level} {role}：{comment}", style))
    story.append(Paragraph(f"班主任评语：{comments.get(sid, '')}", style))
    story.append(Table([["学生签名", "", "班主任签名", "", "学校盖章", ""]], style=grid))
    story.append(PageBreak())
doc = SimpleDocTemplate(out, pagesize=A4)
doc.build(story)
con.close()
