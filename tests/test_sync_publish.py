"""District bundles (``district publish``): a pupil moves from a primary school to a junior
school of the same district; the junior school receives the pupil's earlier records through the
district and prints them in the term portfolio. Also: rubric and catalog travel down; a bundle
for another school, or from anyone but the district, is refused."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pypdf
import pytest
from sqlalchemy import select

from growthdesk.cli import main
from growthdesk.db import open_database
from growthdesk.models import Competition, ProcessEvaluation, Rubric, Student
from growthdesk.services import evaluations, students as student_service
from growthdesk.services.terms import current_term_code
from growthdesk.setup import add_school, create_district, create_school
from growthdesk.sync import import_bundle
from growthdesk.sync.publish import DOWN_TABLES, publish_for_school
from growthdesk.sync.testing import FIXED_TODAY
from tests.dbdump import dump

TERM = current_term_code()


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """D01; primary school P0001 (demo, 4 terms); junior school J0001 where one of P's pupils
    has just arrived (same 学籍号) with one evaluation this term. Both synced up once."""
    from growthdesk.demo import fill_demo

    t = tmp_path_factory.mktemp("publish")
    district = create_district(t / "district.db", "D01", "示例区")
    p = create_school(t / "P.db", add_school(district, "P0001", "示例小学", "urban", "primary"))
    j = create_school(t / "J.db", add_school(district, "J0001", "示例初中", "urban", "junior"))
    district.close()
    fill_demo(p, students=60, terms=4, seed=3, today=FIXED_TODAY)
    with p.session() as s:  # a pupil of P with evaluations in several terms
        counts = {}
        for sid, term in s.execute(select(ProcessEvaluation.student_id, ProcessEvaluation.term_code).distinct()):
            counts.setdefault(sid, set()).add(term)
        sid = max(counts, key=lambda k: (len(counts[k] - {TERM}), k))
        pupil = s.get(Student, sid)
        no, name, earlier_terms = pupil.national_student_no, pupil.name, sorted(counts[sid] - {TERM})
    assert len(earlier_terms) >= 2
    with j.session(user="t") as s:
        year = int(TERM[:4])
        cls = student_service.create_class(s, year, 7, 1, "王老师")
        st = student_service.create_student(s, national_student_no=no, name=name, gender="F", class_id=cls.id)
        evaluations.record_process_evaluation(s, student_id=st.id, term_code=TERM, dimension="moral", level="A",
                                              evaluator_role="teacher", evaluator_name="王老师")
        j_id = st.id
    p.close()
    j.close()
    F = t / "F"
    F.mkdir()
    from growthdesk.sync.folder import sync_folder
    with open_database(t / "P.db") as p:  # P has accounts (demo): the CLI needs a login; the API, as the app's sync
        sync_folder(p, F, user="admin")
    for db in ("J.db", "district.db"):
        assert main(["sync", "--db", str(t / db), "--folder", str(F)]) == 0
    (t / "pupil.json").write_text(json.dumps({"no": no, "name": name, "terms": earlier_terms, "j_id": j_id}),
                                  encoding="utf-8")
    return t


@pytest.fixture()
def env(template, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    for name in ("district.db", "P.db", "J.db", "pupil.json"):
        shutil.copy(template / name, tmp_path / name)
    shutil.copytree(template / "F", tmp_path / "F")
    return tmp_path, json.loads((tmp_path / "pupil.json").read_text(encoding="utf-8"))


def _pdf_text(path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def test_arriving_pupils_earlier_terms_appear_in_the_new_schools_portfolio(env, capsys):
    t, pupil = env
    code, out, err = run(capsys, "portfolio", "--db", t / "J.db", "--term", TERM, "--student", pupil["no"],
                         "--out", t / "before.pdf")
    assert code == 0, err
    assert "目前只有本学期的记录" in _pdf_text(t / "before.pdf")
    # The district's round already wrote J's district bundle into the folder; J takes it.
    bundle = t / "F" / "to-J0001" / "D01-000001.gdbundle"
    assert bundle.is_file()
    assert pupil["name"].encode("utf-8") not in bundle.read_bytes()
    code, out, err = run(capsys, "bundle", "import", "--db", t / "J.db", bundle, "--json")
    assert code == 0, err
    res = json.loads(out)["bundles"][0]
    assert res["status"] == "imported" and res["format"] == 2 and res["arrivals"] == 1, res
    assert res["counts"]["process_evaluation"]["inserted"] > 0
    with open_database(t / "J.db") as j:
        with j.session() as s:
            terms = set(s.scalars(select(ProcessEvaluation.term_code).where(
                ProcessEvaluation.student_id == pupil["j_id"], ProcessEvaluation.deleted.is_(False))))
            foreign = set(s.scalars(select(ProcessEvaluation.school_code).where(
                ProcessEvaluation.student_id == pupil["j_id"])))
    assert set(pupil["terms"]) <= terms and foreign == {"P0001", "J0001"}
    code, out, err = run(capsys, "portfolio", "--db", t / "J.db", "--term", TERM, "--student", pupil["no"],
                         "--out", t / "after.pdf")
    assert code == 0, err
    text = _pdf_text(t / "after.pdf")
    assert f"共 {len(terms)} 个学期有评价记录" in text, text[:2000]
    # Idempotent, and the earlier school's rows never travel back up from J.
    again = import_bundle(open_database(t / "J.db"), bundle)
    assert again["status"] == "already imported"
    code, out, err = run(capsys, "sync", "--db", t / "J.db", "--folder", t / "F", "--json")
    assert code == 0 and json.loads(out)["sent"] == [], out


def test_publish_cli_rubric_and_catalog_travel_down(env, capsys):
    t, pupil = env
    with open_database(t / "district.db") as d, d.session(user="t") as s:
        s.add(Competition(school_code="D01", name="示例区青少年科技创新大赛", organiser="示例区教育局",
                          discipline="综合", category="科技", on_national_list=False))
        rubric = s.scalars(select(Rubric).where(Rubric.active.is_(True))).one()
        doc = json.loads(rubric.document)
        doc["name_zh"] = doc.get("name_zh", "") + "（2026修订）"
        from growthdesk.services.rubric import install_rubric
        install_rubric(s, doc)
    code, out, err = run(capsys, "district", "publish", "--db", t / "district.db", "--out", t / "down", "--json")
    assert code == 0, err
    assert sorted(b["path"] for b in json.loads(out)["bundles"]) == [
        str(t / "down" / "to-J0001" / "D01-000002.gdbundle"), str(t / "down" / "to-P0001" / "D01-000002.gdbundle")]
    bundle = t / "down" / "to-P0001" / "D01-000002.gdbundle"
    with open_database(t / "P.db") as p:  # P has accounts (demo): the API, as the app's sync does after login
        res = import_bundle(p, bundle)
    assert res["counts"]["competition"]["inserted"] == 1 and res["counts"]["rubric"]["updated"] == 1
    # Nothing new since: the next bundle for P carries nothing and changes nothing there.
    code, out, err = run(capsys, "district", "publish", "--db", t / "district.db", "--out", t / "down",
                         "--school", "P0001", "--json")
    assert code == 0 and json.loads(out)["bundles"][0]["rows"] == 0, err
    with open_database(t / "P.db") as p:
        res = import_bundle(p, t / "down" / "to-P0001" / "D01-000003.gdbundle")
    assert res["status"] == "imported" and "rubric" not in res["counts"], res
    with open_database(t / "P.db") as p, p.session() as s:
        assert s.scalars(select(Competition.name).where(Competition.school_code == "D01")).all() == \
            ["示例区青少年科技创新大赛"]
        assert "2026修订" in s.scalars(select(Rubric.document).where(Rubric.active.is_(True))).one()


def test_district_bundle_for_another_school_or_from_a_school_is_refused(env, capsys):
    t, pupil = env
    p_bundle = t / "F" / "to-P0001" / "D01-000001.gdbundle"
    with open_database(t / "J.db") as j:
        before = dump(j)
        res = import_bundle(j, p_bundle)
        assert res["status"] == "rejected" and "发给另一个节点" in res["reason"]["message"]
        assert [ln for ln in dump(j) if "import_log" not in ln] == [ln for ln in before if "import_log" not in ln]
    # A district bundle is only taken by a school hub (a district database refuses it).
    with open_database(t / "district.db") as d:
        res = import_bundle(d, p_bundle)
        assert res["status"] == "rejected"


def test_down_tables_are_a_list_programmes_can_extend():
    names = [t.name for t in DOWN_TABLES]
    assert {"process_evaluation", "term_evaluation", "competition_result", "innovation_project",
            "competition"} <= set(names)
    assert all(t.name in {s.name for s in __import__("growthdesk.sync.format", fromlist=["SPECS"]).SPECS}
               for t in DOWN_TABLES)


def test_school_not_enrolled_cannot_be_published_to(tmp_path):
    d = create_district(tmp_path / "d.db", "D01", "示例区")
    add_school(d, "S0001", "一中", "urban", "junior")
    from growthdesk.errors import ValidationError
    with pytest.raises(ValidationError) as err:
        publish_for_school(d, "S0001", tmp_path / "out")
    assert "尚未加入" in str(err.value) or "还没有" in str(err.value)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    d.close()
    sqlite3.connect(tmp_path / "d.db").close()
