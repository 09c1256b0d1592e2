"""Issue 15's layout corpus: rubrics of other units and years, one per layout, each with planted defects."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_consult.check import check
from cchc_consult.importers import import_any
from tests.fixtures.rubrics.corpus import CORPUS

FIXTURES = Path(__file__).parent / "fixtures" / "rubrics"


def imported(tmp_path: Path, name: str):
    target = tmp_path / name
    shutil.copy(FIXTURES / name, target)
    return import_any(target)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_layout_imports_with_its_structure_and_check_finds_exactly_the_planted_defects(tmp_path, name):
    if name.endswith((".doc", ".odt")) and shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) không có trên máy: không chuyển được .doc/.odt")
    result = imported(tmp_path, name)
    expected = CORPUS[name][1]
    rubric = result.rubric
    assert result.warnings == [] and result.unplaced == []
    assert len(rubric) == expected["nodes"], [n.id for n in rubric.walk()]
    index = rubric.index()
    assert {k: index[k].max for k in expected["max"]} == {k: Decimal(v.replace(",", ".")) for k, v in
                                                          expected["max"].items()}
    assert {k: len(index[k].bands) for k in expected["bands"]} == expected["bands"]
    assert all(n.bands == [] for n in rubric.walk() if n.children)  # bands sit on leaves only
    assert {(f.code, f.node) for f in check(rubric)} == expected["defects"]


def test_choice_band_0_5_to_1_is_kept_scored_within_its_range_and_checked(tmp_path):
    from cchc_consult.check import check as run_check
    from cchc_consult.model import Band, Node, Rubric, RubricMeta
    from cchc_consult.schema import load_rubric_file, save_new_rubric
    from cchc_consult.score.sheet import Entry, _Refuse, entry_points

    rubric = imported(tmp_path, "ttyt_a_luoi_2024.html").rubric
    node = rubric.index()["II.1"]
    band = node.bands[1]
    assert (band.text, band.min_points, band.points) == ("Mới triển khai thí điểm", Decimal("0.5"), Decimal(1))
    save_new_rubric(rubric, tmp_path / "v.yaml")
    assert load_rubric_file(tmp_path / "v.yaml").index()["II.1"].bands[1].min_points == Decimal("0.5")
    assert entry_points(node, Entry(id="II.1", line=1, band=2, points="0,75")) == Decimal("0.75")
    for wrong in ({"band": 2, "points": "1,5"}, {"band": 2}):
        with pytest.raises(_Refuse):
            entry_points(node, Entry(id="II.1", line=1, **wrong))
    broken = Node(id="I.1", tt="1", title="Ban hành", max=Decimal(1), evidence=["Kế hoạch"],
                  bands=[Band("Có", Decimal(1), min_points=Decimal(1)), Band("Không", Decimal(0))])
    section = Node(id="I", tt="I", title="MỤC", max=Decimal(1), kind="section", children=[broken])
    found = {(f.code, f.node) for f in run_check(Rubric(RubricMeta(), [section]))}
    assert found == {("band-range", "I.1")}


def test_extra_columns_are_kept_and_a_self_score_column_is_called_the_start_of_a_score_sheet(tmp_path):
    from cchc_consult.importers import unplaced_header

    result = imported(tmp_path, "thcs_nguyen_trai_2025.txt")
    assert result.extra_values == {"Điểm tự chấm": {"I": "3", "I.1": "2", "I.2": "1", "II": "2", "II.1": "2",
                                                     "total": "5"}}
    assert any("Điểm tự chấm" in n and "phiếu chấm điểm" in n for n in result.notes)
    header = unplaced_header("thcs_nguyen_trai_2025.txt", result)
    assert "CỘT 'Điểm tự chấm'" in header and "- I.2: 1" in header
    notes = imported(tmp_path, "so_tnmt_2023.md")
    assert notes.extra_values["Ghi chú"] == {"I.2": "Chỉ áp dụng cho phòng có đơn vị trực thuộc"}


def test_wrapped_pipe_cell_is_joined_back_into_one_title(tmp_path):
    rubric = imported(tmp_path, "thcs_nguyen_trai_2025.txt").rubric
    assert rubric.index()["I.2"].title.startswith("Báo cáo cải cách hành chính định kỳ (quý, 6 tháng, năm) gửi")
    assert rubric.index()["I.2"].title.endswith("đúng thời gian quy định")


def test_bullets_head_bands_or_are_bands_by_what_follows_them(tmp_path):
    index = imported(tmp_path, "so_gddt_2024.pdf").rubric.index()
    assert [b.text for b in index["I.1.1"].bands] == ["Ban hành đúng thời hạn", "Chậm từ 01 ngày trở lên"]
    assert index["I.1.2.1"].title == "Kiểm tra các trường trực thuộc" and index["I.1.2.2"].tt == "-"
    assert [b.text for b in index["I.1.2.2"].bands] == ["Có báo cáo", "Không có báo cáo"]
    assert index["I.1.1"].bands[0].condition.measure == "days_late"


def test_phrasings_not_understood_are_listed_with_their_row(tmp_path):
    from cchc_consult.importers.rows import Row, build_rubric

    rows = [Row("I", "MỤC", "2", [], "dòng 1"), Row("1", "Tỷ lệ hoàn thành", "2", ["Báo cáo"], "dòng 2"),
            Row("", "Từ 80% trở lên", "2", [], "dòng 3"), Row("", "Làm được phần lớn", "1", [], "dòng 4"),
            Row("", "Dưới 50%", "0", [], "dòng 5")]
    result = build_rubric(rows)
    assert result.not_understood == ["dòng 2: không đọc được điều kiện của mức “Làm được phần lớn” (I.1)"]
    method = build_rubric([Row("I", "MỤC", "2", [], "d1"),
                           Row("1", "Kế hoạch", "2", ["Kế hoạch"], "d2", method="Có: 2 điểm\nTùy mức độ")])
    assert [b.text for b in method.rubric.index()["I.1"].bands] == ["Có"]
    assert method.not_understood == ["d2: không đọc được mức điểm “Tùy mức độ” của I.1"]


@pytest.mark.parametrize("text, points, low, deduction", [
    ("2", "2", None, None), ("2 điểm", "2", None, None), ("2đ", "2", None, None), ("Tối đa 2", "2", None, None),
    ("(2)", "2", None, None), ("1,5 điểm", "1.5", None, None), ("0,5-1", "1", "0.5", None),
    ("0,5 - 1 điểm", "1", "0.5", None), ("Trừ 0,5", "0", None, "0.5"), ("trừ 0,25 điểm", "0", None, "0.25"),
])
def test_points_cells_in_every_usual_spelling(text, points, low, deduction):
    from cchc_consult.importers.rows import read_points_cell

    cell = read_points_cell(text)
    assert (cell.points, cell.low, cell.deduction) == (
        Decimal(points), low and Decimal(low), deduction and Decimal(deduction))


@pytest.mark.parametrize("text", ["hai điểm", "1-0,5", "2 điểm 3", "Trừ 1-2", ""])
def test_points_cells_that_say_no_number_read_as_none(text):
    from cchc_consult.importers.rows import read_points_cell

    assert read_points_cell(text) is None


def test_scanned_pdf_is_refused_with_the_fix(tmp_path):
    import pdfplumber  # noqa: F401  (the PDF importer's library)
    from cchc_consult.importers import ImportFormatError

    scanned = tmp_path / "ban_quet.pdf"
    scanned.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
                        b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
                        b"trailer<</Root 1 0 R>>\n%%EOF\n")
    with pytest.raises(ImportFormatError) as err:
        import_any(scanned)
    assert "bản quét" in str(err.value) and "OCR" in (err.value.fix or "")


def test_cli_imports_a_markdown_table_into_a_fresh_workspace(tmp_path, capsys, monkeypatch):
    from cchc_consult.cli import main

    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "so_tnmt_2023.md", tmp_path / "so_tnmt_2023.md")
    assert main(["init", "ws", "--year", "2023"]) == 0
    capsys.readouterr()
    code = main(["-w", "ws", "import", "so_tnmt_2023.md", "-o", "rubric/drafts/v1.yaml"])
    out, err = capsys.readouterr()
    assert code == 1  # the planted defects
    assert "Đã nhập 5 mục từ so_tnmt_2023.md" in out
    assert "không có mức điểm nào cho" in out and "mỗi nội dung trừ" in out and "Kết quả: 2 lỗi, 0 cảnh báo" in out
    assert "cột 'Ghi chú'" in err
    assert "CỘT 'Ghi chú' CỦA BẢNG GỐC" in (tmp_path / "ws" / "rubric" / "drafts" / "v1.yaml").read_text(encoding="utf-8")
    assert "Traceback" not in out + err


_FRAGMENTS = ["TT", "STT", "Nội dung", "Điểm", "Điểm chuẩn", "Tài liệu kiểm chứng", "Cách tính điểm", "Điểm tự chấm",
              "I", "II", "1", "1.1", "a)", "(1)", "-", "+", "I.1", "Có: 2 điểm; Không: 0 điểm", "0,5-1", "Trừ 0,5",
              "Tối đa 2", "(2)", "\u00a0", "", "|", "\t", " | ", "Tổng cộng", "* Ghi chú", "≥ 90%", "Chậm dưới 5 ngày",
              "<td>", "</td>", "<tr>", "<table>", "</table>", "<br>", '<td colspan="x">']


@pytest.mark.parametrize("parse", ["text", "html"])
def test_any_mix_of_table_fragments_imports_or_is_a_clear_error_never_a_crash(parse):
    from hypothesis import given, settings, strategies as st

    from cchc_consult.errors import CchcError
    from cchc_consult.importers.html import parse_html
    from cchc_consult.importers.text import parse_page_text

    reader = parse_page_text if parse == "text" else parse_html
    line = st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=3).map(" ".join)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(line, max_size=60).map("\n".join))
    def run(text):
        try:
            reader(text, "x.txt")
        except CchcError:
            pass

    run()


def test_when_the_header_and_the_body_suggest_different_layouts_the_table_arithmetic_decides():
    from cchc_consult.importers.text import parse_page_text
    from tests.fixtures.rubrics.corpus import DISTRICT_2022

    # header cells on consecutive lines (as if one line a cell), body with a blank line between cells and
    # non-breaking spaces for empty ones (the portal's layout): only the second reading adds up
    body = [c or "\u00a0" for row in DISTRICT_2022["rows"] for c in row]
    text = "\n".join(DISTRICT_2022["title"] + [""] + DISTRICT_2022["header"]) + "\n\n" + "\n\n".join(body) + "\n"
    result = parse_page_text(text, "lai.txt")
    assert result.warnings == [] and len(result.rubric) == 5
    assert [len(n.bands) for n in result.rubric.walk() if n.is_leaf] == [3, 3, 2]


def test_doc_or_odt_without_libreoffice_is_refused_with_what_to_do(tmp_path, monkeypatch):
    from cchc_consult.importers import ImportFormatError, office

    monkeypatch.setattr(office, "soffice", lambda: None)
    with pytest.raises(ImportFormatError) as err:
        imported(tmp_path, "mn_huong_so_2025.odt")
    assert "LibreOffice" in str(err.value) and ".docx" in err.value.fix


def test_every_numbering_style_nests_under_the_right_parent():
    from cchc_consult.importers.rows import Row, build_rubric

    def row(tt, content, points, evidence=()):
        return Row(tt, content, points, list(evidence), f"dòng {content}")

    rows = [row("I", "MỤC", "6"), row("1", "Tiêu chí", "6", ["Báo cáo"]),
            row("a.", "Con a", "3"), row("1)", "Cháu 1", "3"), row("", "Có", "3"), row("", "Không", "0"),
            row("b.", "Con b", "3"), row("(1)", "Cháu b1", "3"), row("", "Đạt", "3"), row("", "Không đạt", "0"),
            row("II", "MỤC HAI", "1"), row("II.1", "Tiêu chí hai", "1", ["Kế hoạch"]),
            row("", "- Có kế hoạch: 1 điểm", ""), row("", "- Không có: 0 điểm", "")]
    result = build_rubric(rows)
    assert result.warnings == []
    index = result.rubric.index()
    assert [n.id for n in result.rubric.walk()] == ["I", "I.1", "I.1.a", "I.1.a.1", "I.1.b", "I.1.b.1",
                                                    "II", "II.1"]
    assert [b.text for b in index["I.1.a.1"].bands] == ["Có", "Không"]
    assert [(b.text, b.points) for b in index["II.1"].bands] == [("Có kế hoạch", 1), ("Không có", 0)]
