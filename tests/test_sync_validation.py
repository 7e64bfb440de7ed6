"""One validation for the app and the district (issue 13): a signed bundle cannot carry what the
school app refuses (control characters, a birth date in 2999, term 2098-2099-1, levels that are
not JSON, an id like ../../../etc/passwd, a score of 150); big cells are refused before they are
read whole; a BOM, a damaged copy of an imported bundle and an out-of-range value get their own
reason. Each rejected bundle leaves the district exactly as it was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from growthdesk.db import open_database
from growthdesk.errors import ValidationError
from growthdesk.models import ImportLog
from growthdesk.sync import REJECTED, export_bundle, import_bundle
from growthdesk.sync import format as fmt
from growthdesk.sync.testing import edit_csv, make_district_and_school, repack, table_checksums

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A district with nothing imported, and the school's first (full) bundle."""
    folder = tmp_path_factory.mktemp("validation-template")
    district, school, setup = make_district_and_school(folder, students=12, terms=1)
    export_bundle(school, folder / "out")
    district.close()
    school.close()
    (folder / "key").write_text(setup["sync_key"])
    return folder


@pytest.fixture()
def env(template, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    shutil.copy(template / "district.db", tmp_path / "district.db")
    good = tmp_path / fmt.bundle_name("S0001", 1)
    shutil.copy(template / "out" / good.name, good)
    district = open_database(tmp_path / "district.db")
    yield district, good, (template / "key").read_text(), tmp_path
    district.close()


def rejected(district, bundle: Path, column: str | None, *words: str, absent: tuple[str, ...] = ()) -> dict:
    before = table_checksums(district)
    res = import_bundle(district, bundle, user="tester")
    assert res["status"] == REJECTED, res
    reason = res["reason"]
    for w in words:
        assert w in reason["message"], reason["message"]
    for w in absent:
        assert w not in reason["message"], reason["message"]
    if column is not None:
        assert reason["column"] == column and reason["row"], reason
    assert "\n" not in reason["message"] and "\x00" not in reason["message"]
    assert table_checksums(district) == before
    return res


def set_cell(column: str, value: str, row: int = 1):
    def change(rows):
        rows[row][rows[0].index(column)] = value
    return change


CASES = [  # table, column, bad value, words in the reason
    ("student", "name", "张\x00三", ["控制字符", "U+0000"]),
    ("student", "note", "好\x1b[31m", ["控制字符", "U+001B"]),
    ("process_evaluation", "comment", "表现\x07很好", ["控制字符"]),
    ("student", "birth_date", "2999-01-01", ["出生日期不合理"]),
    ("process_evaluation", "term_code", "2098-2099-1", ["超出范围"]),
    ("term_evaluation", "levels_json", "not json {", ["JSON"]),
    ("term_evaluation", "levels_json", '{"moral": 5}', ["JSON"]),
    ("student", "id", "../../../etc/passwd", ["编号格式无效"]),
    ("process_evaluation", "student_id", "..\\..\\boot.ini", ["编号格式无效"]),
    ("process_evaluation", "score", "150.0", ["0–100"]),
]


@pytest.mark.parametrize("table,column,value,words", CASES, ids=[f"{c[0]}.{c[1]}={c[2]!r}" for c in CASES])
def test_a_signed_bundle_cannot_carry_what_the_app_refuses(env, table, column, value, words):
    district, good, key, tmp = env
    bad = repack(good, tmp / "b.zip", key, edit=edit_csv(f"{table}.csv", set_cell(column, value)))
    rejected(district, bad, column, f"{table}.csv", *words, absent=("请先导入", "import it first"))


def test_the_untouched_bundle_is_accepted(env):
    district, good, key, tmp = env
    assert import_bundle(district, good)["status"] == "imported"


def test_the_app_refuses_the_same_values(school_db):
    """The other side of the parity: the services refuse what the import refuses."""
    from growthdesk.services import students, terms
    with pytest.raises(ValidationError) as err, school_db.session(user="t") as s:
        students.create_student(s, national_student_no="G110101201305010014", name="张\x00三", gender="M",
                                stage="junior")
    assert "控制字符" in err.value.zh and err.value.field == "name"
    with pytest.raises(ValidationError) as err, school_db.session(user="t") as s:
        students.update_student(s, school_db.sample["student_ids"][0], note="好\x1b[31m")
    assert "控制字符" in err.value.zh
    with pytest.raises(ValidationError) as err, school_db.session(user="t") as s:
        terms.ensure_term(s, "2098-2099-1")
    assert "超出范围" in err.value.zh
    with pytest.raises(ValidationError), school_db.session(user="t") as s:
        students.create_student(s, national_student_no="G110101201305010014", name="赵六", gender="M",
                                stage="junior", birth_date=date(2999, 1, 1))
    with school_db.session(user="t") as s:  # ordinary text with line breaks and tabs stays fine
        students.update_student(s, school_db.sample["student_ids"][0], note="第一行\n第二行\t完")


def test_a_bom_in_a_bundle_csv_is_explained(env):
    district, good, key, tmp = env

    def bom(name, data):
        return b"\xef\xbb\xbf" + data if name == "student.csv" else None
    rejected(district, repack(good, tmp / "b.zip", key, edit=bom), None, "student.csv", "BOM", "重新导出")


def test_a_damaged_copy_of_an_imported_bundle_is_called_damaged(env):
    district, good, key, tmp = env
    assert import_bundle(district, good)["status"] == "imported"

    def flip(name, data):
        if name != "student.csv":
            return None
        i = data.index(b"\n") + 5
        return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]
    damaged = repack(good, tmp / fmt.bundle_name("S0001", 1).replace(".gdbundle", "-copy.gdbundle"), key,
                     edit=flip, resign=False)
    res = rejected(district, damaged, None, "损坏", "damaged", absent=("另一个内容不同", "different bundle"))
    assert "无需再导入" in res["reason"]["message"]


def test_a_new_bundle_reusing_a_sequence_is_still_a_different_bundle(env):
    district, good, key, tmp = env
    assert import_bundle(district, good)["status"] == "imported"
    other = repack(good, tmp / "other.zip", key, manifest_edit=lambda m: m.update(usn_to=m["usn_to"] + 1))
    rejected(district, other, None, "另一个内容不同", absent=("损坏",))


def test_a_member_bigger_in_the_zip_directory_than_in_the_manifest_is_refused_unread(env):
    district, good, key, tmp = env

    def grow(name, data):
        return data + b"\r\n" * 10 if name == "student.csv" else None
    shrunk = repack(good, tmp / "b.zip", key, edit=grow, resign=True,
                    manifest_edit=lambda m: m["files"]["student.csv"].update(bytes=10))
    rejected(district, shrunk, None, "student.csv", "比清单所写的大")


MEMORY_PROBE = r"""
import json, sys
from growthdesk.db import open_database
from growthdesk.sync import import_bundle
res = import_bundle(open_database(sys.argv[1]), sys.argv[2])
# VmHWM: this process's peak resident memory (ru_maxrss would include the forking parent's)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"status": res["status"], "message": (res["reason"] or {}).get("message", ""), "peak_kib": hwm}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_huge_cell_is_refused_without_reading_it_whole(env):
    """A signed bundle whose student.csv holds one 300 MB cell: refused, and the importing
    process stays small (before: the whole line was read and decoded, over 1 GB)."""
    district, good, key, tmp = env
    district.close()
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    header, _, rest = members["student.csv"].partition(b"\r\n")
    first, _, tail = rest.partition(b"\r\n")
    cells = first.split(b",")
    col = header.split(b",").index(b"note")
    huge = 300 * 1024 * 1024
    big = tmp / "big.zip"
    import hashlib
    h = hashlib.sha256()
    prefix = header + b"\r\n" + b",".join(cells[:col]) + b","
    suffix = b"," + b",".join(cells[col + 1:]) + b"\r\n" + tail
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, data in members.items():
            if name in (fmt.MANIFEST, fmt.SIGNATURE, "student.csv"):
                continue
            out.writestr(name, data)
        with out.open("student.csv", "w", force_zip64=True) as fh:
            fh.write(prefix)
            h.update(prefix)
            block = b"x" * (1 << 20)
            for _ in range(huge >> 20):
                fh.write(block)
                h.update(block)
            fh.write(suffix)
            h.update(suffix)
        manifest = json.loads(members[fmt.MANIFEST])
        manifest["files"]["student.csv"].update(sha256=h.hexdigest(), bytes=len(prefix) + huge + len(suffix))
        raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        out.writestr(fmt.MANIFEST, raw)
        out.writestr(fmt.SIGNATURE, fmt.sign(raw, key) + "\n")
    proc = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(tmp / "district.db"), str(big)],
                          capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": os.pathsep.join([str(ROOT), os.environ["PYTHONPATH"]]), "GROWTHDESK_HOME": str(tmp / "home"), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == REJECTED and "过长" in out["message"], out
    assert out["peak_kib"] < 160 * 1024, out  # about 70 MB measured; never near the cell's size
    db = open_database(tmp / "district.db")
    try:
        with db.session() as s:
            assert s.scalars(select(ImportLog.result)).all() == ["rejected"]
    finally:
        db.close()
