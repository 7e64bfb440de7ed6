"""Term portfolio PDFs, parsed back with pypdf: content, fonts, page numbers, flow, batches, errors.

Data goes in through the services (the way the app writes it) into a real SQLite file; every
PDF is written to disk and read back. One page is rendered to PNG under test-artifacts/.
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest

from growthdesk.errors import NotFoundError, ValidationError
from growthdesk.reports.batch import render_portfolios, resolve_scope
from growthdesk.reports.layout import PortfolioCancelled
from growthdesk.services import competitions, evaluations, projects, terms

TERM = "2025-2026-1"
PREVIOUS = "2024-2025-2"
PRINTED = date(2026, 11, 23)
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
LONG_COMMENT = ("张三同学本学期在科创活动中表现突出，能够主动发现生活中的问题并提出有价值的研究设想，"
                "在“校园雨水回收”课题中承担了数据采集与分析工作，体现了严谨细致的科学态度。") * 12
COMMENT_MARK = "体现了严谨细致的科学态度"


def _dims():
    return ["moral", "academic", "health", "arts", "labour", "innovation", "practice"]


@pytest.fixture()
def school(school_db):
    """初一(3)班 of 2025: 张三 (everything, 30 awards, long comment), 李四 (a little), 王五 (nothing)."""
    zhang, li, wang = school_db.sample["student_ids"]
    with school_db.session(user="test") as s:
        terms.ensure_term(s, PREVIOUS)
        terms.ensure_term(s, TERM)
        for k, dim in enumerate(_dims()):
            for role, score in (("teacher", 80 + k), ("self", 90), ("parent", 85)):
                evaluations.record_process_evaluation(
                    s, student_id=zhang, term_code=TERM, dimension=dim, score=score, evaluator_role=role,
                    evaluator_name="王老师" if role == "teacher" else "", eval_date=date(2025, 10, 10 + k),
                    comment=f"{dim}方面进步明显，继续保持。" if role == "teacher" else "")
            evaluations.record_process_evaluation(
                s, student_id=zhang, term_code=PREVIOUS, dimension=dim, score=70 + k, evaluator_role="teacher",
                eval_date=date(2025, 4, 10))
        evaluations.record_process_evaluation(s, student_id=li, term_code=TERM, dimension="arts", level="A",
                                              evaluator_role="teacher", comment="合唱团表现突出，乐感好。",
                                              eval_date=date(2025, 11, 3))
        evaluations.save_term_evaluation(s, student_id=zhang, term_code=TERM, levels={"innovation": "A", "moral": "B"},
                                         comment=LONG_COMMENT, adviser_name="王老师", written_on=date(2026, 1, 15))
        evaluations.save_term_evaluation(s, student_id=li, term_code=TERM, levels={"arts": "A"},
                                         comment="李四同学热爱艺术，待人真诚。", adviser_name="王老师",
                                         written_on=date(2026, 1, 15))
        _project(s, zhang, li)
        _awards(s, zhang, li)
    return school_db


def _project(s, zhang, li):
    p = projects.create_project(s, title="校园雨水回收与再利用系统设计", kind="engineering", term_code=TERM,
                                start_date=date(2025, 9, 15), discipline="工程", status="in_progress",
                                summary="测量屋顶雨水量，设计过滤装置用于绿化灌溉。",
                                members=[(zhang, "leader"), (li, "member")],
                                mentors=[{"name": "陈老师", "kind": "in_school", "title": "物理教师"},
                                         {"name": "刘工", "kind": "external", "organisation": "市水务研究院"}])
    projects.add_log_entry(s, p.id, "opening", date(2025, 9, 20), "开题报告：确定研究问题与分工。")
    projects.add_log_entry(s, p.id, "midterm", date(2025, 12, 1), "中期检查：完成两个月的降雨量记录。")
    projects.add_outcome(s, p.id, "work", "雨水过滤装置原型", date(2026, 1, 10), "")


def _awards(s, zhang, li):
    comps = [competitions.create_competition(s, f"示例市青少年科技创新大赛第{i}项") for i in range(1, 4)]
    levels = ["national", "provincial", "municipal", "district", "school"]
    for i in range(30):
        competitions.record_result(s, competition_id=comps[i % 3].id, student_ids=[zhang],
                                   level=levels[i % 5], award=["first", "second", "third"][i % 3],
                                   award_date=date(2025, 9, 5) + timedelta(days=4 * i), term_code=TERM,
                                   work_title=f"作品{i + 1:02d}号")
    competitions.record_result(s, competition_id=comps[0].id, student_ids=[zhang, li], level="municipal",
                               award="gold", award_date=date(2025, 12, 20), term_code=TERM, team_name="雨滴队")


def _scope(db, **kw):
    with db.session() as s:
        return resolve_scope(s, TERM, **kw)


def _pages(path: Path) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(str(path)).pages]


def _render(db, tmp_path, name="out.pdf", **kw):
    scope_kw = {k: kw.pop(k) for k in ("student_no", "class_ref", "grade_ref") if k in kw}
    out = tmp_path / name
    result = render_portfolios(db, _scope(db, **scope_kw), out, printed_on=PRINTED, **kw)
    return out, result


def _footer_numbers(texts: list[str]) -> list[tuple[int, int]]:
    found = []
    for t in texts:
        m = re.search(r"第 (\d+) 页 共 (\d+) 页", t)
        assert m, t[-200:]
        found.append((int(m.group(1)), int(m.group(2))))
    return found


def test_full_student_portfolio_content_and_page_numbers(school, tmp_path):
    zhang_no = school.sample["student_nos"][0]
    out, result = _render(school, tmp_path, student_no=zhang_no)
    texts = _pages(out)
    whole = "\n".join(texts)
    assert result.students == 1 and result.pages == len(texts)
    for expected in ("张三", zhang_no, "初一(3)班", "2025—2026学年第一学期", "示例市第一中学", "学生成长档案",
                     "综合素质评价", "成长轨迹", "校园雨水回收与再利用系统设计", "开题报告：确定研究问题与分工。",
                     "雨水过滤装置原型", "市水务研究院", "示例市青少年科技创新大赛第1项", "雨滴队：", "李四",
                     "教师评价", "方面进步明显", COMMENT_MARK, "学生签名", "家长签名",
                     "班主任签名", "学校盖章", "打印日期：2026年11月23日"):
        assert expected in whole, expected
    # 30 individual awards + 1 team award, each numbered in the table
    assert "本学期共获奖 31 项" in whole
    assert all(f"作品{i:02d}号" in whole for i in range(1, 31))
    # per page "第 x 页 共 N 页", x = 1..N
    n = len(texts)
    assert _footer_numbers(texts) == [(i, n) for i in range(1, n + 1)]
    # the award table flows over pages and repeats its header there
    award_pages = [i for i, t in enumerate(texts) if "作品" in t and "号" in t]
    assert len(award_pages) >= 2
    assert all("竞赛名称" in texts[i] for i in award_pages)
    # the long adviser comment is complete: its last sentence is printed, not cut
    assert whole.replace("\n", "").count(COMMENT_MARK) >= 12


def test_value_added_against_previous_term(school, tmp_path):
    out, _ = _render(school, tmp_path, student_no=school.sample["student_nos"][0])
    whole = "\n".join(_pages(out))
    # moral: previous 70 (teacher only); now teacher 80, self 90, parent 85 weighted 0.3/0.1/0.1 → 83.0
    assert "83.0" in whole and "+13.0" in whole


def test_fonts_are_embedded_subsets(school, tmp_path):
    out, _ = _render(school, tmp_path, student_no=school.sample["student_nos"][1])
    reader = pypdf.PdfReader(str(out))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not a subset"


def test_student_with_no_records_gets_a_short_honest_portfolio(school, tmp_path):
    out, result = _render(school, tmp_path, student_no=school.sample["student_nos"][2])
    texts = _pages(out)
    whole = "\n".join(texts)
    assert result.pages == len(texts) == 2
    assert "王五" in whole and "没有" in whole and "只包含基本信息" in whole
    assert "竞赛名称" not in whole and "学生签名" in whole


def test_class_batch_one_file_with_bookmarks_and_sheet(school, tmp_path):
    progress = []
    out, result = _render(school, tmp_path, class_ref="初一(3)班", progress=lambda d, t, n: progress.append((d, t, n)))
    reader = pypdf.PdfReader(str(out))
    titles = [o.title for o in reader.outline]
    assert titles[0] == "初一(3)班 班级汇总表"
    assert [t.split("（")[0] for t in titles[1:]] == ["张三", "李四", "王五"]
    assert progress == [(1, 3, "张三"), (2, 3, "李四"), (3, 3, "王五")]
    # each bookmark points at that student's cover
    for item in reader.outline[1:]:
        page = reader.get_destination_page_number(item)
        assert item.title.split("（")[0] in reader.pages[page].extract_text()
        assert "第 1 页" in reader.pages[page].extract_text()
    sheet = reader.pages[0].extract_text()
    assert "学生综合素质评价汇总表" in sheet and "共 3 人" in sheet and "第 1 页 共 1 页" in sheet
    assert result.students == 3


def test_per_student_files_in_a_folder(school, tmp_path):
    folder = tmp_path / "new" / "folder"
    result = render_portfolios(school, _scope(school, class_ref="初一(3)班"), folder, per_student=True,
                               printed_on=PRINTED)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 4 and any("班级汇总表" in n for n in names)
    zhang = next(p for p in result.files if "张三" in p.name)
    texts = _pages(zhang)
    assert _footer_numbers(texts)[0] == (1, len(texts))


def test_cancel_leaves_no_file(school, tmp_path):
    cancel = threading.Event()
    out = tmp_path / "cancelled.pdf"

    def progress(done, total, name):
        cancel.set()  # cancel as soon as the first student is laid out

    with pytest.raises(PortfolioCancelled):
        render_portfolios(school, _scope(school, class_ref="初一(3)班"), out, progress=progress, cancel=cancel,
                          printed_on=PRINTED)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".pdf"]


def test_unknown_term_class_grade_and_student(school):
    with school.session() as s:
        with pytest.raises(NotFoundError) as e:
            resolve_scope(s, "2030-2031-1", class_ref="初一(3)班")
        assert "2025-2026-1" in e.value.zh and e.value.field == "term"
        with pytest.raises(NotFoundError) as e:
            resolve_scope(s, TERM, class_ref="初二(9)班")
        assert "初一(3)班" in e.value.zh and e.value.field == "class"
        with pytest.raises(NotFoundError) as e:
            resolve_scope(s, TERM, grade_ref="高三")
        assert "初一" in e.value.zh
        with pytest.raises(NotFoundError) as e:
            resolve_scope(s, TERM, student_no="G000")
        assert school.sample["student_nos"][0] in e.value.zh
        assert resolve_scope(s, TERM, grade_ref="七年级").student_ids == school.sample["student_ids"]
        assert resolve_scope(s, TERM, grade_ref="7").title == "初一"


def test_unwritable_output_fails_before_work(school, tmp_path):
    scope = _scope(school, class_ref="初一(3)班")
    for bad in (tmp_path / "missing" / "x.pdf", tmp_path / "x.txt", tmp_path):
        with pytest.raises(ValidationError) as e:
            render_portfolios(school, scope, bad, printed_on=PRINTED)
        assert e.value.field == "out"
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x")
    with pytest.raises(ValidationError):
        render_portfolios(school, scope, a_file / "sub", per_student=True, printed_on=PRINTED)


def test_render_page_to_png_artifact(school, tmp_path):
    """Writes test-artifacts/portfolio-page-*.png for a person to look at."""
    import pypdfium2 as pdfium

    out, _ = _render(school, tmp_path, student_no=school.sample["student_nos"][0])
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = pdfium.PdfDocument(str(out))
    for i in range(min(3, len(pdf))):
        image = pdf[i].render(scale=1.3).to_pil()
        path = ARTIFACTS / f"portfolio-page-{i + 1}.png"
        image.save(path)
        assert image.size[0] > 700
        # not blank: a printed page has plenty of dark pixels
        dark = sum(image.convert("L").histogram()[:128])
        assert dark > 2000
    pdf.close()


def test_grade_pdf_nests_students_under_their_class(school, tmp_path):
    from growthdesk.reports import print_portfolios

    out = tmp_path / "grade.pdf"
    result = print_portfolios(school, TERM, grade_ref="初一", out=out, printed_on=PRINTED)
    reader = pypdf.PdfReader(str(out))
    top, children = reader.outline[0], reader.outline[1]
    assert top.title == "初一(3)班"
    assert [c.title.split("（")[0] for c in children] == ["班级汇总表", "张三", "李四", "王五"]
    assert result.pages == len(reader.pages)
    # every student's portfolio starts with its own cover, numbered from 第 1 页
    covers = [i for i, p in enumerate(reader.pages) if "学期综合素质评价报告" in p.extract_text()]
    assert len(covers) == 3
    assert all("第 1 页" in reader.pages[i].extract_text() for i in covers)


def test_long_texts_flow_onto_pages_and_are_never_cut(school, tmp_path):
    """A 4000-character adviser comment, an 8000-character log entry and a 200-character
    competition name: nothing overflows (ReportLab would raise) and the ends are printed."""
    from growthdesk.services import students

    zhang, li, wang = school.sample["student_ids"]
    log_text = "".join(f"第{i}次实验记录：测量雨水流量并整理数据。" for i in range(1, 400))[:7990] + "日志结束标记"
    comment = ("该生勤奋好学，乐于助人。" * 400)[:3990] + "评语结束标记"
    long_name = "司马" + "欧阳诸葛上官" * 3
    with school.session(user="test") as s:
        body = "11010120120199999"
        st = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body),
                                     name=long_name, gender="F", class_id=school.sample["class_id"])
        p = projects.create_project(s, title="长" * 200, kind="research", term_code=TERM, start_date=date(2025, 9, 2),
                                    members=[(st.id, "leader")] + [(x, "member") for x in (zhang, li, wang)])
        projects.add_log_entry(s, p.id, "note", date(2025, 10, 1), log_text)
        comp = competitions.create_competition(s, "超长名称的竞赛" * 28)
        competitions.record_result(s, competition_id=comp.id, student_ids=[st.id, zhang, li, wang], level="national",
                                   award="special", award_date=date(2025, 10, 2), term_code=TERM,
                                   team_name="队" * 40)
        evaluations.save_term_evaluation(s, student_id=st.id, term_code=TERM, levels={}, comment=comment,
                                         adviser_name="王老师", written_on=date(2026, 1, 15))
        number = st.national_student_no
    out, result = _render(school, tmp_path, student_no=number)
    texts = _pages(out)
    whole = "".join(texts).replace("\n", "")
    assert "日志结束标记" in whole and "评语结束标记" in whole and long_name in whole
    assert result.pages >= 5
    n = len(texts)
    assert _footer_numbers(texts) == [(i, n) for i in range(1, n + 1)]


def test_promoted_student_prints_with_the_class_of_that_term(school, tmp_path):
    from growthdesk.services import students

    zhang, li, wang = school.sample["student_ids"]
    with school.session(user="test") as s:
        terms.ensure_term(s, "2026-2027-1")
        new_class = students.create_class(s, 2026, 8, 3, adviser_name="赵老师")
        students.move_student(s, li, new_class.id, "promotion", on=date(2026, 9, 1))
    with school.session() as s:
        assert resolve_scope(s, TERM, class_ref="初一(3)班").student_ids == [zhang, li, wang]
        assert resolve_scope(s, "2026-2027-1", class_ref="初二(3)班").student_ids == [li]
    out, _ = _render(school, tmp_path, student_no=school.sample["student_nos"][1])
    cover = _pages(out)[0]
    assert "初一(3)班" in cover and "初二(3)班" not in cover


def test_every_page_footer_names_the_term(school, tmp_path):
    out, _ = _render(school, tmp_path, student_no=school.sample["student_nos"][0])
    for text in _pages(out):
        footer = text[re.search(r"第 \d+ 页 共 \d+ 页", text).end():]  # the footer is drawn last
        assert "2025—2026学年第一学期" in footer and "打印日期：2026年11月23日" in footer


@pytest.mark.parametrize("ref", ["初一(3)班", "初一（3）班", "七年级3班", "7-3"])
def test_class_written_as_people_write_it(school, ref):
    with school.session() as s:
        assert resolve_scope(s, TERM, class_ref=ref).title == "初一(3)班"


def test_class_without_students_prints_an_honest_page(school, tmp_path):
    from growthdesk.services import students

    with school.session(user="test") as s:
        students.create_class(s, 2025, 7, 5)
    out, result = _render(school, tmp_path, class_ref="初一(5)班", class_sheet=False)
    assert result.students == 0 and result.pages == 1
    assert "没有在册学生" in _pages(out)[0]


def test_gathering_takes_the_same_few_queries_for_one_student_or_a_class(school):
    from sqlalchemy import event

    from growthdesk.reports.data import gather

    counts = []

    def count(*_):
        counts[-1] += 1

    event.listen(school.engine, "before_cursor_execute", count)
    try:
        for ids in (school.sample["student_ids"][:1], school.sample["student_ids"]):
            counts.append(0)
            with school.session() as s:
                batch = gather(s, TERM, ids)
            assert len(batch.students) == len(ids)
    finally:
        event.remove(school.engine, "before_cursor_execute", count)
    assert counts[0] == counts[1] <= 22  # + self records, sign-offs and amendments (issue 15)


@pytest.mark.parametrize("size", [1, 45, 65])
def test_class_sheet_is_one_page_for_any_class_size(tmp_path, size):
    from growthdesk.reports.batch import _write
    from growthdesk.reports.class_sheet import class_sheet_story
    from growthdesk.reports.data import Batch, RubricInfo, Scale, StudentPortfolio, TermInfo, load_rubric
    from growthdesk.db import open_database

    db = open_database(tmp_path / "r.db", create=True)  # only for the default rubric
    with db.session() as s:
        rub: RubricInfo = load_rubric(s)
    db.close()
    assert isinstance(rub.levels[0], Scale)
    people = [StudentPortfolio(f"id{i}", f"学生{i:02d}号", f"G1101012012{i:08d}", "M", "c1", "初一(3)班", 7, "王老师",
                               scores={"moral": 91.0}, overall=91.0) for i in range(size)]
    batch = Batch("示例市第一中学", TermInfo(TERM, "2025—2026学年第一学期", date(2025, 9, 1), date(2026, 1, 31)),
                  rub, [], people)
    out = tmp_path / "sheet.pdf"
    pages = _write(out, class_sheet_story(batch, "初一(3)班", people, outline=[]), batch, PRINTED, "sheet")
    text = _pages(out)
    assert pages == len(text) == 1
    assert f"共 {size} 人" in text[0] and f"学生{size - 1:02d}号" in text[0] and "A*" in text[0]


def test_cover_prints_the_students_photo_downscaled(school, tmp_path):
    from PIL import Image

    from growthdesk.services import evidence

    zhang, li, _ = school.sample["student_ids"]
    big = tmp_path / "portrait.png"
    Image.new("RGB", (1500, 2000), (200, 60, 60)).save(big)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image at all")
    with school.session(user="test") as s:
        evidence.attach_file(s, school.path, owner_type="student", owner_id=zhang, file_path=big, kind="photo")
        evidence.attach_file(s, school.path, owner_type="student", owner_id=li, file_path=broken, kind="photo")
    out, _ = _render(school, tmp_path, class_ref="初一(3)班", class_sheet=False)
    reader = pypdf.PdfReader(str(out))
    covers = [p for p in reader.pages if "学期综合素质评价报告" in p.extract_text()]
    images = [[x.get_object() for x in (p["/Resources"].get("/XObject") or {}).values()
               if x.get_object().get("/Subtype") == "/Image"] for p in covers]
    assert [len(i) for i in images] == [1, 0, 0]  # 张三's photo; 李四's file is broken; 王五 has none
    assert (images[0][0]["/Width"], images[0][0]["/Height"]) == (276, 386)
    assert "照 片" in covers[1].extract_text()  # the dashed box instead


def test_read_only_existing_output_fails_before_work(school, tmp_path):
    import os

    out = tmp_path / "old.pdf"
    out.write_bytes(b"%PDF old")
    os.chmod(out, 0o444)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as a user who can write read-only files (root)")
        with pytest.raises(ValidationError) as e:
            render_portfolios(school, _scope(school, class_ref="初一(3)班"), out, printed_on=PRINTED)
        assert e.value.field == "out" and out.read_bytes() == b"%PDF old"
    finally:
        os.chmod(out, 0o644)
