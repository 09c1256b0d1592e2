"""`cchc score` and `cchc score template` through the real entry point; the impact preview."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cchc_consult.cli import main
from cchc_consult.score import read_sheet, score_office, score_workspace, sheet_from_data
from cchc_consult.score.impact import impact_preview
from cchc_consult.schema import load_rubric_file
from cchc_consult.yamlio import parse_yaml, read_yaml
from cchc_consult.workspace import Workspace


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_score_text_shows_ranking_bars_and_losses(workspace, capsys):
    code, out, err = run(capsys, "-w", str(workspace), "score")
    assert code == 0, err
    assert "KẾT QUẢ CHẤM ĐIỂM" in out and "█" in out
    assert "Điều chỉnh khi thẩm định" in out and "Các tiêu chí bị mất điểm" in out
    first = next(line for line in out.splitlines() if line.strip().startswith("1 "))
    assert "VHTT" in first and "98,42" in first and "xuất sắc" in first


def test_score_json_has_the_documented_shape(workspace, capsys):
    code, out, _ = run(capsys, "-w", str(workspace), "score", "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data["offices"]) == 12
    tp = next(o for o in data["offices"] if o["office"] == "TP")
    assert set(tp) == {"office", "self", "appraised", "class", "rank", "appraisal", "criteria"}
    assert tp["appraisal"] == "đã thẩm định (có điều chỉnh)"
    # on v2: 88,5 of 97 = 91,237… self; 86,5 of 97 = 89,175… appraised (tests/test_score.py, by hand)
    assert tp["self"] == {"total": "88.5", "max": "97", "index": "91.24"}
    assert tp["appraised"] == {"total": "86.5", "max": "97", "index": "89.18"}
    assert (tp["class"], tp["rank"]) == ("tốt", 8)
    assert tp["criteria"]["I.2"] == "1.5" and tp["criteria"]["II.6.6.3"] == "2"
    assert "II.2.5" not in tp["criteria"]          # did not arise: leaves the maximum
    assert all(isinstance(v, str) for v in tp["criteria"].values())


def test_score_html_escapes_user_text_and_draws_bars(workspace, tmp_path, capsys):
    appraisal = workspace / "scores" / "appraisal" / "TP.yaml"
    text = appraisal.read_text(encoding="utf-8")
    appraisal.write_text(text.replace("Hồ sơ kiểm chứng", "<script>alert(1)</script> Hồ sơ"), encoding="utf-8")
    target = tmp_path / "kq.html"
    code, _, _ = run(capsys, "-w", str(workspace), "score", "--format", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert code == 0
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count('class="bar"') == 12 and "Phòng Văn hóa và Thông tin" in html


def test_score_xlsx_writes_a_workbook(workspace, tmp_path, capsys):
    from openpyxl import load_workbook

    target = tmp_path / "kq.xlsx"
    assert run(capsys, "-w", str(workspace), "score", "--format", "xlsx", "-o", str(target))[0] == 0
    wb = load_workbook(target)
    assert wb.sheetnames[:2] == ["Xếp hạng", "Điểm từng tiêu chí"]
    ranking = wb["Xếp hạng"]
    assert ranking.max_row == 4 + 12  # title, subtitle, blank, header, then one row per office
    assert ranking["A1"].value.startswith("KẾT QUẢ CHẤM ĐIỂM") and ranking["A4"].value == "Hạng"
    assert ranking.freeze_panes == "A5" and ranking.print_title_rows == "$4:$4"
    assert ranking.page_setup.fitToWidth == 1 and ranking.column_dimensions["C"].width >= 40
    assert isinstance(ranking["G5"].value, float) and ranking["G5"].number_format == "0.00"
    detail = wb["Điểm từng tiêu chí"]
    assert all(isinstance(c.value, (int, float)) or c.value == "KPS" for c in detail[5][3:])  # numbers, or KPS
    assert detail.freeze_panes == "D5" and detail.page_setup.orientation == "landscape"
    # a printed form: every table cell boxed, wrapped titles given their height, points as numbers
    assert all(c.border.left.style == "thin" for row in ranking.iter_rows(min_row=4) for c in row)
    long_title = max(range(5, detail.max_row + 1), key=lambda r: len(detail.cell(r, 2).value))
    assert detail.row_dimensions[long_title].height > detail.row_dimensions[5].height or \
        len(detail.cell(5, 2).value) == len(detail.cell(long_title, 2).value)
    adjusted = wb["Điều chỉnh thẩm định"]
    changes = list(adjusted.iter_rows(min_row=5, max_col=4, values_only=True))
    assert ("KTHT", "II.6.5.1", 1.5, 0) in changes and ("YT", "II.2.7", "KPS", 1) in changes
    assert ranking["D5"].number_format == "General"  # 94,5 and 93 — never "93," with a trailing separator


def test_score_sheet_template_prints_as_a_form(workspace, tmp_path, capsys):
    from openpyxl import load_workbook

    target = tmp_path / "TP.xlsx"
    assert run(capsys, "-w", str(workspace), "score", "template", "TP", "--to", "xlsx", "-o", str(target))[0] == 0
    ws = load_workbook(target).active
    assert ws["A1"].value.startswith("PHIẾU TỰ CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2023 — TP") and ws["A2"].value == "Mã"
    assert ws.print_title_rows == "$2:$2" and ws.freeze_panes == "C3"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.orientation == "landscape"
    assert isinstance(ws["C3"].value, (int, float)) and ws["C3"].value == 2  # I.1.1: 2 points, a number
    assert ws.column_dimensions["B"].width == 45 and ws["B3"].border.left.style == "thin"


def test_score_exits_1_and_lists_refused_sheets(workspace, capsys):
    bad = workspace / "scores" / "self" / "YT.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('{id: "I.5", band: 1}', '{id: "I.5", band: 9}'),
                   encoding="utf-8")
    code, out, _ = run(capsys, "-w", str(workspace), "score")
    assert code == 1
    assert "KHÔNG CHẤM ĐƯỢC 1 cơ quan" in out
    assert f"{bad}:18: I.5: mức 9 không tồn tại" in out
    assert "\n  11  " in out or "  11  " in out       # the 11 valid offices are still ranked


def test_template_yaml_lists_every_leaf_and_reads_back(workspace, tmp_path, capsys):
    target = tmp_path / "TP.yaml"
    code, _, _ = run(capsys, "-w", str(workspace), "score", "template", "TP", "--rubric", "v1", "-o", str(target))
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert "mức 1: 2 điểm — Trước và đúng thời gian quy định" in text
    assert "01 sáng kiến = 02 điểm" in text or "01 sáng kiến = 2 điểm" in text
    assert "nội dung 1: Báo cáo Quý 1 trước 07/3" in text
    rubric = load_rubric_file(workspace / "rubric" / "drafts" / "v1.yaml")
    blank = read_sheet(target)
    assert not blank.problems and len(blank.entries) == sum(1 for _ in rubric.leaves())
    result = score_office(rubric, blank)
    # an untouched template is not a score: every leaf says "chưa ghi cách chấm"
    assert len(result.problems) == len(blank.entries)
    filled = text.replace("    band:\n", "    khong_phat_sinh: true\n").replace("    failed:\n", "    failed: []\n")
    filled = filled.replace("    checked:\n", "    checked: [1, 2, 3, 4]\n")
    target.write_text(filled, encoding="utf-8")
    done = score_office(rubric, read_sheet(target))
    # only I.2 (3), II.2.1.2 (2) and II.6.6.3 (4) are scored, all full
    assert (done.self.total, done.self.max) == (Decimal("9"), Decimal("9"))


def test_template_refuses_an_office_code_that_escapes(workspace, capsys):
    code, _, err = run(capsys, "-w", str(workspace), "score", "template", "../etc")
    assert code == 2 and "không hợp lệ" in err


def test_template_xlsx_has_band_validation(workspace, tmp_path, capsys):
    from openpyxl import load_workbook

    target = tmp_path / "TP.xlsx"
    assert run(capsys, "-w", str(workspace), "score", "template", "TP", "--rubric", "v1", "--to", "xlsx",
               "-o", str(target))[0] == 0
    ws = load_workbook(target).active
    assert ws["A3"].value == "I.1.1"
    rules = ws.data_validations.dataValidation
    assert any(r.type == "whole" and r.formula2 == "3" for r in rules)


def test_impact_preview_moves_index_and_rank(workspace):
    """A v9 that raises I.6's district band to 3 points: offices with district initiatives gain."""
    ws = Workspace(workspace)
    text = (ws.drafts / "v2.yaml").read_text(encoding="utf-8")  # the sheets' version
    old = 'per_unit: {unit: sáng kiến, points: "1"}'
    assert old in text
    v2_text = text.replace('version: "v2"', 'version: "v9"').replace(
        '            points: "2"\n            ' + old, '            points: "3"\n            ' + old.replace('"1"', '"3"'))
    (ws.drafts / "v9.yaml").write_text(v2_text, encoding="utf-8")
    base = score_workspace(ws)
    from cchc_consult.score import load_sheets

    preview = impact_preview(base, load_rubric_file(ws.drafts / "v9.yaml"), load_sheets(ws.scores))
    rows = {r.office: r for r in preview.rows}
    # NV: band 2 with 2 initiatives: v2 min(2, 2 × 1) = 2 → v9 min(3, 2 × 3) = 3; max unchanged (98)
    assert rows["NV"].after.appraised.total - rows["NV"].before.appraised.total == Decimal(1)
    assert rows["TP"].index_delta == 0                 # no initiative: nothing moves
    assert rows["GDDT"].rank_delta >= 0 and rows["TNMT"].rank_delta <= 0
    assert not any(r.dropped for r in preview.rows)


def test_impact_preview_follows_a_renumbered_criterion(workspace, capsys):
    ws = Workspace(workspace)
    text = (ws.drafts / "v2.yaml").read_text(encoding="utf-8").replace('version: "v2"', 'version: "v9"')
    (ws.drafts / "v9.yaml").write_text(text.replace('id: "II.3.3"', 'id: "II.3.9"'), encoding="utf-8")
    code, out, _ = run(capsys, "-w", str(workspace), "score", "--rubric", "v9")
    assert code == 0
    assert "ẢNH HƯỞNG ĐẾN ĐIỂM: phiếu chấm theo v2, chấm lại theo v9" in out
    assert "cần chấm lại" not in out            # the answer moved with its criterion
    assert "±0,00" in out and "▲" not in out and "▼" not in out


def test_impact_preview_lists_answers_the_new_version_cannot_take(workspace, capsys):
    ws = Workspace(workspace)
    text = (ws.drafts / "v2.yaml").read_text(encoding="utf-8").replace('version: "v2"', 'version: "v9"')
    start = text.index('id: "II.3.2"')  # Quy chế dân chủ cơ sở, answered "có" by every office
    end = text.index("- id:", start)
    block = "\n".join(line for line in text[start:end].split("\n") if "when:" not in line)
    # The words are the source of a condition (docs/format.md): qualitative words, not just no `when`.
    block = block.replace("text: Có ban hành", "text: Quy chế đầy đủ, được niêm yết công khai")
    (ws.drafts / "v9.yaml").write_text(text[:start] + block + text[end:], encoding="utf-8")
    code, out, _ = run(capsys, "-w", str(workspace), "score", "--rubric", "v9", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["impact"]["rubric"] == "v9"
    tp = next(o for o in data["impact"]["offices"] if o["office"] == "TP")
    assert [d["id"] for d in tp["dropped"]] == ["II.3.2"]
    assert "không có mức nào chấm theo giá trị đo" in tp["dropped"][0]["why"]
    # II.3.2 (1 of 1) is no longer counted: 86,5 of 97 (89,175…) → 85,5 of 96 (89,0625)
    assert (tp["index_before"], tp["index_after"]) == ("89.18", "89.06")


def test_sheet_header_problems_are_collected(tmp_path):
    data = parse_yaml("office: TP\nkind: tự chấm\nrubirc: v1\nscores: []\n", "x.yaml")
    s = sheet_from_data(data, "x.yaml")
    messages = " | ".join(p.message for p in s.problems)
    assert "'kind: tự chấm' không hợp lệ" in messages and "'rubirc'" in messages and "thiếu phiên bản" in messages
    assert read_yaml  # the fast loader is the one sheets use


def test_score_refuses_a_frozen_version_changed_on_disk(workspace, capsys):
    v1 = workspace / "rubric" / "drafts" / "v1.yaml"  # circulated, hence frozen
    v1.write_text(v1.read_text(encoding="utf-8").replace('max: "22"', 'max: "23"'), encoding="utf-8")
    code, _, err = run(capsys, "-w", str(workspace), "score", "--rubric", "v1")
    assert code == 2 and "mã băm" in err


def test_text_starting_with_equals_stays_text_in_excel(workspace, tmp_path, capsys):
    from openpyxl import load_workbook

    appraisal = workspace / "scores" / "appraisal" / "TP.yaml"
    appraisal.write_text(appraisal.read_text(encoding="utf-8").replace(
        '"Hồ sơ kiểm chứng', '"=HYPERLINK(\\"http://x\\",\\"bấm\\") Hồ sơ kiểm chứng'), encoding="utf-8")
    target = tmp_path / "kq.xlsx"
    run(capsys, "-w", str(workspace), "score", "--format", "xlsx", "-o", str(target))
    wb = load_workbook(target)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert [c.value[:10] for c in cells if c.value.startswith("=")] == ["=HYPERLINK"]
    assert all(c.data_type == "s" for c in cells if c.value.startswith("="))


def test_filled_excel_template_is_read_back_and_scored(workspace, tmp_path, capsys):
    from openpyxl import load_workbook

    target = workspace / "scores" / "self" / "TP.xlsx"
    (workspace / "scores" / "self" / "TP.yaml").unlink()
    (workspace / "scores" / "appraisal" / "TP.yaml").unlink()
    assert run(capsys, "-w", str(workspace), "score", "template", "TP", "--rubric", "v2", "--to", "xlsx",
               "-o", str(target))[0] == 0
    wb = load_workbook(target)
    ws = wb.active
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    for node_id, row in rows.items():
        scoring = ws.cell(row, 14).value
        if scoring == "deduction":
            ws.cell(row, 9).value = "0"            # nothing failed
        elif scoring == "checklist":
            ws.cell(row, 9).value = "1, 2, 4"      # 0,5 + 1 + 1 = 2,5 of 4 (v2)
        else:
            ws.cell(row, 10).value = "x"           # không phát sinh
    ws.cell(rows["I.1.1"], 10).value = None
    ws.cell(rows["I.1.1"], 7).value = 3            # 3 days late → 1 of 2
    ws.cell(rows["I.1.3"], 10).value = None
    ws.cell(rows["I.1.3"], 6).value = 92           # 92 % → 2 of 2
    ws.cell(rows["I.2"], 9).value = "2"            # one report late → 3 − 0,75
    wb.save(target)
    report = score_workspace(Workspace(workspace))
    tp = next(o for o in report.offices if o.office == "TP")
    # I.1.1 1 + I.1.3 2 + I.2 2,25 + II.2.1.2 2 + II.6.6.3 2,5 = 9,75 of 2 + 2 + 3 + 2 + 4 = 13
    assert (tp.self.total, tp.self.max) == (Decimal("9.75"), Decimal("13"))
    # a bad band is refused naming the Excel row
    ws.cell(rows["I.5"], 10).value = None
    ws.cell(rows["I.5"], 5).value = 7
    wb.save(target)
    report = score_workspace(Workspace(workspace))
    [failure] = report.failures
    assert (failure.problems[0].path, failure.problems[0].line) == (str(target), rows["I.5"])
    assert "mức 7 không tồn tại" in failure.problems[0].message


def test_set_appraisal_checks_then_writes_round_trip(workspace):
    from cchc_consult.errors import ValidationError
    from cchc_consult.score import set_appraisal

    ws = Workspace(workspace)
    path = ws.scores / "appraisal" / "TP.yaml"
    before = path.read_text(encoding="utf-8")
    with pytest.raises(ValidationError, match="vượt điểm chuẩn 2"):
        set_appraisal(ws, "TP", "II.6.3", "2,5", "thiếu tài liệu")
    with pytest.raises(ValidationError, match="lý do"):
        set_appraisal(ws, "TP", "II.6.3", "0", " ")
    with pytest.raises(ValidationError, match="không phải tiêu chí lá"):
        set_appraisal(ws, "TP", "II.6", "0", "x")
    assert path.read_text(encoding="utf-8") == before          # nothing written by a refused entry
    set_appraisal(ws, "TP", "II.6.3", "0", "Không báo cáo trên Hệ thống cấp tỉnh quý III")
    set_appraisal(ws, "TP", "II.6.6.3", "KPS", "Cơ quan chưa áp dụng ISO trong năm")
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.splitlines()[0])            # the header comment stays
    tp = next(o for o in score_workspace(ws).offices if o.office == "TP")
    # 86,5 of 97, then II.6.3 2 → 0 and II.6.6.3 (2 of 4) leaves the maximum: 86,5 − 2 − 2 = 82,5 of 97 − 4 = 93
    assert (tp.appraised.total, tp.appraised.max) == (Decimal("82.5"), Decimal("93"))
    # a new appraisal file for an office that had none (the example appraises every office: remove one)
    (ws.scores / "appraisal" / "GDDT.yaml").unlink()
    new = set_appraisal(ws, "GDDT", "I.5", "0,5", "Phân công chưa đủ")
    assert new == ws.scores / "appraisal" / "GDDT.yaml" and read_sheet(new).rubric == "v2"


def test_impact_preview_follows_a_band_by_its_words_not_its_position(workspace):
    """v9 inserts a new 1-point band first in II.6.4; an office that chose the 0-point band keeps 0."""
    from cchc_consult.document import RubricDocument
    from cchc_consult.score import load_sheets

    ws = Workspace(workspace)
    v9 = ws.drafts / "v9.yaml"
    v9.write_text((ws.drafts / "v2.yaml").read_text(encoding="utf-8").replace('version: "v2"', 'version: "v9"'),
                  encoding="utf-8")
    doc = RubricDocument.open(v9)
    doc.add_band("II.6.4", "Thực hiện đầy đủ nhưng gửi báo cáo chậm dưới 05 ngày", "1", index=0)
    doc.save()
    sheets = load_sheets(ws.scores)
    ktht = next(s for s in sheets if s.office == "KTHT" and s.kind == "self")
    ktht.entries["II.6.4"].band = 3           # v2 band 3: "Thực hiện không đầy đủ hoặc không kịp thời", 0 points
    base = score_workspace(ws)
    preview = impact_preview(base, load_rubric_file(v9), sheets)
    row = next(r for r in preview.rows if r.office == "KTHT")
    assert row.after.self_points["II.6.4"] == Decimal(0)   # band 3 → band 4 in v9, still the 0-point band
    doc = RubricDocument.open(v9)
    doc.remove_band("II.6.4", 3)                # the chosen band is gone: listed, not guessed
    doc.save()
    preview = impact_preview(base, load_rubric_file(v9), sheets)
    row = next(r for r in preview.rows if r.office == "KTHT")
    assert ("II.6.4", "mức 3 đã chọn không còn ở phiên bản mới") in row.dropped
