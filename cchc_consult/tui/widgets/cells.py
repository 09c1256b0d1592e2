"""Table cells that end with "…" when their column is too narrow (DataTable otherwise cuts them silently)."""

from __future__ import annotations

from rich.text import Text


def cell(text: str, style: str = "") -> Text:
    """One line of plain text (never markup), cut with "…" at the column's width."""
    return Text(str(text), style=style, no_wrap=True, overflow="ellipsis")
