"""One escaper per output kind, so user text is shown as written and never read as markup.

HTML is escaped by Jinja's autoescape; plain text needs nothing. Markdown has
one escaper here, used by every Markdown document (export, diff, feedback).
"""

from __future__ import annotations

import re

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
    Vietnamese text are left alone.
    """
    text = _MD_BACKSLASH.sub(r"\\\\", str(value))
    text = _MD_ENTITY.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCTUATION.sub(r"\\\1", text)


def markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: escaped, line breaks (and list items) joined by <br>."""
    lines = value if isinstance(value, (list, tuple)) else [value]
    return "<br>".join(markdown_text("" if line is None else line).replace("\n", "<br>") for line in lines)
