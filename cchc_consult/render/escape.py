"""One escaper per output kind, so user text is shown as written and never read as markup.

HTML is escaped by Jinja's autoescape. Markdown has one escaper here, used by
every Markdown document (export, diff, feedback). Text for a terminal has its
control characters shown as pictures (`terminal_text`, `file_name`); text for Word,
Excel and PDF has what XML refuses replaced (`office_text`). The table of control
characters is `controls.py`.
"""

from __future__ import annotations

import re

from ..controls import visible, xml_safe

#: `&` when it would start an entity reference (`&amp;`, `&#39;`, `&#x41;`).
_MD_ENTITY = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
#: A backslash that Markdown would read as escaping the ASCII punctuation after it.
_MD_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
#: What CommonMark + GFM read as markup inside a line: emphasis (`*`, `_`), strike-through (`~`),
#: code spans (backtick), table cells (`|`) and link or image brackets (`[`, `]`).
_MD_PUNCTUATION = re.compile(r"([*_~`|\[\]])")


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


def office_text(value: object, warnings: list[str] | None = None, where: str = "") -> str:
    """Text Word, Excel and PDF accept: a control character XML refuses is shown as its picture.

    With `warnings`, a sentence naming `where` (the comment, the criterion) is added when
    something had to be replaced, so the clerk knows the document differs from the file.
    """
    text, changed = xml_safe("" if value is None else str(value))
    if changed and warnings is not None:
        warnings.append(f"{where or 'một ô'}: có ký tự điều khiển không in được, đã thay bằng ký hiệu (như ␋)")
    return text


def office_row(values: list) -> list:
    """A row for openpyxl's `append`: every text through `office_text` (openpyxl refuses C0 controls)."""
    return [office_text(v) if isinstance(v, str) else v for v in values]
