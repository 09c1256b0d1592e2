"""Exporting the appendix table (Word, HTML, Markdown) and reading an exported Word file back."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_consult.cli import main
from cchc_consult.importers import import_any
from cchc_consult.model import Band
from cchc_consult.render import render_rubric
from cchc_consult.render.rubric import rubric_to_html, rubric_to_markdown
from cchc_consult.schema import load_rubric_file, rubric_to_data
from tests.conftest import V1, leaf, make_rubric, section
from tests.fixtures.rubrics.make_fixtures import EXPECTED_DEFECTS

FIXTURES = Path(__file__).parent / "fixtures" / "rubrics"


def structure(rubric) -> dict:
    """What must survive a round trip: ids, titles, points, bands, conditions, evidence, total, title, note."""
    data = rubric_to_data(rubric)
    meta = data.pop("meta")
    data["meta"] = {k: meta.get(k) for k in ("title", "subtitle", "year", "note")}
    return data


def roundtrip(rubric, tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_bytes(render_rubric(rubric, "docx"))
    return import_any(path)


def test_v1_exported_to_word_imports_back_the_same_rubric(tmp_path):
    v1 = load_rubric_file(V1)
    result = roundtrip(v1, tmp_path, "v1.docx")
    assert result.warnings == [] and result.notes == []
    assert structure(result.rubric) == structure(v1)


@pytest.mark.parametrize("name", sorted(EXPECTED_DEFECTS))
def test_docx_yaml_docx_yaml_is_stable_for_every_shape(tmp_path, name):
    shutil.copy(FIXTURES / name, tmp_path / name)
    first = import_any(tmp_path / name).rubric
    second = roundtrip(first, tmp_path, "a.docx").rubric
    third = roundtrip(second, tmp_path, "b.docx").rubric
    assert structure(second) == structure(first)
    assert structure(third) == structure(second)


def test_band_evidence_and_multiline_evidence_survive_the_round_trip(tmp_path):
    rubric = make_rubric([section("I", "2", [leaf("I.1", "2", [("Có", "2"), ("Không", "0")],
                                                  evidence=["Báo cáo quý", "Báo cáo năm"])])], total="2")
    rubric.sections[0].children[0].bands[1] = Band(text="Không", points=Decimal(0), evidence=["Biên bản kiểm tra"])
    back = roundtrip(rubric, tmp_path, "e.docx").rubric
    node = back.index()["I.1"]
    assert node.evidence == ["Báo cáo quý", "Báo cáo năm"]
    assert node.bands[1].evidence == ["Biên bản kiểm tra"]


def test_html_escapes_user_text_and_marks_sections_bands_and_total():
    rubric = make_rubric([section("I", "1.5", [leaf("I.1", "1.5", [("<b>Có</b> & đủ", "1.5"), ("Không", "0")],
                                                    title="{{ 7*7 }} <script>")])], total="1.5")
    html = rubric_to_html(rubric)
    assert "&lt;b&gt;Có&lt;/b&gt; &amp; đủ" in html and "<script>" not in html
    assert "{{ 7*7 }}" in html and "49" not in html  # user text is never a template
    assert '<tr class="section" data-id="I">' in html and 'class="band"' in html and 'class="total"' in html
    assert "<strong>1,5</strong>" in html  # decimal comma, bold section and total rows
    assert "Times New Roman" in html and "size: A4 portrait" in html


def test_markdown_table_escapes_pipes_and_bolds_sections():
    rubric = make_rubric([section("I", "2", [leaf("I.1", "2", [("Có | đủ *hết*", "2"), ("Không", "0")])])],
                         total="2")
    lines = rubric_to_markdown(rubric).splitlines()
    assert lines[2] == "| TT | Nội dung | Điểm chuẩn | Tài liệu kiểm chứng |"
    assert "| **I** | **MỤC I** | **2** |  |" in lines
    assert "|  | &emsp;Có \\| đủ \\*hết\\* | 2 |  |" in lines
    assert lines[-1] == "|  | **CỘNG ĐIỂM** | **2** |  |"


def test_v1_markdown_has_one_row_per_node_and_band_plus_header_and_total():
    v1 = load_rubric_file(V1)
    table = [line for line in rubric_to_markdown(v1).splitlines() if line.startswith("|")]
    bands = sum(len(n.bands) for n in v1.walk())
    assert len(table) == 2 + len(v1) + bands + 1
    assert table[-1] == "|  | **CỘNG ĐIỂM I + II+III** | **100** |  |"


@pytest.mark.parametrize("fmt, suffix", [("docx", ".docx"), ("html", ".html"), ("md", ".md")])
def test_cli_export_writes_each_format(workspace, fmt, suffix, capsys):
    out = workspace / f"phu_luc{suffix}"
    assert main(["-w", str(workspace), "export", "v1", "--to", fmt, "-o", str(out)]) == 0
    assert out.stat().st_size > 1000
    if fmt == "docx":
        assert import_any(out).rubric.declared_total == 100
    else:
        assert "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC" in out.read_text(encoding="utf-8")


def test_cli_export_infers_format_from_extension_and_refuses_docx_to_screen(workspace, capsys):
    assert main(["-w", str(workspace), "export", "v1", "--to", "md"]) == 0
    assert "| TT | Nội dung |" in capsys.readouterr().out
    assert main(["-w", str(workspace), "export", "v1", "--to", "docx"]) == 2
    assert "-o" in capsys.readouterr().err
    assert main(["-w", str(workspace), "export", "v1", "-o", str(workspace / "x.pdf")]) == 2
