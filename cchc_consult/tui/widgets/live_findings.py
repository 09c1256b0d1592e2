"""The findings of one criterion as it would be with what is typed in a dialog, before anything is applied.

`what_if` puts the typed values on a copy of the path from the section down to
the criterion (the rest of the rubric is shared, never changed) and runs
`check.check` on it; `own_findings` keeps what belongs to that criterion: its
own findings (top band, gaps, overlaps…) and the sums up the tree (its parents
and the grand total).
"""

from __future__ import annotations


from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from ...bands import parse_band_conditions, parse_deduction, parse_per_unit
from ...check import check
from ...findings import Finding
from ...model import Band, Node, Rubric
from ...vn import nfc

#: What an ancestor of the criterion shows in its dialog: the sums it takes part in, nothing else of theirs.
SUM_CODES = {"sum-mismatch"}


def with_node(rubric: Rubric, node: Node) -> Rubric:
    """A rubric where `node` replaces the node of the same id; only its ancestors are copied."""
    parents = rubric.parents()
    old = rubric.index()[node.id]
    new = node
    while old.id in parents:
        parent = parents[old.id]
        new = parent.replace(children=[new if child is old else child for child in parent.children])
        old = parent
    return rubric.replace(sections=[new if section is old else section for section in rubric.sections])


def own_findings(rubric: Rubric, node_id: str, findings: list[Finding]) -> list[Finding]:
    """The findings of one criterion, then those of the sums it is part of (its parents, the total)."""
    parents = rubric.parents()
    chain = set()
    current = node_id
    while current in parents:
        current = parents[current].id
        chain.add(current)
    own = [f for f in findings if f.node == node_id]
    sums = [f for f in findings if f.code in SUM_CODES and (f.node in chain or f.node == "total")]
    return own + sums


def what_if(rubric: Rubric, node: Node) -> list[Finding]:
    """The criterion's findings if `node` (same id, typed values) replaced it."""
    return own_findings(rubric, node.id, check(with_node(rubric, node)))


def bands_as_typed(bands: list[Band], index: int, text: str, points) -> list[Band]:
    """The bands with one reworded (index -1: a new one at the end); its condition read from the words as typed."""
    text = nfc(text).strip()
    texts = [b.text for b in bands]
    if index == -1:
        texts.append(text)
        index = len(texts) - 1
    else:
        texts[index] = text
    condition = parse_band_conditions(texts)[index]
    typed = Band(text=text, points=points, condition=condition, per_unit=parse_per_unit(text),
                 deduction=parse_deduction(text))
    out = list(bands)
    if index == len(bands):
        out.append(typed)
    else:
        out[index] = bands[index].replace(text=text, points=points, condition=condition,
                             per_unit=typed.per_unit, deduction=typed.deduction, overridden=None)
    return out


def findings_lines(findings: list[Finding], problem: str = "") -> list[Text]:
    """The findings as lines for a dialog; `problem` (a value that cannot be read yet) comes first."""
    lines = [Text("Phát hiện của mục (tính lại khi gõ)", style="bold")]
    if problem:
        lines.append(Text(f"✎ {problem}", style="yellow"))
    if not findings and not problem:
        lines.append(Text("✓ không có lỗi hay cảnh báo", style="green"))
    for finding in findings:
        error = finding.severity == "error"
        line = Text("● " if error else "▲ ", style="red" if error else "yellow")
        line.append(finding.message)
        lines.append(line)
    return lines


class LiveFindings(Static):
    """The findings panel inside an edit dialog."""

    findings: list[Finding] = []
    #: What is shown, as plain text (for tests and screen readers).
    plain = ""

    def show(self, findings: list[Finding], problem: str = "") -> None:
        lines = findings_lines(findings, problem)
        self.findings, self.plain = findings, "\n".join(line.plain for line in lines)
        self.update(Group(*lines))
