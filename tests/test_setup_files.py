"""District and school databases from setup files: identity, keys, reference data, bad input."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import pytest
from sqlalchemy import func, select

from growthdesk.db import open_database
from growthdesk.errors import DatabaseError, ValidationError
from growthdesk.models import Competition, Rubric, School, Term
from growthdesk.services.terms import current_term_code
from growthdesk.setup import add_school, create_district, create_school, read_setup_file, write_setup_file


@pytest.fixture(scope="module")
def _district_template(tmp_path_factory):
    """Made once (migrations cost most of a second); each test gets its own copy."""
    path = tmp_path_factory.mktemp("district-template") / "district.db"
    create_district(path, "330106", "西湖区").close()  # closing checkpoints the WAL into the file
    return path


@pytest.fixture()
def district(tmp_path, _district_template):
    shutil.copyfile(_district_template, tmp_path / "district.db")
    db = open_database(tmp_path / "district.db")
    yield db
    db.close()


def _count(db, model, *where) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _file_digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_district_has_identity_secret_rubric_and_national_list(district):
    assert district.kind == "district" and district.district_code == "330106"
    assert re.fullmatch(r"[0-9a-f]{64}", district.settings["person_key_secret"])
    assert _count(district, Rubric, Rubric.active.is_(True)) == 1
    assert _count(district, Competition, Competition.on_national_list.is_(True)) == 47


def test_school_made_from_setup_file_matches_the_district(district, tmp_path):
    """Format 2: the setup carries the district's public keys and a one-time secret; no shared
    key and no district-wide secret reach the school, which makes its own key pairs."""
    setup = add_school(district, "HZ-0001", "杭州市示例中学", "城区", "junior,senior")
    assert setup["version"] == 2 and "sync_key" not in setup and "person_key_secret" not in setup
    assert setup["parent"]["node_id"] == "330106" and re.fullmatch(r"[0-9a-f]{64}", setup["enrollment_secret"])
    path = write_setup_file(setup, tmp_path / "HZ-0001.json")
    school = create_school(tmp_path / "school.db", path)
    try:
        assert school.kind == "school" and school.school_code == "HZ-0001" and school.district_code == "330106"
        assert "person_key_secret" not in school.settings
        assert (school.settings["node_id"], school.settings["node_role"], school.settings["parent_node_id"]) == \
            ("HZ-0001", "hub", "330106")
        assert school.settings["node_sign_key"] != district.settings["node_sign_key"]
        assert district.settings["node_sign_key"] not in path.read_text(encoding="utf-8")
        with school.session() as s:
            row = s.get(School, "HZ-0001")
            assert (row.category, row.stages, row.sync_key) == ("urban", "junior,senior", None)
            assert s.get(Term, current_term_code()) is not None
        with district.session() as s:
            assert s.get(School, "HZ-0001").sync_key is None
        assert _count(school, Competition, Competition.on_national_list.is_(True)) == 47
        assert _count(school, Rubric, Rubric.active.is_(True)) == 1
    finally:
        school.close()


def test_format1_setup_file_still_makes_a_school(district, tmp_path):
    setup = add_school(district, "HZ-0001", "杭州市示例中学", "城区", "junior,senior", legacy=True)
    path = write_setup_file(setup, tmp_path / "HZ-0001.json")
    school = create_school(tmp_path / "school.db", path)
    try:
        assert setup["version"] == 1 and school.settings["node_role"] == "hub"
        assert school.settings["person_key_secret"] == district.settings["person_key_secret"]
        with school.session() as s:
            row = s.get(School, "HZ-0001")
            assert (row.category, row.stages, row.sync_key) == ("urban", "junior,senior", setup["sync_key"])
            assert s.get(Term, current_term_code()) is not None
        with district.session() as s:
            assert s.get(School, "HZ-0001").sync_key == setup["sync_key"]
        assert _count(school, Competition, Competition.on_national_list.is_(True)) == 47
        assert _count(school, Rubric, Rubric.active.is_(True)) == 1
    finally:
        school.close()


@pytest.mark.parametrize("code", ["abc", "S 001", "学校0001", "X" * 17, ""])
def test_bad_school_code_is_refused_and_nothing_registered(district, code):
    with pytest.raises(ValidationError) as err:
        add_school(district, code, "某校", "rural", "primary")
    assert err.value.field == "school_code" and "学校代码" in str(err.value)
    assert _count(district, School) == 0


def test_duplicate_school_and_bad_category_or_stage(district):
    add_school(district, "S0001", "一中", "town", "junior")
    with pytest.raises(ValidationError) as err:
        add_school(district, "S0001", "二中", "town", "junior")
    assert err.value.field == "school_code"
    with pytest.raises(ValidationError) as err:
        add_school(district, "S0002", "二中", "suburb", "junior")
    assert err.value.field == "category"
    with pytest.raises(ValidationError) as err:
        add_school(district, "S0002", "二中", "town", "college")
    assert err.value.field == "stages"
    assert _count(district, School) == 1


def _broken(setup: dict, dotted: str, value) -> dict:
    doc = json.loads(json.dumps(setup))
    *parents, last = dotted.split(".")
    cur = doc
    for p in parents:
        cur = cur[p]
    if value is KeyError:
        del cur[last]
    else:
        cur[last] = value
    return doc


@pytest.mark.parametrize("legacy,dotted,value,field,text", [
    (False, "format", "something-else", "format", "不是 GrowthDesk 学校设置文件"),
    (False, "version", 3, "version", "newer"),
    (False, "school.name", KeyError, "school.name", "school.name"),
    (False, "school.code", "x", "school_code", "学校代码"),
    (False, "enrollment_secret", "not-hex", "enrollment_secret", "加入密钥"),
    (False, "parent.sign_public", "00" * 31, "parent.sign_public", "公钥"),
    (False, "parent", KeyError, "parent", "parent"),
    (True, "sync_key", "not-hex", "sync_key", "sync_key"),
    (True, "person_key_secret", KeyError, "person_key_secret", "person_key_secret"),
    (False, "rubric", {"code": "r", "dimensions": []}, None, ""),
])
def test_bad_setup_file_is_refused_before_any_database_is_made(district, tmp_path, legacy, dotted, value, field,
                                                                text):
    setup = add_school(district, "S0001", "一中", "urban", "junior", legacy=legacy)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_broken(setup, dotted, value), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        create_school(tmp_path / "school.db", bad)
    if field:
        assert err.value.field == field
    assert text in str(err.value)
    assert err.value.zh and err.value.en
    assert not (tmp_path / "school.db").exists()


def test_setup_file_that_is_not_json_names_the_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n "format": "growthdesk-school-setup",\n oops\n}', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_setup_file(bad)
    assert err.value.row == 3 and "JSON" in str(err.value)
    with pytest.raises(ValidationError):
        read_setup_file(tmp_path / "missing.json")


def test_init_refuses_an_existing_database_and_leaves_it_alone(district, tmp_path):
    setup = add_school(district, "S0001", "一中", "urban", "junior")
    first = create_school(tmp_path / "school.db", setup)
    first.close()
    before = _file_digest(tmp_path / "school.db")
    with pytest.raises(DatabaseError) as err:
        create_school(tmp_path / "school.db", setup)
    assert "不会覆盖" in str(err.value)
    with pytest.raises(DatabaseError):
        create_district(tmp_path / "school.db", "D02", "另一个区")
    assert _file_digest(tmp_path / "school.db") == before
    again = open_database(tmp_path / "school.db")
    assert again.kind == "school"
    again.close()


def test_add_school_needs_a_district_database(district, tmp_path):
    school = create_school(tmp_path / "school.db", add_school(district, "S0001", "一中", "urban", "junior"))
    try:
        with pytest.raises(DatabaseError) as err:
            add_school(school, "S0002", "二中", "urban", "junior")
        assert "区级数据库" in str(err.value)
    finally:
        school.close()


@pytest.mark.postgres
def test_school_on_postgresql_with_demo_data(district, postgres_db):
    from datetime import date

    from growthdesk.demo import fill_demo
    from growthdesk.models import Student

    setup = add_school(district, "PG-0001", "一中", "urban", "junior")
    school = create_school(postgres_db, setup)
    try:
        counts = fill_demo(school, students=60, terms=2, seed=2, today=date(2026, 11, 2))
        assert counts["student"] == _count(school, Student) == 60
        assert _count(school, Competition, Competition.on_national_list.is_(True)) == 47
    finally:
        school.close()
    with pytest.raises(DatabaseError) as err:
        create_school(postgres_db, setup)
    assert "不会覆盖" in str(err.value)
