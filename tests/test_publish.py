"""`cchc publish`: refusal on errors, a reason recorded, the version frozen, the decision's paragraphs."""

from __future__ import annotations

from datetime import date

import shutil

import pytest

from cchc_consult.check import check
from cchc_consult.findings import summary
from cchc_consult.cli import main
from cchc_consult.accepted import accept_finding
from cchc_consult.errors import FrozenVersionError, PublishRefusedError, ValidationError
from cchc_consult.model import Band
from cchc_consult.publish import (
    build_decision, decision_text_from_data, load_decision_text, publish,
)
from cchc_consult.document import RubricDocument
from cchc_consult.schema import load_rubric_file, save_new_rubric
from cchc_consult.vn import format_date_long, format_date_nd30
from cchc_consult.yamlio import parse_yaml
from cchc_consult.workspace import Workspace
from tests.conftest import REPO, D, leaf, make_rubric, section


def clean_rubric():
    """A small rubric with no error findings (sums right, bands up to each maximum)."""
    a = leaf("I.1", "2", [("Có ban hành kế hoạch", "2"), ("Không ban hành", "0")], title="Ban hành kế hoạch CCHC")
    b = leaf("I.2", "1,5".replace(",", "."), [("Đạt", "1.5"), ("Không đạt", "0")], title="Tuyên truyền CCHC")
    c = leaf("II.1", "3", [("Đủ, đúng hạn", "3"), ("Chậm", "1"), ("Không thực hiện", "0")],
             title="Báo cáo quyết toán")
    rubric = make_rubric([section("I", "3.5", [a, b], "CHỈ ĐẠO, ĐIỀU HÀNH"),
                          section("II", "3", [c], "KẾT QUẢ THỰC HIỆN")], total="6.5")
    rubric.meta.version = "v3"
    rubric.meta.note = "* Ghi chú: tiêu chí không phát sinh nhiệm vụ thì không chấm điểm./."
    return rubric


@pytest.fixture
def ws(workspace) -> Workspace:
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    space = Workspace(workspace)
    rubric = clean_rubric()
    assert summary(check(rubric))[0] == 0
    save_new_rubric(rubric, space.version_path("v3"))
    return space


def docx_texts(path):
    from docx import Document

    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return document, paragraphs, cells


def test_refused_while_the_version_has_errors(ws, tmp_path, capsys):
    before = (ws.history_file.read_text(encoding="utf-8"), ws.version_path("v1").read_bytes())
    with pytest.raises(PublishRefusedError) as info:
        publish(ws, "v1", "125/QĐ-UBND", "2023-09-01", out_dir=tmp_path / "out", pdf=False)
    errors = summary(check(ws.rubric("v1")))[0]
    assert f"còn {errors} lỗi" in info.value.message and "--accept" in info.value.fix
    assert (ws.history_file.read_text(encoding="utf-8"), ws.version_path("v1").read_bytes()) == before
    assert not (tmp_path / "out").exists()
    code = main(["-w", str(ws.root), "publish", "v1", "--number", "125/QĐ-UBND", "--date", "2023-09-01",
                 "--no-pdf"])
    assert code == 2 and "chưa thể ban hành" in capsys.readouterr().err


def test_a_blanket_reason_no_longer_publishes(ws, tmp_path, capsys):
    code = main(["-w", str(ws.root), "publish", "v1", "--number", "125", "--date", "2023-09-01",
                 "--reason", "…", "--no-pdf", "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "--accept" in err and "Traceback" not in err
    assert ws.history()["v1"].status == "circulated"


def test_errors_accepted_one_by_one_then_published(ws, tmp_path, capsys):
    errors = [f for f in check(ws.rubric("v1")) if f.severity == "error"]
    first, rest = errors[0], errors[1:]
    code = main(["-w", str(ws.root), "check", "v1", "--accept", first.code, first.node,
                 "--reason", "Ban Chỉ đạo thống nhất giữ nguyên mức này"])
    assert code == 0 and ws.accepted_file.exists()
    capsys.readouterr()
    main(["-w", str(ws.root), "check", "v1"])
    out = capsys.readouterr().out
    assert "ĐÃ CHẤP NHẬN" in out and "Ban Chỉ đạo thống nhất giữ nguyên mức này" in out
    assert f"Kết quả: {len(rest)} lỗi" in out
    with pytest.raises(PublishRefusedError) as info:  # one accepted is not all accepted
        publish(ws, "v1", "125/QĐ-UBND", "2023-09-01", out_dir=tmp_path, pdf=False)
    assert f"còn {len(rest)} lỗi" in info.value.message
    for f in rest:
        accept_finding(ws, "v1", f.code, f.node, f"Giữ lại {f.node} theo ý kiến Ban Chỉ đạo", check(ws.rubric("v1")))
    result = publish(ws, "v1", "125/QĐ-UBND", "1/9/2023", out_dir=tmp_path, pdf=False)
    record = ws.history()["v1"]
    assert (record.status, record.decision, record.decision_date) == ("final", "125/QĐ-UBND", "2023-09-01")
    assert f"chấp nhận {len(errors)} lỗi" in record.events[-1].reason
    assert result.accepted_findings == len(errors) and result.files["docx"].exists()


def test_a_clean_version_is_published_and_frozen(ws, tmp_path, capsys):
    code = main(["-w", str(ws.root), "publish", "v3", "--number", "125", "--date", "2023-09-01",
                 "--signer", "Nguyễn Văn A", "-o", str(tmp_path), "--no-pdf"])
    out = capsys.readouterr().out
    assert code == 0 and "Đã ban hành v3 theo Quyết định số 125/QĐ-UBND" in out
    assert load_rubric_file(ws.version_path("v3")).meta.status == "final"
    assert ws.history()["v3"].status == "final"
    with pytest.raises(FrozenVersionError):
        doc = RubricDocument.open(ws.version_path("v3"))
        doc.set_fields("I.1", {"max": "3"})
        doc.save()
    # the same decision again only re-renders; another number for a final version is refused
    assert publish(ws, "v3", "125/QĐ-UBND", "2023-09-01", out_dir=tmp_path, pdf=False).files
    with pytest.raises(PublishRefusedError) as info:
        publish(ws, "v3", "126/QĐ-UBND", "2023-09-02", out_dir=tmp_path, pdf=False)
    assert "không ban hành hai lần" in info.value.message and "draft new" in info.value.fix


def test_docx_has_the_decision_and_every_criterion(ws, tmp_path):
    result = publish(ws, "v3", "125/QĐ-UBND", "2023-09-05", signer="Nguyễn Văn A", out_dir=tmp_path, pdf=False)
    document, paragraphs, cells = docx_texts(result.files["docx"])
    section_ = document.sections[0]
    assert round(section_.page_width.mm) == 210 and round(section_.page_height.mm) == 297
    assert round(section_.left_margin.mm) == 30 and round(section_.right_margin.mm) == 15
    assert 20 <= round(section_.top_margin.mm) <= 25
    # header block (borderless table) and signature block
    for expected in ("ỦY BAN NHÂN DÂN", "HUYỆN QUẢNG ĐIỀN", "Số: 125/QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Quảng Điền, ngày 05 tháng 9 năm 2023", "Nơi nhận:",
                     "- Như Điều 3;", "- Lưu: VT, NV.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"):
        assert expected in cells, expected
    assert "QUYẾT ĐỊNH" in paragraphs and "QUYẾT ĐỊNH:" in paragraphs and "PHỤ LỤC" in paragraphs
    bases = [p for p in document.paragraphs if p.text.startswith(("Căn cứ", "Xét đề nghị"))]
    assert len(bases) == 4 and all(r.italic for p in bases for r in p.runs)
    assert all(p.text.endswith(";") for p in bases[:-1]) and bases[-1].text.endswith(".")
    articles = [p for p in paragraphs if p.startswith("Điều ")]
    assert [a.split(".")[0] for a in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    assert articles[-1].endswith("./.")
    motto = next(r for t in document.tables for c in t.rows[0].cells for p in c.paragraphs for r in p.runs
                 if r.text == "Độc lập - Tự do - Hạnh phúc")
    assert motto.bold and motto.underline
    assert "(Kèm theo Quyết định số 125/QĐ-UBND ngày 05/9/2023 của UBND huyện Quảng Điền)" in paragraphs
    heading = next(p for p in document.paragraphs if p.text == "PHỤ LỤC")
    assert heading.paragraph_format.page_break_before
    rubric = load_rubric_file(ws.version_path("v3"))
    for node in rubric.walk():
        assert node.title in cells, node.title
    assert "CỘNG ĐIỂM" in cells and "6,5" in cells


def test_html_escapes_user_text(ws, tmp_path):
    text = (ws.root / "decision.yaml").read_text(encoding="utf-8")
    (ws.root / "decision.yaml").write_text(
        text.replace("proposal: Xét đề nghị của Trưởng phòng Nội vụ",
                     "proposal: Xét đề nghị <script>alert(1)</script> của Trưởng phòng Nội vụ"), encoding="utf-8")
    rubric = clean_rubric()
    rubric.sections[0].children[0].title = "Kế hoạch <b>CCHC</b> & tuyên truyền"
    save_new_rubric(rubric, ws.version_path("v4"))
    result = publish(ws, "v4", "7/QĐ-UBND", "2023-09-01", signer="<i>Lê Văn B</i>", out_dir=tmp_path, pdf=False)
    html = result.files["html"].read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Kế hoạch &lt;b&gt;CCHC&lt;/b&gt; &amp; tuyên truyền" in html
    assert "&lt;i&gt;Lê Văn B&lt;/i&gt;" in html
    assert "Điều 1.</b>" in html and "PHỤ LỤC" in html and "QUYẾT ĐỊNH:" in html


def test_words_come_from_the_workspace_decision_yaml(ws, tmp_path):
    path = ws.root / "decision.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("authority: TM. ỦY BAN NHÂN DÂN", "authority: KT. CHỦ TỊCH")
                    .replace("title: CHỦ TỊCH ", "title: PHÓ CHỦ TỊCH "), encoding="utf-8")
    result = publish(ws, "v3", "9", "2023-09-01", out_dir=tmp_path, pdf=False)
    _, _, cells = docx_texts(result.files["docx"])
    assert "KT. CHỦ TỊCH" in cells and "PHÓ CHỦ TỊCH" in cells and "Số: 9/QĐ-UBND" in cells


def test_decision_yaml_errors_name_the_line():
    data = parse_yaml("format: cchc-decision/1\nissuer:\n  name: HUYỆN X\nplace: X\n", "decision.yaml")
    with pytest.raises(ValidationError) as info:
        decision_text_from_data(data, "decision.yaml")
    assert info.value.path == "decision.yaml" and info.value.line


def test_dates_and_punctuation_the_nd30_way(ws):
    assert (format_date_long(date(2023, 9, 5)), format_date_nd30(date(2023, 9, 5))) == \
        ("ngày 05 tháng 9 năm 2023", "05/9/2023")
    assert (format_date_long(date(2023, 2, 15)), format_date_nd30(date(2023, 2, 15))) == \
        ("ngày 15 tháng 02 năm 2023", "15/02/2023")
    text = load_decision_text(ws)
    text.legal_bases = ["Căn cứ A.", "Căn cứ B;"]
    text.proposal = ""
    text.recipients = ["Như Điều 3", "Lưu: VT."]
    decision = build_decision(text, clean_rubric(), "12", "2023-09-05")
    assert decision.bases == ["Căn cứ A;", "Căn cứ B."]
    assert decision.recipients == ["- Như Điều 3;", "- Lưu: VT."]
    assert decision.number_line == "Số: 12/QĐ-UBND"
    assert decision.subject.endswith("năm 2023 đối với các cơ quan chuyên môn thuộc UBND huyện")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice không có trên máy")
def test_pdf_is_made_when_libreoffice_exists(ws, tmp_path):
    result = publish(ws, "v3", "125/QĐ-UBND", "2023-09-01", out_dir=tmp_path)
    assert result.files["pdf"].read_bytes()[:5] == b"%PDF-"


def test_bands_are_rows_of_the_appendix(ws, tmp_path):
    rubric = clean_rubric()
    rubric.sections[1].children[0].bands.append(Band("Báo cáo sai mẫu", D("0")))
    save_new_rubric(rubric, ws.version_path("v5"))
    result = publish(ws, "v5", "10", "2023-09-01", out_dir=tmp_path, pdf=False)
    _, _, cells = docx_texts(result.files["docx"])
    assert "Báo cáo sai mẫu" in cells and "Đủ, đúng hạn" in cells
