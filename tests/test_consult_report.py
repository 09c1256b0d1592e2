"""The consolidated feedback report and the `cchc comments` / `cchc report feedback` commands."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from cchc_consult.cli import main
from cchc_consult.consult.feedback import build_feedback
from cchc_consult.render.escape import markdown_text
from cchc_consult.render.feedback import render_feedback_html, render_feedback_markdown
from cchc_consult.render.feedback_docx import feedback_docx
from cchc_consult.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "comments"
AS_OF = dt.date(2023, 8, 25)
SILENT = ["Phòng Tài nguyên và Môi trường", "Phòng Y tế", "Thanh tra huyện",
          "Phòng Nông nghiệp và Phát triển nông thôn"]


def docx_text(data: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def all_formats(workspace) -> tuple[object, dict[str, str]]:
    consultation = Workspace(workspace).consultation()
    report = build_feedback(consultation, AS_OF)
    return consultation, {"html": render_feedback_html(report), "md": render_feedback_markdown(report),
                          "docx": docx_text(feedback_docx(report))}


def test_every_comment_appears_exactly_once_in_every_format(workspace):
    consultation, texts = all_formats(workspace)
    ids = [c.id for c in consultation.comments.comments]
    assert len(ids) == 19
    for fmt, text in texts.items():
        for cid in ids:
            shown = len(re.findall(rf"Ý kiến {re.escape(cid)};", text))
            assert shown == 1, f"{cid} appears {shown} times in {fmt}"


def test_counts_match_the_files(workspace):
    consultation = Workspace(workspace).consultation()
    report = build_feedback(consultation, AS_OF)
    n = report.counts
    assert (n["consulted"], n["on_time"], n["late"], n["silent"]) == (11, 6, 1, 4)
    assert (n["comments"], n["matched"], n["unmatched"], n["superseded"]) == (19, 17, 2, 1)
    assert len(report.rows) == n["comments"] and len(report.unmatched) == n["unmatched"]  # one table, every comment
    assert n["unanswered"] == 0 and n["accepted"] + n["partly"] + n["rejected"] == 18  # TCKH-2 was superseded
    assert [r.comment_id for r in report.rows][:2] == ["VP-1", "VHTT-1"]  # whole draft first, then rubric order


def test_silent_offices_appear_as_agreeing_in_every_format(workspace):
    _, texts = all_formats(workspace)
    texts["html"] = re.sub(r"\s*\n\s*", " ", texts["html"]).replace("<tr", "\n<tr")  # one table row a line
    for fmt, text in texts.items():
        for name in SILENT:
            line = next(line for line in text.splitlines() if name in line and "18/8/2023" in line)
            assert "Đồng ý do không có ý kiến" in line, (fmt, line)
        assert "Có ý kiến, quá hạn" in text  # the late office is flagged


def test_html_and_template_syntax_in_a_comment_is_shown_as_text_everywhere(workspace):
    shutil.copy(FIXTURES / "YT-2023-08-16.yaml", workspace / "comments" / "YT-2023-08-16.yaml")
    _, texts = all_formats(workspace)
    for fmt in ("html", "md"):
        text = texts[fmt]
        assert "<script>" not in text and "<b>đậm</b>" not in text, fmt
        assert "&lt;script&gt;alert(" in text and "&lt;b&gt;đậm&lt;/b&gt;" in text, fmt
        shown = text.replace("\\*", "*") if fmt == "md" else text  # Markdown escapes the '*'
        assert "{{ 7*7 }}" in shown and "{% if true %}mẫu{% endif %}" in shown, fmt
    assert "<script>alert('x')</script>" in texts["docx"] and "{{ 7*7 }}" in texts["docx"]
    assert "<b>đậm</b> {% if true %}mẫu{% endif %}" in texts["docx"]


def test_markdown_escapes_what_markdown_would_read_as_markup():
    assert markdown_text("mã tiêu chí 'II.7.1' — “Phòng VH và TT”, \"QLVB&ĐH\", {{ 7*7 }}") == \
        "mã tiêu chí 'II.7.1' — “Phòng VH và TT”, \"QLVB&ĐH\", {{ 7\\*7 }}"
    assert markdown_text("<script>x</script> a|b `c` &#39; &amp; &#x41; C:\\thu-muc \\*") == \
        "&lt;script&gt;x&lt;/script&gt; a\\|b \\`c\\` &amp;#39; &amp;amp; &amp;#x41; C:\\thu-muc \\\\\\*"
    assert markdown_text("[x](y) ![ảnh](u) _a_ ~b~") == "\\[x\\](y) !\\[ảnh\\](u) \\_a\\_ \\~b\\~"


def test_markdown_escaped_text_reads_back_as_written_in_a_table_cell():
    """Rendered by a CommonMark + GFM parser, an escaped cell shows exactly the user's text."""
    import html

    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    for said in ("<script>alert('x')</script>", "{{ 7*7 }} {% if true %}mẫu{% endif %}", "a | b", "`mã`",
                 "&#39; &amp; QLVB&ĐH", "C:\\thu-muc\\*", "“Phòng VH và TT”, \"đúng hạn\", 'II.7.1'"):
        rendered = parser.render(f"| A |\n|---|\n| {markdown_text(said)} |\n")
        cell = rendered.split("<td>", 1)[1].split("</td>", 1)[0]
        assert "<" not in cell and html.unescape(cell) == said, (said, cell)


def test_markdown_report_shows_apostrophes_as_written(workspace):
    shutil.copy(FIXTURES / "YT-2023-08-16.yaml", workspace / "comments" / "YT-2023-08-16.yaml")
    _, texts = all_formats(workspace)
    md = texts["md"]
    assert "&#39;" not in md and "&quot;" not in md and "&#34;" not in md
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in md


def test_no_path_line_number_or_fix_on_the_paper(workspace):
    """The tool's diagnostics (file, line, "→ Cách sửa", the loop's findings) are for the screen only."""
    consultation, texts = all_formats(workspace)
    report = build_feedback(consultation, AS_OF, ["đối chiếu với v2: thay đổi không có căn cứ"],
                            next_rubric=Workspace(workspace).rubric("v2"))
    texts["md-next"] = render_feedback_markdown(report)
    texts["html-next"] = render_feedback_html(report)
    texts["docx-next"] = docx_text(feedback_docx(report))
    for fmt, text in texts.items():
        for word in ("comments/", ".yaml", ".xlsx", "Cách sửa", "→", ":10", "initiatives", "không có căn cứ"):
            assert word not in text, (fmt, word)
    assert any("LDTBXH-2023-08-17.yaml:10: mã tiêu chí 'II.7.1'" in p for p in report.problems)
    assert "không có căn cứ" in report.problems[-1]


def test_the_answer_says_what_changed_and_where(workspace):
    consultation = Workspace(workspace).consultation()
    report = build_feedback(consultation, AS_OF, next_rubric=Workspace(workspace).rubric("v2"))
    by_id = {r.comment_id: r for r in report.rows}
    assert by_id["TP-2"].answer == ("Tiếp thu. Đã sửa tiêu chí II.1.2: mức 1 điểm ghi “Từ 80% đến dưới 100% văn "
                                    "bản được xử lý kịp thời”.")
    assert by_id["VP-3"].answer == ("Tiếp thu. Đã sửa tiêu chí II.6.3: mức “Thực hiện đầy đủ, kịp thời” từ 1 "
                                    "thành 2 điểm.")
    assert by_id["TP-3"].answer.startswith("Không tiếp thu. Giữ tổng điểm") and "Đã sửa" not in by_id["TP-3"].answer
    assert by_id["VP-4"].answer.startswith("Tiếp thu một phần. Giữ điểm chuẩn 2 điểm")
    assert "Đã sửa tiêu chí II.6.4: thêm mức “Thực hiện đầy đủ, kịp thời nhưng" in by_id["VP-4"].answer
    assert by_id["TCKH-2"].answer == "Cơ quan đã thay ý kiến này bằng ý kiến gửi sau (STT 10)"
    # the office's words verbatim, the tool's point arithmetic nowhere in them
    tp3 = next(c for c in consultation.comments.comments if c.id == "TP-3")
    assert by_id["TP-3"].said[0] == tp3.text and not any("→" in line for line in by_id["TP-3"].said)


def test_the_own_changes_section_lists_what_no_comment_asked_for(workspace):
    report = build_feedback(Workspace(workspace).consultation(), AS_OF,
                            next_rubric=Workspace(workspace).rubric("v2"))
    own = {item.criterion: item for item in report.own_changes}
    assert "Đã bỏ tiêu chí II.3.2 “Quy chế làm việc của cơ quan” (1 điểm)." in own["II.3"].changes
    assert any(line.startswith("Đã thêm tiêu chí II.3.3 “Ban hành văn bản phân công nhiệm vụ")
               for line in own["II.3"].changes)
    assert own["II.3"].reason.startswith("Thay tiêu chí Quy chế làm việc")
    assert own["II.6"].changes == ["Đã sửa tiêu chí II: điểm chuẩn từ 73 thành 76 điểm.",
                                   "Đã sửa tiêu chí II.6: điểm chuẩn từ 25 thành 23 điểm."]
    assert not any("II.3.3" in row.answer for row in report.rows)  # no comment claims the new criterion
    md = render_feedback_markdown(report)
    assert "## III. Phòng Nội vụ tự điều chỉnh" in md and "Đã bỏ tiêu chí II.3.2" in md


def test_the_summary_reads_every_ledger_status(workspace):
    from cchc_consult.consult.feedback import _counts, _summary

    consultation = Workspace(workspace).consultation()
    ledger = consultation.ledger(AS_OF)
    ledger[0].status = "blank"
    ledger[1].status = "check"
    ledger[2].status = "something-new"  # a status the report has no line for by name is still counted
    lines = dict(_summary(consultation, _counts(consultation, ledger), ledger))
    assert lines["Phiếu chưa điền (không phải ý kiến trả lời)"] == "1"
    assert lines["Đã gửi, cần kiểm tra"] == "1" and lines["something-new"] == "1"
    assert lines["Đã gửi, chưa đọc được"] == "0"  # always on the paper, even when none


def test_the_docx_is_a4_times_new_roman(workspace):
    import io

    from docx import Document
    from docx.shared import Mm

    consultation = Workspace(workspace).consultation()
    document = Document(io.BytesIO(feedback_docx(build_feedback(consultation, AS_OF))))
    section = document.sections[0]
    assert abs(section.page_width - Mm(297)) < Mm(1) and abs(section.page_height - Mm(210)) < Mm(1)  # landscape
    assert abs(section.left_margin - Mm(25)) < Mm(1)
    assert document.styles["Normal"].font.name == "Times New Roman"
    rfonts = document.styles["Normal"].element.rPr.rFonts
    assert {rfonts.get(f"{{{rfonts.nsmap['w']}}}{slot}") for slot in ("eastAsia", "cs")} == {"Times New Roman"}
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [run for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for run in p.runs]
    assert {run.font.name for run in runs} <= {None, "Times New Roman"}  # no run overrides the style's font
    texts = [p.text for p in document.paragraphs]
    assert "BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý" in texts[:3]
    assert "(Kèm theo Tờ trình số 95/TTr-NV ngày 30/8/2023 của Phòng Nội vụ)" in texts
    sign = document.tables[-1].rows[0].cells[1].text
    assert "TRƯỞNG PHÒNG" in sign and "Nguyễn Văn An" in sign


# --------------------------------------------------------------------------- CLI

def test_cli_report_feedback_in_three_formats(workspace, tmp_path, capsys):
    for name in ("bang.html", "bang.md", "bang.docx"):
        out = tmp_path / name
        assert main(["-w", str(workspace), "report", "feedback", "-o", str(out), "--date", "2023-08-25"]) == 0
        assert out.stat().st_size > 1000
    err = capsys.readouterr().err
    assert "19 ý kiến (17 khớp tiêu chí, 2 chưa khớp)" in err and "4 cơ quan không có ý kiến" in err
    assert (tmp_path / "bang.docx").read_bytes()[:2] == b"PK"
    assert "\n# BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý\n" in (tmp_path / "bang.md").read_text(encoding="utf-8")
    assert main(["-w", str(workspace), "report", "feedback", "--to", "docx"]) == 2
    assert "cần tên tệp" in capsys.readouterr().err


def answer_tp1_as_accepted_without_editing_v2(workspace) -> None:
    """A discrepancy of our own: TP-1 (rejected in the bundled answers) now 'tiếp thu' in v2, v2 untouched."""
    assert main(["-w", str(workspace), "comments", "answer", "TP-1", "tiếp thu", "--version", "v2",
                 "--replace"]) == 0


def test_cli_report_feedback_with_loop_findings_on_the_screen(workspace, capsys):
    answer_tp1_as_accepted_without_editing_v2(workspace)
    capsys.readouterr()
    assert main(["-w", str(workspace), "report", "feedback", "--to", "md", "--next", "v2"]) == 0
    out, err = capsys.readouterr()
    assert "TP-1: đã tiếp thu ý kiến về II.1.1.2 nhưng II.1.1.2 không thay đổi trong v2" in err
    assert "không thay đổi trong v2" not in out and "Cách sửa" not in out
    assert "LDTBXH-2023-08-17.yaml:10" in err


def test_cli_report_feedback_of_the_bundled_example_has_nothing_to_reconcile(workspace, capsys):
    assert main(["-w", str(workspace), "report", "feedback", "--to", "md", "--next", "v2"]) == 0
    assert "đối chiếu với v2" not in capsys.readouterr().err


def test_the_paper_is_dated_by_the_option_or_the_data_never_the_clock(workspace, capsys):
    ws = ["-w", str(workspace), "report", "feedback", "--to", "md"]
    shutil.copy(Path(__file__).parent.parent / "decision.yaml", workspace / "decision.yaml")
    assert main(ws) == 0
    assert "*Quảng Điền, ngày 30 tháng 8 năm 2023*" in capsys.readouterr().out
    assert main([*ws, "--date", "2023-09-01"]) == 0
    out = capsys.readouterr().out
    assert "*Quảng Điền, ngày 01 tháng 9 năm 2023*" in out and f"năm {dt.date.today().year}*" not in out


def test_the_paper_is_refused_without_its_data_unless_a_draft(workspace, capsys):
    path = workspace / "comments" / "dispositions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("# Các dòng của Bảng tổng hợp")], encoding="utf-8")
    decision = workspace / "decision.yaml"  # the tờ trình's one home
    decision.write_text(decision.read_text(encoding="utf-8").replace("number: 95/TTr-NV", "number: …/TTr-NV"),
                        encoding="utf-8")
    assert main(["-w", str(workspace), "report", "feedback", "--to", "md"]) == 2
    err = capsys.readouterr().err
    assert "số và ngày Tờ trình" in err and "người ký" in err and "--draft" in err and "Traceback" not in err
    assert main(["-w", str(workspace), "report", "feedback", "--to", "md", "--draft", "--date", "2023-08-25"]) == 0
    out, err = capsys.readouterr()
    assert "bản nháp" in err and "Kèm theo Tờ trình" not in out and "…" not in out


def test_cli_template_yaml_and_xlsx(workspace, tmp_path, capsys):
    assert main(["-w", str(workspace), "comments", "template", "TCKH"]) == 0
    out = capsys.readouterr().out
    assert 'office: "TCKH"' in out and 'criterion: "II.6.6.3"' in out
    target = tmp_path / "phieu.xlsx"
    assert main(["-w", str(workspace), "comments", "template", "VHTT", "-o", str(target)]) == 0
    assert target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("code", ["../x", "/etc", "a/b"])
def test_cli_template_refuses_a_code_that_escapes(workspace, tmp_path, capsys, code):
    assert main(["-w", str(workspace), "comments", "template", code, "--to", "xlsx"]) == 2
    err = capsys.readouterr().err
    assert "không hợp lệ" in err and "Traceback" not in err
    assert not list((workspace / "out").glob("*")) if (workspace / "out").exists() else True


def test_cli_list_exits_1_and_names_file_and_line(workspace, capsys):
    assert main(["-w", str(workspace), "comments", "list"]) == 1
    out = capsys.readouterr().out
    assert "comments/LDTBXH-2023-08-17.yaml:10: mã tiêu chí 'II.7.1'" in out
    assert "19 ý kiến trong 8 tệp; 2 chưa khớp; 2 lỗi." in out
    assert main(["-w", str(workspace), "comments", "list", "--office", "VP", "--format", "json"]) == 1
    import json

    data = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in data["comments"]] == ["VP-1", "VP-2", "VP-3", "VP-4"]


def test_cli_answer_initiative_ledger_owners(workspace, capsys):
    ws = ["-w", str(workspace)]
    assert main([*ws, "comments", "answer", "TP-2", "không tiếp thu"]) == 2
    assert "phải có lý do" in capsys.readouterr().err
    assert main([*ws, "comments", "answer", "XX-9", "tiếp thu"]) == 2
    assert main([*ws, "comments", "answer", "TP-2", "tiếp thu một phần", "--reason", "Chỉ sửa câu chữ",
                 "--version", "v2", "--replace"]) == 0
    assert "TP-2 — Tiếp thu một phần: Chỉ sửa câu chữ" in capsys.readouterr().out
    assert main([*ws, "comments", "initiative", "I.5", "--reason", "Rút gọn tên"]) == 0
    text = (workspace / "comments" / "dispositions.yaml").read_text(encoding="utf-8")
    assert "Chỉ sửa câu chữ" in text and '{criterion: "I.5", reason: Rút gọn tên}' in text
    assert main([*ws, "comments", "ledger", "--as-of", "2023-08-20"]) == 0
    out = capsys.readouterr().out
    assert "Phòng Y tế: đồng ý do không có ý kiến (từ ngày 18/8/2023)" in out
    assert main([*ws, "comments", "owners", "--confirm", "II.6.4"]) == 0
    capsys.readouterr()
    assert main([*ws, "comments", "owners"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"II\.6\.4\s+VP\s+.*\(đã xác nhận\)", out)


def test_cli_loop_of_the_bundled_example_finds_nothing(workspace, capsys):
    """Every change v1 → v2 cites a comment or an initiative; every comment accepted for v2 is in v2."""
    assert main(["-w", str(workspace), "comments", "loop", "v2"]) == 0
    assert "Đối chiếu v1 → v2: khớp, không có phát hiện nào." in capsys.readouterr().out
    consultation = Workspace(workspace).consultation()
    from cchc_consult.consult.loop import close_loop_for
    from cchc_consult.schema import load_rubric_file

    v2 = load_rubric_file(workspace / "rubric" / "drafts" / "v2.yaml")
    assert close_loop_for(consultation, v2, "v2") == []
    accepted_for_v2 = [d for d in consultation.dispositions.items.values() if d.accepted and d.version == "v2"]
    assert len(accepted_for_v2) == 14


def test_cli_loop_exits_1_on_findings(workspace, capsys):
    answer_tp1_as_accepted_without_editing_v2(workspace)
    v2 = workspace / "rubric" / "drafts" / "v2.yaml"
    # and a change nobody asked for: II.2.5's title, cited by no comment and no initiative
    text = v2.read_text(encoding="utf-8")
    assert text.count("khi để xảy ra trễ hẹn trong giải quyết") == 1
    v2.write_text(text.replace("khi để xảy ra trễ hẹn trong giải quyết", "khi trễ hẹn giải quyết"), encoding="utf-8")
    capsys.readouterr()
    assert main(["-w", str(workspace), "comments", "loop", "v2"]) == 1
    out = capsys.readouterr().out
    assert "accepted-unchanged   TP-1: đã tiếp thu ý kiến về II.1.1.2" in out and "Đối chiếu v1 → v2" in out
    assert re.search(r"change-uncited\s+II\.2\.5", out) and "2 phát hiện" in out
    assert main(["-w", str(workspace), "comments", "loop", "v1"]) == 2


def test_listing_comments_of_an_unknown_office_is_an_error(workspace, capsys):
    assert main(["-w", str(workspace), "comments", "list", "--office", "ZZ"]) == 2
    assert "không có cơ quan mã 'ZZ'" in capsys.readouterr().err
    assert main(["-w", str(workspace), "comments", "list", "--office", "tckh"]) in (0, 1)
    assert "TCKH-1" in capsys.readouterr().out


def test_the_paper_data_can_come_from_the_command_line(workspace, capsys):
    path = workspace / "comments" / "dispositions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("# Các dòng của Bảng tổng hợp")], encoding="utf-8")
    assert main(["-w", str(workspace), "report", "feedback", "--to", "md", "--date", "2023-08-29",
                 "--submission", "60/TTr-NV", "--submission-date", "29/8/2023", "--signer", "Trần Thị Bình",
                 "--signer-title", "TRƯỞNG PHÒNG"]) == 0
    out = capsys.readouterr().out
    assert "*(Kèm theo Tờ trình số 60/TTr-NV ngày 29/8/2023 của Phòng Nội vụ)*" in out
    assert "**Trần Thị Bình**" in out and "**TRƯỞNG PHÒNG**" in out
