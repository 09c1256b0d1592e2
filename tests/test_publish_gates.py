"""The gates of `cchc publish`: placeholders, a second final version, the decision-due date, accepted findings."""

from __future__ import annotations

import shutil

import pytest

from cchc_consult.accepted import accept_finding, accepted_from_data, split_accepted
from cchc_consult.check import check
from cchc_consult.findings import Finding
from cchc_consult.cli import main
from cchc_consult.errors import PublishRefusedError, ValidationError
from cchc_consult.publish import build_decision, publish, unfilled_fields
from cchc_consult.schema import save_new_rubric
from cchc_consult.workspace import Workspace
from cchc_consult.yamlio import parse_yaml
from tests.conftest import REPO
from tests.test_publish import clean_rubric, docx_texts


@pytest.fixture
def ws(workspace) -> Workspace:
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    space = Workspace(workspace)
    save_new_rubric(clean_rubric(), space.version_path("v3"))
    rubric = clean_rubric()
    rubric.meta.version = "v4"
    save_new_rubric(rubric, space.version_path("v4"))
    return space


def edit_decision(ws, old: str, new: str) -> None:
    path = ws.root / "decision.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_placeholder_in_the_decision_is_refused_naming_the_field(ws, tmp_path):
    edit_decision(ws, "number: 95/TTr-NV", "number: …/TTr-NV")
    with pytest.raises(PublishRefusedError) as info:
        publish(ws, "v3", "125", "2023-09-01", out_dir=tmp_path, pdf=False)
    assert "submission.number" in info.value.message and "decision.yaml" in info.value.path
    assert ws.history().get("v3") is None  # nothing frozen


def test_an_empty_signer_is_refused_unless_given_on_the_command_line(ws, tmp_path, capsys):
    edit_decision(ws, "name: Nguyễn Văn A ", 'name: "" ')
    code = main(["-w", str(ws.root), "publish", "v3", "--number", "125", "--date", "2023-09-01", "--no-pdf",
                 "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "signer.name" in err and "--signer" in err
    result = publish(ws, "v3", "125", "2023-09-01", signer="Trần Thị B", out_dir=tmp_path, pdf=False)
    _, _, cells = docx_texts(result.files["docx"])
    assert "Trần Thị B" in cells


def test_the_package_default_wording_is_not_signable_until_filled(ws, tmp_path):
    (ws.root / "decision.yaml").unlink()
    gaps = unfilled_fields(ws.decision())
    assert any(g.startswith("legal_bases, dòng 3") for g in gaps) and "signer.name: chưa ghi họ tên người ký" in gaps
    with pytest.raises(PublishRefusedError):
        publish(ws, "v3", "125", "2023-09-01", signer="Nguyễn Văn A", out_dir=tmp_path, pdf=False)


def test_the_decision_cites_the_submission_and_what_it_replaces(ws):
    decision = build_decision(ws.decision(), clean_rubric(), "125", "2023-09-01")
    assert decision.bases[-1] == "Xét đề nghị của Trưởng phòng Nội vụ tại Tờ trình số 95/TTr-NV ngày 30 tháng 8 năm 2023."
    assert any("Thừa Thiên Huế" in b for b in decision.bases)
    effect = decision.articles[1][1]
    assert "kể từ ngày ký và thay thế Quyết định số 1050/QĐ-UBND ngày 15 tháng 3 năm 2022 của UBND huyện" in effect
    assert not any("…" in text for _, text in decision.articles) and "…" not in decision.bases[-1]


def test_a_second_final_version_needs_replace_and_says_so_on_paper(ws, tmp_path, capsys):
    publish(ws, "v3", "125", "2023-09-01", out_dir=tmp_path, pdf=False)
    with pytest.raises(PublishRefusedError) as info:
        publish(ws, "v4", "130", "2023-09-04", out_dir=tmp_path, pdf=False)
    assert "đã có bản ban hành: v3" in info.value.message and "--replace" in info.value.fix
    with pytest.raises(ValidationError):  # a reason that says nothing
        publish(ws, "v4", "130", "2023-09-04", replace="…", out_dir=tmp_path, pdf=False)
    code = main(["-w", str(ws.root), "publish", "v4", "--number", "130", "--date", "2023-09-04", "--no-pdf",
                 "-o", str(tmp_path), "--replace", "Sửa điểm chuẩn tiêu chí I.1 theo kết luận Ban Chỉ đạo"])
    assert code == 0 and "thay thế Quyết định số 125/QĐ-UBND" in capsys.readouterr().out
    history = ws.history()
    assert history["v4"].status == "final" and "Sửa điểm chuẩn" in history["v4"].events[-1].reason
    assert history["v3"].events[-1].what == "replaced"
    _, paragraphs, _ = docx_texts(next(tmp_path.glob("QD-130-*.docx")))
    assert any("thay thế Quyết định số 125/QĐ-UBND ngày 01 tháng 9 năm 2023" in p for p in paragraphs)


def test_a_date_after_the_decision_due_date_needs_a_late_reason(ws, tmp_path):
    due = ws.round().decision_due
    with pytest.raises(PublishRefusedError) as info:
        publish(ws, "v3", "125", "2023-09-06", out_dir=tmp_path, pdf=False)
    assert "sau hạn ban hành" in info.value.message and due.isoformat() in info.value.fix
    publish(ws, "v3", "125", "2023-09-06", late_reason="Chờ ý kiến Ban Thường vụ Huyện ủy", out_dir=tmp_path,
            pdf=False)
    assert "ban hành sau hạn 2023-09-05" in ws.history()["v3"].events[-1].reason


def test_on_the_due_date_no_reason_is_needed(ws, tmp_path):
    assert publish(ws, "v3", "125", "2023-09-05", out_dir=tmp_path, pdf=False).late_reason == ""


def test_accept_refuses_an_unknown_finding_and_an_empty_reason(ws, capsys):
    findings = check(ws.rubric("v1"))
    with pytest.raises(ValidationError) as info:
        accept_finding(ws, "v1", "coverage-gap", "I.1.1", "Giữ nguyên như dự thảo gửi", findings)
    assert "không có phát hiện" in info.value.message and "coverage-gap" in info.value.fix
    code = main(["-w", str(ws.root), "check", "v1", "--accept", "coverage-gap", "I.7", "--reason", "…"])
    assert code == 2 and "chưa nói gì" in capsys.readouterr().err
    assert not ws.accepted_file.exists()


def test_accepting_again_replaces_the_reason_and_keeps_other_lines(ws):
    findings = check(ws.rubric("v1"))
    accept_finding(ws, "v1", "coverage-gap", "I.7", "Lý do thứ nhất của Nội vụ", findings)
    accept_finding(ws, "v1", "sum-mismatch", "total", "Tổng cộng giữ theo công văn gốc", findings)
    accept_finding(ws, "v1", "coverage-gap", "I.7", "Lý do thứ hai thay lý do trước", findings)
    entries = ws.accepted()
    assert [(e.code, e.node, e.reason) for e in entries] == [
        ("sum-mismatch", "total", "Tổng cộng giữ theo công văn gốc"),
        ("coverage-gap", "I.7", "Lý do thứ hai thay lý do trước")]
    assert ws.accepted_file.read_text(encoding="utf-8").startswith("# Các lỗi kiểm tra")


def test_an_acceptance_holds_for_its_version_only():
    entries = accepted_from_data(parse_yaml(
        'format: cchc-accepted/1\naccepted:\n  - {version: "v2", code: coverage-gap, node: "I.7", reason: "Giữ vì lý do"}\n'))
    finding = Finding("coverage-gap", "I.7", "…")
    assert split_accepted("v2", [finding], entries)[1][0][0] is finding
    assert split_accepted("v3", [finding], entries) == ([finding], [])


def test_a_malformed_accepted_file_names_its_line():
    with pytest.raises(ValidationError) as info:
        accepted_from_data(parse_yaml("accepted:\n  - {version: v2, code: coverage-gap}\n", "accepted.yaml"),
                           "accepted.yaml")
    assert info.value.line == 2 and "node" in info.value.message


def test_the_word_file_numbers_pages_from_two_and_bolds_a_ubnd_issuer(ws, tmp_path):
    result = publish(ws, "v3", "125", "2023-09-01", out_dir=tmp_path, pdf=False)
    document, _, _ = docx_texts(result.files["docx"])
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == 1 and "PAGE" in header._p.xml and "fldChar" in header._p.xml  # 1: centred
    assert "PAGE" not in section.first_page_header._element.xml
    issuer = document.tables[0].rows[0].cells[0].paragraphs
    assert [p.text for p in issuer[:2]] == ["ỦY BAN NHÂN DÂN", "HUYỆN QUẢNG ĐIỀN"]
    assert all(r.bold for p in issuer[:2] for r in p.runs)
    assert not any(r.bold for r in issuer[3].runs)  # "Số: …" is not bold
    assert "cantSplit" in document.tables[1].rows[0]._tr.xml  # the signer's title never parts from the name


def test_a_body_under_a_parent_keeps_the_parent_line_regular(ws):
    text = ws.decision()
    text.issuer_parent, text.issuer_name, text.authority = "UBND HUYỆN QUẢNG ĐIỀN", "PHÒNG NỘI VỤ", "TRƯỞNG PHÒNG"
    assert not build_decision(text, clean_rubric(), "1", "2023-09-01").issuer_parent_bold
    assert build_decision(ws.decision(), clean_rubric(), "1", "2023-09-01").issuer_parent_bold
