"""render/: one Jinja environment per output kind, one Markdown escaper, workspace templates for every document."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cchc_consult.cli import main

from cchc_consult.consult.feedback import build_feedback
from cchc_consult.diff import diff_rubrics
from cchc_consult.render import environment, render_rubric
from cchc_consult.render.diff import render_markdown
from cchc_consult.render.escape import markdown_text
from cchc_consult.render.feedback import render_feedback_markdown
from cchc_consult.render.rubric import rubric_to_markdown
from cchc_consult.schema import load_rubric_file
from cchc_consult.workspace import Workspace

TITLE = "Kế hoạch *CCHC* _năm_ [xem](http://x) ![ảnh](a.png) `mã` <b>đậm</b> a|b ~x~ C:\\thu-muc\\* &amp;"


def test_a_title_with_markdown_specials_is_escaped_the_same_in_every_markdown_output(workspace):
    consultation = Workspace(workspace).consultation()
    before = load_rubric_file(workspace / "rubric" / "drafts" / "v1.yaml")
    consultation.rubric.index()["II.6.6.3"].title = TITLE  # a criterion KTHT commented on
    escaped = markdown_text(TITLE)
    assert "\\*CCHC\\*" in escaped and "\\_năm\\_" in escaped and "\\[xem\\]" in escaped and "!\\[ảnh\\]" in escaped
    assert "\\`mã\\`" in escaped and "&lt;b&gt;" in escaped and "a\\|b" in escaped and "\\~x\\~" in escaped
    outputs = {
        "export": rubric_to_markdown(consultation.rubric),
        "diff": render_markdown(diff_rubrics(before, consultation.rubric), "v1", "v2"),
        "feedback": render_feedback_markdown(build_feedback(consultation, dt.date(2023, 8, 25))),
    }
    for kind, text in outputs.items():
        assert escaped in text, kind
        assert TITLE not in text and "<b>" not in text, kind


def test_one_environment_per_kind_and_each_escapes_its_own_way(tmp_path):
    html, md, text = environment("html"), environment("md"), environment("text")
    assert environment("html") is html  # set up once
    user = "<b>a*b</b>"
    assert html.from_string("{{ x }}").render(x=user) == "&lt;b&gt;a*b&lt;/b&gt;"
    assert md.from_string("{{ x }}").render(x=user) == "&lt;b&gt;a\\*b&lt;/b&gt;"
    assert md.from_string("{{ x | md }}").render(x=["a|b", "c\nd"]) == "a\\|b<br>c<br>d"
    assert text.from_string("{{ x }}").render(x=user) == user
    with pytest.raises(ValueError):
        environment("pdf")


def test_a_workspace_template_overrides_the_packaged_one(tmp_path):
    own = tmp_path / "templates"
    own.mkdir()
    (own / "rubric.md.j2").write_text("Bảng riêng: {{ rows | length }} dòng, {{ title_lines[0] }}\n", encoding="utf-8")
    rubric = load_rubric_file(Path(__file__).resolve().parent.parent / "rubric" / "drafts" / "v1.yaml")
    mine = render_rubric(rubric, "md", own).decode("utf-8")
    assert mine.startswith("Bảng riêng: ") and "dòng" in mine
    assert render_rubric(rubric, "md").decode("utf-8").startswith("**")  # others still get the packaged one
    assert render_rubric(rubric, "md", tmp_path / "no-such-folder") == render_rubric(rubric, "md")


@pytest.mark.parametrize("template, argv, marker", [
    ("rubric.md.j2", ["export", "v1", "--to", "md"], "XUẤT RIÊNG"),
    ("diff.md.j2", ["diff", "v1", "v2", "--format", "md"], "SO SÁNH RIÊNG"),
    ("feedback.md.j2", ["report", "feedback", "--to", "md", "--as-of", "25/8/2023"], "BẢNG RIÊNG"),
    ("score.html.j2", ["score", "--format", "html"], "ĐIỂM RIÊNG"),
])
def test_every_document_command_uses_the_workspace_templates(workspace, capsys, template, argv, marker):
    (workspace / "templates").mkdir()
    (workspace / "templates" / template).write_text(marker + " {{ 1 + 1 }}\n", encoding="utf-8")
    code = main(["-w", str(workspace), *argv])
    assert code in (0, 1)
    assert f"{marker} 2" in capsys.readouterr().out


def test_score_report_names_offices_from_the_workspace_list(workspace, capsys):
    offices = workspace / "offices.yaml"
    if not offices.exists():
        shutil.copy(Path(__file__).parent / "fixtures" / "tui" / "offices.yaml", offices)
    text = offices.read_text(encoding="utf-8")
    assert "name: Phòng Tư pháp" in text
    offices.write_text(text.replace("name: Phòng Tư pháp", "name: Phòng Tư pháp huyện (tên trong offices.yaml)"),
                       encoding="utf-8")
    main(["-w", str(workspace), "score", "--format", "html"])
    html = capsys.readouterr().out
    assert "Phòng Tư pháp huyện (tên trong offices.yaml) (TP)" in html


@pytest.mark.parametrize("broken", ["{{ khong_co_bien }}", "{% for x in %}", "{{ rows | khong_co_bo_loc }}"])
def test_a_broken_workspace_template_is_a_clear_error_not_a_traceback(workspace, capsys, broken):
    (workspace / "templates").mkdir()
    (workspace / "templates" / "rubric.md.j2").write_text("dòng một\n" + broken + "\n", encoding="utf-8")
    assert main(["-w", str(workspace), "export", "v1", "--to", "md"]) == 2
    err = capsys.readouterr().err
    assert "rubric.md.j2" in err and "Cách sửa" in err and "Traceback" not in err
