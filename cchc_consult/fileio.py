"""Bytes in and out: decoding hand-made files safely and writing atomically.

Every file this tool reads goes through `read_text`; every file it writes goes
through `atomic_write`. Nothing else opens files for writing.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import re
import tempfile
from pathlib import Path

from .errors import FileReadError, WorkspaceError

#: Large enough for a 10,000-criterion rubric (~14 MB), small enough to refuse a runaway file.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Characters that only appear when TCVN3 (ABC) or VNI text is read as if it were
# Latin-1/cp1252: TCVN3 puts Vietnamese letters on ¸ ¹ µ ¶ · Þ ® ­ etc.; VNI writes
# accents as separate bytes shown as Ñ Ù Ø Û Õ ï ë ì ö.
_TCVN3_MARKS = re.compile(r"[¸¹µ¶·¼½¾ÆÇÊËÌÍÎÏÐÒÓÔÕÖ×ÝÞßøùú®­©]")
_VNI_MARKS = re.compile(r"[a-zA-Z][ÙØÛÕÏÑÄÂÀÁÃâäåæçèéêëìíîïðñòóôõöùúûü][a-zA-Z ]")


def _looks_like_legacy_vietnamese(text: str) -> str:
    """The name of the legacy encoding a text seems to be in, or ""."""
    sample = text[:20000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    vietnamese = sum(1 for ch in sample if "\u1ea0" <= ch <= "\u1ef9" or ch in "ăâđêôơưĂÂĐÊÔƠƯ")
    if vietnamese / letters > 0.02:
        return ""  # real Unicode Vietnamese
    if len(_TCVN3_MARKS.findall(sample)) / letters > 0.03:
        return "TCVN3 (ABC)"
    if len(_VNI_MARKS.findall(sample)) / letters > 0.03:
        return "VNI"
    return ""


def decode_bytes(data: bytes, path: str | os.PathLike = "") -> str:
    """Text from a file's bytes: UTF-8 (with or without BOM) or UTF-16 as Notepad saves it.

    Refuses text in a legacy Vietnamese encoding (TCVN3, VNI, cp1258) with a
    sentence that says how to re-save it, instead of reading mojibake.
    """
    where = str(path)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").replace("\r\n", "\n")
        except UnicodeDecodeError as exc:
            raise FileReadError(f"tệp UTF-16 bị hỏng ở byte {exc.start}", path=where,
                                fix="mở tệp và lưu lại với bảng mã UTF-8") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        guess = _looks_like_legacy_vietnamese(data.decode("latin-1"))
        what = f"bảng mã cũ {guess}" if guess else "bảng mã không phải UTF-8 (có thể là cp1258, TCVN3 hoặc VNI)"
        raise FileReadError(f"tệp viết bằng {what}, không đọc được chữ tiếng Việt (dòng {line})",
                            path=where, line=line,
                            fix="mở tệp bằng Word/Notepad, chọn Lưu thành… với bảng mã Unicode UTF-8; "
                                "nếu gõ bằng Unikey, chuyển mã sang Unicode trước") from exc
    guess = _looks_like_legacy_vietnamese(text)
    if guess:
        raise FileReadError(f"chữ tiếng Việt trong tệp là mã cũ {guess} (hiện thành ký tự lạ)", path=where,
                            fix="dùng công cụ chuyển mã của Unikey (Ctrl+Shift+F6) sang Unicode rồi lưu UTF-8")
    return text.replace("\r\n", "\n")


def read_text(path: str | os.PathLike, *, limit: int = MAX_FILE_BYTES) -> str:
    """A text file's content, checked for size and encoding, with Vietnamese errors."""
    return decode_bytes(read_bytes(path, limit=limit), path)


def read_bytes(path: str | os.PathLike, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, refusing a missing or oversized file with a clear message."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limit:
            raise FileReadError(
                f"tệp quá lớn ({size / 1048576:.1f} MB); giới hạn là {limit / 1048576:.0f} MB",
                path=str(p), fix="kiểm tra xem có đúng tệp không, hoặc chia nhỏ tệp")
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise FileReadError("không tìm thấy tệp", path=str(p), fix="kiểm tra lại đường dẫn") from exc
    except IsADirectoryError as exc:
        raise FileReadError("đây là thư mục, không phải tệp", path=str(p)) from exc
    except PermissionError as exc:
        raise FileReadError("không có quyền đọc tệp", path=str(p)) from exc


@contextlib.contextmanager
def file_lock(path: str | os.PathLike):
    """An exclusive advisory lock beside `path`, so two processes never write it at once."""
    lock_path = Path(str(path) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def atomic_write(path: str | os.PathLike, data: str | bytes, *, lock: bool = True) -> None:
    """Replace `path` with `data` all at once: temporary file, fsync, rename.

    A crash at any moment leaves either the old file or the new one, never a mix.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    ctx = file_lock(target) if lock else contextlib.nullcontext()
    with ctx:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o777)
            else:
                os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def safe_name(name: str, what: str = "mã cơ quan") -> str:
    """A name usable as a file name inside the workspace; refuses "../x", "/etc", "a/b"."""
    if not _SAFE_NAME.match(name or "") or ".." in name:
        raise WorkspaceError(f"{what} {name!r} không hợp lệ: chỉ dùng chữ không dấu, số, '-', '_' "
                             "và không chứa '/' hoặc '..'", fix="đặt lại mã như 'TP', 'VHTT', 'TCKH'")
    return name
