"""Issue 15: how far each class is in the term's 综评 process, at the district: per school and
class in the statistics report, the 综评进度 sheet of the xlsx, the PDF section (both parsed
back) and the district window's tab (pytest-qt, rendered at 1366x768)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from growthdesk.models import ArchiveItem, PublicityPeriod, SchoolClass, SignOff, Student
from growthdesk.stats.export import write_pdf, write_xlsx
from growthdesk.stats.filters import Filters
from growthdesk.stats.report import build_report
from growthdesk.stats.sample import TERM, create_sample_district

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
NOW = datetime(2025, 11, 20, 8, 0)


def _class(s, code, grade) -> SchoolClass:
    return s.query(SchoolClass).filter_by(school_code=code, school_year=2025, grade=grade).one()


def _progress(db) -> None:
    """As bundles would bring them: U1's 五年级(1)班 has picked its records, U2's 初一(1)班 is in
    publicity, T1's 初二(1)班 is signed off by its adviser and the principal; R1 is recording."""
    with db.session() as s:
        u1, u2, t1 = _class(s, "U1", 5), _class(s, "U2", 7), _class(s, "T1", 8)
        for cls in (u1, u2, t1):
            st = s.query(Student).filter_by(class_id=cls.id).first()
            s.add(ArchiveItem(term_code=TERM, class_id=cls.id, student_id=st.id, record_type="self_record",
                              record_id="0" * 36, removed=False, school_code=cls.school_code))
        for cls in (u2, t1):
            s.add(PublicityPeriod(term_code=TERM, class_id=cls.id, start_date=date(2025, 11, 3),
                                  # U2's runs on past today: the window computes with the real clock
                                  end_date=date(2025, 11, 14) if cls is t1 else date.today() + timedelta(days=60),
                                  working_days=10, opened_by="adviser", opened_at=datetime(2025, 11, 3),
                                  school_code=cls.school_code))
        s.add(SignOff(term_code=TERM, kind="adviser", grade=8, class_id=t1.id, signed_by="t1adviser",
                      signer_name="班主任", signed_at=datetime(2025, 11, 17), school_code="T1"))
        s.add(SignOff(term_code=TERM, kind="principal", grade=8, class_id=None, signed_by="t1head",
                      signer_name="校长", signed_at=datetime(2025, 11, 18), school_code="T1"))


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    base = tmp_path_factory.mktemp("proc")
    db, _ = create_sample_district(base / "district.db", datetime(2026, 1, 10))
    _progress(db)
    with db.session() as s:
        report = build_report(s, Filters(term=TERM), now=NOW, max_days=100_000)
    yield db, report, base
    db.close()


EXPECTED = {("R1", "四年级(1)班"): "写实记录", ("T1", "初二(1)班"): "已归档", ("U1", "五年级(1)班"): "已遴选",
            ("U2", "初一(1)班"): "公示中"}


def test_report_has_each_class_with_its_step(district):
    _, report, _ = district
    proc = report["archive_process"]
    assert proc["term"] == TERM
    got = {(r["school_code"], c["class"]): c["step_zh"] for r in proc["schools"] for c in r["class_steps"]}
    assert got == EXPECTED
    t1 = next(r for r in proc["schools"] if r["school_code"] == "T1")
    assert t1["steps"]["locked"] == 1 and t1["archived_share"] == 1.0


def test_xlsx_has_the_progress_sheet_per_school_and_class(district):
    _, report, base = district
    wb = openpyxl.load_workbook(write_xlsx(report, base / "stats.xlsx"))
    assert "综评进度" in wb.sheetnames
    rows = [tuple(r) for r in wb["综评进度"].iter_rows(values_only=True)]
    head = rows[0]
    assert head[:3] == ("学校代码", "学校", "班级数") and "公示中" in head and head[-1] == "归档率"
    by_school = {r[0]: r for r in rows[1:5]}
    assert set(by_school) == {"R1", "T1", "U1", "U2"}
    assert by_school["T1"][head.index("已归档")] == 1 and by_school["T1"][head.index("归档率")] == 1
    assert by_school["U2"][head.index("公示中")] == 1 and by_school["R1"][head.index("写实记录")] == 1
    start = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("各班进度"))
    assert "2025—2026学年第一学期" in rows[start][0]
    assert rows[start + 1][:4] == ("学校代码", "学校", "班级", "进度")
    classes = {(r[0], r[2]): r[3] for r in rows[start + 2:] if r[0]}
    assert classes == EXPECTED


def test_pdf_has_the_progress_section_read_back(district):
    _, report, base = district
    reader = PdfReader(write_pdf(report, base / "stats.pdf"))
    text = "".join(p.extract_text() for p in reader.pages)
    part = text[text.index("综评档案进度"):]
    assert "2025—2026学年第一学期" in part and "各班进度" in part
    cells = [x.strip() for x in part[part.index("各班进度"):].splitlines() if x.strip()]
    assert cells[1:5] == ["学校代码", "学校", "班级", "进度"]
    rows = [cells[i:i + 4] for i in range(5, len(cells), 4)]
    assert {(r[0], r[2]): r[3] for r in rows} == EXPECTED
    school_part = part[:part.index("各班进度")]
    assert "100.0%" in school_part and "镇中心学校" in school_part


def test_district_window_shows_the_progress_tab(qtbot, district, monkeypatch):
    from growthdesk.ui.app import make_app
    from growthdesk.ui.district.window import DistrictWindow
    db, _, _ = district
    make_app("zh_CN")
    win = DistrictWindow(db, "district", behind_days=100_000)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.report is not None, timeout=20_000)
    page = win.process_page
    win.tabs.setCurrentWidget(page)
    assert win.tabs.tabText(win.tabs.currentIndex()) == "综评进度"
    heads = [page.classes.horizontalHeaderItem(c).text() for c in range(page.classes.columnCount())]
    assert heads == ["学校代码", "学校", "班级", "进度"]
    got = {(page.classes.item(r, 0).text(), page.classes.item(r, 2).text()): page.classes.item(r, 3).text()
           for r in range(page.classes.rowCount())}
    assert got == EXPECTED
    assert page.schools.rowCount() == 4 and "1 个已签发归档" in page.title.text()
    win.resize(1366, 768)
    QApplication.processEvents()
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "district_process_zh_CN.png"))
    win.runner.wait()
