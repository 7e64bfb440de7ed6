"""``growthdesk portfolio`` (DESIGN §6): exit codes, one-line reasons, --json, output checks."""

from __future__ import annotations

import json

import pypdf
import pytest

from growthdesk.cli import main
from tests.test_reports_portfolio import TERM, school  # noqa: F401  (the shared data fixture)


def _run(capsys, *argv):
    code = main(["portfolio", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_class_to_one_pdf_with_json(school, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "class.pdf"
    code, stdout, err = _run(capsys, "--db", str(school.path), "--term", TERM, "--class", "初一(3)班",
                             "--out", str(out), "--json")
    assert code == 0, err
    report = json.loads(stdout)
    assert report["students"] == 3 and report["files"] == [str(out)] and report["scope"] == "class"
    reader = pypdf.PdfReader(str(out))
    assert report["pages"] == len(reader.pages)
    assert "张三" in "".join(p.extract_text() for p in reader.pages)


def test_student_and_grade_to_folder(school, tmp_path, capsys):  # noqa: F811
    no = school.sample["student_nos"][1]
    code, stdout, err = _run(capsys, "--db", str(school.path), "--term", TERM, "--student", no,
                             "--out", str(tmp_path / "one.pdf"))
    assert code == 0, err
    assert "李四" in stdout and "1 份" in stdout
    folder = tmp_path / "grade7"
    code, stdout, err = _run(capsys, "--db", str(school.path), "--term", TERM, "--grade", "初一", "--out", str(folder))
    assert code == 0, err
    assert len(list(folder.glob("*.pdf"))) == 4  # three students and the class sheet


@pytest.mark.parametrize("args, words", [
    (["--term", "2031-2032-1", "--class", "初一(3)班"], ["2025-2026-1", "unknown term"]),
    (["--term", TERM, "--class", "高二(1)班"], ["初一(3)班", "no class"]),
    (["--term", TERM, "--grade", "九年级"], ["初一", "no grade"]),
    (["--term", TERM, "--student", "G999"], ["G999", "no student"]),
])
def test_unknown_values_fail_with_valid_ones(school, tmp_path, capsys, args, words):  # noqa: F811
    out = tmp_path / "x.pdf"
    code, stdout, err = _run(capsys, "--db", str(school.path), *args, "--out", str(out))
    assert code == 1 and stdout == ""
    assert err.count("\n") == 1 and err.startswith("growthdesk: ")
    for w in words:
        assert w in err
    assert not out.exists()


def test_unwritable_output_fails_before_opening_the_database(tmp_path, capsys):
    # the database does not even exist: the output check must come first and be the reason
    code, _, err = _run(capsys, "--db", str(tmp_path / "missing.db"), "--term", TERM, "--grade", "7",
                        "--out", str(tmp_path / "no-such-folder" / "x.pdf"))
    assert code == 1 and "输出文件夹不存在" in err and "missing.db" not in err
