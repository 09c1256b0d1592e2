"""The papers around the decision — công văn, tờ trình, results decision — as Word, HTML (a template the
workspace can override, like the decision's) and PDF when LibreOffice is installed; page numbers in the HTML."""

from __future__ import annotations

import re
import shutil

import pytest

from cchc_consult.circulation import write_letter
from cchc_consult.cli import main
from cchc_consult.publish import publish
from cchc_consult.score.announce import announce
from cchc_consult.submission import write_submission
from cchc_consult.workspace import Workspace
from tests.conftest import REPO


@pytest.fixture
def ws(workspace) -> Workspace:
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    return Workspace(workspace)


def override(ws: Workspace, name: str, marker: str) -> None:
    """A workspace template extending the packaged one, adding a marker after the body."""
    folder = ws.root / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text('{% extends "nd30.html.j2" %}{% block body %}<p id="own">' + marker
                               + "</p>{{ super() }}{% endblock %}", encoding="utf-8")


def papers(ws: Workspace, tmp_path) -> dict[str, dict]:
    letter, _ = write_letter(ws, "v1", "1632/UBND", "2023-07-26", tmp_path / "cv", pdf=False)
    submission, _, _ = write_submission(ws, "v2", tmp_path / "tt", signer_name="Trần Văn B", pdf=False)
    publish(ws, "v2", "125/QĐ-UBND", "2023-09-01", out_dir=tmp_path / "qd", pdf=False)
    results, _ = announce(ws, "130", "2024-01-15", out_dir=tmp_path / "kq", pdf=False)
    return {"cong-van": letter, "to-trinh": submission, "ket-qua": results}


def test_every_paper_is_written_as_word_and_html_with_the_same_words(ws, tmp_path):
    written = papers(ws, tmp_path)
    html = {kind: files["html"].read_text(encoding="utf-8") for kind, files in written.items()}
    assert all(files["docx"].exists() for files in written.values())
    assert "PHỤ LỤC DỰ THẢO" in html["cong-van"] and "Kèm theo Công văn số 1632/UBND ngày" in html["cong-van"]
    assert "V/v lấy ý kiến góp ý dự thảo" in html["cong-van"]
    assert "TỜ TRÌNH" in html["to-trinh"] and "Số: 95/TTr-NV" in html["to-trinh"] and "Trần Văn B" in html["to-trinh"]
    assert "Kính gửi: Chủ tịch UBND huyện Quảng Điền." in html["to-trinh"]
    assert "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023" in html["ket-qua"]
    assert "Căn cứ Quyết định số 125/QĐ-UBND ngày 01 tháng 9 năm 2023" in html["ket-qua"]
    names = [o.name for o in ws.offices()]
    ranking = html["ket-qua"][html["ket-qua"].index("ranking"):]
    assert sum(name in ranking for name in names) == len(names)
    assert all("…" not in text for text in html.values())


def test_the_html_of_every_paper_numbers_its_pages_from_page_two_in_the_top_margin(ws, tmp_path):
    written = papers(ws, tmp_path)
    decision_html = next((tmp_path / "qd").glob("*.html")).read_text(encoding="utf-8")
    for text in [decision_html] + [files["html"].read_text(encoding="utf-8") for files in written.values()]:
        css = re.sub(r"\s+", " ", text)
        assert "@top-center { content: counter(page);" in css
        assert "@page :first { @top-center { content: none; } }" in css  # NĐ 30: page 1 is not numbered


@pytest.mark.parametrize("name", ["cong-van.html.j2", "to-trinh.html.j2", "ket-qua.html.j2"])
def test_a_workspace_template_overrides_the_packaged_one(ws, tmp_path, name):
    override(ws, name, "MẪU CỦA HUYỆN <b>")
    written = papers(ws, tmp_path)
    kind = name.removesuffix(".html.j2")
    text = written[kind]["html"].read_text(encoding="utf-8")
    assert '<p id="own">MẪU CỦA HUYỆN <b></p>' in text  # the template's own markup, as written
    others = [files["html"].read_text(encoding="utf-8") for k, files in written.items() if k != kind]
    assert all('id="own"' not in other for other in others)


def test_a_broken_workspace_template_is_refused_before_anything_is_written(ws, tmp_path):
    (ws.root / "templates").mkdir()
    (ws.root / "templates" / "to-trinh.html.j2").write_text("{% block body %}", encoding="utf-8")
    code = main(["-w", str(ws.root), "submit", "v2", "-o", str(tmp_path / "tt"), "--no-pdf"])
    assert code == 2 and not (tmp_path / "tt").exists()


def test_without_libreoffice_the_word_and_html_are_written_and_the_missing_pdf_is_said(ws, tmp_path, capsys,
                                                                                       monkeypatch):
    import cchc_consult.publish as publishing

    monkeypatch.setattr(publishing.shutil, "which", lambda name: None)
    publish(ws, "v2", "125/QĐ-UBND", "2023-09-01", out_dir=tmp_path / "qd", pdf=False)
    code = main(["-w", str(ws.root), "announce", "--number", "130", "--date", "15/01/2024", "-o", str(tmp_path)])
    out = capsys.readouterr()
    assert code == 0 and "không có LibreOffice (soffice)" in out.err
    assert {p.suffix for p in tmp_path.glob("QD-130-*")} == {".docx", ".html"}
    code = main(["-w", str(ws.root), "submit", "v2", "-o", str(tmp_path / "tt")])
    assert code == 0 and "không có LibreOffice (soffice)" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="cần LibreOffice (soffice) để chuyển sang PDF")
def test_with_libreoffice_each_paper_has_its_pdf(ws, tmp_path):
    files, note, _ = write_submission(ws, "v2", tmp_path, pdf=True)
    assert note == "" and files["pdf"].read_bytes().startswith(b"%PDF")
