"""The term portfolio's programme section: members get it (mentors, this term's approved log and
evaluations, the notice); others do not; a person's earlier programmes at another school of the
district (same person_key, as a district bundle brings them) are part of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdf

from growthdesk.reports.batch import render_portfolios, resolve_scope
from growthdesk.reports.data import gather
from growthdesk.services import programmes as svc
from growthdesk.services import terms, users
from tests import programme_sample
from tests.test_programmes import _district_template, district  # noqa: F401

TERM = "2025-2026-1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages)


def test_member_portfolio_has_the_programme_section(school_db, tmp_path):
    zhang, li, _ = school_db.sample["student_ids"]
    with school_db.session(user="admin") as s:
        terms.ensure_term(s, TERM)
        users.create_user(s, "chen", "陈老师", "teacher", "secret123")
        p = svc.create_programme(s, name="初中物理特长班", tier="junior", start_term=TERM, disciplines="物理")
        mi = svc.add_mentor(s, kind="in_school", login="chen")
        me = svc.add_mentor(s, kind="external", name="钱研究员", institution="示例研究所")
        m = svc.add_member(s, p.id, student_id=zhang, in_mentor_id=mi.id, ext_mentor_id=me.id, joined_on=date(2025, 9, 10))
        svc.add_log(s, m.id, entry_date=date(2025, 10, 12), activity="lab_day", hours=3, content="测量单摆周期",
                    mentor_feedback="数据记录规范")
        own = svc.add_log(s, m.id, entry_date=date(2025, 10, 20), activity="study_group", hours=2,
                          content="草稿：尚未审核的写实记录", author_kind="student", submit=True)
        svc.add_log(s, m.id, entry_date=date(2026, 3, 1), activity="lecture", hours=1, content="下学期的讲座")
        svc.evaluate(s, m.id, kind="midterm", term_code=TERM, eval_date=date(2025, 12, 1),
                     scores=dict.fromkeys(svc.criteria_of(p), 4), comment="钻研精神好", mentor_id=me.id)
    texts = []
    for i, name in enumerate(("zhang", "li")):
        out = tmp_path / f"{name}.pdf"
        with school_db.session() as s:
            scope = resolve_scope(s, TERM, student_no=school_db.sample["student_nos"][i])
        render_portfolios(school_db, scope, out, printed_on=date(2026, 1, 20))
        texts.append(_pdf_text(out))
    zhang_part, li_part = texts
    text = zhang_part
    for needle in ("培养项目", "初中物理特长班", "陈老师", "钱研究员（示例研究所）", "测量单摆周期", "数据记录规范",
                   "钻研精神好", "继续培养", "用于培养计划，不作为升学录取依据"):
        assert needle in zhang_part.replace("\n", ""), needle
    assert "尚未审核" not in text and "下学期的讲座" not in text    # unapproved / other term
    assert "初中物理特长班" not in li_part
    # a page to look at
    import pypdfium2 as pdfium
    single = tmp_path / "zhang.pdf"
    pdf = pdfium.PdfDocument(str(single))
    page = next(i for i in range(len(pdf)) if "初中物理特长班" in pdf[i].get_textpage().get_text_range())
    ARTIFACTS.mkdir(exist_ok=True)
    pdf[page].render(scale=1.3).to_pil().save(ARTIFACTS / "portfolio-programme-section.png")
    pdf.close()
    assert own.state == "submitted"


def test_earlier_programmes_of_the_person_come_along(district):  # noqa: F811
    ids = district.ids
    with district.session() as s:
        svc.add_log(s, district.extra["members"]["a0"], entry_date=date(2025, 10, 3), activity="fieldwork", hours=2,
                    content="小学时的野外考察")
        batch = gather(s, TERM, [ids["b1"], ids["b2"]])
    mover, other = batch.students
    # b1 is the junior row of 林小川, who was a0 at the primary school and is h1 at the senior one
    assert [(x.name, x.tier) for x in mover.programmes] == [("科创苗子班", "primary"), ("学科特长班", "junior"),
                                                            ("拔尖人才班", "senior")]
    assert mover.programmes[0].logs[0][3] == "小学时的野外考察" and mover.programmes[0].hours == 2.0
    assert other.programmes == []
