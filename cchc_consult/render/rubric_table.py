"""The rubric's appendix table as HTML and as Markdown, through Jinja2 templates.

Templates live in `cchc_consult/templates/rubric.html` and `rubric.md`. HTML
is autoescaped; Markdown cells are escaped by the `md` filter here, so text a
clerk typed is never read as markup or as a template.
"""

from __future__ import annotations

import functools
import re

from ..model import Rubric
from .appendix import HEADERS, appendix_rows, document_title

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Cell text safe inside a Markdown table: special characters escaped, line breaks as <br>."""
    return "<br>".join(_MD_SPECIAL.sub(r"\\\1", line) for line in str(text).split("\n"))


@functools.lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("cchc_consult", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


def _context(rubric: Rubric) -> dict:
    return {"headers": HEADERS, "rows": appendix_rows(rubric), "title_lines": document_title(rubric),
            "note": rubric.meta.note, "year": rubric.meta.year}


def rubric_to_html(rubric: Rubric) -> str:
    """A standalone HTML page with the appendix table (A4 print styles, Times New Roman 13 pt)."""
    return _environment().get_template("rubric.html").render(**_context(rubric))


def rubric_to_markdown(rubric: Rubric) -> str:
    """The appendix table as a Markdown (GitHub-flavoured) table, title above and note below."""
    env = _environment()
    # .md is not an autoescaped extension; the `md` filter escapes every cell instead.
    return env.get_template("rubric.md").render(**_context(rubric))
