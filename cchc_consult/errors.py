"""One error type per kind of failure, each able to say where and what to do, in Vietnamese.

The CLI and the TUI show these the same way (`str(error)`); nothing else should
escape to a user as a traceback.
"""

from __future__ import annotations


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
        """"file:line:column" as far as known."""
        out = self.path
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
