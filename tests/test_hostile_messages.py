"""A damaged Word, Excel, PDF or HTML file is named in Vietnamese words, never by a Python type name."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest

from cchc_consult.consult.intake_docx import docx_blocks
from cchc_consult.consult.comments import xlsx_sheets
from cchc_consult.errors import CchcError, damage_reason
from cchc_consult.importers.docx import open_document
from cchc_consult.importers.xlsx import open_workbook
from cchc_consult.score.sheet import read_sheet

#: What a Python type name looks like inside a message: "(BadZipFile)", "KeyError", "XMLSyntaxError".
_TYPE_NAME = re.compile(r"\((?:[A-Z][a-z]+){2,}\)|\b\w*(?:Error|Exception|BadZipFile)\b")


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


_NO_DOCUMENT = _zip({"[Content_Types].xml": b"<Types/>"})  # python-docx: KeyError, no word/document.xml
_BROKEN_XML = _zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"})  # lxml: XMLSyntaxError


@pytest.mark.parametrize("data", [_NO_DOCUMENT, _BROKEN_XML], ids=["missing-part", "broken-xml"])
def test_damaged_word_files_are_described_not_typed(tmp_path, data):
    path = tmp_path / "hong.docx"
    path.write_bytes(data)
    for read in (lambda: open_document(path), lambda: docx_blocks(data, path)):
        with pytest.raises(CchcError) as caught:
            read()
        message = str(caught.value)
        assert "hong.docx" in message and ("bị hỏng" in message or "không mở được" in message)
        assert not _TYPE_NAME.search(message), message
        assert caught.value.__cause__ is not None  # the library's error stays on the chain, for a developer


@pytest.mark.parametrize("data", [_NO_DOCUMENT, _BROKEN_XML], ids=["missing-part", "broken-xml"])
def test_damaged_excel_files_are_described_not_typed(tmp_path, data):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(data)
    for read in (lambda: open_workbook(path), lambda: xlsx_sheets(data, path)):
        with pytest.raises(CchcError) as caught:
            read()
        assert not _TYPE_NAME.search(str(caught.value)), str(caught.value)
    problems = [str(p) for p in read_sheet(path).problems]
    assert problems and not any(_TYPE_NAME.search(p) for p in problems), problems


def test_a_score_sheet_that_is_not_a_zip_is_described_in_vietnamese(tmp_path):
    path = tmp_path / "khong-phai.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    problems = [str(p) for p in read_sheet(path).problems]
    assert problems and not any(_TYPE_NAME.search(p) or "zip file" in p for p in problems), problems


@pytest.mark.parametrize("exc, words", [
    (zipfile.BadZipFile("File is not a zip file"), "phần nén"),
    (KeyError("word/document.xml"), "thiếu một phần"),
    (subprocess.TimeoutExpired(["soffice"], 180), "quá thời gian"),
    (OSError(28, "No space left on device"), "ổ đĩa đã đầy"),
    (ValueError("anything"), "không đúng định dạng"),
])
def test_damage_reason_speaks_vietnamese(exc, words):
    reason = damage_reason(exc)
    assert words in reason and not _TYPE_NAME.search(reason) and type(exc).__name__ not in reason
