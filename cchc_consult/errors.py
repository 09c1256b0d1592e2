"""One error type per kind of failure, each able to say where and what to do, in Vietnamese.

The CLI and the TUI show these the same way (`str(error)`); nothing else should
escape to a user as a traceback.
"""

from __future__ import annotations

from .controls import visible


class CchcError(Exception):
    """Base of every error this tool reports to a user."""

    def __init__(self, message: str, *, path: str = "", line: int = 0, column: int = 0, fix: str = ""):
        super().__init__(message)
        self.message = message
        self.path = str(path)
        self.line = line
        self.column = column
        self.fix = fix

    def where(self) -> str:
        """"file:line:column" as far as known; a newline or escape in a file name is shown, never obeyed."""
        out = visible(self.path, keep="")
        if self.line:
            out += f":{self.line}"
            if self.column:
                out += f":{self.column}"
        return out

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}\n  → Cách sửa: {self.fix}" if self.fix else text


class FileReadError(CchcError):
    """The file cannot be read at all: missing, too large, wrong encoding."""


class YamlSyntaxError(CchcError):
    """The file is not well-formed YAML (or uses a YAML feature we refuse)."""


class ValidationError(CchcError):
    """Well-formed YAML whose content does not follow the format."""


class FrozenVersionError(CchcError):
    """A circulated or final version that may not be changed, or was changed on disk."""


class WorkspaceError(CchcError):
    """The workspace layout is missing something or a name would escape it."""


class PointsError(ValidationError):
    """A value that should be a number of points and is not ("1.5.2", "một")."""


class NotFoundError(CchcError):
    """A named thing that does not exist: a version, a criterion, an office, a comment."""


class ConcurrentEditError(CchcError):
    """The file changed on disk after it was opened for editing; saving would lose that change."""


class PublishRefusedError(CchcError):
    """Publishing is refused: the version or the decision text is not ready to be issued."""


class ImportFormatError(CchcError):
    """A source that holds no rubric table the importer can recognise (or is not the file it claims)."""


class NotReadyError(CchcError):
    """The editable document is still being opened; an edit has to wait."""


class DiskError(CchcError):
    """The operating system refused a read or a write: no space, read-only, no permission, name too long."""

    #: The OS error number (errno.ENOSPC…), for a caller that reacts to one kind.
    errno: int | None = None


class LimitError(CchcError):
    """A file is too large, too deep or too many for the bounds this tool keeps on hostile input."""


def _errno_sentence(code: int | None) -> tuple[str, str]:
    """(what happened, what to do) for an OS error number, in Vietnamese."""
    import errno

    table = {
        errno.ENOSPC: ("ổ đĩa đã đầy, không ghi được", "giải phóng chỗ trống trên ổ đĩa rồi chạy lại lệnh"),
        errno.EDQUOT: ("vượt hạn mức dung lượng của người dùng", "xóa bớt tệp hoặc xin thêm hạn mức, rồi chạy lại"),
        errno.EROFS: ("ổ đĩa hoặc thư mục chỉ cho đọc, không ghi được",
                      "chép không gian làm việc sang thư mục ghi được, hoặc mở quyền ghi"),
        errno.EACCES: ("không có quyền truy cập tệp", "kiểm tra quyền của tệp và thư mục, hoặc đóng chương trình "
                       "đang mở tệp (Word, Excel)"),
        errno.EPERM: ("hệ điều hành không cho phép thao tác trên tệp (tệp bị khóa hoặc đặt thuộc tính không sửa)",
                      "bỏ thuộc tính chỉ đọc/không sửa của tệp (chattr -i, Thuộc tính → bỏ Chỉ đọc) rồi chạy lại"),
        errno.ENAMETOOLONG: ("tên tệp hoặc đường dẫn quá dài", "đặt tên ngắn hơn hoặc dùng thư mục nông hơn"),
        errno.ENOENT: ("không tìm thấy tệp hoặc thư mục", "kiểm tra lại đường dẫn"),
        errno.ENOTDIR: ("một phần của đường dẫn không phải thư mục", "kiểm tra lại đường dẫn"),
        errno.EISDIR: ("đây là thư mục, không phải tệp", "ghi tên tệp thay cho thư mục"),
        errno.EEXIST: ("tệp đã có", "chọn tên khác"),
        errno.EMFILE: ("mở quá nhiều tệp cùng lúc", "đóng bớt chương trình rồi chạy lại"),
        errno.EIO: ("lỗi đọc/ghi của ổ đĩa", "kiểm tra ổ đĩa (USB, ổ mạng) rồi chạy lại"),
        errno.EFBIG: ("tệp quá lớn so với giới hạn của hệ thống tệp", "ghi sang ổ đĩa khác"),
        errno.ETXTBSY: ("tệp đang được chương trình khác dùng", "đóng chương trình đó rồi chạy lại"),
        errno.EBUSY: ("tệp hoặc ổ đĩa đang bận", "đóng chương trình đang dùng tệp rồi chạy lại"),
    }
    return table.get(code or 0, ("hệ điều hành từ chối thao tác trên tệp", "kiểm tra tệp, thư mục và ổ đĩa rồi chạy lại"))


def damage_reason(exc: BaseException) -> str:
    """What a library's error says about a damaged file, in Vietnamese words, never its Python type name.

    The readers of Word, Excel, PDF and HTML catch everything a damaged file makes a library raise
    (zipfile.BadZipFile, KeyError for a missing part, lxml's XMLSyntaxError, struct.error…); the
    type stays on the chained exception (`raise … from exc`), the user reads this.
    """
    import zipfile

    name = type(exc).__name__
    if isinstance(exc, (zipfile.BadZipFile, zipfile.LargeZipFile)):
        return "phần nén bên trong tệp bị hỏng"
    if isinstance(exc, KeyError):
        return "thiếu một phần bắt buộc bên trong tệp"
    if isinstance(exc, UnicodeError):
        return "có chữ không đọc được theo bảng mã của tệp"
    if isinstance(exc, MemoryError):
        return "tệp quá lớn, máy không đủ bộ nhớ để mở"
    if isinstance(exc, OSError) and getattr(exc, "errno", None):
        return _errno_sentence(exc.errno)[0]
    if name in ("TimeoutExpired", "TimeoutError"):
        return "quá thời gian chờ"
    if "XMLSyntax" in name or "ParseError" in name or "ParserError" in name:
        return "nội dung XML bên trong tệp sai cú pháp"
    if "Password" in name or "Encrypt" in name:
        return "tệp có mật khẩu"
    return "nội dung bên trong tệp không đúng định dạng"


#: Locks that guard a file of another name (versions._history_lock): the file the user knows.
_LOCKED_FILE = {"history-edit": "history.yaml"}


def _users_file(path: str) -> str:
    """The file a user knows for one of our helpers: ".v2.yaml.ab12cd34.tmp" and ".v2.yaml.lock" → "v2.yaml"."""
    import os
    import re

    head, name = os.path.split(path)
    found = re.match(r"^\.(.+?)\.(?:[A-Za-z0-9_]{8}\.tmp|lock)$", name)
    if not found:
        return path
    # the lock held across a read-change-write of history.yaml is named for the edit, not the file
    return os.path.join(head, _LOCKED_FILE.get(found.group(1), found.group(1)))


def from_os_error(exc: OSError, path: str = "") -> DiskError:
    """A Vietnamese `CchcError` for an `OSError` (ENOSPC, EROFS, EACCES, ENAMETOOLONG…), naming the file.

    `path` wins over the file the error names; a second file (a rename's target) is mentioned too.
    The result keeps the error number as `errno`.
    """
    what, fix = _errno_sentence(getattr(exc, "errno", None))
    where = path or getattr(exc, "filename", None) or ""
    if isinstance(where, bytes):
        where = where.decode("utf-8", "surrogateescape")
    other = getattr(exc, "filename2", None)
    if isinstance(other, bytes):
        other = other.decode("utf-8", "surrogateescape")
    where, other = _users_file(str(where)), _users_file(str(other)) if other else other
    message = what
    if other and str(other) != str(where):
        message += f" (cả tệp {visible(other, keep='')})"
    error = DiskError(message, path=str(where), fix=fix)
    error.errno = getattr(exc, "errno", None)
    return error


class VcsError(CchcError):
    """A git operation of a workspace that is a repository failed: no remote, a remote that refuses, a bad clone."""
