"""Bytes in and out: decoding hand-made files safely and writing atomically.

Every file this tool reads goes through `read_text`; every file it writes goes
through `atomic_write`. Nothing else opens files for writing.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import threading
import unicodedata
from pathlib import Path

from .errors import FileReadError, WorkspaceError
from .lazyre import LazyPattern

#: Large enough for a 10,000-criterion rubric (~14 MB), small enough to refuse a runaway file.
MAX_FILE_BYTES = 64 * 1024 * 1024

# ---- legacy Vietnamese encodings --------------------------------------------------------------
# Offices still type in TCVN3 (ABC) and VNI fonts, and Word saves Windows-1258. Such a file either
# fails as UTF-8 or, once someone "fixed" it by saving as UTF-8, reads as mojibake ("Céng hoµ",
# "Coäng hoøa"). We do not convert (a wrong guess would corrupt text silently); we recognise the
# encoding by decoding the bytes each way and keeping the one that yields Vietnamese letters only.



#: Every precomposed Vietnamese letter with a mark (134); tests/test_bad_inputs.py re-derives it from Unicode.
VIETNAMESE_LETTERS = frozenset(
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚ"
    "ớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ")
#: Those of them that carry a tone (120).
_TONED = VIETNAMESE_LETTERS - frozenset("ÂÊÔâêôĂăĐđƠơƯư")


def _is_vietnamese_letter(ch: str) -> bool:
    return ch in VIETNAMESE_LETTERS


# TCVN3 (TCVN 5712 VN3): runs of consecutive bytes and the letters they hold.
_TCVN3_RUNS = ((0xA1, "ĂÂÊÔƠƯĐăâêôơưđ"), (0xB5, "àảãáạ"), (0xBB, "ằẳẵắ"), (0xC6, "ặầẩẫấậè"),
               (0xCE, "ẻẽéẹềểễếệìỉ"), (0xDC, "ĩíịò"), (0xE1, "ỏõóọồổỗốộờởỡớợù"), (0xF1, "ủũúụừửữứựỳỷỹýỵ"))
_TCVN3 = {start + i: ch for start, run in _TCVN3_RUNS for i, ch in enumerate(run)}
# VNI-Windows: bytes (as Latin-1 characters) that are a letter of their own, and accent bytes
# that follow their base letter (value: the combining marks they stand for).
_VNI_LETTER = dict(zip("ôÔöÖñÑíÍìÌæÆóÓòÒîÎ", "ơƠưƯđĐíÍìÌỉỈĩĨịỊỵỴ"))
_VNI_ACCENT = {}
for _chars, _marks in (("ùÙ", "\u0301"), ("øØ", "\u0300"), ("ûÛ", "\u0309"), ("õÕ", "\u0303"), ("ïÏ", "\u0323"),
                       ("âÂ", "\u0302"), ("áÁ", "\u0302\u0301"), ("àÀ", "\u0302\u0300"), ("åÅ", "\u0302\u0309"),
                       ("ãÃ", "\u0302\u0303"), ("äÄ", "\u0302\u0323"), ("êÊ", "\u0306"), ("éÉ", "\u0306\u0301"),
                       ("èÈ", "\u0306\u0300"), ("úÚ", "\u0306\u0309"), ("üÜ", "\u0306\u0303"), ("ëË", "\u0306\u0323")):
    for _ch in _chars:
        _VNI_ACCENT[_ch] = _marks


def _decode_tcvn3(raw: bytes) -> str:
    return "".join(_TCVN3.get(b, chr(b)) for b in raw)


def _decode_vni(raw: bytes) -> str:
    out: list[str] = []
    for ch in raw.decode("latin-1"):
        marks = _VNI_ACCENT.get(ch)
        if marks is not None and out:
            combined = unicodedata.normalize("NFC", unicodedata.normalize("NFD", out[-1]) + marks)
            if len(combined) == 1 and _is_vietnamese_letter(combined):
                out[-1] = combined
                continue
        out.append(_VNI_LETTER.get(ch, ch))
    return "".join(out)


def _decode_cp1258(raw: bytes) -> str:
    return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))


_LEGACY_DECODERS = (("Windows-1258 (cp1258)", _decode_cp1258), ("VNI", _decode_vni), ("TCVN3 (ABC)", _decode_tcvn3))


_WORD = LazyPattern(r"\w+")
_PUNCTUATION = set("\u00a0“”‘’–—…•°·")


def _vietnamese_fit(text: str) -> tuple[int, int]:
    """(plausible Vietnamese letters, implausible words and symbols) of a decoded text.

    A letter counts when it lies beyond Latin-1 (ư ơ đ ạ ế …: mojibake never has those) in
    a word with at most one tone, as a Vietnamese syllable has; a word with two tones or a
    foreign letter, and a stray non-ASCII symbol, count against.
    """
    good = bad = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        tones = foreign = beyond = 0
        for ch in word:
            if ord(ch) < 128:
                continue
            if not _is_vietnamese_letter(ch):
                foreign += 1
                continue
            beyond += ord(ch) >= 0x100
            tones += ch in _TONED
        if tones > 1 or foreign:
            bad += 1
        else:
            good += beyond
    bad += sum(1 for ch in _WORD.sub("", text) if ord(ch) >= 128 and ch not in _PUNCTUATION)
    return good, bad


def guess_legacy_encoding(raw: bytes) -> str:
    """The legacy Vietnamese encoding these bytes seem to be in (TCVN3, VNI, cp1258), or "".

    Tried from the strictest to the loosest: cp1258 and VNI must decode to Vietnamese
    letters with almost nothing left over; TCVN3 maps nearly every high byte to a letter,
    so it is the last resort.
    """
    sample = raw[:20000]
    for name, decode in _LEGACY_DECODERS:
        good, bad = _vietnamese_fit(decode(sample))
        if good >= 3 and bad * 20 <= good:
            return name
    return ""


def _looks_like_legacy_vietnamese(text: str) -> str:
    """The legacy encoding a decoded text was in before it became mojibake, or ""."""
    sample = text[:20000]
    # Counted with C-speed codecs (this runs on every read): characters in U+0080–U+00FF, which is
    # all mojibake is made of, and characters beyond U+00FF (ư ơ đ ạ ế …), which only real
    # Unicode Vietnamese has in numbers.
    latin1 = sample.encode("latin-1", "ignore")
    beyond = len(sample) - len(latin1)
    high = len(latin1) - len(latin1.decode("ascii", "ignore"))
    if high == 0 or beyond * 5 > high:
        return ""
    try:
        raw = sample.encode("cp1252")
    except UnicodeEncodeError:
        try:
            raw = sample.encode("latin-1")
        except UnicodeEncodeError:
            return ""
    return guess_legacy_encoding(raw)


def _first_non_ascii(text: str) -> tuple[int, int]:
    """(line, column), 1-based, of the first non-ASCII character."""
    for number, line in enumerate(text.split("\n"), start=1):
        for column, ch in enumerate(line, start=1):
            if ord(ch) >= 128:
                return number, column
    return 0, 0


_LEGACY_FIX = ("mở tệp bằng Unikey → Công cụ chuyển mã (Ctrl+Shift+F6): nguồn {enc}, đích Unicode; "
               "hoặc trong Word chọn Lưu thành… → Văn bản thuần → mã hóa Unicode (UTF-8), rồi gửi lại tệp")


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
    if b"\x00" in data[:65536]:
        _refuse_binary(data, where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = guess_legacy_encoding(data)
        if guess:
            raise FileReadError(f"tệp được gõ bằng bảng mã cũ {guess}, không phải Unicode UTF-8; "
                                f"chữ tiếng Việt đầu tiên không đọc được ở dòng {line}",
                                path=where, line=line, column=column, fix=_LEGACY_FIX.format(enc=guess)) from None
        raise FileReadError(f"tệp không phải văn bản Unicode UTF-8 (byte lạ ở dòng {line}, cột {column})",
                            path=where, line=line, column=column,
                            fix="mở tệp bằng Notepad, chọn Lưu thành… với Mã hóa UTF-8; nếu tệp gõ bằng "
                                "TCVN3/VNI, chuyển mã sang Unicode bằng Unikey trước") from None
    guess = _looks_like_legacy_vietnamese(text)
    if guess:
        line, column = _first_non_ascii(text)
        raise FileReadError(f"chữ tiếng Việt trong tệp là mã cũ {guess} đã bị lưu lại thành ký tự lạ "
                            f"(như \"Céng hoµ\", \"Coäng hoøa\")", path=where, line=line, column=column,
                            fix=_LEGACY_FIX.format(enc=guess))
    return text.replace("\r\n", "\n")


def _refuse_binary(data: bytes, where: str) -> None:
    """Refuse bytes with NULs: UTF-16 without its BOM, or a binary file (Word, Excel, zip)."""
    head = data[:4096]
    line = data[: data.index(b"\x00")].count(b"\n") + 1
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FileReadError("đây là tệp Word/Excel (nhị phân), không phải tệp văn bản YAML", path=where,
                            fix="dùng lệnh nhập: cchc import TỆP.docx hoặc TỆP.xlsx")
    if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
        raise FileReadError("tệp là UTF-16 nhưng thiếu dấu BOM ở đầu, không biết thứ tự byte", path=where,
                            line=line, fix="mở bằng Notepad, chọn Lưu thành… → Mã hóa: UTF-8")
    raise FileReadError("tệp chứa byte 0: có lẽ là tệp nhị phân, không phải văn bản", path=where, line=line,
                        fix="xuất tệp ra văn bản thuần UTF-8")


def _human_size(size: int) -> str:
    """A byte count as a clerk reads it: "64 MB", "1,5 KB", "100 byte"."""
    for unit, factor in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            text = f"{size / factor:.1f}".rstrip("0").rstrip(".")
            return f"{text.replace('.', ',')} {unit}"
    return f"{size} byte"


def read_text(path: str | os.PathLike, *, limit: int | None = None) -> str:
    """A text file's content, checked for size and encoding, with Vietnamese errors."""
    return decode_bytes(read_bytes(path, limit=limit), path)


def read_bytes(path: str | os.PathLike, *, limit: int | None = None) -> bytes:
    """A file's bytes, refusing a missing or oversized file with a clear message.

    `limit` defaults to `MAX_FILE_BYTES`, read at call time so a test can lower it.
    """
    p = Path(path)
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        size = p.stat().st_size
        if size > limit:
            raise FileReadError(
                f"tệp quá lớn ({_human_size(size)}); giới hạn là {_human_size(limit)}",
                path=str(p), fix="kiểm tra xem có đúng tệp không, hoặc chia nhỏ tệp")
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise FileReadError("không tìm thấy tệp", path=str(p), fix="kiểm tra lại đường dẫn") from exc
    except IsADirectoryError as exc:
        raise FileReadError("đây là thư mục, không phải tệp", path=str(p)) from exc
    except PermissionError as exc:
        raise FileReadError("không có quyền đọc tệp", path=str(p)) from exc


_held = threading.local()


def _on_windows() -> bool:
    """Whether the Windows primitives apply (a function, so a test can take the Windows path on Linux)."""
    return os.name == "nt"


#: How long to wait between tries for a lock or a replace that Windows refuses for now (seconds).
_RETRY_PAUSE = 0.05
#: How many times a replace refused by Windows (the file open in Excel, an antivirus scan) is tried.
_REPLACE_TRIES = 40


def _lock_fd(fd: int, wait: bool = True) -> None:
    """Take the exclusive lock on an open lock file, waiting for another process to let it go.

    Without `wait`, BlockingIOError when another process holds it. The primitive is chosen here,
    not at import: fcntl exists only on POSIX, msvcrt only on Windows, and the package must import on both.
    """
    if _on_windows():
        import msvcrt
        import time

        while True:
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # byte 0, which may lie past the end: allowed
                return
            except OSError:
                if not wait:
                    raise BlockingIOError(f"lock held: fd {fd}") from None
                time.sleep(_RETRY_PAUSE)
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock_fd(fd: int) -> None:
    if _on_windows():
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def file_lock(path: str | os.PathLike, *, wait: bool = True):
    """An exclusive advisory lock beside `path`, so two processes never write it at once.

    Re-entrant within a thread: `with file_lock(p): atomic_write(p, …)` (read, change, write
    under one lock) does not deadlock, although flock itself would block on a second open.
    `wait=False` raises BlockingIOError at once when another holder has it (the caller refuses).
    """
    # Hidden (".v1.yaml.lock"): a clerk's folder should show the files, not our locks.
    lock_path = Path(path).parent / f".{Path(path).name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    key = os.path.abspath(lock_path)
    held = _held.__dict__.setdefault("paths", set())
    if key in held:
        yield
        return
    hide = _on_windows() and not lock_path.exists()  # a new lock: hide it once (no stat elsewhere)
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
    if hide:
        _hide_file(lock_path)
    try:
        _lock_fd(fd, wait)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            _unlock_fd(fd)
    finally:
        os.close(fd)


def _hide_file(path: Path) -> None:
    """Give a file the Windows "hidden" attribute: Explorer shows dot files, and a clerk's folder should not
    fill with our locks. Best effort: a share that refuses attributes still gets a working lock."""
    import ctypes

    FILE_ATTRIBUTE_HIDDEN = 0x2
    try:
        ctypes.windll.kernel32.SetFileAttributesW(str(path), FILE_ATTRIBUTE_HIDDEN)  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        pass


def _replace(tmp: str, target: Path) -> None:
    """os.replace, tried again for a while when Windows refuses because another program has the file open."""
    tries = _REPLACE_TRIES if _on_windows() else 1
    for attempt in range(tries):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if not _on_windows():
                raise  # POSIX: a real permission problem (read-only, chattr +i), named by errors.from_os_error
            if attempt + 1 == tries:
                raise WorkspaceError(f"không thay được tệp {target}: tệp đang mở trong chương trình khác "
                                     "hoặc không có quyền ghi",
                                     fix="đóng tệp trong Excel/Word (hoặc chương trình đang mở nó) rồi chạy lại "
                                         "lệnh") from None
            import time

            time.sleep(_RETRY_PAUSE)


def _sync_directory(directory: Path) -> None:
    """Make a rename durable where the system allows it: Windows cannot open (or fsync) a directory."""
    if _on_windows():
        return
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass  # some file systems (network shares, FAT on a USB stick) refuse: the data itself is synced
    finally:
        os.close(dir_fd)


def atomic_write(path: str | os.PathLike, data: str | bytes, *, lock: bool = True, durable: bool = True) -> None:
    """Replace `path` with `data` all at once: temporary file, fsync, rename.

    A crash at any moment leaves either the old file or the new one, never a mix.
    `durable=False` skips the two fsyncs, for files that can be rebuilt (the parse
    cache): they cost more than the parse itself when a thousand sheets are read.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile  # here: it imports `random`, which a read-only command never needs

    ctx = file_lock(target) if lock else contextlib.nullcontext()
    with ctx:
        if lock:
            _remove_stale_temporaries(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
            if target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o777)
            else:
                os.chmod(tmp, 0o644)
            _replace(tmp, target)
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            if isinstance(exc, OSError) and not exc.filename:
                exc.filename = str(target)  # a full disk fails in write(), which names no file: say which
            raise
        if durable:
            _sync_directory(target.parent)


def _remove_stale_temporaries(target: Path) -> None:
    """Delete temporary files a killed writer of `target` left behind.

    Called while holding `target`'s lock: every writer of it takes that lock, so a
    temporary for it that exists now belongs to a process that died mid-save.
    """
    for leftover in target.parent.glob(f".{glob_escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def glob_escape(name: str) -> str:
    """A file name with glob's special characters made literal."""
    import glob

    return glob.escape(name)


def text_cells_only(workbook) -> None:
    """Keep every text cell of an openpyxl workbook as text: "=1+1" typed by a person is not a formula.

    openpyxl stores any string that starts with "=" as a formula, which Excel then runs
    (a comment "=HYPERLINK(…)" would become a live link). Call before saving a workbook
    that holds text from a file a person wrote.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"


_SAFE_NAME = LazyPattern(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Names Windows refuses as file names whatever the extension (the workspace may be copied there).
_WINDOWS_RESERVED = LazyPattern(r"^(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\..*)?$", re.IGNORECASE)


def safe_name(name: str, what: str = "mã cơ quan") -> str:
    """A name usable as a file name inside the workspace; refuses "../x", "/etc", "a/b", "NUL"."""
    if (not isinstance(name, str) or not _SAFE_NAME.match(name) or ".." in name or name.endswith(".")
            or _WINDOWS_RESERVED.match(name)):
        raise WorkspaceError(f"{what} {name!r} không hợp lệ: chỉ dùng chữ không dấu, số, '-', '_' "
                             "và không chứa '/' hoặc '..'", fix="đặt lại mã như 'TP', 'VHTT', 'TCKH'")
    return name
