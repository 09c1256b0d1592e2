"""Hostile files and faults: each gives a Vietnamese message (a CchcError), never a traceback."""

from __future__ import annotations

import errno
import io
import zipfile
from pathlib import Path

import pytest

from cchc_consult import cli, fileio, yamlio
from cchc_consult.controls import visible, xml_safe
from cchc_consult.errors import CchcError, DiskError, PointsError, YamlSyntaxError, from_os_error
from cchc_consult.model import parse_points
from cchc_consult.render.escape import OfficeNotes, file_name, markdown_text, office_row, office_text


# --------------------------------------------------------------------------- OS errors, crashes

@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "ổ đĩa đã đầy"), (errno.EROFS, "chỉ cho đọc"),
                                         (errno.EACCES, "không có quyền"), (errno.ENAMETOOLONG, "quá dài"),
                                         (errno.EPERM, "không cho phép")])
def test_os_error_becomes_a_vietnamese_message_naming_the_file(code, words):
    error = from_os_error(OSError(code, "English text", "/ws/rubric/history.yaml"))
    assert isinstance(error, DiskError) and error.errno == code
    assert words in str(error) and "/ws/rubric/history.yaml" in str(error) and "English" not in str(error)
    assert error.fix


def test_cli_turns_a_full_disk_into_exit_2_and_a_message(workspace, monkeypatch, capsys):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(workspace / "rubric" / "drafts" / "v3.yaml"))

    monkeypatch.setattr(fileio, "atomic_write", full)
    assert cli.main(["-w", str(workspace), "draft", "new", "--from", "v2"]) == 2
    err = capsys.readouterr().err
    assert "ổ đĩa đã đầy" in err and "v3.yaml" in err and "Traceback" not in err
    assert not (workspace / "rubric" / "drafts" / "v3.yaml").exists()


def test_an_unexpected_error_prints_an_apology_and_saves_a_report(workspace, monkeypatch, capsys, tmp_path):
    import cchc_consult.commands.history as history_command

    monkeypatch.setenv("CCHC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(history_command, "run", lambda args: 1 / 0)
    monkeypatch.setattr(cli, "build_parser", _parser_with(history_command))
    assert cli.main(["-w", str(workspace), "history"]) == 2
    err = capsys.readouterr().err
    assert "xin lỗi" in err and "Traceback" not in err and "ZeroDivisionError" not in err
    reports = list((tmp_path / "cache" / "cchc-consult").glob("cchc-loi-*.txt"))
    assert len(reports) == 1 and "ZeroDivisionError" in reports[0].read_text(encoding="utf-8")
    assert str(reports[0]) in err


def _parser_with(module):
    original = cli.build_parser

    def build(only=None):
        parser = original(only)
        for action in parser._subparsers._group_actions:  # noqa: SLF001 - re-point the handler only
            action.choices["history"].set_defaults(handler=module.run)
        return parser
    return build


# --------------------------------------------------------------------------- depth

@pytest.mark.parametrize("depth", [150, 999, 3000])
@pytest.mark.parametrize("shape", ["flow", "block", "tagged"])
def test_deep_nesting_is_refused_with_the_line(depth, shape):
    text = {"flow": "a: " + "[" * depth + "]" * depth,
            "block": "a:\n" + "".join("  " * (i + 1) + "-\n" for i in range(depth)),
            "tagged": "!!map {a: " + "[" * depth + "]" * depth + "}"}[shape]
    with pytest.raises(YamlSyntaxError) as caught:
        yamlio.parse_yaml(text, "sâu.yaml")
    assert "quá sâu" in str(caught.value) and caught.value.line >= 1 and caught.value.path == "sâu.yaml"


def test_ordinary_nesting_still_reads():
    assert yamlio.parse_yaml("a: " + "[" * 50 + "1" + "]" * 50)["a"]


def test_a_deep_score_sheet_is_a_sheet_error_not_a_crash(workspace, capsys):
    sheet = next((workspace / "scores" / "self").glob("*.yaml"))
    sheet.write_text(sheet.read_text(encoding="utf-8") + "deep: " + "[" * 900 + "]" * 900 + "\n", encoding="utf-8")
    assert cli.main(["-w", str(workspace), "score"]) == 1
    out = capsys.readouterr()
    assert "quá sâu" in out.out + out.err


# --------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), "1e400", 10 ** 30, "9" * 40,
                                   2_000_000, "0,1234"])
def test_non_finite_and_absurd_points_are_refused(value):
    with pytest.raises(PointsError):
        parse_points(value)


@pytest.mark.parametrize("value, expected", [("1,5", "1.5"), (0.75, "0.75"), ("0,125", "0.125"), (100, "100"),
                                             ("-1", "-1")])
def test_ordinary_points_still_read(value, expected):
    assert str(parse_points(value)) == expected


@pytest.mark.parametrize("replace", [("days_late: 0", "days_late: .nan"), ("band: 1}", "band: .inf}")])
def test_non_finite_points_in_a_sheet_are_a_sheet_error(workspace, capsys, replace):
    sheet = workspace / "scores" / "self" / "GDDT.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(*replace, 1), encoding="utf-8")
    assert cli.main(["-w", str(workspace), "score"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "GDDT" in out.out + out.err


def test_non_finite_rubric_maximum_names_field_and_line(workspace, capsys):
    draft = workspace / "rubric" / "drafts" / "v2.yaml"
    text = draft.read_text(encoding="utf-8")
    import re

    draft.write_text(re.sub(r'max: "[0-9,]+"', "max: .inf", text, count=1), encoding="utf-8")
    assert cli.main(["-w", str(workspace), "check", "v2"]) == 2
    err = capsys.readouterr().err
    assert "'max'" in err and "v2.yaml:" in err and "hữu hạn" in err


# --------------------------------------------------------------------------- neutralisation

def test_terminal_controls_are_shown_not_obeyed():
    shown = visible("\x1b]0;pwn\x07\x1b[2J\r[tiếp thu] ok\x85\u202e")
    assert "\x1b" not in shown and "\r" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert shown.startswith("␛]0;pwn␇␛[2J␍[tiếp thu] ok")


def test_file_names_keep_one_line_and_never_fail_to_print():
    name = file_name("TP\nLỖI giả\udcff.yaml")
    assert "\n" not in name and "\\xff" in name
    name.encode("utf-8")


def test_comments_list_shows_escapes_visibly(workspace, capsys):
    path = workspace / "comments" / "TP-2023-08-17.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('comment: "Mức 1', 'comment: "\\x1b[2J\\r[tiếp thu] Mức 1'),
                    encoding="utf-8")
    cli.main(["-w", str(workspace), "comments", "list"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "␛[2J␍[tiếp thu] Mức 1" in out


def test_odd_file_names_print_safely(workspace, capsys):
    source = workspace / "comments" / "TP-2023-08-17.yaml"
    folder = str(workspace / "comments").encode()
    (Path(folder.decode()) / "TP\nLỖI giả.yaml").write_bytes(source.read_bytes().replace(b"version", b"versio"))
    import os

    with open(os.path.join(folder, b"TP-\xff.yaml"), "wb") as handle:
        handle.write(source.read_bytes().replace(b"version", b"versio"))
    cli.main(["-w", str(workspace), "comments", "list"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert not any(line.startswith("LỖI giả") for line in text.splitlines())
    assert "Traceback" not in text


def test_office_text_replaces_what_word_and_excel_refuse():
    notes = OfficeNotes()
    assert office_text("a\x0bb\x00c\ufffe", notes, "TP-2") == "a␋b␀c\ufffd"
    assert notes and notes.lines()[0].startswith("TP-2: đã thay 3 ký tự")
    assert office_row(["x\x01", 2, None]) == ["x␁", 2, None]
    assert xml_safe("Tiêu chí\n\tđủ") == ("Tiêu chí\n\tđủ", False)


def test_control_characters_reach_word_and_excel_without_error(workspace, tmp_path):
    comments = workspace / "comments" / "TP-2023-08-17.yaml"
    comments.write_text(comments.read_text(encoding="utf-8").replace('comment: "Mức 1', 'comment: "\\x0b\\x1b Mức 1'),
                        encoding="utf-8")
    draft = workspace / "rubric" / "drafts" / "v2.yaml"
    lines = draft.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("  title: "))
    lines[index] = '  title: "\\x0bHƯỚNG DẪN \\x01 CHẤM ĐIỂM"'
    draft.write_text("\n".join(lines), encoding="utf-8")
    ws = str(workspace)
    assert cli.main(["-w", ws, "report", "feedback", "-o", str(tmp_path / "fb.docx")]) == 0
    assert cli.main(["-w", ws, "export", "v2", "--to", "docx", "-o", str(tmp_path / "x.docx")]) == 0
    assert cli.main(["-w", ws, "score", "--rubric", "v2", "--format", "xlsx", "-o", str(tmp_path / "s.xlsx")]) in (0, 1)
    import docx

    assert docx.Document(str(tmp_path / "x.docx")).paragraphs[0].text == "␋HƯỚNG DẪN ␁ CHẤM ĐIỂM"


@pytest.mark.parametrize("text", ["[x](javascript:alert(1))", "![](http://evil.example/p.png)",
                                  "<http://evil.example>", "[a]: http://evil.example"])
def test_markdown_links_and_images_come_out_inert(text):
    out = markdown_text(text)
    import re

    assert not re.search(r"(?<!\\)[\[\]]", out), out  # every bracket escaped: no link, no image
    assert "<http" not in out


# --------------------------------------------------------------------------- zip bombs, rows

def _workbook_bytes(rows: int = 5) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in range(rows):
        wb.active.append([f"I.{r}", "Tiêu chí", "1"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bomb(inflated: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * inflated)
    return out.getvalue()


def test_a_package_that_inflates_past_the_cap_is_refused_before_parsing(tmp_path, monkeypatch):
    from cchc_consult import zipguard
    from cchc_consult.errors import LimitError
    from cchc_consult.importers.xlsx import open_workbook

    monkeypatch.setattr(zipguard, "MAX_PART_BYTES", 1 << 20)
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(_bomb(2 << 20))
    assert bomb.stat().st_size < 20_000
    with pytest.raises(LimitError) as caught:
        open_workbook(bomb)
    assert "bung ra 2 MB" in str(caught.value) and "bom.xlsx" in str(caught.value)
    monkeypatch.setattr(zipguard, "MAX_PART_BYTES", 64 << 20)
    monkeypatch.setattr(zipguard, "MAX_TOTAL_BYTES", 1 << 20)
    with pytest.raises(LimitError, match="tổng cộng"):
        zipguard.check_package(bomb.read_bytes(), str(bomb))


def test_bombs_in_every_reader_are_cchc_errors(workspace, tmp_path, monkeypatch):
    from cchc_consult import zipguard
    from cchc_consult.consult.comments import xlsx_sheets
    from cchc_consult.importers.docx import open_document
    from cchc_consult.score.sheet import read_sheet

    monkeypatch.setattr(zipguard, "MAX_PART_BYTES", 1 << 20)
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(_bomb(2 << 20))
    with pytest.raises(CchcError, match="quá giới hạn"):
        xlsx_sheets(bomb.read_bytes(), bomb)
    with pytest.raises(CchcError, match="quá giới hạn"):
        open_document(bomb.rename(tmp_path / "bom.docx"))
    (tmp_path / "bom.docx").rename(bomb)
    assert any("quá giới hạn" in str(p) for p in read_sheet(bomb).problems)


def test_too_many_rows_are_refused(tmp_path, monkeypatch):
    from cchc_consult import zipguard
    from cchc_consult.consult.comments import xlsx_sheets
    from cchc_consult.errors import LimitError

    monkeypatch.setattr(zipguard, "MAX_ROWS", 10)
    path = tmp_path / "nhieu.xlsx"
    path.write_bytes(_workbook_bytes(30))
    with pytest.raises(LimitError, match="quá nhiều hàng"):
        xlsx_sheets(path.read_bytes(), path)
    path.write_bytes(_workbook_bytes(5))
    assert len(xlsx_sheets(path.read_bytes(), path)[0][1]) == 5


# --------------------------------------------------------------------------- diff bound

def test_a_40000_word_title_diffs_in_well_under_a_second():
    import random
    import time

    from cchc_consult.diff import diff_rubrics, word_diff
    from tests.conftest import leaf, make_rubric, section

    rng = random.Random(14)
    words = [rng.choice(["tiêu", "chí", "cơ", "quan", "báo", "cáo", "kế", "hoạch"]) for _ in range(40_000)]
    changed = list(words)
    changed[20_000] = "ĐỔI"
    before = make_rubric([section("I", "2", [leaf("I.1", "2", title=" ".join(words))])])
    after = make_rubric([section("I", "2", [leaf("I.1", "2", title=" ".join(changed)),
                                            leaf("I.2", "1", title=" ".join(reversed(words)))])])
    start = time.perf_counter()
    result = diff_rubrics(before, after)
    segments = word_diff(" ".join(words), " ".join(reversed(changed)))
    assert time.perf_counter() - start < 1.0
    assert result.changes and segments
    assert [op for op, _ in word_diff(" ".join(words), " ".join(changed))] == ["=", "-", "+", "="]


def test_negative_band_points_and_maxima_are_findings():
    from cchc_consult.check import check
    from tests.conftest import leaf, make_rubric, section

    rubric = make_rubric([section("I", "2", [leaf("I.1", "2", [("Đạt", "2"), ("Vi phạm", "-1")])])])
    found = [f for f in check(rubric) if f.code == "negative-points"]
    assert len(found) == 1 and found[0].node == "I.1" and found[0].severity == "error"
    assert "Vi phạm" in found[0].message and found[0].expected == "từ 0 trở lên"
    assert not [f for f in check(make_rubric([section("I", "2", [leaf("I.1", "2")])])) if f.code == "negative-points"]
