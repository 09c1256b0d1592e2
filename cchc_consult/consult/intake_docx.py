"""The text of a Word reply (.docx), in reading order: each paragraph, and each table row as its cells.

Only extraction: which block is a comment is decided by the comment readers.
Text in text boxes, hyperlinks and nested tables is kept; merged table
cells are read once. python-docx is imported here only, when a .docx is read.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..errors import FileReadError, damage_reason

#: One block of a document: ["p", text] for a paragraph, ["table", rows] with rows of cell texts.
Block = list[Any]


def _text_of(element: Any) -> str:
    """Every piece of text inside an element (runs, hyperlinks, text boxes), with tabs and line breaks."""
    from docx.oxml.ns import qn

    t, tab, br, cr = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
    parts = []
    for node in element.iter(t, tab, br, cr):
        if node.tag == t:
            parts.append(node.text or "")
        elif node.tag == tab:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc: Any) -> str:
    from docx.oxml.ns import qn

    lines = []
    for child in tc.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_text_of(child))
        elif child.tag == qn("w:tbl"):
            lines.extend(" | ".join(cells) for cells in _table_rows(child))
    return "\n".join(lines).strip()


def _table_rows(tbl: Any) -> list[list[str]]:
    from docx.oxml.ns import qn

    rows = []
    for tr in tbl.iterchildren(qn("w:tr")):
        cells = []
        for tc in tr.iterchildren(qn("w:tc")):
            props = tc.find(qn("w:tcPr"))
            merge = props.find(qn("w:vMerge")) if props is not None else None
            # a vertically merged cell's continuation repeats nothing: its text is in the first row
            if merge is not None and merge.get(qn("w:val")) in (None, "continue"):
                cells.append("")
                continue
            cells.append(_cell_text(tc))
        rows.append(cells)
    return rows


def docx_blocks(data: bytes, path: str | Path) -> list[Block]:
    """The paragraphs and tables of a .docx, in order; a FileReadError when it is not a Word file."""
    from docx import Document
    from docx.oxml.ns import qn

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML and key errors for a damaged file
        raise FileReadError(f"không mở được tệp Word: {damage_reason(exc)}", path=str(path),
                            fix="mở bằng Word và lưu lại dưới dạng .docx (Word Document)") from exc
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(["p", _text_of(child)])
        elif child.tag == qn("w:tbl"):
            blocks.append(["table", _table_rows(child)])
        elif child.tag == qn("w:sdt"):  # a content control wrapping paragraphs
            blocks.append(["p", _text_of(child)])
    return blocks
