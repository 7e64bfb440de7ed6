"""Bad bundles: each is rejected with a reason naming the problem, and the district database
is exactly as before (every table's checksum; the import log only gains its 'rejected' row)."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from growthdesk.db import open_database
from growthdesk.models import ImportLog
from growthdesk.sync import REJECTED, export_bundle, import_bundle
from growthdesk.sync import format as fmt
from growthdesk.sync.testing import edit_csv, make_district_and_school, repack, table_checksums


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reject-template")
    district, school, setup = make_district_and_school(folder, students=30)
    first = export_bundle(school, folder / "out")
    import_bundle(district, first["path"])
    # Bundle 2 (new edits) is the one the tests spoil; the district already holds bundle 1.
    from growthdesk.services import students
    from growthdesk.models import Student
    with school.session(user="t") as s:
        for st in list(s.scalars(select(Student).order_by(Student.id).limit(3))):
            students.update_student(s, st.id, note="已核对")
    export_bundle(school, folder / "out")
    district.close()
    school.close()
    (folder / "key").write_text(setup["sync_key"])
    return folder


@pytest.fixture()
def env(template, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    shutil.copy(template / "district.db", tmp_path / "district.db")
    good = tmp_path / fmt.bundle_name("S0001", 2)
    shutil.copy(template / "out" / good.name, good)
    district = open_database(tmp_path / "district.db")
    yield district, good, (template / "key").read_text(), tmp_path
    district.close()


def assert_rejected(district, bundle: Path, *words: str) -> dict:
    before = table_checksums(district)
    res = import_bundle(district, bundle, user="tester")
    assert res["status"] == REJECTED, res
    message = res["reason"]["message"]
    for w in words:
        assert w in message, message
    assert res["reason"]["zh"] and res["reason"]["en"]
    assert table_checksums(district) == before
    with district.session() as s:
        log = s.scalars(select(ImportLog).order_by(ImportLog.id.desc())).first()
        assert log.result == "rejected" and log.message == message and log.imported_by == "tester"
    return res


def set_cell(column: str, value: str, row: int = 1):
    def change(rows):
        rows[row][rows[0].index(column)] = value
    return change


def test_the_untouched_bundle_is_accepted(env):
    district, good, key, tmp = env
    assert import_bundle(district, good)["status"] == "imported"


def test_flipped_byte_in_a_csv(env):
    district, good, key, tmp = env

    def flip(name, data):
        if name != "student.csv":
            return None
        i = len(data) // 2
        return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]
    assert_rejected(district, repack(good, tmp / "b.zip", key, edit=flip, resign=False), "student.csv", "SHA-256")


def test_truncated_zip(env):
    district, good, key, tmp = env
    cut = tmp / "cut.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    assert_rejected(district, cut, "truncated")


def test_not_a_zip(env):
    district, good, key, tmp = env
    fake = tmp / "S0001-000002.gdbundle.zip"
    fake.write_text("这不是数据包\n", encoding="utf-8")
    assert_rejected(district, fake, "not a zip")


def test_manifest_edited_after_signing(env):
    import zipfile

    district, good, key, tmp = env
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    doc = json.loads(members[fmt.MANIFEST])
    doc["sequence"] = 7  # the signature still covers the old bytes
    members[fmt.MANIFEST] = json.dumps(doc, indent=1, sort_keys=True).encode()
    bad = tmp / "b.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    assert_rejected(district, bad, "signature")


def test_signed_with_another_schools_key(env):
    district, good, key, tmp = env
    assert_rejected(district, repack(good, tmp / "b.zip", "ab" * 32), "signature")


def test_bundle_for_another_district(env):
    district, good, key, tmp = env
    bad = repack(good, tmp / "b.zip", key, manifest_edit=lambda m: m.update(district_code="D99"))
    assert_rejected(district, bad, "another district", "D99")


def test_missing_column(env):
    district, good, key, tmp = env

    def drop(rows):
        i = rows[0].index("gender")
        for r in rows:
            del r[i]
    assert_rejected(district, repack(good, tmp / "b.zip", key, edit=edit_csv("student.csv", drop)),
                    "student.csv", "gender")


def test_extra_column(env):
    district, good, key, tmp = env

    def add(rows):
        rows[0].append("id_card_no")
        for r in rows[1:]:
            r.append("110101200001011234")
    assert_rejected(district, repack(good, tmp / "b.zip", key, edit=edit_csv("student.csv", add)),
                    "student.csv", "id_card_no")


def test_bad_date(env):
    district, good, key, tmp = env
    bad = repack(good, tmp / "b.zip", key, edit=edit_csv("student.csv", set_cell("birth_date", "2013-02-30")))
    res = assert_rejected(district, bad, "student.csv", "birth_date", "2013-02-30")
    assert res["reason"]["row"] == 2 and res["reason"]["column"] == "birth_date"


def test_unknown_enum_value(env):
    district, good, key, tmp = env
    bad = repack(good, tmp / "b.zip", key, edit=edit_csv("student.csv", set_cell("gender", "X")))
    assert_rejected(district, bad, "gender", "'X'", "valid: F, M")


def test_reference_to_a_student_that_does_not_exist(env):
    district, good, key, tmp = env
    ghost = str(uuid.uuid4())

    def add_eval(name, data):
        if name != "process_evaluation.csv":
            return None
        from growthdesk.sync.testing import parse_csv, write_csv
        rows = parse_csv(data)
        header = rows[0]
        row = {"id": str(uuid.uuid4()), "school_code": "S0001", "created_at": "2026-10-01T08:00:00.000000",
               "updated_at": "2026-10-01T08:00:00.000000", "updated_by": "t", "student_id": ghost,
               "term_code": "2026-2027-1", "dimension": "moral", "indicator": "", "level": "A", "score": "95.0",
               "evaluator_role": "teacher", "evaluator_name": "王老师", "comment": "", "eval_date": "2026-10-01",
               "clock": "0", "versions": ""}
        rows.append([row[h] for h in header])
        return write_csv(rows)

    def bump(m):
        m["files"]["process_evaluation.csv"]["rows"] += 1
    bad = repack(good, tmp / "b.zip", key, edit=add_eval, manifest_edit=bump)
    assert_rejected(district, bad, "process_evaluation.csv", "student_id", ghost)


def test_ten_megabyte_cell(env):
    district, good, key, tmp = env
    bad = repack(good, tmp / "b.zip", key, edit=edit_csv("student.csv", set_cell("note", "长" * (10 << 20))))
    assert_rejected(district, bad, "student.csv", "too large")


def test_gbk_encoded_csv(env):
    district, good, key, tmp = env

    def to_gbk(name, data):
        return data.decode("utf-8").encode("gbk") if name == "student.csv" else None
    assert_rejected(district, repack(good, tmp / "b.zip", key, edit=to_gbk), "student.csv", "UTF-8")


def test_row_of_another_school(env):
    district, good, key, tmp = env
    bad = repack(good, tmp / "b.zip", key, edit=edit_csv("student.csv", set_cell("school_code", "S0002")))
    assert_rejected(district, bad, "another school")


def test_row_count_differs_from_manifest(env):
    district, good, key, tmp = env

    def drop_last(rows):
        rows.pop()
    assert_rejected(district, repack(good, tmp / "b.zip", key, edit=edit_csv("student.csv", drop_last)),
                    "student.csv", "manifest")


def test_unexpected_member_in_the_zip(env):
    district, good, key, tmp = env
    import zipfile
    bad = tmp / "b.zip"
    shutil.copy(good, bad)
    with zipfile.ZipFile(bad, "a") as zf:
        zf.writestr("payload.exe", b"MZ")
    assert_rejected(district, bad, "payload.exe")


def test_unknown_school(env):
    district, good, key, tmp = env
    bad = repack(good, tmp / "b.zip", key, manifest_edit=lambda m: m.update(school_code="S9999"))
    assert_rejected(district, bad, "S9999", "not registered")


def test_manifest_with_nonsense_sizes(env):
    district, good, key, tmp = env

    def nonsense(m):
        m["files"]["student.csv"]["bytes"] = "lots"
    assert_rejected(district, repack(good, tmp / "b.zip", key, manifest_edit=nonsense), "student.csv", "incomplete")


def test_member_larger_than_the_manifest_says(env):
    district, good, key, tmp = env

    def shrink(m):
        m["files"]["student.csv"]["bytes"] = 10
    assert_rejected(district, repack(good, tmp / "b.zip", key, manifest_edit=shrink), "larger than")
