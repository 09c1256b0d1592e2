"""A rubric diff as a document: plain text, Markdown (diff.md.j2) and HTML (diff.html.j2).

The diff itself and its summary rows are built in `cchc_consult.diff`; this
module only lays them out.
"""

from __future__ import annotations

from pathlib import Path

from ..diff import KINDS, RubricDiff, counts_text, points_lines
from .env import render_template


def _marked(segments: list[list[str]], deleted: str, inserted: str) -> str:
    """Words of a word diff joined, the removed and added ones wrapped ("[-x-]" / "{+y+}" in text)."""
    out = []
    for op, text in segments:
        if op == "=":
            out.append(text)
        elif op == "-":
            out.append(deleted.format(text))
        else:
            out.append(inserted.format(text))
    return " ".join(out)


def render_text(diff: RubricDiff, old_label: str = "", new_label: str = "",
                workspace_templates: str | Path | None = None) -> str:
    """The diff as plain Vietnamese text: summary, point arithmetic, then each change (no template)."""
    old_label, new_label = old_label or diff.old_name or "A", new_label or diff.new_name or "B"
    lines = [f"So sánh {old_label} → {new_label}: {counts_text(diff)}", "", "Điểm:"]
    width = max(len(label) for label, _, _ in points_lines(diff))
    for label, value, note in points_lines(diff):
        lines.append(f"  {label.ljust(width)}  {value}" + (f"   ({note})" if note else ""))
    if diff.changes:
        lines += ["", "Các thay đổi:", *change_lines(diff.changes)]
    return "\n".join(lines) + "\n"


def change_lines(changes, indent: str = "  ") -> list[str]:
    """Each change as a line "[kind] message", with its word diff below when it has one."""
    lines = []
    for change in changes:
        lines.append(f"{indent}[{KINDS.get(change.kind, change.kind)}] {change.message}")
        words = change.detail.get("words")
        if words:
            lines.append(f"{indent}    {_marked(words, '[-{}-]', '{{+{}+}}')}")
    return lines


def _context(diff: RubricDiff, old_label: str, new_label: str) -> dict:
    return {"old_label": old_label or diff.old_name or "A", "new_label": new_label or diff.new_name or "B",
            "summary": counts_text(diff), "points": points_lines(diff), "changes": diff.changes, "kinds": KINDS,
            "counts": diff.counts()}


def render_markdown(diff: RubricDiff, old_label: str = "", new_label: str = "",
                    workspace_templates: str | Path | None = None) -> str:
    """The diff as Markdown: a points table and a list of changes, removed words struck, added in bold."""
    return render_template("md", "diff.md.j2", workspace_templates, **_context(diff, old_label, new_label))


def render_html(diff: RubricDiff, old_label: str = "", new_label: str = "",
                workspace_templates: str | Path | None = None) -> str:
    """The diff as a standalone HTML page (autoescaped: rubric text is never markup)."""
    return render_template("html", "diff.html.j2", workspace_templates, **_context(diff, old_label, new_label))


RENDERERS = {"text": render_text, "md": render_markdown, "html": render_html}
