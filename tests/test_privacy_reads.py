"""Reads that matter are in the access log: prefilled entry sheets, the programmes export,
school bundles, the district's bundles down and its person-history look-ups (with the reason).
Each test reads the log back as the admin's viewer would."""

from __future__ import annotations

from datetime import date

import pytest

from growthdesk import keys
from growthdesk.errors import PermissionDenied, ValidationError
from growthdesk.services import accesslog, students, users


@pytest.fixture()
def school(school_db):
    db = school_db
    db.kdf = keys.FAST_FOR_TESTS
    with db.session(user="fixture") as s:
        users.create_user(s, "admin", "管理员", "school_admin", "secret-123")
        t = users.create_user(s, "teacher01", "李老师", "teacher", "secret-123")
        users.assign_class(s, t.id, db.sample["class_id"], "科学")
        other = students.create_class(s, 2025, 7, 4)
        db.sample["other_class"] = other.id
    return db


def _newest(db):
    with db.session() as s:
        assert accesslog.verify(s).ok
        return accesslog.entries(s)[0]


def test_entry_sheets_are_logged_and_only_for_ones_own_class(school, tmp_path):
    from growthdesk.sheets.templates import write_award_template, write_evaluation_template
    db = school
    db.login = "teacher01"
    write_award_template(db, "初一(3)班", tmp_path / "awards.xlsx")
    e = _newest(db)
    assert (e.user, e.action, e.student_count) == ("teacher01", "export_sheet", 3)
    assert set(e.student_ids.split(",")) == set(db.sample["student_ids"]) and "awards.xlsx" in e.detail
    assert "张三" not in e.detail and db.sample["student_nos"][0] not in e.detail
    write_evaluation_template(db, "初一(3)班", tmp_path / "evals.xlsx", term="2025-2026-1")
    e = _newest(db)
    assert e.action == "export_sheet" and "evaluations 2025-2026-1" in e.detail and e.student_count == 3
    with pytest.raises(PermissionDenied) as exc:
        write_award_template(db, "初一(4)班", tmp_path / "other.xlsx")
    assert "学校管理员" in exc.value.message("zh_CN") and not (tmp_path / "other.xlsx").exists()
    db.login = "admin"
    write_award_template(db, "初一(4)班", tmp_path / "other.xlsx")  # the admin may, logged
    assert _newest(db).user == "admin"


def test_programme_export_is_logged(school, tmp_path):
    from growthdesk.sheets.programmes import export_programmes
    db = school
    db.login = "admin"
    export_programmes(db, tmp_path / "programmes.xlsx")
    e = _newest(db)
    assert (e.user, e.action) == ("admin", "export_sheet") and "programmes.xlsx" in e.detail


def test_bundles_both_ways_and_person_history_with_its_reason_are_logged(tmp_path):
    from growthdesk.services import students as st_svc
    from growthdesk.services.terms import current_term_code
    from growthdesk.setup import add_school, create_district, create_school
    from growthdesk.stats.people import person_history, person_key_for
    from growthdesk.sync import export_bundle, import_bundle
    from growthdesk.sync.publish import publish_for_school
    d = create_district(tmp_path / "district.db", "D07", "示例区", kdf=keys.FAST_FOR_TESTS)
    school = create_school(tmp_path / "J.db", add_school(d, "J0201", "城东初级中学", "urban", ["junior"]),
                           kdf=keys.FAST_FOR_TESTS)
    no = "G110101201301010012"
    body = no[1:18]
    no = "G" + body + st_svc.gb11643_check(body)
    year = int(current_term_code()[:4])
    with school.session(user="fixture") as s:
        cls = st_svc.create_class(s, year, 7, 1)
        st_svc.create_student(s, national_student_no=no, name="许嘉禾", gender="F", birth_date=date(2013, 1, 1),
                              class_id=cls.id)
        users.create_user(s, "admin", "管理员", "school_admin", "secret-123")
    up = export_bundle(school, tmp_path / "up", user="admin")
    e = _newest(school)
    assert (e.user, e.action) == ("admin", "export_bundle") and up["file"] in e.detail
    assert import_bundle(d, up["path"])["status"] == "imported"
    with d.session(user="fixture") as s:
        users.create_user(s, "staff", "区教研员", "district_staff", "secret-123")
    d.login = "staff"
    with d.session() as s:
        key = person_key_for(s, no)
        with pytest.raises(ValidationError) as exc:
            person_history(s, key, reason=" ")
        assert "原因" in exc.value.message("zh_CN")
    with d.session() as s:
        assert not [e for e in accesslog.entries(s) if e.action == "person_history"]
        person_history(s, key, reason="转学核实获奖记录")
    e = _newest(d)
    assert (e.user, e.action, e.reason, e.student_count) == ("staff", "person_history", "转学核实获奖记录", 1)
    assert no not in e.detail + e.reason and "许嘉禾" not in e.detail
    res = publish_for_school(d, "J0201", tmp_path / "down", user="staff", full=True)
    e = _newest(d)
    assert (e.user, e.action) == ("staff", "export_bundle") and res["file"] in e.detail and "J0201" in e.detail
    school.close()
    d.close()
