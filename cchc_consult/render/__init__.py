"""Rubrics as documents: the appendix table in Word, HTML and Markdown.

`appendix_rows` flattens a rubric into the rows of the table every format
shares; `docx_table.add_rubric_table` and `rubric_table.rubric_to_html` /
`rubric_to_markdown` lay those rows out. python-docx and Jinja2 are imported
inside the functions that use them.
"""

from __future__ import annotations


FORMATS = ("docx", "html", "md")


def render_rubric(rubric, fmt: str) -> bytes:
    """The appendix document of a rubric in one format (docx, html, md), as bytes to write."""
    if fmt == "docx":
        from .docx_table import rubric_to_docx_bytes

        return rubric_to_docx_bytes(rubric)
    from .rubric_table import rubric_to_html, rubric_to_markdown

    if fmt == "html":
        return rubric_to_html(rubric).encode("utf-8")
    if fmt == "md":
        return rubric_to_markdown(rubric).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")
