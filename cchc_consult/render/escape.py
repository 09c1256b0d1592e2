"""One escaper per output kind, so user text is shown as written and never read as markup.

HTML is escaped by Jinja's autoescape. Markdown has one escaper here, used by
every Markdown document (export, diff, feedback). Text for a terminal has its
control characters shown as pictures (`terminal_text`, `file_name`); text for Word,
Excel and PDF has what XML refuses replaced (`office_text`). The table of control
characters is `controls.py`.
"""

from __future__ import annotations

from ..controls import escaped, visible, xml_refused, xml_safe
from ..lazyre import LazyPattern

#: `&` when it would start an entity reference (`&amp;`, `&#39;`, `&#x41;`).
_MD_ENTITY = LazyPattern(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
#: A backslash that Markdown would read as escaping the ASCII punctuation after it.
_MD_BACKSLASH = LazyPattern(r"\\(?=[!-/:-@\[-`{-~])")
#: What CommonMark + GFM read as markup inside a line: emphasis (`*`, `_`), strike-through (`~`),
#: code spans (backtick), table cells (`|`) and link or image brackets (`[`, `]`).
_MD_PUNCTUATION = LazyPattern(r"([*_~`|\[\]])")


def markdown_text(value: object) -> str:
    """User text escaped for Markdown so that it reads back exactly as written, never as markup.

    `<` and `>` become entities (so `<script>` stays text), `&` too when it would
    start an entity; emphasis, strike-through, code, cell and link characters get
    a backslash, and so does a backslash that would escape them. Quotes and
    Vietnamese text are left alone; control characters show as pictures ("␛").
    """
    text = _MD_BACKSLASH.sub(r"\\\\", visible(value))
    text = _MD_ENTITY.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCTUATION.sub(r"\\\1", text)


def markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: escaped, line breaks (and list items) joined by <br>."""
    lines = value if isinstance(value, (list, tuple)) else [value]
    return "<br>".join(markdown_text("" if line is None else line).replace("\n", "<br>") for line in lines)


def terminal_text(value: object) -> str:
    """Text for a terminal: escape, carriage return and other controls shown ("␛", "␍"), lines kept."""
    return visible(value)


def file_name(value: object) -> str:
    """A file name for any message: a newline, an escape or an undecodable byte shown, never obeyed."""
    return visible(value, keep="")


class OfficeNotes:
    """What `office_text` replaced on the way into one Word, Excel or PDF file: one warning per item named.

    A renderer passes the same notes and the name of the item it is writing (a comment, a
    criterion) to every `office_text` call; the command prints `lines()` once the file is written,
    so the clerk knows which item reads differently in the document than in its file.
    """

    def __init__(self, target: str = "tệp Word"):
        self.target = target
        self._found: dict[str, list[str]] = {}

    def note(self, where: str, refused: list[str]) -> None:
        self._found.setdefault(where, []).extend(refused)

    def __bool__(self) -> bool:
        return bool(self._found)

    def lines(self) -> list[str]:
        """One sentence per item: "ý kiến TCKH-2: đã thay 1 ký tự điều khiển (\\x0b) bằng ký hiệu ␋ khi ghi …"."""
        out = []
        for where, chars in self._found.items():
            kinds = list(dict.fromkeys(chars))
            pictures = ", ".join(dict.fromkeys(xml_safe(c)[0] for c in kinds))
            out.append(f"{visible(where, keep='')}: đã thay {len(chars)} ký tự điều khiển "
                       f"({', '.join(escaped(c) for c in kinds[:8])}{', …' if len(kinds) > 8 else ''}) "
                       f"bằng ký hiệu {pictures} khi ghi {self.target}")
        return out


def office_text(value: object, notes: OfficeNotes | None = None, where: str = "") -> str:
    """Text Word, Excel and PDF accept: a control character XML refuses is shown as its picture.

    With `notes`, what had to be replaced is noted under `where` (the comment, the criterion),
    so the clerk is told the document differs from the file.
    """
    raw = "" if value is None else str(value)
    text, changed = xml_safe(raw)
    if changed and notes is not None:
        notes.note(where or "một đoạn văn bản", xml_refused(raw))
    return text


def office_row(values: list, notes: OfficeNotes | None = None, where: str = "") -> list:
    """A row for openpyxl's `append`: every text through `office_text` (openpyxl refuses C0 controls)."""
    return [office_text(v, notes, where) if isinstance(v, str) else v for v in values]
