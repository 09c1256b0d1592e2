"""v1.yaml holds the 2023 draft exactly as circulated: every numbered row, title and point value.

The seed is read here with a deliberately simple reader of its own (not the
importer), so a bug in the importer cannot hide the same bug in v1.yaml.
"""

import re
from decimal import Decimal

from cchc_consult.schema import load_rubric_file
from cchc_consult.vn import nfc
from tests.conftest import SEED, V1



def seed_rows():
    """(section, number, title, points) for every numbered row of the seed's table."""
    # A blank line separates cells; a line holding only a non-breaking space is an empty cell.
    raw = SEED.read_text(encoding="utf-8").split("\n")
    cells = [nfc(l.replace("\u00a0", " ").strip()) for l in raw if l != ""]
    rows, section = [], None
    number = re.compile(r"\d+(,\d+)?")
    i = cells.index("TT") + 4
    while i < len(cells) - 2:
        tt, title, points = cells[i], cells[i + 1], cells[i + 2]
        if not title or not number.fullmatch(points) or number.fullmatch(title):
            i += 1  # an evidence line
            continue
        if re.fullmatch(r"[IVX]+", tt):
            section = tt
            rows.append((tt, "", title, points))
        elif section and re.fullmatch(r"\d+(\.\d+)*", tt):
            rows.append((section, tt, title, points))
        elif tt != "":
            i += 1
            continue
        i += 3  # a whole row (numbered, or a band with an empty TT) consumed
    return rows


def test_every_numbered_row_of_the_seed_is_in_v1():
    rubric = load_rubric_file(V1)
    index = rubric.index()
    rows = seed_rows()
    assert len(rows) > 70
    for section, number, title, points in rows:
        if section == "IV":
            assert rubric.declared_total == Decimal(points)
            assert title == rubric.total_label
            continue
        node_id = f"{section}.{number}" if number else section
        assert node_id in index, node_id
        node = index[node_id]
        assert node.title == title, node_id
        assert node.max == Decimal(points.replace(",", ".")), node_id


def test_every_band_and_evidence_line_of_the_seed_is_in_v1():
    rubric = load_rubric_file(V1)
    text_in_v1 = set()
    for node in rubric.walk():
        text_in_v1.update([node.title, *node.evidence])
        for band in node.bands:
            text_in_v1.update([band.text, *band.evidence])
    text_in_v1.update([rubric.meta.note, rubric.total_label])
    seed = [nfc(" ".join(l.replace("\u00a0", " ").split())) for l in SEED.read_text(encoding="utf-8").split("\n")]
    table = seed[seed.index("TT"): seed.index("Trần Viết Trọng")]
    words = [l for l in table if l and not re.fullmatch(r"[IVX]+|\d+(\.\d+)*|\d+(,\d+)?", l)
             and l not in ("TT", "NỘI DUNG", "Điểm chuẩn", "Tài liệu kiểm chứng")]
    missing = [l for l in words if l not in text_in_v1]
    assert missing == []
    assert "0,5" in rubric.index()["II.6.6"].evidence  # the number in the evidence column stays, as circulated


def test_v1_metadata():
    meta = load_rubric_file(V1).meta
    assert (meta.year, meta.letter, meta.letter_date, meta.version) == (2023, "1632/UBND", "2023-07-26", "v1")
    assert meta.issuer == "UBND huyện Quảng Điền"
