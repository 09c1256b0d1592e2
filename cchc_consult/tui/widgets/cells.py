"""Cells and fields: table cells that end with "…" (DataTable otherwise cuts them silently), a text field that keeps key order."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey

MIN_FILL = 12  # a narrower text column is not worth reading: the table scrolls instead


def cell(text: str, style: str = "") -> Text:
    """One line of plain text (never markup), cut with "…" at the column's width."""
    return Text(str(text), style=style, no_wrap=True, overflow="ellipsis")


class FillingTable(DataTable):
    """A table whose `fill` column takes the width the others leave, so its long cells end with "…" on screen.

    Left to itself the column is as wide as its longest cell and the table scrolls sideways: the
    text is cut at the panel's edge without any mark.
    """

    def __init__(self, *args, fill: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fill = fill

    def on_resize(self, event) -> None:
        self.fit_fill_column()

    def fit_fill_column(self) -> None:
        column = self.columns.get(ColumnKey(self.fill))
        if column is None or not self.size.width:
            return
        others = sum(c.get_render_width(self) for key, c in self.columns.items() if key != column.key)
        width = max(MIN_FILL, self.scrollable_content_region.width - others - 2 * self.cell_padding - 1)
        if column.auto_width or column.width != width:
            column.auto_width, column.width = False, width
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh(layout=True)


class TextField(Input):
    """An Input that runs its own keys (Ctrl+U, Backspace, ←, Enter…) in the order they were typed.

    Textual resolves a widget's bindings only after the key has bubbled up to the app, while a
    letter is inserted at once: "Ctrl+U 3" typed quickly inserted the 3, then erased it. Here both
    happen in the field's own queue, one after the other.
    """

    async def _on_key(self, event: events.Key) -> None:
        bindings = self._bindings.key_to_bindings.get(event.key)
        if bindings and not event.is_printable:
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)
