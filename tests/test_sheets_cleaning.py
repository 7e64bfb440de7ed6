"""Cell cleaning: dates, text, genders, years, codes, header names and encoding detection."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from growthdesk.sheets.cleaning import (CellError, clean_code, clean_header, clean_text, parse_date, parse_gender,
                                        parse_year)
from growthdesk.sheets.reader import detect_encoding


@pytest.mark.parametrize("value", ["2009/3/5", "2009-03-05", "2009.3.5", "2009年3月5日", "2009 年 3 月 5 日",
                                   "２００９－０３－０５", "20090305", "2009-03-05 00:00:00", 39877, 39877.0, "39877",
                                   datetime(2009, 3, 5, 12, 0), date(2009, 3, 5)])
def test_dates_in_every_usual_form(value):
    assert parse_date(value) == date(2009, 3, 5)


@pytest.mark.parametrize("value", ["2009/2/30", "5/3/2009", "三月五日", "2009-13-01", -5, "2009年3月"])
def test_bad_dates_say_why(value):
    with pytest.raises(CellError) as err:
        parse_date(value)
    assert "日期" in err.value.zh


def test_month_only_when_allowed():
    assert parse_date("2009年3月", allow_month=True) == date(2009, 3, 1)
    assert parse_date(None) is None and parse_date("  ") is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_any_date_round_trips_through_every_format(d):
    for text in (f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日", d.isoformat(),
                 f"{d.year}.{d.month}.{d.day}"):
        assert parse_date(text) == d
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(serial) == d


@pytest.mark.parametrize("raw, clean", [("张　三", "张三"), (" 李 四 ", "李四"), ("Anna  Smith", "Anna Smith"),
                                        ("王\u200b五", "王五"), ("迪丽热巴·迪力木拉提", "迪丽热巴·迪力木拉提"),
                                        ("初一（３）班", "初一(3)班"), (None, ""), (3.0, "3")])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_codes_lose_spaces_and_case_and_refuse_rounded_numbers():
    assert clean_code(" ｇ１１ 0101 ", "学籍号", "no") == "G110101"
    assert clean_code(12345.0, "学籍号", "no") == "12345"
    with pytest.raises(CellError, match="文本"):
        clean_code(1.1010120100101e17, "学籍号", "no")


@pytest.mark.parametrize("raw, code", [("男", "M"), ("女 ", "F"), ("m", "M"), ("Female", "F"), ("1", "M"), (2, "F")])
def test_genders(raw, code):
    assert parse_gender(raw) == code


def test_gender_errors():
    for bad in ("", "未知", "X"):
        with pytest.raises(CellError):
            parse_gender(bad)


def test_years():
    assert parse_year("2023年") == 2023 and parse_year("2023-09") == 2023 and parse_year(2023.0) == 2023
    assert parse_year(datetime(2023, 9, 1)) == 2023 and parse_year("") is None
    with pytest.raises(CellError):
        parse_year("去年")
    with pytest.raises(CellError):
        parse_year("1850")


@pytest.mark.parametrize("raw, clean", [("全国学籍号*", "全国学籍号"), ("出生日期（yyyy-mm-dd）", "出生日期"),
                                        (" 性 别 ", "性别"), ("班级：", "班级"), ("【必填】姓名", "姓名")])
def test_header_variants(raw, clean):
    assert clean_header(raw) == clean


def test_encoding_detection_survives_a_cut_character():
    text = "姓名,性别\n张三,男\n" * 50
    utf8 = text.encode("utf-8")
    assert detect_encoding(utf8[:100]) == "utf-8"       # may end inside a character
    assert detect_encoding(b"\xef\xbb\xbf" + utf8) == "utf-8-sig"
    assert detect_encoding(text.encode("gbk")) == "gb18030"
