"""The công văn and the tờ trình take their sentences from wording files as the decision does (wording.py):
the package's default, the workspace's own file first, placeholders refused before anything is written."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from cchc_consult.cli import main
from cchc_consult.wording import TEMPLATES, fill, listed, wording_path
from cchc_consult.workspace import Workspace
from tests.conftest import REPO
from tests.test_publish import docx_texts

LETTER = ["draft", "circulate", "v2", "--letter", "1700/UBND", "--date", "25/8/2023", "--deadline", "5/9/2023",
          "--no-pdf"]


@pytest.fixture
def ws(workspace) -> Workspace:
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    return Workspace(workspace)


def _own(ws: Workspace, name: str, old: str, new: str) -> Path:
    """The workspace's own copy of a packaged wording file, with one more change."""
    path = ws.root / name
    text = (path if path.exists() else TEMPLATES / name).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _state(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and not p.name.endswith(".lock")}


def test_the_workspace_file_comes_first_then_the_package_default(ws):
    assert wording_path(ws.root, "cong-van.yaml") == TEMPLATES / "cong-van.yaml"
    _own(ws, "cong-van.yaml", "phối hợp thực hiện", "phối hợp thực hiện")
    assert wording_path(ws.root, "cong-van.yaml") == ws.root / "cong-van.yaml"
    assert wording_path(ws.root, "decision.yaml") == ws.root / "decision.yaml"  # the decision: the same lookup


def test_substitution_is_plain_and_recipients_end_as_nd30_wants():
    assert fill("năm {nam}, {khac} {{nam}}", {"nam": "2023"}) == "năm 2023, {khac} {2023}"
    assert fill("{nam}", {"nam": "{{ 7*7 }}"}) == "{{ 7*7 }}"  # a value is never read as a template
    assert listed(["Như trên", "- Phòng Nội vụ;", "Lưu: VT."]) == ["- Như trên;", "- Phòng Nội vụ;", "- Lưu: VT."]


def test_the_letter_says_what_the_workspace_wording_says(ws, capsys):
    _own(ws, "cong-van.yaml", "Đề nghị các cơ quan quan tâm, phối hợp thực hiện./.",
         "Rất mong nhận được ý kiến của {co_quan_soan_thao} và các cơ quan trước {ngay}./.")
    _own(ws, "cong-van.yaml", '  - "Lưu: VT"', '  - "Lưu: VT, NV"')
    assert main(["-w", str(ws.root), *LETTER]) == 0
    _, paragraphs, cells = docx_texts(ws.output / "cong-van" / "CV-1700-UBND-v2.docx")
    drafter = {o.code: o.name for o in ws.offices()}[ws.round().drafter]
    assert f"Rất mong nhận được ý kiến của {drafter} và các cơ quan trước 25/8/2023./." in paragraphs
    assert "- Lưu: VT, NV." in cells and "Đề nghị các cơ quan quan tâm, phối hợp thực hiện./." not in paragraphs


@pytest.mark.parametrize("change,said", [
    (("V/v lấy ý kiến", "V/v … lấy ý kiến"), "trường 'subject' còn chỗ chưa điền"),
    (("(Kèm theo Công văn số {cong_van}", "(Kèm theo Công văn số {so_cong_van}"),
     "trường 'appendix_attached' có chỗ thay thế không dùng được ở văn bản này: {so_cong_van}"),
])
def test_a_placeholder_in_the_letter_wording_is_refused_before_the_draft_is_frozen(ws, capsys, change, said):
    path = _own(ws, "cong-van.yaml", *change)
    before = _state(ws.root)
    assert main(["-w", str(ws.root), *LETTER]) == 2
    err = capsys.readouterr().err
    assert said in err and str(path) in err and "Traceback" not in err
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if change[1] in text)
    assert f"{path}:{line}" in err  # the line of the field
    assert _state(ws.root) == before and ws.history()["v2"].status == "draft"  # nothing frozen, nothing written


def test_the_submission_says_what_the_workspace_wording_says(ws, tmp_path):
    _own(ws, "to-trinh.yaml", "Kết quả: {co_y_kien} cơ quan có ý kiến",
         "Đến hết hạn, {co_y_kien}/{so_co_quan} cơ quan có ý kiến")
    assert main(["-w", str(ws.root), "submit", "v2", "-o", str(tmp_path), "--no-pdf"]) == 0
    _, paragraphs, _ = docx_texts(tmp_path / "To-trinh-v2.docx")
    consulted = len(ws.round().consulted)
    assert any(p.startswith("Đến hết hạn, ") and f"/{consulted} cơ quan có ý kiến (" in p for p in paragraphs)


def test_a_placeholder_in_the_submission_wording_is_refused_before_anything_is_written(ws, tmp_path, capsys):
    path = _own(ws, "to-trinh.yaml", "kính trình Chủ tịch {co_quan}", "kính trình {chu_tich}")
    assert main(["-w", str(ws.root), "submit", "v2", "-o", str(tmp_path / "tt"), "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "trường 'proposal' có chỗ thay thế không dùng được ở văn bản này: {chu_tich}" in err and str(path) in err
    assert "{co_quan}" in err  # the message lists the placeholders that can be used
    assert not (tmp_path / "tt").exists()


def test_an_unknown_placeholder_in_the_decision_is_refused_like_the_papers_(ws, tmp_path, capsys):
    text = (ws.root / "decision.yaml").read_text(encoding="utf-8")
    (ws.root / "decision.yaml").write_text(text.replace("năm {nam}", "năm {nam_nay}", 1), encoding="utf-8")
    before = _state(ws.root)
    assert main(["-w", str(ws.root), "publish", "v2", "--number", "125/QĐ-UBND", "--date", "1/9/2023", "--no-pdf",
                 "-o", str(tmp_path / "qd")]) == 2
    assert "{nam_nay} không dùng được" in capsys.readouterr().err
    assert _state(ws.root) == before and not (tmp_path / "qd").exists()
