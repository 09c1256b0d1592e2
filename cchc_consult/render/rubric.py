"""The rubric's appendix table as HTML and as Markdown (templates rubric.html.j2, rubric.md.j2).

HTML is autoescaped and Markdown escaped by the one Markdown escaper, so text a
clerk typed is never read as markup or as a template.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Rubric
from .appendix import HEADERS, appendix_rows, document_title
from .env import render_template


def _context(rubric: Rubric) -> dict:
    return {"headers": HEADERS, "rows": appendix_rows(rubric), "title_lines": document_title(rubric),
            "note": rubric.meta.note, "year": rubric.meta.year}


def rubric_to_html(rubric: Rubric, workspace_templates: str | Path | None = None) -> str:
    """A standalone HTML page with the appendix table (A4 print styles, Times New Roman 13 pt)."""
    return render_template("html", "rubric.html.j2", workspace_templates, **_context(rubric))


def rubric_to_markdown(rubric: Rubric, workspace_templates: str | Path | None = None) -> str:
    """The appendix table as a Markdown (GitHub-flavoured) table, title above and note below."""
    return render_template("md", "rubric.md.j2", workspace_templates, **_context(rubric))
