"""The papers around the decision say which item lost a control character on its way into Word, as
export, report and publish do (tests/test_hostile_office_warnings.py): the công văn (`draft circulate`),
the results decision (`announce`) and the two template writers (`comments template`, `score template`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cchc_consult import cli
from tests.conftest import REPO
from tests.test_hostile_office_warnings import _edit, _warnings


@pytest.fixture
def hostile(workspace) -> Path:
    """The example with a control character in v2's I.1.1 title and in an office's name."""
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    _edit(workspace / "rubric" / "drafts" / "v2.yaml", "title: Ban hành kế hoạch CCHC hằng năm",
          'title: "Ban hành \\x02kế hoạch CCHC hằng năm"')
    _edit(workspace / "offices.yaml", "name: Phòng Tư pháp", 'name: "Phòng\\x07 Tư pháp"')
    return workspace


def test_draft_circulate_names_the_criterion_and_the_letters_words(hostile, capsys):
    assert cli.main(["-w", str(hostile), "draft", "new", "--from", "v2", "--name", "v3"]) == 0
    capsys.readouterr()
    assert cli.main(["-w", str(hostile), "draft", "circulate", "v3", "--letter", "1700/UBND", "--date", "1/9/2023",
                     "--no-pdf"]) == 0
    found = _warnings(capsys.readouterr().err)
    # Phòng Tư pháp reviews criteria, so the letter's body names it; I.1.1 is in the appendix
    assert found == [
        "CẢNH BÁO lời văn công văn (decision.yaml, round.yaml, tên cơ quan): đã thay 1 ký tự điều khiển (\\x07) "
        "bằng ký hiệu ␇ khi ghi công văn (tệp Word, PDF)",
        "CẢNH BÁO tiêu chí I.1.1: đã thay 1 ký tự điều khiển (\\x02) bằng ký hiệu ␂ khi ghi công văn (tệp Word, PDF)",
    ], found


def test_announce_names_the_office_of_the_ranking(hostile, tmp_path, capsys):
    assert cli.main(["-w", str(hostile), "announce", "--number", "130", "--date", "20/12/2023", "--no-pdf",
                     "-o", str(tmp_path / "kq")]) == 0
    found = _warnings(capsys.readouterr().err)
    assert found == ["CẢNH BÁO bảng xếp hạng, cơ quan Phòng␇ Tư pháp: đã thay 1 ký tự điều khiển (\\x07) bằng "
                     "ký hiệu ␇ khi ghi Quyết định công bố kết quả (Word, PDF)"], found
    import docx

    cells = [c.text for t in docx.Document(str(next((tmp_path / "kq").glob("*.docx")))).tables
             for r in t.rows for c in r.cells]
    assert "Phòng␇ Tư pháp" in cells


@pytest.mark.parametrize("kind,target,times", [("xlsx", "tệp Excel", 1), ("docx", "tệp Word", 2)])
def test_comments_template_names_the_office(hostile, tmp_path, capsys, kind, target, times):
    # the Word form prints the office's name twice (heading and "Cơ quan:" line): one warning all the same
    assert cli.main(["-w", str(hostile), "comments", "template", "TP", "--to", kind,
                     "-o", str(tmp_path / f"tp.{kind}")]) == 0
    found = _warnings(capsys.readouterr().err)
    assert found == [f"CẢNH BÁO tên cơ quan TP: đã thay {times} ký tự điều khiển (\\x07) bằng ký hiệu ␇ "
                     f"khi ghi {target}"]


def test_score_template_names_the_criterion(hostile, tmp_path, capsys):
    assert cli.main(["-w", str(hostile), "score", "template", "TP", "--rubric", "v2", "--to", "xlsx",
                     "-o", str(tmp_path / "tp.xlsx")]) == 0
    found = _warnings(capsys.readouterr().err)
    assert found == ["CẢNH BÁO tiêu chí I.1.1: đã thay 1 ký tự điều khiển (\\x02) bằng ký hiệu ␂ khi ghi tệp Excel"]
    from openpyxl import load_workbook

    values = [c.value for row in load_workbook(tmp_path / "tp.xlsx").active.iter_rows() for c in row]
    assert "Ban hành ␂kế hoạch CCHC hằng năm" in values
