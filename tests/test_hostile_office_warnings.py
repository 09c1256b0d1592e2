"""A control character replaced on its way into Word, Excel or PDF is reported once per item, naming it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cchc_consult import cli
from cchc_consult.render.escape import OfficeNotes, office_row, office_text


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "ký tự điều khiển" in line]


@pytest.fixture
def hostile(workspace) -> Path:
    """The example workspace with control characters in a comment, a criterion title and an appraisal reason."""
    _edit(workspace / "comments" / "TP-2023-08-17.yaml", 'comment: "Mức 1', 'comment: "Mức\\x0b 1\\x0b')
    _edit(workspace / "rubric" / "drafts" / "v2.yaml", "title: Ban hành kế hoạch CCHC hằng năm",
          'title: "Ban hành \\x02kế hoạch CCHC hằng năm"')
    _edit(workspace / "scores" / "appraisal" / "KTHT.yaml", 'reason: "Tỷ lệ văn bản', 'reason: "Tỷ lệ\\x07 văn bản')
    return workspace


def test_notes_say_one_line_per_item_with_the_characters_and_their_pictures():
    notes = OfficeNotes("tệp Word")
    assert office_text("a\x0bb\x0b", notes, "ý kiến TCKH-2") == "a␋b␋"
    office_text("c\x01", notes, "ý kiến TCKH-2")
    office_row(["x\x1b", 2, None, "sạch"], notes, "tiêu chí 1.2")
    office_text("không có gì", notes, "tiêu chí 1.3")
    assert notes.lines() == [
        "ý kiến TCKH-2: đã thay 3 ký tự điều khiển (\\x0b, \\x01) bằng ký hiệu ␋, ␁ khi ghi tệp Word",
        "tiêu chí 1.2: đã thay 1 ký tự điều khiển (\\x1b) bằng ký hiệu ␛ khi ghi tệp Word",
    ]
    assert not OfficeNotes() and office_text("x\x00") == "x␀"  # without notes: replaced, nothing noted


def test_report_feedback_docx_names_the_comment_and_the_criterion(hostile, tmp_path, capsys):
    assert cli.main(["-w", str(hostile), "report", "feedback", "-o", str(tmp_path / "fb.docx")]) == 0
    found = _warnings(capsys.readouterr().err)
    assert len(found) == 2, found  # the comment, and v2's own change to I.1.1's title (section III)
    assert re.search(r"ý kiến TP-\d+: đã thay 2 ký tự điều khiển \(\\x0b\) bằng ký hiệu ␋ khi ghi tệp Word", found[0])
    assert "điều chỉnh tiêu chí I.1.1: đã thay 1 ký tự điều khiển (\\x02)" in found[1]


def test_export_docx_names_the_criterion(hostile, tmp_path, capsys):
    assert cli.main(["-w", str(hostile), "export", "v2", "--to", "docx", "-o", str(tmp_path / "x.docx")]) == 0
    found = _warnings(capsys.readouterr().err)
    assert found == ["CẢNH BÁO tiêu chí I.1.1: đã thay 1 ký tự điều khiển (\\x02) bằng ký hiệu ␂ khi ghi tệp Word"]
    import docx

    cells = [c.text for t in docx.Document(str(tmp_path / "x.docx")).tables for r in t.rows for c in r.cells]
    assert "Ban hành ␂kế hoạch CCHC hằng năm" in cells


def test_publish_names_the_criterion_of_the_appendix(hostile, tmp_path, capsys):
    assert cli.main(["-w", str(hostile), "publish", "v2", "--number", "125/QĐ-UBND", "--date", "5/9/2023",
                     "--no-pdf", "-o", str(tmp_path / "qd")]) == 0
    found = _warnings(capsys.readouterr().err)
    assert len(found) == 1 and "tiêu chí I.1.1: đã thay 1 ký tự điều khiển (\\x02)" in found[0], found
    assert "khi ghi Quyết định" in found[0]


def test_publish_names_the_decision_words_once(workspace, tmp_path, capsys):
    _edit(workspace / "decision.yaml", '"Lưu: VT, NV"', '"Lưu:\\x0c VT, NV"')
    _edit(workspace / "decision.yaml", "  - Như Điều 3", '  - "Như\\x0c Điều 3"')
    assert cli.main(["-w", str(workspace), "publish", "v2", "--number", "125/QĐ-UBND", "--date", "5/9/2023",
                     "--no-pdf", "-o", str(tmp_path / "qd")]) == 0
    found = _warnings(capsys.readouterr().err)
    assert len(found) == 1 and "lời văn Quyết định" in found[0] and "đã thay 2 ký tự điều khiển (\\x0c)" in found[0]


def test_score_xlsx_names_the_reason_of_an_appraisal(hostile, tmp_path, capsys):
    assert cli.main(["-w", str(hostile), "score", "--format", "xlsx", "-o", str(tmp_path / "s.xlsx")]) in (0, 1)
    found = _warnings(capsys.readouterr().err)
    # scoring follows the issued v2, whose I.1.1 title carries the \x02 too
    assert found == ["CẢNH BÁO tiêu chí I.1.1: đã thay 1 ký tự điều khiển (\\x02) bằng ký hiệu ␂ khi ghi tệp Excel",
                     "CẢNH BÁO lý do thẩm định KTHT, tiêu chí II.6.5.1: đã thay 1 ký tự điều khiển (\\x07) "
                     "bằng ký hiệu ␇ khi ghi tệp Excel"], found


def _picture_runs(path: Path) -> list[tuple[str, str]]:
    """(text, font) of every run of a .docx that holds a control picture."""
    import docx

    document = docx.Document(str(path))
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    return [(r.text, r.font.name) for r in runs if re.search("[\u2400-\u2426]", r.text)]


def test_control_pictures_are_printed_in_a_font_that_has_them(hostile, tmp_path):
    from cchc_consult.render.docx_table import PICTURE_FONT

    assert cli.main(["-w", str(hostile), "export", "v2", "--to", "docx", "-o", str(tmp_path / "x.docx")]) == 0
    assert cli.main(["-w", str(hostile), "report", "feedback", "-o", str(tmp_path / "fb.docx")]) == 0
    for name, pictures in (("x.docx", {"␂"}), ("fb.docx", {"␂", "␋"})):
        runs = _picture_runs(tmp_path / name)
        # each picture is a run of its own in the picture font; the words around it stay in Times New Roman
        assert runs and {text for text, _ in runs} == pictures and {font for _, font in runs} == {PICTURE_FONT}, runs
    import docx

    cells = [c for t in docx.Document(str(tmp_path / "x.docx")).tables for r in t.rows for c in r.cells
             if "kế hoạch CCHC hằng năm" in c.text and "␂" in c.text]
    assert cells[0].text == "Ban hành ␂kế hoạch CCHC hằng năm"
    fonts = {r.font.name for r in cells[0].paragraphs[0].runs if "␂" not in r.text}
    assert fonts == {"Times New Roman"}
