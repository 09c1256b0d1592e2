"""The decision announcing the results: refused until every office is appraised, on the issued rubric only."""

from __future__ import annotations

import shutil

import pytest

from cchc_consult.cli import main
from cchc_consult.errors import PublishRefusedError
from cchc_consult.publish import publish
from cchc_consult.score.announce import announce
from cchc_consult.workspace import Workspace
from tests.conftest import REPO
from tests.test_publish import docx_texts


def appraise_everyone(ws: Workspace) -> list[str]:
    """An appraisal sheet with no change for every office that has none: 'đã thẩm định (không điều chỉnh)'."""
    done = {s.office for s in ws.sheets("appraisal")}
    added = [s.office for s in ws.sheets("self") if s.office not in done]
    for office in added:
        (ws.scores / "appraisal" / f"{office}.yaml").write_text(
            f'format: cchc-score/1\noffice: {office}\nrubric: "v2"\nkind: appraisal\ndate: "2023-11-20"\n'
            'assessor: "Tổ thẩm định"\nscores: []\n', encoding="utf-8")
    return added


@pytest.fixture
def ws(workspace) -> Workspace:
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    return Workspace(workspace)


def test_refused_while_an_office_is_not_appraised(ws, tmp_path):
    (ws.scores / "appraisal" / "GDDT.yaml").unlink()
    with pytest.raises(PublishRefusedError) as info:
        announce(ws, "130", "2023-12-20", out_dir=tmp_path, pdf=False)
    assert "còn 1 cơ quan chưa thẩm định (GDDT)" in info.value.message and "scores: []" in info.value.fix
    assert appraise_everyone(ws) == ["GDDT"]
    assert announce(ws, "130", "2023-12-20", out_dir=tmp_path, pdf=False)[0]["docx"].exists()


def test_the_results_decision_has_the_ranking_as_its_appendix(ws, tmp_path, capsys):
    appraise_everyone(ws)
    code = main(["-w", str(ws.root), "announce", "--number", "130", "--date", "2023-12-20", "-o", str(tmp_path),
                 "--no-pdf"])
    assert code == 0
    document, paragraphs, cells = docx_texts(next(tmp_path.glob("QD-130-*.docx")))
    assert any(p.startswith("Về việc công bố kết quả chỉ số cải cách hành chính năm 2023") for p in paragraphs)
    assert "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023" in paragraphs
    names = {o.code: o.name for o in ws.offices()}
    ranking = document.tables[-1]
    assert [c.text for c in ranking.rows[0].cells] == ["Hạng", "Cơ quan", "Tự chấm", "Thẩm định", "Điểm tối đa",
                                                       "Chỉ số", "Xếp loại"]
    assert len(ranking.rows) == 1 + len(ws.sheets("self"))
    assert ranking.rows[1].cells[0].text == "1" and ranking.rows[1].cells[1].text in names.values()
    assert document.sections[0].different_first_page_header_footer


def test_after_issuing_it_cites_the_decision_and_refuses_sheets_of_another_version(ws, tmp_path):
    publish(ws, "v2", "125/QĐ-UBND", "2023-09-01", out_dir=tmp_path / "qd", pdf=False)
    for path in ws.scores.glob("*/*.yaml"):  # sheets scored on the draft instead of the issued version
        path.write_text(path.read_text(encoding="utf-8").replace('rubric: "v2"', 'rubric: "v1"'), encoding="utf-8")
    with pytest.raises(PublishRefusedError) as info:
        announce(ws, "130", "2023-12-20", out_dir=tmp_path, pdf=False)
    assert "đã ban hành là v2" in info.value.message and "--rubric v2" in info.value.fix


def test_on_the_bundled_example_after_issuing_it_runs_and_cites_the_issuing_decision(ws, tmp_path):
    publish(ws, "v2", "125/QĐ-UBND", "2023-09-01", out_dir=tmp_path / "qd", pdf=False)
    assert appraise_everyone(ws) == []  # the example appraises every office
    files, _ = announce(ws, "130", "2023-12-20", out_dir=tmp_path, pdf=False)
    _, paragraphs, _ = docx_texts(files["docx"])
    assert any(p.startswith("Căn cứ Quyết định số 125/QĐ-UBND ngày 01 tháng 9 năm 2023 của UBND huyện Quảng Điền")
               for p in paragraphs)


def test_the_results_decision_cites_its_own_submission_and_refuses_a_placeholder_in_it(ws, tmp_path):
    files, _ = announce(ws, "130", "2024-01-15", out_dir=tmp_path, pdf=False)
    _, paragraphs, _ = docx_texts(files["docx"])
    # decision.yaml results.submission, not the issuing decision's 95/TTr-NV
    assert "Xét đề nghị của Trưởng phòng Nội vụ tại Tờ trình số 08/TTr-NV ngày 10 tháng 01 năm 2024." in paragraphs
    assert not any("95/TTr-NV" in p for p in paragraphs)
    path = ws.root / "decision.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("number: 08/TTr-NV", "number: …/TTr-NV"),
                    encoding="utf-8")
    with pytest.raises(PublishRefusedError) as info:
        announce(ws, "130", "2024-01-15", out_dir=tmp_path / "again", pdf=False)
    assert "results.submission" in info.value.message and not (tmp_path / "again").exists()
