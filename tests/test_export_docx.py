"""The Word appendix table: its rows, its page, and that it reads back as the same rubric."""

from __future__ import annotations

from docx import Document

from cchc_consult.render.docx_table import add_rubric_table, new_a4_document, rubric_to_docx
from cchc_consult.schema import load_rubric_file
from tests.conftest import V1, leaf, make_rubric, section


def small_rubric():
    rubric = make_rubric([section("I", "3", [leaf("I.1", "1.5", [("Có", "1.5"), ("Không", "0")]),
                                             leaf("I.2", "1.5")])], total="3")
    rubric.sections[0].children[0].bands[1].evidence = ["Biên bản"]
    return rubric


def texts(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_add_rubric_table_appends_header_rows_bands_and_total_to_any_document():
    document = Document()
    document.add_paragraph("PHỤ LỤC")
    table = add_rubric_table(document, small_rubric())
    assert document.tables[-1]._tbl is table._tbl
    assert texts(table) == [
        ["TT", "Nội dung", "Điểm chuẩn", "Tài liệu kiểm chứng"],
        ["I", "MỤC I", "3", ""],
        ["1", "Tiêu chí I.1", "1,5", "Báo cáo"],
        ["", "Có", "1,5", ""],
        ["", "Không", "0", "Biên bản"],
        ["2", "Tiêu chí I.2", "1,5", "Báo cáo"],
        ["", "Đạt", "1,5", ""],
        ["", "Không đạt", "0", ""],
        ["", "CỘNG ĐIỂM", "3", ""],
    ]
    section_run = table.rows[1].cells[1].paragraphs[0].runs[0]
    band_paragraph = table.rows[3].cells[1].paragraphs[0]
    assert section_run.bold and section_run.font.name == "Times New Roman"
    assert band_paragraph.paragraph_format.left_indent > 0 and not band_paragraph.runs[0].bold
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # the header repeats on every page
    assert all(row._tr.trPr.xpath("./w:cantSplit") for row in table.rows)  # no row breaks across pages


def test_line_breaks_and_spaces_inside_a_cell_are_kept():
    rubric = small_rubric()
    rubric.sections[0].children[0].title = "Dòng một\nDòng hai"
    table = add_rubric_table(Document(), rubric)
    assert table.rows[2].cells[1].text == "Dòng một\nDòng hai"


def test_no_total_row_when_the_rubric_declares_none():
    rubric = small_rubric()
    rubric.declared_total = None
    table = add_rubric_table(Document(), rubric)
    assert texts(table)[-1][1] == "Không đạt"


def test_whole_document_is_a4_portrait_with_vietnamese_margins():
    document = rubric_to_docx(load_rubric_file(V1))
    page = document.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    assert round(page.left_margin.mm) == 30 and 15 <= round(page.right_margin.mm) <= 20
    assert 20 <= round(page.top_margin.mm) <= 25 and 20 <= round(page.bottom_margin.mm) <= 25
    assert document.styles["Normal"].font.size.pt == 13
    assert document.paragraphs[0].text.startswith("HƯỚNG DẪN TỰ ĐÁNH GIÁ")
    rows = document.tables[0].rows
    assert rows[-1].cells[1].text == "CỘNG ĐIỂM I + II+III" and rows[-1].cells[2].text == "100"
    assert round(new_a4_document().sections[0].left_margin.mm) == 30
