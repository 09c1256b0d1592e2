"""The consolidated table of comments as HTML (feedback.html.j2) and Markdown (feedback.md.j2).

The report's content is built by `consult.feedback.build_feedback`; every comment
is escaped for its output kind, so it is always shown as text, never as markup
or as a template.
"""

from __future__ import annotations

from pathlib import Path

from .env import render_template


def render_feedback_html(report, workspace_templates: str | Path | None = None) -> str:
    """The table (a `consult.feedback.FeedbackReport`) as a standalone HTML page (A4, Times New Roman)."""
    return render_template("html", "feedback.html.j2", workspace_templates, r=report)


def render_feedback_markdown(report, workspace_templates: str | Path | None = None) -> str:
    """The table as Markdown, every user text escaped by the one Markdown escaper."""
    return render_template("md", "feedback.md.j2", workspace_templates, r=report)
