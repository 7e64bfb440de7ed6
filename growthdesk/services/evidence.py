"""Evidence (佐证材料): files stored once by SHA-256 beside the database, or video links.

Beside an encrypted database the files are sealed (AES-GCM, key derived from the database key,
the sha256 as associated data): the name is still the sha256 of the *plain* content, so the
same file is stored once and a bundle names it the same everywhere. Read them back with
``read_evidence``; never open the stored file directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy import event
from sqlalchemy.orm import Session

from .. import keys
from ..errors import DatabaseError, ValidationError
from ..fileperms import private_dir, private_file
from ..models import CompetitionResult, Evidence, InnovationProject, ProcessEvaluation, Student
from ..models.enums import EVIDENCE_KINDS, EVIDENCE_OWNERS
from ..paths import evidence_dir
from ._common import bounded_text, get_live, live, vocab_code

MAX_BYTES = 50 * 1024 * 1024
_OWNERS = {"student": (Student, "学生", "student"), "project": (InnovationProject, "科创项目", "project"),
           "result": (CompetitionResult, "获奖记录", "competition result"),
           "evaluation": (ProcessEvaluation, "过程性评价", "evaluation")}
_SHA_CHARS = set("0123456789abcdef")


def _db_file(db_path) -> Path | None:
    """Accept a path, a str, a ``Database`` (its ``.path``) or None (the data folder)."""
    if db_path is None:
        return None
    if hasattr(db_path, "path") and not isinstance(db_path, (str, os.PathLike)):
        return db_path.path
    return Path(db_path)


def _owner(s: Session, owner_type, owner_id) -> tuple[str, str]:
    kind = vocab_code(EVIDENCE_OWNERS, owner_type, "owner_type", "佐证所属")
    model, zh, en = _OWNERS[kind]
    obj = get_live(s, model, owner_id, zh, en, "owner_id")
    _may_attach(s, kind, obj)
    return kind, obj.id


def _may_attach(s: Session, kind: str, obj) -> None:
    """Evidence is part of its record: a frozen record (publicity, archive) takes none, and a
    student account adds it only to its own draft or returned records (issue 15)."""
    from . import review
    if kind in ("result", "project"):
        review.check_can_edit(s, obj, action_zh="添加佐证材料", action_en="attach evidence to")
        return
    user = review.current_user(s)
    if not review.is_student(user):
        return
    if kind == "student":
        review.require_student_access(s, obj.id, user)
        return
    from ..errors import PermissionDenied
    raise PermissionDenied("学生不能为评价记录添加佐证材料", "a student cannot attach evidence to an evaluation",
                           field="owner_type", value=kind)


def evidence_file_path(db_path, sha256: str) -> Path:
    """Where the file with this hash lives: ``<db stem>.evidence/<sha[:2]>/<sha>``."""
    sha = str(sha256).lower()
    if len(sha) != 64 or not set(sha) <= _SHA_CHARS:
        raise ValidationError(f"无效的文件摘要：{sha256}", f"invalid sha256: {sha256!r}", field="sha256", value=sha256)
    return evidence_dir(_db_file(db_path)) / sha[:2] / sha


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_file(file_path) -> tuple[Path, int]:
    path = Path(file_path)
    if not path.is_file():
        raise ValidationError(f"文件不存在：{path}", f"file not found: {path}", field="file_path", value=str(path))
    size = path.stat().st_size
    if size == 0:
        raise ValidationError(f"文件是空的：{path.name}", f"the file is empty: {path.name}", field="file_path",
                              value=str(path))
    if size > MAX_BYTES:
        raise ValidationError(f"文件过大：{path.name}（{size / 1048576:.1f} MB，最大 50 MB）",
                              f"file too large: {path.name} ({size / 1048576:.1f} MB; at most 50 MB)",
                              field="file_path", value=str(path))
    return path, size


def _evidence_key(db_path) -> bytes | None:
    """The sealing key for the database's evidence, None for a plain database."""
    key = getattr(db_path, "key", None) if hasattr(db_path, "engine") else None
    db_file = _db_file(db_path)
    key = key or keys.database_key_for(db_file)
    if key is None and db_file is not None and keys.keyfile_path(db_file).is_file():
        raise DatabaseError("数据库已加密，需要登录后才能读写佐证材料", "the database is encrypted; log in to read or "
                            "write its evidence files", field="evidence")
    return None if key is None else keys.evidence_key(key)


def read_evidence(db_path, sha256: str) -> bytes:
    """The plain content of a stored evidence file (opened if sealed); FileNotFoundError if absent."""
    path = evidence_file_path(db_path, sha256)
    blob = path.read_bytes()
    if not keys.is_sealed(blob[:16]):
        return blob
    key = _evidence_key(db_path)
    if key is None:
        raise DatabaseError("佐证材料已加密，需要登录后才能读取", "the evidence file is encrypted; log in to read it",
                            field="evidence")
    try:
        return keys.open_bytes(key, blob, str(sha256).lower().encode("ascii"))
    except Exception as exc:  # noqa: BLE001 - InvalidTag: another school's file or damaged
        raise DatabaseError(f"佐证文件 {str(sha256)[:12]}… 已损坏或不属于本数据库",
                            f"the evidence file {str(sha256)[:12]}… is damaged or not this database's",
                            field="evidence") from exc


def write_evidence(db_path, sha256: str, data: bytes) -> Path:
    """Store ``data`` (whose sha256 the caller checked) under its hash, sealed when the database
    is encrypted; atomically, owner-only."""
    target = evidence_file_path(db_path, sha256)
    if target.exists():
        return target
    key = _evidence_key(db_path)
    blob = data if key is None else keys.seal_bytes(key, data, str(sha256).lower().encode("ascii"))
    private_dir(target.parent.parent)
    private_dir(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    os.close(fd)
    try:
        with private_file(tmp) as fh:
            fh.write(blob)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def viewable_copy(db_path, sha256: str, original_name: str = "") -> Path:
    """A plain copy to hand to the system viewer, in a private temporary folder (removed when
    the app exits or the next copy is made); a plain database's file is handed over as it is."""
    stored = evidence_file_path(db_path, sha256)
    with open(stored, "rb") as fh:
        if not keys.is_sealed(fh.read(16)):
            return stored
    data = read_evidence(db_path, sha256)
    folder = Path(_viewer_dir())
    for old in folder.iterdir():
        with contextlib.suppress(OSError):
            old.unlink()
    suffix = Path(original_name).suffix[:10] if original_name else ""
    out = folder / (str(sha256)[:12] + suffix)
    with private_file(out) as fh:
        fh.write(data)
    return out


_VIEWER: dict[str, str] = {}


def _viewer_dir() -> str:
    if "dir" not in _VIEWER or not os.path.isdir(_VIEWER["dir"]):
        import atexit
        _VIEWER["dir"] = tempfile.mkdtemp(prefix="growthdesk-view-")  # 0700 by mkdtemp
        atexit.register(shutil.rmtree, _VIEWER["dir"], True)
    return _VIEWER["dir"]


class StoredEvidence:
    """A stored evidence file, read (and opened, if sealed) only when needed."""

    def __init__(self, db_path, sha256: str, path: Path) -> None:
        self.db_path, self.sha256, self.path = db_path, sha256, path

    def load(self) -> bytes:
        return read_evidence(self.db_path, self.sha256)

    def __bool__(self) -> bool:
        return True


def seal_plain_files(db_path) -> int:
    """Seal every plain evidence file of a database just converted to encrypted; returns how many."""
    folder = evidence_dir(_db_file(db_path))
    if not folder.is_dir():
        return 0
    count = 0
    for file in folder.glob("??/*"):
        if not file.is_file() or len(file.name) != 64 or not set(file.name) <= _SHA_CHARS:
            continue
        with open(file, "rb") as fh:
            if keys.is_sealed(fh.read(16)):
                continue
        data = file.read_bytes()
        file.unlink()
        write_evidence(db_path, file.name, data)
        count += 1
    return count


MAX_IMAGE_SIDE = 3000  # pixels: a certificate stays legible; a 48-megapixel phone photo does not need to be kept
_HARMLESS_INFO = {"dpi", "gamma", "transparency", "interlace", "progressive", "progression", "jfif", "jfif_version",
                  "jfif_unit", "jfif_density", "adobe", "adobe_transform", "aspect", "srgb", "chromaticity",
                  "icc_profile", "duration", "loop", "background", "compression", "resolution"}


def _image_format(head: bytes) -> str | None:
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    return None


def clean_image(data: bytes) -> bytes:
    """A photo without its metadata (EXIF: GPS position, device, time; XMP; comments), turned
    upright, at most ``MAX_IMAGE_SIDE`` pixels on its long side. Anything that is not an image,
    or an image with nothing to remove, comes back unchanged; an unreadable image too (it is
    stored as the file it is)."""
    fmt = _image_format(data[:16])
    if fmt is None:
        return data
    import io
    try:
        from PIL import Image, ImageOps
        with Image.open(io.BytesIO(data)) as im:
            meta = {k for k in im.info if k.lower() not in _HARMLESS_INFO} or bool(im.getexif())
            too_big = max(im.size) > MAX_IMAGE_SIDE
            if not meta and not too_big:
                return data
            img = ImageOps.exif_transpose(im)
            if too_big:
                img.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            out = io.BytesIO()
            if fmt == "JPEG":
                img = img.convert("RGB") if img.mode not in ("RGB", "L") else img
                img.save(out, "JPEG", quality=90, optimize=True)
            elif fmt == "PNG":
                img.save(out, "PNG", optimize=True)
            elif fmt == "WEBP":
                img.save(out, "WEBP", quality=90)
            else:
                img.save(out, "PNG")
            return out.getvalue()
    except Exception:  # noqa: BLE001 - not decodable by Pillow: kept as it is, like any other file
        return data


def store_file(db_path, file_path, session: Session | None = None) -> tuple[str, int]:
    """Copy a file into the evidence folder under its hash (once); returns (sha256, size).
    Written to a temporary name then renamed, so a crash never leaves a half file under a hash.
    With ``session``, a file this call created is removed again if the session rolls back."""
    path, size = _check_file(file_path)
    data = clean_image(path.read_bytes())  # at most MAX_BYTES; photos lose their EXIF (GPS, device) here
    sha, size = hashlib.sha256(data).hexdigest(), len(data)
    target = evidence_file_path(db_path, sha)
    if not target.exists():
        if session is not None:
            _remove_on_rollback(session, target)
        write_evidence(db_path, sha, data)
    return sha, size


def _remove_on_rollback(s: Session, target: Path) -> None:
    """The file is copied before the row commits; a rolled-back attach must not leave it behind."""
    created = s.info.setdefault("evidence_files_created", [])
    created.append(target)
    if len(created) > 1:
        return

    def rolled_back(sess: Session) -> None:
        for file in sess.info.pop("evidence_files_created", []):
            file.unlink(missing_ok=True)

    def committed(sess: Session) -> None:
        sess.info.pop("evidence_files_created", None)
        if event.contains(sess, "after_rollback", rolled_back):
            event.remove(sess, "after_rollback", rolled_back)

    event.listen(s, "after_rollback", rolled_back, once=True)
    event.listen(s, "after_commit", committed, once=True)


def attach_file(s: Session, db_path, *, owner_type, owner_id, file_path, kind, note="") -> Evidence:
    owner_type, owner_id = _owner(s, owner_type, owner_id)
    kind = vocab_code(EVIDENCE_KINDS, kind, "kind", "佐证类型")
    if kind == "video_link":
        raise ValidationError("视频链接请用“添加链接”", "use attach_link for video links", field="kind", value=kind)
    note = bounded_text(note, "note", "说明", 200)
    path, _ = _check_file(file_path)
    sha, size = store_file(db_path, path, session=s)  # size: as stored (a photo without its metadata)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    ev = Evidence(owner_type=owner_type, owner_id=owner_id, kind=kind, sha256=sha, size=size,
                  original_name=path.name[:255], mime_type=mime, note=note)
    s.add(ev)
    s.flush()
    return ev


def attach_link(s: Session, *, owner_type, owner_id, url, note="", kind="video_link") -> Evidence:
    owner_type, owner_id = _owner(s, owner_type, owner_id)
    kind = vocab_code(EVIDENCE_KINDS, kind, "kind", "佐证类型")
    text = str(url or "").strip()
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValidationError(f"链接无效：{text or '（空）'}（应以 http:// 或 https:// 开头）",
                              f"invalid link {text!r} (must start with http:// or https://)", field="url", value=url)
    ev = Evidence(owner_type=owner_type, owner_id=owner_id, kind=kind, sha256="", size=0,
                  url=bounded_text(text, "url", "链接", 500), note=bounded_text(note, "note", "说明", 200))
    s.add(ev)
    s.flush()
    return ev


def list_evidence(s: Session, owner_type, owner_id) -> list[Evidence]:
    owner_type = vocab_code(EVIDENCE_OWNERS, owner_type, "owner_type", "佐证所属")
    return list(s.scalars(live(Evidence).where(Evidence.owner_type == owner_type, Evidence.owner_id == owner_id)
                          .order_by(Evidence.created_at)))


def delete_owned(s: Session, owner_type: str, owner_id: str) -> int:
    """Tombstone every evidence record of one owner (its owner was deleted); returns how many."""
    rows = s.scalars(live(Evidence).where(Evidence.owner_type == owner_type, Evidence.owner_id == owner_id)).all()
    for ev in rows:
        ev.deleted = True
    return len(rows)


def delete_evidence(s: Session, evidence_id: str) -> None:
    """Tombstone the record. The file stays: other records may share it, and the tombstone
    has to travel before anything is purged."""
    ev = get_live(s, Evidence, evidence_id, "佐证材料", "evidence", "evidence_id")
    model = _OWNERS.get(ev.owner_type, (None,))[0]
    owner = s.get(model, ev.owner_id) if model is not None else None
    if owner is not None and not owner.deleted:
        _may_attach(s, ev.owner_type, owner)
    ev.deleted = True
    s.flush()
