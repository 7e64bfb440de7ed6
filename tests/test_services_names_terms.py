"""services.names and services.terms: labels, parsing, term codes and dates."""

from __future__ import annotations

from datetime import date

import pytest

from growthdesk.errors import NotFoundError, ValidationError
from growthdesk.services import names, terms


@pytest.mark.parametrize("grade,zh", [(1, "一年级"), (6, "六年级"), (7, "初一"), (9, "初三"), (10, "高一"), (12, "高三")])
def test_grade_labels(grade, zh):
    assert names.grade_label(grade) == zh
    assert names.grade_label(grade, "en") == f"Grade {grade}"
    assert names.parse_grade(zh) == grade


@pytest.mark.parametrize("text", ["初一", "七年级", "7", 7, "Grade 7", "grade7", "７", "初中一年级", "G7"])
def test_parse_grade_variants(text):
    assert names.parse_grade(text) == 7


@pytest.mark.parametrize("text", ["", "初四", "十三年级", "0", "13", "Grade", "大一"])
def test_parse_grade_rejects(text):
    with pytest.raises(ValidationError) as err:
        names.parse_grade(text)
    assert err.value.field == "grade" and "年级" in err.value.zh and "grade" in err.value.en


def test_class_labels_round_trip():
    assert names.class_label(7, 3) == "初一(3)班"
    assert names.class_label(7, 3, "en") == "Grade 7 Class 3"
    assert names.class_label(2, 11) == "二年级(11)班"
    for text in ["初一(3)班", "初一（3）班", "七年级3班", "七年级(3)班", "初一3班", "Grade 7 Class 3", " 初一 (3) 班 ",
                 "初一(三)班", "7-3"]:
        assert names.parse_class_label(text) == (7, 3), text
    assert names.parse_class_label("高三(12)班") == (12, 12)
    assert names.parse_class_label("十二年级十二班") == (12, 12)


@pytest.mark.parametrize("text", ["初一", "初一(0)班", "初一(100)班", "班", "xyz", "初四(1)班"])
def test_parse_class_label_rejects(text):
    with pytest.raises(ValidationError) as err:
        names.parse_class_label(text)
    assert err.value.field == "class"


def test_stage_date_and_year_labels():
    assert [names.stage_for_grade(g) for g in (1, 6, 7, 9, 10, 12)] == ["primary"] * 2 + ["junior"] * 2 + ["senior"] * 2
    assert names.format_date(date(2025, 9, 1)) == "2025年9月1日"
    assert names.format_date(date(2025, 9, 1), "en") == "1 Sep 2025"
    assert names.format_date(None) == ""
    assert names.school_year_label(2025) == "2025—2026学年"
    with pytest.raises(ValidationError):
        names.stage_for_grade(13)


def test_term_codes_parse_and_label():
    assert terms.parse_term_code("2025-2026-1") == (2025, 1)
    assert terms.parse_term_code(" 2025-2026-2 ") == (2025, 2)
    assert terms.term_label("2025-2026-1") == "2025—2026学年第一学期"
    assert terms.term_label("2025-2026-2") == "2025—2026学年第二学期"
    assert terms.term_label("2025-2026-1", "en") == "2025–2026 school year, Term 1 (autumn)"


@pytest.mark.parametrize("bad", ["2025-2027-1", "2025-2026-3", "2025-2026-0", "2025-2026", "25-26-1", "", None,
                                 "2025/2026/1", "abcd-efgh-1", "1999-2000-1"])
def test_term_code_rejects(bad):
    with pytest.raises(ValidationError) as err:
        terms.parse_term_code(bad)
    assert err.value.field == "term_code"
    assert "学期代码" in err.value.zh and "term code" in err.value.en


def test_term_dates_and_neighbours():
    assert terms.term_dates("2025-2026-1") == (date(2025, 9, 1), date(2026, 1, 31))
    assert terms.term_dates("2025-2026-2") == (date(2026, 2, 15), date(2026, 7, 15))
    assert terms.previous_term_code("2025-2026-2") == "2025-2026-1"
    assert terms.previous_term_code("2025-2026-1") == "2024-2025-2"
    assert terms.next_term_code("2025-2026-2") == "2026-2027-1"


@pytest.mark.parametrize("d,code", [(date(2025, 9, 1), "2025-2026-1"), (date(2025, 12, 31), "2025-2026-1"),
                                    (date(2026, 1, 31), "2025-2026-1"), (date(2026, 2, 1), "2025-2026-2"),
                                    (date(2026, 7, 15), "2025-2026-2"), (date(2026, 8, 31), "2025-2026-2")])
def test_term_for_date(d, code):
    assert terms.term_for_date(d) == code
    assert terms.current_term_code(d) == code


def test_ensure_term_creates_once(school_db):
    with school_db.session(user="t") as s:
        t = terms.ensure_term(s, "2025-2026-2")
        assert (t.school_year, t.term_no, t.start_date) == (2025, 2, date(2026, 2, 15))
        assert terms.ensure_term(s, "2025-2026-2") is t
    with school_db.session() as s:
        assert [t.code for t in terms.list_terms(s)] == ["2025-2026-2"]
        with pytest.raises(NotFoundError) as err:
            terms.get_term(s, "2030-2031-1")
        assert "2025-2026-2" in err.value.zh
        with pytest.raises(ValidationError):
            terms.ensure_term(s, "2025-2026-3")


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 99), st.sampled_from(["zh_CN", "en"]), st.booleans())
def test_class_label_round_trips(grade, class_no, lang, full_width):
    text = names.class_label(grade, class_no, lang)
    if full_width:
        text = text.replace("(", "（").replace(")", "）")
    assert names.parse_class_label(text) == (grade, class_no)
    assert names.parse_grade(names.grade_label(grade, lang)) == grade


@settings(max_examples=200, deadline=None)
@given(st.integers(2000, 2098), st.sampled_from([1, 2]))
def test_term_code_round_trips(year, no):
    code = terms.term_code(year, no)
    assert terms.parse_term_code(code) == (year, no)
    assert terms.previous_term_code(terms.next_term_code(code)) == code
    start, end = terms.term_dates(code)
    assert terms.term_for_date(start) == terms.term_for_date(end) == code


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_national_number_check_digit_round_trips(body):
    from growthdesk.services import students
    good = "G" + body + students.gb11643_check(body)
    assert students.validate_national_student_no(good) == good
    wrong = next(c for c in "0123456789X" if c != good[-1])
    with pytest.raises(ValidationError):
        students.validate_national_student_no(good[:-1] + wrong)


def test_closed_vocabularies_accept_what_people_type():
    from growthdesk.models.enums import AWARDS, EVALUATOR_ROLES, GENDERS, LEVELS, MENTOR_KINDS
    from growthdesk.services._common import vocab_code
    assert [vocab_code(LEVELS, x, "level", "竞赛级别") for x in ("national", "国家级", "国家", "National")] == ["national"] * 4
    assert vocab_code(EVALUATOR_ROLES, "班主任", "evaluator_role", "评价主体") == "adviser"
    assert vocab_code(MENTOR_KINDS, "校外", "kind", "导师类型") == "external"
    assert vocab_code(GENDERS, "女", "gender", "性别") == vocab_code(GENDERS, "f", "gender", "性别") == "F"
    with pytest.raises(ValidationError) as err:   # 一 alone is not a unique start (一等奖 only, but too short)
        vocab_code(AWARDS, "一", "award", "奖项等级")
    assert err.value.field == "award" and "一等奖" in err.value.zh and "first" in err.value.en


def test_term_dates_can_be_set_but_not_around_existing_records(school_db):
    from growthdesk.services import evaluations
    sid = school_db.sample["student_ids"][0]
    with school_db.session(user="admin") as s:
        evaluations.record_process_evaluation(s, student_id=sid, term_code="2025-2026-1", dimension="moral",
                                              level="A", evaluator_role="teacher", eval_date=date(2025, 9, 3))
        t = terms.set_term_dates(s, "2025-2026-1", date(2025, 9, 1), date(2026, 1, 20))
        assert (t.start_date, t.end_date) == (date(2025, 9, 1), date(2026, 1, 20))
        for start, end, field in [(date(2025, 9, 5), date(2026, 1, 20), "end_date"),     # evaluation on 3 Sep
                                  (date(2026, 1, 20), date(2025, 9, 1), "start_date"),
                                  (date(2025, 7, 1), date(2026, 1, 20), "start_date")]:
            with pytest.raises(ValidationError) as err:
                terms.set_term_dates(s, "2025-2026-1", start, end)
            assert err.value.field == field
        with pytest.raises(ValidationError) as err:   # new dates are what evaluations are checked against
            evaluations.record_process_evaluation(s, student_id=sid, term_code="2025-2026-1", dimension="moral",
                                                  level="A", evaluator_role="teacher", eval_date=date(2026, 1, 25))
        assert err.value.field == "eval_date" and "2026年1月20日" in err.value.zh
