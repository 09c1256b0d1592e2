"""Every document and report: one Jinja environment per output kind, templates overridable per workspace.

`environment(kind, workspace_templates)` is the only Jinja set-up: HTML is
autoescaped, Markdown escapes every `{{ … }}` with the one Markdown escaper
(`escape.markdown_text`), plain text is left as is. A template of the same name
in the workspace's `templates/` folder takes precedence over the packaged one,
for every document. Jinja2, python-docx and openpyxl are imported inside the
functions that use them; the domain modules only build the data.

Modules: `rubric` (the appendix as HTML and Markdown), `docx_table` and
`appendix` (the appendix in Word, the shared rows), `decision`, `feedback`,
`feedback_docx`, `diff`, `score`.
"""

from __future__ import annotations

from pathlib import Path

from .env import KINDS, TEMPLATES, environment, render_template
from .escape import markdown_cell, markdown_text

FORMATS = ("docx", "html", "md")


def render_rubric(rubric, fmt: str, workspace_templates: str | Path | None = None, notes=None) -> bytes:
    """The appendix document of a rubric in one format (docx, html, md), as bytes to write.

    `notes` (an `escape.OfficeNotes`) collects what Word could not hold, to warn about."""
    if fmt == "docx":
        from .docx_table import rubric_to_docx_bytes

        return rubric_to_docx_bytes(rubric, notes)
    # start-up: `cchc check` loads render (env, escape), not the writers
    from .rubric import rubric_to_html, rubric_to_markdown

    if fmt == "html":
        return rubric_to_html(rubric, workspace_templates).encode("utf-8")
    if fmt == "md":
        return rubric_to_markdown(rubric, workspace_templates).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")


__all__ = ["FORMATS", "KINDS", "TEMPLATES", "environment", "markdown_cell", "markdown_text", "render_rubric",
           "render_template"]
