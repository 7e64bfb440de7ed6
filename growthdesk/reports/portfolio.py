"""The term portfolio of one student (学期成长档案) as Platypus flowables.

``student_story()`` turns one ``StudentPortfolio`` into a cover and the sections below; it does
no database work. Tables repeat their header row and split by row, paragraphs wrap Chinese, so
long comments and 30 awards flow onto further pages instead of overflowing.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from ..models.enums import (AWARDS, EVALUATOR_ROLES, GENDERS, GROWTH_ACTIVITIES, LEVELS, MEMBER_STATUSES,
                            OUTCOME_KINDS, PROGRAMME_EVAL_KINDS, PROGRAMME_EVAL_RESULTS, PROGRAMME_TIERS, PROJECT_KINDS,
                            PROJECT_LOG_STAGES, PROJECT_MEMBER_ROLES, PROJECT_STATUSES, label)
from . import charts
from .charts import ACCENT, GRID, INK, MUTED
from .data import Batch, StudentPortfolio
from .fonts import FONT_NAME, draw_string
from .labels import short_term, zh_date
from .layout import CONTENT_W, LIGHT, SEAL_RED, Marker, PageMeta, SectionTitle, SetKind, Styles, TextLine, para

ST = Styles()
ZH_NUM = "一二三四五六七八九十"
GAIN = colors.HexColor("#2E7D32")
LOSS = colors.HexColor("#C62828")
_GAIN = ST.cell_c.clone("gain", textColor=GAIN)
_LOSS = ST.cell_c.clone("loss", textColor=LOSS)
_SAME = ST.cell_c.clone("same", textColor=MUTED)


def student_meta(batch: Batch, p: StudentPortfolio) -> PageMeta:
    right = "  ".join(x for x in (p.name, p.class_label, "学生成长档案") if x)
    return PageMeta(f"student:{p.student_id}", "cover", batch.school_name, right, batch.term.label, p.name,
                    watermark="草稿" if p.draft else "")


def student_story(batch: Batch, p: StudentPortfolio, outline: list[tuple[str, int]], on_draw=None) -> list[Flowable]:
    """Cover + sections for one student, starting on a fresh page."""
    story: list[Flowable] = [Marker(student_meta(batch, p), outline, on_draw)]
    story += cover(batch, p)
    story += [PageBreak(), SetKind("body")]
    if p.is_empty:
        return story + empty_notice(batch, p) + signatures(p)
    sections = [scores_section, growth_section, projects_section, awards_section, self_records_section,
                evaluations_section, adviser_section]
    if p.amendments:
        sections.append(amendments_section)
    if p.programmes:  # members of a cultivation programme get its section after their self records
        sections.insert(sections.index(evaluations_section), programmes_section)
    for n, make in enumerate(sections):
        content = make(batch, p)
        # The title is kept with the section's first block (keepWithNext cannot do this when that
        # block is itself a KeepTogether, and KeepTogethers must not nest: they report a huge
        # height to force a split), so a heading never sits alone at a page foot.
        first = content[0]._content if isinstance(content[0], KeepTogether) else [content[0]]
        story += [KeepTogether([SectionTitle(f"{ZH_NUM[n]}、{make.title}")] + first)] + content[1:]
        story.append(Spacer(1, 8))
    return story + signatures(p)


def style(cmds) -> TableStyle:
    """A TableStyle whose text font is ours: plain-string cells would otherwise use Helvetica,
    which has no Chinese and is not embedded."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME)] + list(cmds))


def table_style(header: bool = True, zebra: bool = True, extra=()) -> TableStyle:
    cmds = [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), INK))
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colors.white, LIGHT]))
    return style(cmds + list(extra))


def grid(rows: list[list], widths: list[float], header: bool = True, extra=()) -> Table:
    """A table that repeats its header and splits between rows on page breaks.

    Rows never split inside (ReportLab's splitInRow with a repeated header misbehaves), so
    callers cut very long cell text into several rows with ``pieces()``."""
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0, splitByRow=1, hAlign="LEFT")
    t.setStyle(table_style(header, extra=extra))
    return t


def heads(*names: str) -> list:
    return [TextLine(n, ST.head_c) for n in names]


def c(value: str, style=None, align: str = "centre") -> TextLine:
    """A short single-line table cell (see TextLine: much cheaper than a Paragraph)."""
    return TextLine(value, style or ST.cell_c, align)


# ---------------------------------------------------------------- cover

class CoverTitle(Flowable):
    """The big spaced title; drawn directly so the letters can be spaced like a printed cover."""

    def __init__(self, text: str, size: float, space: float, color=INK):
        super().__init__()
        self.text, self.size, self.space, self.color = text, size, space, color

    def wrap(self, avail_w, _h):
        self.width = avail_w
        return avail_w, self.size * 1.4

    def draw(self):
        c = self.canv
        width = len(self.text) * self.size + (len(self.text) - 1) * self.space
        t = c.beginText((self.width - width) / 2, self.size * 0.3)
        t.setFont(FONT_NAME, self.size)
        t.setCharSpace(self.space)
        t.setFillColor(self.color)
        t.textOut(self.text)
        c.drawText(t)


class PhotoBox(Flowable):
    """A 2-inch photo place (35 × 49 mm): the student's photo evidence when there is one,
    otherwise a dashed box for a printed photo to be glued on."""

    def __init__(self, photo: Path | None = None, w: float = 35 * mm, h: float = 49 * mm):
        super().__init__()
        self.photo, self.width, self.height = photo, w, h

    def draw(self):
        c = self.canv
        image = _photo_reader(self.photo) if self.photo else None
        if image is not None:
            c.drawImage(image, 0, 0, self.width, self.height)
            c.setStrokeColor(GRID)
            c.rect(0, 0, self.width, self.height)
            return
        c.setStrokeColor(MUTED)
        c.setDash(3, 2)
        c.setLineWidth(0.6)
        c.rect(0, 0, self.width, self.height)
        c.setFillColor(MUTED)
        draw_string(c, self.width / 2, self.height / 2 + 2, "照 片", 11, "centre")
        draw_string(c, self.width / 2, self.height / 2 - 12, "（二寸）", 8, "centre")


PHOTO_PX = (276, 386)  # 35 × 49 mm at 200 dpi: sharp in print, ~20 KB as JPEG


def _photo_reader(path: Path):
    """The photo cropped to 2-inch proportions and downscaled (a phone photo can be 5 MB);
    None when the file is not a readable image, so a bad file never stops a class's printing."""
    from PIL import Image, ImageOps
    from reportlab.lib.utils import ImageReader

    try:
        if hasattr(path, "load"):  # a stored (possibly sealed) evidence file
            import io
            path = io.BytesIO(path.load())
        with Image.open(path) as im:
            im = ImageOps.fit(ImageOps.exif_transpose(im).convert("RGB"), PHOTO_PX)
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=82)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    buf.seek(0)
    return ImageReader(buf)


def _certificate_image(path: Path):
    """A certificate photo as a small picture (about 40 mm wide, downscaled: a phone photo is
    megabytes); None when the file is not a readable image."""
    from PIL import Image as PILImage, ImageOps
    from reportlab.platypus import Image

    try:
        source = io.BytesIO(path.load()) if hasattr(path, "load") else path  # a stored, possibly sealed, file
        with PILImage.open(source) as im:
            im = ImageOps.exif_transpose(im).convert("RGB")
            im.thumbnail((480, 480))
            w, h = im.size
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=75)
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return None
    buf.seek(0)
    width = 40 * mm
    return Image(buf, width=width, height=width * h / w)


def cover(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    info = [("姓　　名", p.name), ("性　　别", label(GENDERS, p.gender)), ("班　　级", p.class_label or "—"),
            ("学 籍 号", p.national_student_no or "—"), ("班 主 任", p.adviser_name or p.adviser_comment_by or "—"),
            ("学　　期", batch.term.label)]
    rows = [[para(k, _cover_key), para(v, _cover_value)] for k, v in info]
    fields = Table(rows, colWidths=[22 * mm, 72 * mm], rowHeights=[10 * mm] * len(rows))
    fields.setStyle(style([("LINEBELOW", (1, 0), (1, -1), 0.6, INK), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    block = Table([[PhotoBox(p.photo), fields]], colWidths=[50 * mm, 96 * mm], hAlign="CENTER")
    block.setStyle(style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 24 * mm), para(batch.school_name, _cover_school), Spacer(1, 14 * mm),
            CoverTitle("学生成长档案", 34, 10), Spacer(1, 4 * mm),
            HRFlowable(width="30%", thickness=1.2, color=ACCENT, hAlign="CENTER"), Spacer(1, 4 * mm),
            para("学期综合素质评价报告", _cover_sub),
            Spacer(1, 3 * mm), para(batch.term.label, _cover_sub), Spacer(1, 26 * mm), block,
            Spacer(1, 30 * mm), para(f"{batch.school_name}　制", _cover_sub)]


_comment_box = ST.body.clone("comment", leading=17, firstLineIndent=19, backColor=LIGHT, borderColor=GRID,
                             borderWidth=0.6, borderPadding=(8, 10, 8, 10), leftIndent=10, rightIndent=10,
                             spaceBefore=8, spaceAfter=8)
_project_title = ST.sub.clone("project_title", fontSize=11, leading=16, textColor=ACCENT)
_cover_school = ST.title.clone("cover_school", fontSize=19, leading=26)
_cover_sub = ST.title.clone("cover_sub", fontSize=13, leading=20, textColor=MUTED)
_cover_value = ST.cell.clone("cover_value", fontSize=12, leading=15)
_cover_key = ST.cell.clone("cover_key", fontSize=11, leading=15, textColor=MUTED)


# ---------------------------------------------------------------- 一、scores

def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def _delta(now: float | None, before: float | None):
    if now is None or before is None:
        return c("—")
    d = round(now - before, 1)
    style = _GAIN if d > 0 else _LOSS if d < 0 else _SAME
    sign = "▲ +" if d > 0 else "▼ " if d < 0 else ""
    return c(f"{sign}{d:.1f}" if d else "持平", style)


def scores_section(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    rub = batch.rubric
    if not p.scores and not p.adviser_levels:
        return [para("本学期暂无过程性评价记录，无法计算各维度得分。", ST.note)]
    rows = [heads("评价维度", "本学期", "等级", "班主任评定", "上学期", "增值")]
    for d in rub.dims:
        now, before = p.scores.get(d.code), p.previous_scores.get(d.code)
        level = rub.level_for(now)
        rows.append([c(d.name_zh, ST.cell, "left"), c(_fmt(now)), c(rub.level_label(level) if level else "—"),
                     c(rub.level_label(p.adviser_levels[d.code]) if d.code in p.adviser_levels else "—"),
                     c(_fmt(before)), _delta(now, before)])
    rows.append([c("综合得分", ST.cell, "left"), c(_fmt(p.overall)),
                 c(rub.level_label(rub.level_for(p.overall)) if p.overall is not None else "—"),
                 c(""), c(_fmt(p.previous_overall)), _delta(p.overall, p.previous_overall)])
    widths = [60, 44, 38, 56, 44, 52]
    t = grid(rows, widths, extra=[("BACKGROUND", (0, len(rows) - 1), (-1, -1), colors.HexColor("#DCE6F2"))])
    labels = [d.name_zh for d in rub.dims]
    radar = charts.radar(labels, [p.scores.get(d.code) for d in rub.dims],
                         [p.previous_scores.get(d.code) for d in rub.dims] if p.previous_scores else None, size=182)
    right = radar
    outer = Table([[t, right]], colWidths=[sum(widths) + 8, CONTENT_W - sum(widths) - 8])
    outer.setStyle(style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "CENTER")]))
    before = (f"增值为与上一个有记录的学期（{short_term_label(batch, p.previous_term)}）相比的变化。"
              if p.previous_term else "本学期为首个有评价记录的学期，暂无增值比较。")
    return [outer, Spacer(1, 3),
            para(f"得分为本学期各评价主体过程性评价的加权平均（满分 100），综合得分按各维度权重计算。{before}",
                 ST.small)]


scores_section.title = "综合素质评价"


def short_term_label(batch: Batch, code: str | None) -> str:
    return next((t.label for t in batch.terms if t.code == code), code or "")


# ---------------------------------------------------------------- 二、growth

def growth_section(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    codes = [t.code for t in batch.terms if t.code in p.history]
    if not codes:
        return [para("暂无可显示的成长数据。", ST.note)]
    names = [short_term(c, _grade_then(batch, p, c)) for c in codes]
    rub = batch.rubric
    from .data import overall_score
    overall = [overall_score(p.history[c], rub) for c in codes]
    flow: list[Flowable] = [charts.line_chart("综合得分", names, overall, CONTENT_W, 100, color=INK)]
    cells = [charts.line_chart(d.name_zh, names, [p.history[c].get(d.code) for c in codes], CONTENT_W / 4 - 4, 84)
             for d in rub.dims]
    while len(cells) % 4:
        cells.append("")
    rows = [cells[i:i + 4] for i in range(0, len(cells), 4)]
    t = Table(rows, colWidths=[CONTENT_W / 4] * 4)
    t.setStyle(style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                           ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    note = (f"共 {len(codes)} 个学期有评价记录。" if len(codes) > 1
            else "目前只有本学期的记录，之后各学期的得分将在此连成成长曲线。")
    return [KeepTogether(flow + [t]), Spacer(1, 2), para(note, ST.small)]


growth_section.title = "成长轨迹"


def _grade_then(batch: Batch, p: StudentPortfolio, code: str) -> int | None:
    """The grade the student was in during an earlier term, counted back from this term."""
    if not p.grade:
        return None
    years_back = int(batch.term.code[:4]) - int(code[:4])
    g = p.grade - years_back
    return g if 1 <= g <= 12 else None


# ---------------------------------------------------------------- 三、projects

def projects_section(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    if not p.projects:
        return [para("本学期没有参与科创项目（课题研究、发明创造、项目式学习等）的记录。", ST.note)]
    out: list[Flowable] = []
    for n, pr in enumerate(p.projects, 1):
        head = f"{n}. {pr.title}"
        status = f"{label(PROJECT_KINDS, pr.kind)} · {label(PROJECT_STATUSES, pr.status)}"
        span = f"{zh_date(pr.start)} 至 {zh_date(pr.end) if pr.end else '今'}"
        info = [("项目类型", status), ("学科领域", pr.discipline or "—"), ("起止时间", span),
                ("本人角色", label(PROJECT_MEMBER_ROLES, pr.role)), ("项目成员", "、".join(pr.members) or p.name),
                ("指导教师", "；".join(pr.mentors) or "—")]
        rows = [[c(k), para(v, ST.cell)] for k, v in info]
        t = grid(rows, [62, CONTENT_W - 62], header=False,
                 extra=[("BACKGROUND", (0, 0), (0, -1), LIGHT), ("ROWBACKGROUNDS", (0, 0), (-1, -1), [colors.white])])
        out.append(KeepTogether([para(head, _project_title), t]))
        if pr.summary:
            out += [Spacer(1, 4), para(f"项目简介：{pr.summary}", ST.body)]
        if pr.log:
            out += [para("过程记录", ST.sub), _log_table(pr)]
        if pr.outcomes:
            out += [para("项目成果", ST.sub), _outcome_table(pr)]
        out.append(Spacer(1, 6))
    return out


projects_section.title = "科创项目"


PIECE = 600  # characters of a table cell per row: far less than a page even in a narrow column


def pieces(text: str, limit: int = PIECE) -> list[str]:
    """Cut long text into pieces of at most ``limit`` characters, at a sentence end when one is near."""
    out = []
    while len(text) > limit:
        cut = max(text.rfind(mark, limit // 2, limit) for mark in "。！？；\n")
        cut = cut + 1 if cut > 0 else limit
        out.append(text[:cut])
        text = text[cut:]
    return out + [text] if text else out or [""]


def _log_table(pr) -> Table:
    rows = [heads("阶段", "日期", "内容")]
    for e in pr.log:
        for k, piece in enumerate(pieces(e.text or "—")):
            first = k == 0
            rows.append([c(label(PROJECT_LOG_STAGES, e.stage) if first else "（续）"), c(zh_date(e.on) if first else ""),
                         para(piece, ST.cell)])
    return grid(rows, [50, 78, CONTENT_W - 128])


def _outcome_table(pr) -> Table:
    rows = [heads("成果类型", "名称", "日期", "编号/出处")]
    rows += [[c(label(OUTCOME_KINDS, o.kind)), para(o.title, ST.cell), c(zh_date(o.on) or "—"),
              para(o.reference or "—", ST.cell)] for o in pr.outcomes]
    return grid(rows, [62, CONTENT_W - 62 - 78 - 110, 78, 110])


# ---------------------------------------------------------------- 四、awards

def awards_section(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    if not p.awards:
        return [para("本学期没有竞赛获奖记录。", ST.note)]
    counts = Counter(a.level for a in p.awards)
    summary = "、".join(f"{label(LEVELS, lv)} {counts[lv]} 项" for lv in LEVELS if counts[lv])
    rows = [heads("序号", "竞赛名称 / 作品", "级别", "奖项", "获奖日期", "团队成员")]
    for n, a in enumerate(p.awards, 1):
        title = a.competition + (f"\n《{a.work_title}》" if a.work_title else "") + (
            f"\n证书编号：{a.certificate_no}" if a.certificate_no else "")
        team = "、".join(a.team) if a.is_team else "个人"
        if a.is_team and a.team_name:
            team = f"{a.team_name}：{team}"
        award = label(AWARDS, a.award) + ("\n待核验" if a.verification == "unverified" else "")
        rows.append([c(str(n)), para(title, ST.cell), c(label(LEVELS, a.level)), c(award),
                     c(zh_date(a.on)), para(team, ST.cell)])
    t = grid(rows, [26, 160, 40, 46, 80, CONTENT_W - 352])
    thumbs = [(n, a) for n, a in enumerate(p.awards, 1) if a.certificate]
    shots = []
    if thumbs:  # the certificates themselves, small: enough to see it is the right one
        cells = []
        for n, a in thumbs[:4]:
            img = _certificate_image(a.certificate)
            if img is not None:
                cells.append([img, para(f"{n}. 证书" + (f"（{a.certificate_no}）" if a.certificate_no else ""), ST.small)])
        if cells:
            shots = [Spacer(1, 3), Table([[Table([[im], [cap]]) for im, cap in cells]],
                                         colWidths=[CONTENT_W / 4] * len(cells), hAlign="LEFT")]
    return [para(f"本学期共获奖 {len(p.awards)} 项：{summary}。", ST.body), t, *shots, Spacer(1, 3),
            para("注：竞赛获奖记录用于记录学生成长，不作为升学、评优排名依据。"
                 + ("标“待核验”的获奖尚未经学校核验证书。" if any(a.verification == "unverified" for a in p.awards)
                    else ""), ST.small)]


awards_section.title = "竞赛获奖"


# ---------------------------------------------------------------- cultivation programmes

def programmes_section(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    out: list[Flowable] = []
    for n, item in enumerate(p.programmes, 1):
        status = label(MEMBER_STATUSES, item.status)
        if item.left:
            status += f"（{zh_date(item.left)}" + (f"，{item.leave_reason}" if item.leave_reason else "") + "）"
        info = [("项目层级", label(PROGRAMME_TIERS, item.tier)), ("入选日期", zh_date(item.joined)), ("状态", status),
                ("双导师", f"校内：{item.in_mentor or '—'}；校外：{item.ext_mentor or '—'}"),
                ("本学期学时", f"{item.hours:g}")]
        if item.destination:
            info.append(("去向", item.destination))
        rows = [[c(k), para(v, ST.cell)] for k, v in info]
        t = grid(rows, [62, CONTENT_W - 62], header=False,
                 extra=[("BACKGROUND", (0, 0), (0, -1), LIGHT), ("ROWBACKGROUNDS", (0, 0), (-1, -1), [colors.white])])
        out.append(KeepTogether([para(f"{n}. {item.name}", _project_title), t]))
        if item.logs:
            rows = [heads("日期", "活动", "学时", "内容与导师反馈")]
            for on, activity, hours, content, feedback in item.logs:
                text = content + (f"\n导师反馈：{feedback}" if feedback else "")
                for k, piece in enumerate(pieces(text)):
                    first = k == 0
                    rows.append([c(zh_date(on) if first else ""), c(label(GROWTH_ACTIVITIES, activity) if first
                                                                    else "（续）"),
                                 c(f"{hours:g}" if first else ""), para(piece, ST.cell)])
            out += [para("成长日志", ST.sub), grid(rows, [78, 62, 30, CONTENT_W - 170])]
        if item.evaluations:
            rows = [heads("日期", "评价", "结论", "评语")]
            for on, kind, result, comment, reason in item.evaluations:
                text = comment + (f"（{reason}）" if reason else "")
                rows.append([c(zh_date(on)), c(label(PROGRAMME_EVAL_KINDS, kind)),
                             c(label(PROGRAMME_EVAL_RESULTS, result)), para(text or "—", ST.cell)])
            out += [para("导师评价", ST.sub), grid(rows, [78, 62, 50, CONTENT_W - 190])]
        out.append(Spacer(1, 6))
    out.append(para("注：培养项目记录用于培养计划，不作为升学录取依据。", ST.small))
    return out


programmes_section.title = "培养项目"


# ---------------------------------------------------------------- 五、self records

def self_records_section(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    if not p.self_records:
        return [para("本学期没有经审核通过的写实记录。", ST.note)]
    hours = sum(r.hours or 0 for r in p.self_records)
    rows = [heads("序号", "活动内容", "时间", "地点", "时长", "角色", "来源")]
    for n, r in enumerate(p.self_records, 1):
        title = r.title + (f"\n{r.reflection}" if r.reflection else "")
        rows.append([c(str(n)), para(title, ST.cell), c(zh_date(r.on)), para(r.place or "—", ST.cell),
                     c(f"{r.hours:g} 小时" if r.hours else "—"), para(r.role or "—", ST.cell),
                     para(r.provenance, ST.cell)])
    t = grid(rows, [26, CONTENT_W - 376, 78, 66, 46, 56, 104])
    return [para(f"本学期经审核通过的写实记录 {len(p.self_records)} 条，累计 {hours:g} 小时。", ST.body), t]


self_records_section.title = "写实记录"


def amendments_section(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    from ..models.enums import RECORD_TYPES
    out: list[Flowable] = [para("以下更正在签字归档之后提出，原记录保持不变，更正与原记录并列显示。", ST.small)]
    rows = [heads("原记录", "更正内容", "更正理由", "更正人、日期")]
    for a in p.amendments:
        rows.append([para(f"{label(RECORD_TYPES, a.record_type)}：{a.original or '—'}", ST.cell),
                     para(a.content, ST.cell), para(a.reason, ST.cell), para(f"{a.by}\n{zh_date(a.on)}", ST.cell)])
    out.append(grid(rows, [CONTENT_W * 0.3, CONTENT_W * 0.3, CONTENT_W * 0.25, CONTENT_W * 0.15]))
    return out


amendments_section.title = "归档后更正"


# ---------------------------------------------------------------- 五、process evaluations

def evaluations_section(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    if not p.roles:
        return [para("本学期没有过程性评价记录。", ST.note)]
    roles = [r for r in EVALUATOR_ROLES if any(r in by_role for by_role in p.roles.values())]
    rows = [heads("评价维度", *[label(EVALUATOR_ROLES, r) for r in roles])]
    for d in batch.rubric.dims:
        by_role = p.roles.get(d.code, {})
        rows.append([c(d.name_zh, ST.cell, "left")] + [
            c(f"{by_role[r].mean:.1f}（{by_role[r].count}次）" if r in by_role else "—") for r in roles])
    width = (CONTENT_W - 62) / len(roles)
    intro = para(f"本学期共有过程性评价 {p.evaluation_count} 条，下表为各评价主体的平均分（评价次数）。", ST.body)
    out: list[Flowable] = [KeepTogether([intro, grid(rows, [62] + [width] * len(roles))])]
    if p.comments:
        out.append(para("评价摘录", ST.sub))
        for item in p.comments:
            who = " · ".join(x for x in (batch.rubric.dim_name(item.dimension), label(EVALUATOR_ROLES, item.role),
                                          item.evaluator, zh_date(item.on)) if x)
            out.append(para(f"【{who}】{item.text}", ST.body))
    return out


evaluations_section.title = "过程性评价"


# ---------------------------------------------------------------- 六、adviser

def adviser_section(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    if not p.adviser_comment:
        return [para("班主任尚未填写本学期评语。", ST.note)]
    # A boxed Paragraph, not a one-cell table: a paragraph splits across pages however long it is.
    box = para(p.adviser_comment, _comment_box)
    sign = f"班主任：{p.adviser_comment_by or p.adviser_name}　　{zh_date(p.adviser_comment_on)}"
    return [box, Spacer(1, 4), para(sign, ST.right)]


adviser_section.title = "班主任评语"


# ---------------------------------------------------------------- signatures, empty

class SignatureBlock(Flowable):
    """Three signature lines and the place for the school's seal."""

    def __init__(self, width: float = CONTENT_W):
        super().__init__()
        self.width, self.height = width, 40 * mm  # compact: it should share the last page, not need one

    def draw(self):
        c = self.canv
        c.setStrokeColor(INK)
        c.setFillColor(INK)
        c.setLineWidth(0.6)
        y = self.height - 9 * mm
        for who in ("学生签名", "家长签名", "班主任签名"):
            draw_string(c, 0, y, f"{who}：", 10.5)
            c.line(24 * mm, y - 2, 78 * mm, y - 2)
            draw_string(c, 84 * mm, y, "日期：", 10.5)
            c.line(96 * mm, y - 2, 124 * mm, y - 2)
            y -= 12 * mm
        cx, cy = self.width - 24 * mm, self.height / 2 - 1 * mm
        c.setStrokeColor(SEAL_RED)
        c.setDash(3, 2)
        c.circle(cx, cy, 17 * mm)
        c.setDash()
        c.setFillColor(SEAL_RED)
        draw_string(c, cx, cy - 3, "学校盖章", 10.5, "centre")


def signatures(p: StudentPortfolio | None = None) -> list[Flowable]:
    # kept together by hand: the block is a fixed height, so a conditional break is exact
    if p is not None and not p.draft:
        so = p.signoff
        lines = [f"学生确认：{zh_date(so.student) if so.student else '—'}",
                 f"班主任签字：{so.adviser_name}　{zh_date(so.adviser) if so.adviser else '—'}",
                 f"校长签发：{so.principal_name}　{zh_date(so.principal)}",
                 "本学期档案已经公示、签字确认并归档锁定。"]
        return [CondPageBreak(60 + 24 + 16), SectionTitle("签字确认")] + [para(x, ST.body) for x in lines]
    return [CondPageBreak(40 * mm + 24 + 16), SectionTitle("签字确认"), Spacer(1, 2),
            para("本人已阅读本学期成长档案。" + ("（本档案为草稿：本学期尚未完成公示和签字归档。）"
                                        if p is not None else ""), ST.small), SignatureBlock()]


def empty_notice(batch: Batch, p: StudentPortfolio) -> list[Flowable]:
    return [SectionTitle("本学期记录"),
            para(f"截至打印日期，系统中没有{p.name}同学{batch.term.label}的过程性评价、科创项目、竞赛获奖和"
                 "班主任评语记录，因此本档案只包含基本信息。", ST.body),
            para("这可能是因为该生本学期刚转入、相关记录尚未录入，或录入工作仍在进行。"
                 "记录补充后可重新打印本档案。", ST.body), Spacer(1, 10)]
