"""Writing output files (backups, bundles, PDFs, spreadsheets) so that a failure leaves nothing.

``atomic_output(path)`` hands out a temporary file in the target folder; only when the writer
has finished is it flushed to disk and renamed over ``path``. A full disk, a read-only folder or
a crash leaves no truncated or empty file behind (an existing file at ``path`` stays as it was),
and an ``OSError`` becomes one bilingual line: "磁盘已满" / "文件夹只读", with the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import ValidationError

PARTIAL_SUFFIX = ".partial"

_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def output_error(exc: OSError, path: str | Path, *, field: str = "out") -> ValidationError:
    """What a person can do about an OSError met while writing ``path``, in one line."""
    path = Path(path)
    code = getattr(exc, "errno", None)
    if code in _FULL:
        return ValidationError(f"磁盘已满，无法写入 {path}；请腾出空间或换一个位置（未留下不完整的文件）",
                               f"the disk is full: cannot write {path}; free some space or choose another place "
                               "(no incomplete file was left)", field=field, value=str(path))
    folder = path if path.is_dir() else path.parent
    if code in _READ_ONLY:
        return ValidationError(f"文件夹只读，无法写入：{folder}；请换一个可写的文件夹",
                               f"the folder is read-only: cannot write in {folder}; choose a writable folder",
                               field=field, value=str(path))
    if code == errno.ENOTDIR:
        return ValidationError(f"输出位置不是文件夹：{folder}", f"the output place is not a folder: {folder}",
                               field=field, value=str(path))
    if code == errno.ENOENT:
        return ValidationError(f"输出文件夹不存在或已被移除（U 盘拔出？）：{folder}",
                               f"the output folder does not exist or was removed (USB stick pulled?): {folder}",
                               field=field, value=str(path))
    reason = getattr(exc, "strerror", None) or str(exc)
    return ValidationError(f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}", field=field, value=str(path))


def sqlite_output_error(exc: Exception, path: str | Path, *, field: str = "out") -> ValidationError:
    """The same for SQLite writing a file (backups): it reports errors as text, not errno."""
    msg = str(exc).lower()
    if "full" in msg or "disk i/o error" in msg:  # SQLITE_FULL; IOERR_WRITE is what a quota or size limit gives
        return output_error(OSError(errno.ENOSPC, "disk full"), path, field=field)
    if "readonly" in msg or "read-only" in msg or "unable to open" in msg:
        return output_error(OSError(errno.EROFS, "read-only"), path, field=field)
    return output_error(OSError(errno.EIO, str(exc)), path, field=field)


def prepare_folder(folder: str | Path, *, field: str = "out") -> Path:
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where the folder should be
        raise output_error(OSError(errno.ENOTDIR, "not a folder"), folder / "x", field=field) from None
    except OSError as exc:
        raise output_error(exc, folder / "x", field=field) from None
    if not folder.is_dir():
        raise output_error(OSError(errno.ENOTDIR, "not a folder"), folder / "x", field=field)
    return folder


def remove_quietly(path: Path) -> None:
    """Remove a temporary file; on a read-only or vanished medium there is nothing to do."""
    with contextlib.suppress(OSError):
        path.unlink()


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + PARTIAL_SUFFIX)


@contextlib.contextmanager
def atomic_output(path: str | Path, *, field: str = "out", mode: int = 0o644) -> Iterator[Path]:
    """``with atomic_output(p) as tmp: write(tmp)`` — ``p`` appears complete, or not at all."""
    path = Path(path)
    if path.is_dir():
        raise ValidationError(f"输出路径是一个文件夹：{path}", f"the output path is a folder: {path}", field=field,
                              value=str(path))
    folder = prepare_folder(path.parent, field=field)
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=PARTIAL_SUFFIX)
        os.close(fd)
    except OSError as exc:
        raise output_error(exc, path, field=field) from None
    tmp = Path(name)
    try:
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)  # mkstemp makes 0600; outputs are ordinary files
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        remove_quietly(tmp)
        raise output_error(exc, path, field=field) from None
    except BaseException:
        remove_quietly(tmp)
        raise


def save_workbook(wb, path: str | Path, *, field: str = "out") -> Path:
    """Save an openpyxl workbook atomically. It is built in memory first: openpyxl's own zip
    file, left half-written on disk by a full disk, would complain again when collected."""
    import io

    buf = io.BytesIO()
    wb.save(buf)
    with atomic_output(path, field=field) as tmp:
        tmp.write_bytes(buf.getbuffer())
    return Path(path)


__all__ = ["save_workbook", "remove_quietly", "atomic_output", "output_error", "sqlite_output_error", "prepare_folder", "partial_path", "PARTIAL_SUFFIX"]
