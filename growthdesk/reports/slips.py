"""Account slips (账户条): one slip per new teacher with their login and initial password, five
to an A4 page, dashed cut lines between them. The initial passwords exist only in memory and on
this paper: the database keeps their scrypt hashes, and the first log-in replaces them."""

from __future__ import annotations

from pathlib import Path

from .fonts import draw_string, fit, register_reportlab_font

SLIPS_PER_PAGE = 5


def write_slips(slips, out: str | Path, *, school: str = "") -> Path:
    """``slips``: objects with ``login``, ``name``, ``password``, ``classes``. Returns the path."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    register_reportlab_font()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    width, height = A4
    margin = 12 * mm
    slot = (height - 2 * margin) / SLIPS_PER_PAGE
    canvas = Canvas(str(tmp), pagesize=A4, invariant=1)
    canvas.setTitle("GrowthDesk 教师账户条")
    canvas.setAuthor("GrowthDesk")
    slips = list(slips)
    for i, slip in enumerate(slips):
        pos = i % SLIPS_PER_PAGE
        if i and pos == 0:
            canvas.showPage()
        top = height - margin - pos * slot
        _slip(canvas, slip, margin, top, width - 2 * margin, slot, school, mm)
        if pos < SLIPS_PER_PAGE - 1 and i < len(slips) - 1:
            _cut_line(canvas, margin, top - slot, width - margin, mm)
    if not slips:
        draw_string(canvas, margin, height - margin - 10 * mm, "没有新建账户，无需打印账户条。", 12)
    canvas.save()
    tmp.replace(out)
    return out


def _cut_line(canvas, x0: float, y: float, x1: float, mm: float) -> None:
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.setStrokeGray(0.45)
    canvas.setLineWidth(0.6)
    canvas.line(x0, y, x1, y)
    canvas.restoreState()
    draw_string(canvas, x0, y + 1.2 * mm, "沿虚线剪开", 7)


def _slip(canvas, slip, x: float, top: float, w: float, h: float, school: str, mm: float) -> None:
    pad = 6 * mm
    y = top - pad - 4 * mm
    title = f"{school} · GrowthDesk 学生成长档案 · 教师账户" if school else "GrowthDesk 学生成长档案 · 教师账户"
    draw_string(canvas, x + pad, y, fit(title, 11, w - 2 * pad), 11)
    y -= 9 * mm
    draw_string(canvas, x + pad, y, f"姓名：{slip.name}", 13)
    y -= 8 * mm
    draw_string(canvas, x + pad, y, f"登录名（工号）：{slip.login}", 13)
    y -= 8 * mm
    draw_string(canvas, x + pad, y, f"初始密码：{slip.password}", 13)
    if slip.classes:
        y -= 7 * mm
        draw_string(canvas, x + pad, y, fit(f"任教班级：{slip.classes}", 10, w - 2 * pad), 10)
    y -= 7 * mm
    draw_string(canvas, x + pad, y, "首次登录时须设置自己的新密码；本条请本人妥善保管，勿转交他人。", 9)


__all__ = ["write_slips", "SLIPS_PER_PAGE"]
