"""The caps on what a .docx/.xlsx inflates to: far above real files, and a bomb is refused before any parsing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from cchc_consult import zipguard
from cchc_consult.errors import CchcError, LimitError

FIXTURES = Path(__file__).parent / "fixtures"


def _largest_part(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return max(m.file_size for m in archive.infolist())


def _bomb(part: str, inflated: int) -> bytes:
    """A small zip with one part of `inflated` spaces, written in chunks (the test never holds it whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(part, "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(inflated >> 20):
                member.write(chunk)
    return out.getvalue()


def _real_files() -> list[bytes]:
    found = [p.read_bytes() for p in sorted(FIXTURES.rglob("*")) if p.suffix in (".docx", ".xlsx")]
    return [data for data in found if zipfile.is_zipfile(io.BytesIO(data))]


def test_real_and_bench_sized_files_are_far_under_the_caps(workspace):
    from bench.generate import generate_rubric
    from cchc_consult.render.docx_table import rubric_to_docx_bytes
    from cchc_consult.score.template import sheet_template_xlsx

    files = _real_files() + [p.read_bytes() for p in (workspace / "comments").glob("*.xlsx")]
    assert len(files) >= 5
    bench = generate_rubric(1000)
    files += [rubric_to_docx_bytes(bench), sheet_template_xlsx(bench, "VP")]
    for data in files:
        zipguard.check_package(data)
    largest = max(_largest_part(data) for data in files)
    assert 4 * largest <= zipguard.MAX_PART_BYTES  # a generous margin over the largest part we know
    assert zipguard.MAX_PART_BYTES <= 32 << 20  # and not the 64 MB that let a 0,34 MB workbook take 88 s


def _refuse_parsing(monkeypatch):
    import docx
    import openpyxl

    def never(*_args, **_kwargs):
        raise AssertionError("the parser was reached: the cap must refuse the package first")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    monkeypatch.setattr(docx, "Document", never)


def test_a_bomb_at_the_real_caps_is_refused_by_every_reader_before_parsing(tmp_path, monkeypatch):
    from cchc_consult.consult.comments import xlsx_sheets
    from cchc_consult.importers.docx import open_document
    from cchc_consult.importers.xlsx import open_workbook
    from cchc_consult.score.sheet import read_sheet

    _refuse_parsing(monkeypatch)
    inflated = 2 * zipguard.MAX_PART_BYTES
    sheet = tmp_path / "bom.xlsx"
    sheet.write_bytes(_bomb("xl/worksheets/sheet1.xml", inflated))
    document = tmp_path / "bom.docx"
    document.write_bytes(_bomb("word/document.xml", inflated))
    assert sheet.stat().st_size < inflated // 500 and document.stat().st_size < inflated // 500
    for read in (lambda: open_workbook(sheet), lambda: xlsx_sheets(sheet.read_bytes(), sheet),
                 lambda: open_document(document)):
        with pytest.raises(LimitError) as caught:
            read()
        assert "bung ra 32 MB" in str(caught.value) and "quá giới hạn 16 MB" in str(caught.value)
    problems = read_sheet(sheet).problems
    assert len(problems) == 1 and isinstance(problems[0], LimitError)


def test_pictures_have_their_own_larger_cap(monkeypatch):
    monkeypatch.setattr(zipguard, "MAX_PART_BYTES", 1 << 20)
    monkeypatch.setattr(zipguard, "MAX_MEDIA_BYTES", 4 << 20)
    zipguard.check_package(_bomb("word/media/image1.png", 2 << 20))  # a photographed page: kept
    with pytest.raises(LimitError, match="image1.png"):
        zipguard.check_package(_bomb("word/media/image1.png", 5 << 20))
    with pytest.raises(LimitError, match="document.xml"):
        zipguard.check_package(_bomb("word/document.xml", 2 << 20))


def test_a_part_name_with_a_newline_is_shown_not_obeyed(monkeypatch):
    monkeypatch.setattr(zipguard, "MAX_PART_BYTES", 1 << 20)
    with pytest.raises(CchcError) as caught:
        zipguard.check_package(_bomb("xl/a\nLỖI giả.xml", 2 << 20))
    assert "\n" not in caught.value.message and "␊" in caught.value.message
