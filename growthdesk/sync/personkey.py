"""District side of format 2: derive ``person_key`` from the national student numbers a school
sent sealed to the district, so no school database needs the district's secret.

In a sealed school → district bundle a student's ``person_key`` cell holds ``@`` + the national
student number (``format.NUMBER_MARK``). Before the rows are applied, ``student.csv`` and the
student tombstones of ``deletions.csv`` are rewritten with ``HMAC-SHA256(district secret,
number)`` and the manifest's counts and hashes follow; the number is never stored. A cell
without the mark (a format-1 school's key) passes unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from typing import BinaryIO

from ..errors import ValidationError
from ..services.students import person_key, validate_national_student_no
from . import format as fmt
from .importer import Rejected

SPOOL = 64 << 20


def _key(secret: str, cell: str, where: str, line: int) -> str:
    if not cell.startswith(fmt.NUMBER_MARK):
        return cell
    try:
        no = validate_national_student_no(cell[len(fmt.NUMBER_MARK):])
    except ValidationError as exc:
        raise Rejected(f"{where}：学籍号无效（{exc.zh}）", f"{where}: invalid national student number ({exc.en})",
                       field=where, row=line, column="person_key") from None
    return person_key(secret, no)


def _rewrite_students(data: bytes, secret: str, pk_i: int) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    for line, row in enumerate(rows[1:], 2):
        if len(row) > pk_i:
            row[pk_i] = _key(secret, row[pk_i], "student.csv", line)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _rewrite_deletions(data: bytes, secret: str) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    for line, row in enumerate(rows[1:], 2):
        if len(row) == 4 and row[0] == "student" and fmt.NUMBER_MARK in row[3]:
            try:
                doc = json.loads(row[3])
            except json.JSONDecodeError:
                continue  # the importer refuses it with its own reason
            if isinstance(doc, dict) and isinstance(doc.get("person_key"), str):
                doc["person_key"] = _key(secret, doc["person_key"], fmt.DELETIONS, line)
                row[3] = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def derive_person_keys(payload: BinaryIO, secret: str) -> BinaryIO:
    """The payload with person keys derived (a new spooled zip), or the payload itself when no
    student row carries a number."""
    if not secret:
        raise Rejected("区级数据库没有学籍号密钥（person_key_secret），无法导入格式2数据包",
                       "the district database has no person_key_secret; format-2 bundles cannot be imported",
                       field="person_key_secret")
    try:
        zin = zipfile.ZipFile(payload)
        manifest = json.loads(zin.read(fmt.MANIFEST).decode("utf-8"))
        student = zin.read("student.csv") if "student.csv" in zin.namelist() else b""
        deletions = zin.read(fmt.DELETIONS) if fmt.DELETIONS in zin.namelist() else b""
    except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError, json.JSONDecodeError):
        payload.seek(0)
        return payload  # let the importer say what is wrong
    mark = fmt.NUMBER_MARK.encode()
    if mark not in student and mark not in deletions:
        payload.seek(0)
        return payload
    pk_i = fmt.SPEC_BY_NAME["student"].names.index("person_key")
    try:
        new = {"student.csv": _rewrite_students(student, secret, pk_i), fmt.DELETIONS: _rewrite_deletions(deletions, secret)}
    except UnicodeDecodeError:
        raise Rejected("student.csv 不是 UTF-8 编码", "student.csv is not UTF-8 text", field="student.csv") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            if info.filename in new:
                data = new[info.filename]
                if isinstance(files, dict) and isinstance(files.get(info.filename), dict):
                    files[info.filename]["sha256"] = hashlib.sha256(data).hexdigest()
                    files[info.filename]["bytes"] = len(data)
                zout.writestr(info.filename, data)
            elif info.filename == fmt.MANIFEST:
                continue
            else:
                with zin.open(info) as src, zout.open(info.filename, "w", force_zip64=True) as dst:
                    while block := src.read(1 << 20):
                        dst.write(block)
        zout.writestr(fmt.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    zin.close()
    payload.close()
    out.seek(0)
    return out
