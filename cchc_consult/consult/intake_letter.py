"""A free-form reply letter read as blocks of text: which block cites which criterion, what is letter boilerplate.

Pure text work, shared by the Word, PDF and plain-text readers: it never
reads a file and never drops a block. A block either cites a criterion
("tiêu chí 2.1", "mục II.6.3", "điểm 1.3", "Tiêu chí I.4.1"), is plain text
kept for Phòng Nội vụ to attach, or is recognised letter boilerplate
(the national motto, "Kính gửi", "Nơi nhận", the signature) and listed as
skipped, so the reader can say what it left out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..vn import fold, nfc

#: "tiêu chí 2.1", "Tiêu chí thành phần I.4.1", "mục II.6.3", "điểm 1.3" (a bare "điểm 2" is points, not a criterion).
_CITED = re.compile(r"(?:tiêu\s+chí(?:\s+thành\s+phần)?|tiểu\s+mục|mục)\s+(?:số\s+)?"
                    r"((?:[IVX]+\.)?\d+(?:\.\d+)*)"
                    r"|điểm\s+(?:số\s+)?((?:[IVX]+\.)?\d+(?:\.\d+)+)"
                    r"|\b([IVX]+\.\d+(?:\.\d+)*)\b", re.IGNORECASE)
#: A table cell that is only a criterion number: "2.1", "II.6.3", "1.3."
_BARE_ID = re.compile(r"^((?:[IVX]+\.)?\d+(?:\.\d+)+)\.?$", re.IGNORECASE)
_DATE_LINE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
#: Folded beginnings of lines that are letter boilerplate wherever they stand.
_BOILERPLATE = (
    "cong hoa xa hoi chu nghia", "doc lap - tu do", "doc lap – tu do", "doc lap-tu do", "kinh gui",
    "noi nhan", "- nhu tren", "- luu", "luu:", "luu vt", "(da ky)", "phieu gop y", "cach dien:",
    "(gui kem cong van", "(kem theo cong van", "tran trong",
)
#: ... and those that are boilerplate only in the heading (a body sentence may start "UBND huyện …").
_HEADING_ONLY = ("uy ban nhan dan", "ubnd", "so:", "so :", "v/v", "ve viec")
#: Titles that open the signature block when they stand alone on a short line.
_SIGNER_TITLES = ("truong phong", "pho truong phong", "kt. truong phong", "kt truong phong", "tl. ", "tm. ",
                  "chanh van phong", "pho chanh van phong", "chanh thanh tra", "pho chanh thanh tra",
                  "giam doc", "pho giam doc")
#: Folded beginnings of the opening sentence that only says which letter this answers.
_INTRO = ("thuc hien cong van", "phuc dap cong van", "tra loi cong van", "theo de nghi cua", "can cu cong van")
_AGREE = ("dong y toan bo", "thong nhat toan bo", "thong nhat voi toan bo", "dong y voi du thao",
          "thong nhat voi du thao", "thong nhat voi noi dung du thao", "dong y voi noi dung du thao",
          "khong co y kien gop y", "khong co y kien khac")
#: A line shorter than this after "Nơi nhận" or a title such as "TRƯỞNG PHÒNG" is the signature block.
_SIGNATURE_LINE = 60


@dataclass(slots=True)
class LetterItem:
    """One kept block of a letter: the criterion it cites as written ("" when none) and its words verbatim."""

    position: int
    criterion: str
    text: str
    #: Every other criterion the block cites, for a warning.
    also_cited: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LetterReading:
    """What a letter says: its kept blocks, its date and heading, and every line recognised as boilerplate."""

    items: list[LetterItem] = field(default_factory=list)
    date_sent: dt.date | None = None
    heading: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    agree_all: bool = False


def cited_criteria(text: str) -> list[str]:
    """The criteria a text cites, as written and in order, without repeats."""
    out: list[str] = []
    for m in _CITED.finditer(nfc(text)):
        cited = (m.group(1) or m.group(2) or m.group(3)).rstrip(".")
        cited = cited.upper() if cited[0].isalpha() else cited
        if cited not in out:
            out.append(cited)
    return out


def _first_cell_id(cells: list[str]) -> str:
    first = next((c for c in cells if c.strip()), "")
    m = _BARE_ID.match(first.strip())
    return m.group(1).upper() if m and m.group(1)[0].isalpha() else (m.group(1) if m else "")


def blocks_from_lines(text: str) -> list[str]:
    """Paragraphs of plain text (a .txt letter, a PDF's text layer): lines joined until a sentence ends.

    A blank line, a line ending in . : ; ! ?, or a line starting a list item or
    citing a criterion closes a paragraph: a PDF breaks a paragraph into lines by
    its width, and a citation must stay with the words that follow it.
    """
    blocks: list[str] = []
    current: list[str] = []
    for raw in nfc(text).splitlines():
        line = " ".join(raw.split())
        if not line:
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        starts_item = bool(re.match(r"^(?:[-+•*–]|\d+[.)]\s|[a-zđ][.)]\s)", line)) or bool(
            re.match(r"^(?:tiêu\s+chí|mục|điểm\s+\S*\.)", line, re.IGNORECASE))
        if current and starts_item:
            blocks.append(" ".join(current))
            current = []
        current.append(line)
        if line.endswith((".", ":", ";", "!", "?")):
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _is_boilerplate(folded: str, in_heading: bool) -> bool:
    return (folded.startswith(_BOILERPLATE) or folded in ("doc lap", "./.", "-", "")
            or (in_heading and folded.startswith(_HEADING_ONLY)))


def read_letter(blocks: list[tuple[int, list[str]]], office_names: list[str]) -> LetterReading:
    """Sort a letter's blocks into comments, kept text and boilerplate.

    `blocks` are (position, cells): a paragraph is one cell, a table row its
    cells. `office_names` are the names an office heading may use (folded
    matching), so a heading line "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" is recognised.
    """
    reading = LetterReading()
    names = [fold(n) for n in office_names if n]
    in_heading = True
    in_signature = False
    agree_blocks: list[tuple[int, str]] = []
    for position, cells in blocks:
        cells = [nfc(c).strip() for c in cells]
        joined = " | ".join(c for c in cells if c)
        if not joined:
            continue
        cited = cited_criteria(joined)
        first_id = _first_cell_id(cells)
        if first_id and first_id not in cited:
            cited.insert(0, first_id)
        if cited:
            in_heading = in_signature = False
            reading.items.append(LetterItem(position, cited[0], joined, cited[1:]))
            continue
        kept: list[str] = []
        for line in (ln.strip() for c in cells for ln in c.splitlines()):
            folded = " ".join(fold(line).split())
            if not folded:
                continue
            if folded.startswith("kinh gui"):
                in_heading = False
            if folded.startswith("noi nhan") or (folded.startswith(_SIGNER_TITLES) and len(line) <= _SIGNATURE_LINE):
                in_signature = True
            date = _DATE_LINE.search(line)
            if date and len(line) <= 80 and reading.date_sent is None:
                try:
                    reading.date_sent = dt.date(int(date[3]), int(date[2]), int(date[1]))
                    reading.skipped.append(line)
                    continue
                except ValueError:
                    pass
            if in_heading and any(folded == n or folded.startswith(n) for n in names):
                reading.heading.append(line)
                reading.skipped.append(line)
                continue
            if _is_boilerplate(folded, in_heading) or (in_signature and len(line) <= _SIGNATURE_LINE):
                if in_heading:
                    reading.heading.append(line)
                reading.skipped.append(line)
                continue
            if folded.startswith(_INTRO) and folded.rstrip().endswith(("nhu sau:", "nhu sau", "sau:")):
                reading.skipped.append(line)
                continue
            kept.append(line)
        if not kept:
            continue
        text = "\n".join(kept) if len(cells) == 1 else " | ".join(kept)
        folded_text = fold(text)
        if any(a in folded_text for a in _AGREE):
            agree_blocks.append((position, text))
        in_heading = False
        reading.items.append(LetterItem(position, "", text))
    if agree_blocks and not any(item.criterion for item in reading.items):
        # "thống nhất với toàn bộ dự thảo" and nothing cited: the letter agrees with everything
        reading.agree_all = True
        agreeing = {p for p, _ in agree_blocks}
        reading.skipped.extend(t for _, t in agree_blocks)
        reading.items = [i for i in reading.items if i.position not in agreeing]
    return reading
