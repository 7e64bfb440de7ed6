"""Core rules behind issue 12 (no display): dates as teachers type them, the "top 10 %" cut
with ties, and a past term's class members from the enrollment history."""

from __future__ import annotations

from datetime import date

import pytest

from growthdesk.errors import ValidationError
from growthdesk.services._common import as_date
from growthdesk.services.dates import parse_date
from growthdesk.stats.cultivation import top_cut

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("text", ["2025-11-20", "2025/11/20", "2025.11.20", "2025年11月20日", "20251120",
                                  " 2025 年 11 月 20 日 ", "２０２５／１１／２０", "2025-11-20"])
def test_every_way_teachers_write_a_date(text):
    assert parse_date(text, TODAY) == date(2025, 11, 20)


def test_month_and_day_alone_mean_this_year_and_short_forms_work():
    assert parse_date("11月20日", TODAY) == date(2026, 11, 20)
    assert parse_date("3-5", TODAY) == date(2026, 3, 5)
    assert parse_date("2025-1-5", TODAY) == date(2025, 1, 5)
    assert parse_date("2025年1月5号", TODAY) == date(2025, 1, 5)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13-01", "20251320", "明天", "11/20/2025", "", "2025-11"])
def test_not_a_date(text):
    assert parse_date(text, TODAY) is None


def test_services_read_the_same_forms_and_say_which_forms_they_take():
    assert as_date("2025年11月20日", "award_date", "获奖日期") == date(2025, 11, 20)
    with pytest.raises(ValidationError) as err:
        as_date("2025-02-30", "award_date", "获奖日期")
    assert err.value.field == "award_date" and "2025年9月1日" in err.value.zh


def test_top_cut_keeps_ties_together_near_the_percentage():
    assert top_cut([92, 89.3, 80, 70, 60], 10) == 92           # 0.5 of 5: the best one
    assert top_cut([92, 89.3, 80, 70, 60], 40) == 89.3         # 2 of 5
    assert top_cut([95.0] * 9 + [85.0] * 3 + [75.0] * 88, 10) == 95.0   # 9 is nearer 10 than 12
    assert top_cut([95.0] * 11 + [75.0] * 89, 10) == 95.0               # 11 of 100: about 10 %
    assert top_cut([95.0] * 40 + [85.0] * 60, 10) is None   # an A that 40 % have is no top-10 % mark
    assert top_cut([], 10) is None


def test_a_past_terms_class_is_its_pupils_then(school_db):
    from growthdesk.services import students, terms
    from growthdesk.services.students import term_members
    with school_db.session(user="t") as s:
        old = students.create_class(s, 2024, 7, 3)
        for code in ("2024-2025-2", "2025-2026-1"):
            terms.ensure_term(s, code)
        body = "11010120120200099"
        st = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body), name="钱一",
                                     gender="M", birth_date=date(2012, 1, 1), class_id=old.id)
        new = school_db.sample["class_id"]  # 初一(3)班 of 2025 holds 张三, 李四, 王五
        students.move_student(s, st.id, new, "promotion", on=date(2025, 9, 1))
        assert term_members(s, [old.id], "2024-2025-2") == [(st.id, old.id)]
        now = [sid for sid, _ in term_members(s, [new], "2025-2026-1")]
        assert set(now) == set(school_db.sample["student_ids"]) | {st.id}
        assert term_members(s, [old.id], "2025-2026-1") == []


def test_statistics_pdf_numbers_never_wrap_mid_number():
    from growthdesk.stats.export import _styles, _table
    from growthdesk.stats.report import META
    meta = META["award_share_by_category"]
    rows = [{"label_zh": "乡村", "students": 123456, "student_share": 0.123456, "winners": 98765,
             "winner_share": 0.987654, "winner_rate": 0.5, "ratio": 12.3456}] * 3
    t = _table(meta.columns, rows, 480.0, _styles())
    for row in t._cellvalues[1:]:
        for j, c in enumerate(row):
            para = c[0] if isinstance(c, (list, tuple)) else c
            _, h = para.wrap(t._colWidths[j] - 12, 1000)  # minus the cell paddings
            assert h <= para.style.leading * 1.01, (j, para.getPlainText())  # one line
