"""The selected node in full: title, maximum, bands with their conditions, evidence, owner, findings."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from ...findings import Finding
from ...model import Node
from ...vn import format_points

SCORING_VI = {"choice": "chọn một mức điểm", "deduction": "trừ điểm theo từng nội dung không đạt",
              "checklist": "cộng điểm các nội dung đạt"}


def node_detail(node: Node, findings: list[Finding], comments: int = 0) -> Group:
    """A renderable of one node; user text is always plain Text, never markup."""
    parts: list[Text] = []
    parts.append(Text(node.title, style="bold"))
    kind = "Phần" if node.kind == "section" else ("Tiêu chí thành phần" if node.is_leaf else "Tiêu chí")
    parts.append(Text.assemble((f"{kind} {node.id}", "dim"), ("  ·  số TT ", "dim"), (node.tt or "—", "dim")))
    maximum = Text("Điểm tối đa: ")
    maximum.append(format_points(node.max) if node.max is not None else "chưa có", style="bold green")
    if node.children:
        total = node.children_sum()
        style = "green" if total == node.max else "bold red"
        maximum.append("  (các mục con cộng lại: ")
        maximum.append(format_points(total), style=style)
        maximum.append(")")
    parts.append(maximum)
    if node.owner:
        parts.append(Text.assemble("Cơ quan phụ trách: ", (node.owner, "cyan")))
    if node.is_leaf and node.kind != "section":
        parts.append(Text(f"Cách chấm: {SCORING_VI.get(node.scoring, node.scoring)}"
                          + (f", mỗi nội dung {format_points(node.per_item)} điểm" if node.per_item is not None else "")))
    if node.bands:
        parts.append(Text("\nMức điểm", style="bold underline"))
        for i, band in enumerate(node.bands, 1):
            line = Text(f"{i}. ")
            line.append(f"[{format_points(band.points)}] ", style="green")
            line.append(band.text)
            parts.append(line)
            if band.condition is not None:
                parts.append(Text(f"   → {band.condition.describe()}", style="cyan"))
            else:
                parts.append(Text("   → chấm theo lời (không có điều kiện đo được)", style="dim"))
            if band.per_unit is not None:
                parts.append(Text(f"   → {format_points(band.per_unit.points)} điểm / {band.per_unit.unit}",
                                  style="cyan"))
            if band.deduction is not None:
                parts.append(Text(f"   → trừ {format_points(band.deduction)} điểm", style="cyan"))
    if node.items:
        parts.append(Text("\nNội dung kiểm tra", style="bold underline"))
        parts.extend(Text(f"• {item}") for item in node.items)
    if node.evidence:
        parts.append(Text("\nTài liệu kiểm chứng", style="bold underline"))
        parts.extend(Text(f"• {line}") for line in node.evidence)
    elif node.is_leaf and node.kind != "section":
        parts.append(Text("\nChưa có tài liệu kiểm chứng", style="yellow"))
    if node.children:
        parts.append(Text(f"\n{len(node.children)} mục con", style="dim"))
    if comments:
        parts.append(Text(f"\n✉ {comments} ý kiến góp ý về mục này (phím 2: màn hình Góp ý)", style="cyan"))
    if findings:
        parts.append(Text("\nPhát hiện", style="bold underline"))
        for finding in findings:
            style = "red" if finding.severity == "error" else "yellow"
            line = Text("● " if finding.severity == "error" else "▲ ", style=style)
            line.append(finding.message)
            parts.append(line)
            if finding.fix:
                parts.append(Text(f"   → {finding.fix}", style="dim"))
    return Group(*parts)


class NodeDetail(Static):
    """Shows one node; `show(node, findings)` replaces what is shown."""

    def show(self, node: Node | None, findings: list[Finding], comments: int = 0) -> None:
        if node is None:
            self.update(Text("Chọn một mục trong cây bên trái.", style="dim"))
        else:
            self.update(node_detail(node, findings, comments))
