"""The appendix table as plain rows: TT | Nội dung | Điểm chuẩn | Tài liệu kiểm chứng.

One flattening shared by Word, HTML and Markdown, so the three formats show
the same rows in the same order and an exported table imports back to the
same rubric: a node's row, then its bands (empty TT, indented), then its
children; the grand total last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Node, Rubric
from ..vn import format_points

HEADERS = ("TT", "Nội dung", "Điểm chuẩn", "Tài liệu kiểm chứng")


@dataclass(slots=True)
class AppendixRow:
    """One row of the appendix table; `kind` is section, criterion, band or total."""

    kind: str
    tt: str
    content: str
    points: str
    evidence: list[str] = field(default_factory=list)
    #: 0 for a section, 1 for "1", 2 for "1.1"…; a band sits one level below its criterion.
    depth: int = 0
    bold: bool = False
    node_id: str = ""


def _node_rows(node: Node, depth: int, out: list[AppendixRow]) -> None:
    is_section = node.kind == "section"
    out.append(AppendixRow(
        kind="section" if is_section else "criterion", tt=node.tt, content=node.title,
        points=format_points(node.max),
        evidence=list(node.evidence), depth=depth, bold=is_section or bool(node.children), node_id=node.id))
    for band in node.bands:
        out.append(AppendixRow(kind="band", tt="", content=band.text, points=format_points(band.points),
                               evidence=list(band.evidence), depth=depth + 1, node_id=node.id))
    for child in node.children:
        _node_rows(child, depth + 1, out)


def appendix_rows(rubric: Rubric) -> list[AppendixRow]:
    """Every row of the appendix table in document order (without the header row).

    The total row appears only when the rubric declares a total: an export
    never invents a number the rubric does not state.
    """
    out: list[AppendixRow] = []
    for section in rubric.sections:
        _node_rows(section, 0, out)
    if rubric.declared_total is not None:
        out.append(AppendixRow(kind="total", tt="", content=rubric.total_label or "CỘNG ĐIỂM",
                               points=format_points(rubric.declared_total), bold=True))
    return out


def document_title(rubric: Rubric) -> list[str]:
    """The title lines above the table: the rubric's title and subtitle, as stored."""
    return [line for line in (rubric.meta.title, rubric.meta.subtitle) if line]
