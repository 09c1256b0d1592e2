"""The findings of `check.check`, one a row; choosing a row jumps to its node."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from ...findings import Finding, summary
from .cells import FillingTable, cell


class FindingsPanel(FillingTable):
    """A table of findings: mức, mục, nội dung."""

    @dataclass
    class Jump(Message):
        """The user chose a finding: show its node."""

        node_id: str

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, fill="message", **kwargs)
        self.findings: list[Finding] = []

    def on_mount(self) -> None:
        self.add_column("Mức", key="severity", width=4)
        self.add_column("Mục", key="node", width=10)
        self.add_column("Nội dung", key="message")
        self.border_title = "Phát hiện"

    def show(self, findings: list[Finding]) -> None:
        self.findings = findings
        row = self.cursor_row
        self.clear()
        for i, finding in enumerate(findings):
            mark = Text("lỗi", style="bold red") if finding.severity == "error" else Text("c.b", style="yellow")
            self.add_row(mark, cell(finding.node), cell(finding.message), key=str(i))
        errors, warnings = summary(findings)
        self.border_title = f"Phát hiện: {errors} lỗi, {warnings} cảnh báo" if findings else "Phát hiện: không có"
        if findings:
            self.move_cursor(row=min(row, len(findings) - 1), animate=False)

    def on_data_table_row_selected(self, event: FillingTable.RowSelected) -> None:
        event.stop()
        index = int(event.row_key.value or 0)
        if 0 <= index < len(self.findings):
            self.post_message(self.Jump(self.findings[index].node))
