"""Importing rubrics: the seed's page text, Word and Excel tables of other shapes, and malformed files."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_consult.check import check
from cchc_consult.cli import main
from cchc_consult.importers import ImportFormatError, import_any
from cchc_consult.importers.rows import Row, build_rubric
from cchc_consult.schema import load_rubric_file, rubric_to_data
from tests.conftest import SEED, V1
from tests.fixtures.rubrics.make_fixtures import EXPECTED_DEFECTS

FIXTURES = Path(__file__).parent / "fixtures" / "rubrics"


def fixture(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(FIXTURES / name, target)
    return target


def comparable(rubric) -> dict:
    data = rubric_to_data(rubric)
    data["meta"].pop("version", None)
    data["meta"].pop("status", None)
    return data


def test_seed_page_text_imports_to_exactly_v1(tmp_path):
    result = import_any(SEED)
    assert result.warnings == [] and result.unplaced == []
    assert comparable(result.rubric) == comparable(load_rubric_file(V1))


@pytest.mark.parametrize("name", sorted(EXPECTED_DEFECTS))
def test_rubric_of_another_shape_comes_in_and_check_finds_exactly_its_defects(tmp_path, name):
    result = import_any(fixture(tmp_path, name))
    assert result.warnings == [] and result.unplaced == []
    found = {(f.code, f.node) for f in check(result.rubric)}
    assert found == EXPECTED_DEFECTS[name]


def test_commune_docx_merged_cells_column_numbers_and_unnumbered_criterion(tmp_path):
    rubric = import_any(fixture(tmp_path, "xa_quang_an_2024.docx")).rubric
    index = rubric.index()
    assert [s.id for s in rubric.sections] == ["I", "II", "III"]
    assert index["I"].title == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"  # "I. …" split off the merged cell
    assert rubric.declared_total == 15 and rubric.total_label == "Tổng cộng"
    plan = index["I.1"]
    assert plan.evidence == ["Kế hoạch CCHC năm 2024 của UBND xã"]  # merged down: once, on the criterion
    assert [b.points for b in plan.bands] == [2, 1, 0] and all(not b.evidence for b in plan.bands)
    assert index["III.a"].title == "Gửi báo cáo tự chấm điểm CCHC" and len(index["III.a"].bands) == 2
    assert (rubric.meta.year, rubric.meta.note) == (2024, "Ghi chú: Tiêu chí không phát sinh nhiệm vụ thì "
                                                          "không chấm điểm.")


def test_department_xlsx_three_levels_and_numbers_in_every_spelling(tmp_path):
    rubric = import_any(fixture(tmp_path, "so_ban_nganh_2024.xlsx")).rubric
    index = rubric.index()
    assert index["I.1.1.1"].title == "Ban hành kế hoạch đúng thời gian"
    assert index["I.1.1"].max == Decimal("1.5")  # "1,5" + non-breaking space
    assert index["I.1.2"].max == Decimal("1.5")  # "  1,5 "
    assert index["II.1.2"].max == Decimal("1.5")  # "1.5" typed as text
    assert index["I.1.1.1"].bands[1].points == Decimal("0.5")  # a float cell
    assert index["I.1.1.1"].bands[0].condition.measure == "days_late"
    assert [n.id for n in index["I"].children] == ["I.1", "I.2"]  # TT typed as the number 1, 2


def test_fifth_column_is_ignored_with_a_note(tmp_path):
    result = import_any(fixture(tmp_path, "phong_tu_cham_2024.docx"))
    assert any("Điểm tự chấm" in note for note in result.notes)
    index = result.rubric.index()
    assert index["I"].max == 4 and index["II"].max == 2  # "4,0" and "2" + NBSP; not the self-scores
    assert index["I.2"].evidence == ["Báo cáo quý I, 6 tháng, quý III", "Báo cáo năm 2024"]
    assert result.rubric.declared_total == 6


def test_unreadable_number_is_a_warning_naming_the_row_and_the_row_is_kept(tmp_path):
    result = import_any(fixture(tmp_path, "bad_hai_diem.xlsx"))
    assert len(result.warnings) >= 1
    assert "bad_hai_diem.xlsx, trang 'Sheet', hàng 3" in result.warnings[0]
    assert "hai điểm" in result.warnings[0]
    assert [r.points for r in result.unplaced] == ["hai điểm"]
    node = result.rubric.index()["I.1"]
    assert node.max is None and [b.text for b in node.bands] == ["Có", "Không"]  # bands stay with it


def test_row_outside_any_section_is_a_warning_and_kept(tmp_path):
    result = import_any(fixture(tmp_path, "bad_outside_section.docx"))
    assert result.warnings == ["bad_outside_section.docx, bảng 1, hàng 2: dòng nằm ngoài mọi mục I, II, III — "
                               "giữ nguyên dạng chữ: 1 | Tiêu chí viết trước mọi mục | 1"]
    assert result.unplaced[0].content == "Tiêu chí viết trước mọi mục"
    assert [n.id for n in result.rubric.walk()] == ["I", "I.1"]


@pytest.mark.parametrize("name, words", [
    ("bad_no_table.docx", "không tìm thấy bảng bộ tiêu chí"),
    ("bad_corrupt.docx", "không phải tệp Word .docx hợp lệ"),
])
def test_unreadable_files_raise_a_vietnamese_error(tmp_path, name, words):
    with pytest.raises(ImportFormatError) as caught:
        import_any(fixture(tmp_path, name))
    assert words in str(caught.value) and name in str(caught.value) and caught.value.fix


@pytest.mark.parametrize("content", [b"PK\x03\x04 truncated zip", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old"])
def test_damaged_or_old_format_xlsx_is_refused_clearly(tmp_path, content):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError) as caught:
        import_any(path)
    assert "hong.xlsx" in str(caught.value) and ".xlsx" in str(caught.value)


def test_unknown_extension_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "bo.doc"
    path.write_bytes(b"x")
    with pytest.raises(ImportFormatError, match=r"\.doc"):
        import_any(path)


def test_build_rubric_folds_spaces_and_reads_decimal_commas():
    rows = [Row("I", "MỤC\u00a0 MỘT", "1,5", [], "r1"), Row("1", " Tiêu  chí ", "1,5\u00a0", ["Báo cáo"], "r2"),
            Row("", "Có", "1,5", [], "r3"), Row("", "Không", "0", [], "r4")]
    rubric = build_rubric(rows).rubric
    assert rubric.sections[0].title == "MỤC MỘT"
    assert rubric.index()["I.1"].title == "Tiêu chí" and rubric.index()["I.1"].max == Decimal("1.5")


def test_numbered_row_without_text_gets_a_visible_placeholder_and_a_warning():
    result = build_rubric([Row("I", "MỤC", "1", [], "r1"), Row("1", "", "1", [], "r2")])
    assert result.rubric.index()["I.1"].title == "(chưa có nội dung)"
    assert any("r2" in w for w in result.warnings)


# --------------------------------------------------------------------------- the command

def test_cli_import_writes_yaml_shows_findings_and_refuses_to_overwrite(tmp_path, capsys):
    source = fixture(tmp_path, "xa_quang_an_2024.docx")
    out = tmp_path / "drafts" / "xa.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 1  # the fixture's two errors
    printed = capsys.readouterr().out
    assert "các tiêu chí con cộng lại" in printed and "không có mức điểm nào cho" in printed  # sum, coverage gap
    assert "Kết quả: 2 lỗi" in printed
    assert load_rubric_file(out).index()["II.2"].max == 4
    before = out.read_bytes()
    assert main(["import", str(source), "-o", str(out)]) == 2
    assert "đã có" in capsys.readouterr().err and out.read_bytes() == before
    assert main(["import", str(source), "-o", str(out), "--force"]) == 1


def test_cli_import_keeps_unplaced_rows_verbatim_in_the_yaml(tmp_path, capsys):
    out = tmp_path / "h.yaml"
    assert main(["import", str(fixture(tmp_path, "bad_hai_diem.xlsx")), "-o", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    assert "# - bad_hai_diem.xlsx, trang 'Sheet', hàng 3: 1 | Ban hành kế hoạch | hai điểm | Kế hoạch" in text
    assert "Cảnh báo:" in capsys.readouterr().err
    load_rubric_file(out)  # still a valid rubric file


@pytest.mark.parametrize("name", ["bad_corrupt.docx", "bad_no_table.docx"])
def test_cli_import_of_unreadable_file_exits_2_without_traceback(tmp_path, capsys, name):
    out = tmp_path / "x.yaml"
    assert main(["import", str(fixture(tmp_path, name)), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi:") and "Traceback" not in err and "Cách sửa" in err
    assert not out.exists()
