"""The bundled v2 draft against the circulated v1: exactly the documented edits, with the arithmetic."""

from __future__ import annotations

import difflib
import json
from decimal import Decimal

from cchc_consult.cli import main
from cchc_consult.diff import diff_as_dict, diff_rubrics
from cchc_consult.render.diff import render_html, render_markdown, render_text
from cchc_consult.schema import load_rubric_file
from cchc_consult.versions import history
from cchc_consult.workspace import Workspace
from tests.conftest import REPO

V2 = REPO / "rubric" / "drafts" / "v2.yaml"
V1 = REPO / "rubric" / "drafts" / "v1.yaml"

#: The edits made to v2 (docs/versions.md lists them with the reasons): each cites the comment it accepts
#: (comments/dispositions.yaml) or is one of Nội vụ's initiatives there.
EDITS = [
    ("band-condition-changed", "I.1.3", "I.1.3"),  # issue 16: Nội vụ's correction after check (initiative)
    ("evidence-changed", "I.2", "I.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("scoring-changed", "I.2", "I.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("evidence-changed", "I.3.2", "I.3.2"),  # VHTT-1: "Phòng VH và TT" written in full
    ("band-added", "I.4.1", "I.4.1"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-removed", "I.4.1", "I.4.1"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-reworded", "I.7", "I.7"),  # issue 16: Nội vụ's correction after check (initiative): the top band says "đồng thời mọi nhiệm vụ đều đúng tiến độ"
    ("band-reworded", "I.7", "I.7"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-condition-changed", "I.7", "I.7"),  # issue 16: Nội vụ's correction after check (initiative)
    ("max-changed", "II", "II"),  # initiative: 73 → 76
    ("band-reworded", "II.1.2", "II.1.2"),  # TP-2: "Từ 80 dưới 100%" → "Từ 80% đến dưới 100%"
    ("title-changed", "II.2.2.2", "II.2.2.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-condition-changed", "II.2.2.2", "II.2.2.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-condition-changed", "II.2.2.2", "II.2.2.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("evidence-changed", "II.2.3.2", "II.2.3.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("evidence-changed", "II.2.4", "II.2.4"),  # VP-2: "giải quết" → "giải quyết"
    ("evidence-changed", "II.2.6", "II.2.6"),  # LDTBXH-3: evidence added
    ("band-condition-changed", "II.2.7", "II.2.7"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-condition-changed", "II.3.1", "II.3.1"),  # initiative: "Chậm trên 15 ngày" → "Chậm từ 15 ngày trở lên"
    ("removed", "II.3.2", None),  # initiative: Quy chế làm việc của cơ quan
    ("moved", "II.3.3", "II.3.2"),  # initiative: Quy chế dân chủ cơ sở renumbered
    ("added", None, "II.3.3"),  # initiative: phân công nhiệm vụ theo vị trí việc làm
    ("band-condition-changed", "II.4.2", "II.4.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-added", "II.4.3", "II.4.3"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-removed", "II.4.3", "II.4.3"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-reworded", "II.4.3", "II.4.3"),  # LDTBXH-1: the deadline days late count from
    ("evidence-changed", "II.4.5", "II.4.5"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-reworded", "II.5.1.1", "II.5.1.1"),  # TCKH-1: "nhưng đúng" → "nhưng không đúng"
    ("title-changed", "II.5.1.2", "II.5.1.2"),  # TCKH-5: TNTT bình quân tháng của công chức
    ("band-reworded", "II.5.1.2", "II.5.1.2"),  # TCKH-5: "Từ 0,2 lần mức lương cơ sở trở lên"
    ("band-reworded", "II.5.1.2", "II.5.1.2"),  # TCKH-5: "Thấp hơn 0,2 lần mức lương cơ sở"
    ("band-reworded", "II.5.2", "II.5.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-condition-changed", "II.5.4.2", "II.5.4.2"),  # TCKH-4: "chậm 05 ngày" → "chậm không quá 05 ngày"
    ("band-condition-changed", "II.5.4.2", "II.5.4.2"),  # TCKH-4: 0 points when more than 5 days late
    ("max-changed", "II.6", "II.6"),  # initiative: 25 → 23
    ("band-condition-changed", "II.6.1.1", "II.6.1.1"),  # VHTT-2: 0 points from 10 days late
    ("band-condition-changed", "II.6.2", "II.6.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-condition-changed", "II.6.2", "II.6.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-points-changed", "II.6.3", "II.6.3"),  # VP-3: top band 1 → 2 points
    ("band-added", "II.6.4", "II.6.4"),  # VP-4 (partly): 1 point when the figures disagree
    ("band-points-changed", "II.6.4", "II.6.4"),  # VP-4 (partly): top band 1 → 2 points
    ("band-condition-changed", "II.6.5.1", "II.6.5.1"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-condition-changed", "II.6.5.2", "II.6.5.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("title-changed", "II.6.6", "II.6.6"),  # issue 16: Nội vụ's correction after check (initiative)
    ("evidence-changed", "II.6.6", "II.6.6"),  # KTHT-2: the stray "0,5" removed
    ("band-added", "II.6.6.3", "II.6.6.3"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-reworded", "II.6.6.3", "II.6.6.3"),  # KTHT-1 (partly): 1 or 0,5 point for the report
    ("band-points-changed", "II.6.6.3", "II.6.6.3"),  # issue 16: Nội vụ's correction after check (initiative)
    ("band-points-changed", "II.6.6.3", "II.6.6.3"),  # issue 16: Nội vụ's correction after check (initiative)
    ("evidence-changed", "II.6.7.1", "II.6.7.1"),  # initiative after VP-1: 2022 → 2023
    ("band-points-changed", "II.6.7.2", "II.6.7.2"),  # issue 16: Nội vụ's correction after check (initiative)
    ("evidence-changed", "II.6.7.2", "II.6.7.2"),  # issue 16: Nội vụ's correction after check (initiative)
]


def diff_v1_v2():
    return diff_rubrics(load_rubric_file(V1), load_rubric_file(V2))


def test_v1_to_v2_is_exactly_the_documented_edits():
    d = diff_v1_v2()
    assert [(c.kind, c.old_id, c.new_id) for c in d.changes] == EDITS
    by = {(c.kind, c.node_id): c for c in d.changes}
    # issue 16: the contradictory 0-point band of I.4.1 ("Không hành … hoặc … dưới 20%") became "Không ban hành"
    assert "Không ban hành kế hoạch" in by["band-added", "I.4.1"].message
    threshold = by["band-condition-changed", "II.3.1"]
    assert (threshold.detail["before_condition"], threshold.detail["after_condition"]) == ("(15, inf)", "[15, inf)")
    assert "15 ngày nay thuộc mức này" in threshold.message and "“trên” → “từ”; thêm “trở lên”" in threshold.message
    assert (by["max-changed", "II"].before, by["max-changed", "II"].after) == ("73", "76")
    assert "II: các mục con cộng lại 78 → 76, điểm chuẩn ghi 73 → 76" in by["max-changed", "II.6"].message
    assert d.id_map()["II.3.3"] == "II.3.2" and "II.3.2" not in d.id_map()
    for node in ("II.6.3", "II.6.4"):  # the top band now reaches the maximum (band-max-mismatch gone)
        top = by["band-points-changed", node]
        assert (top.detail["band"], top.before, top.after) == (0, "1", "2")
    added = by["band-added", "II.6.4"]
    assert added.detail == {"band": 1, "points": "1"} and "chưa thống nhất" in added.after
    late = [c for c in d.changes if c.node_id == "II.5.4.2"]
    assert [(c.detail["before_condition"], c.detail["after_condition"]) for c in late] == [
        ("[5, 5]", "(0, 5]"), ("", "(5, inf)")]
    plan = by["band-condition-changed", "II.6.1.1"]
    assert (plan.detail["after_condition"], plan.after) == (
        "[10, inf)", "Không ban hành kế hoạch hoặc ban hành chậm từ 10 ngày trở lên")


def test_every_v1_to_v2_edit_answers_a_comment_or_an_initiative():
    from cchc_consult.consult.loop import close_loop_for

    consultation = Workspace(REPO).consultation()
    assert close_loop_for(consultation, load_rubric_file(V2), "v2") == []


def test_v1_to_v2_point_arithmetic():
    d = diff_v1_v2()
    t = d.totals
    assert (t.declared_before, t.declared_after) == (100, 100)
    assert (t.computed_before, t.computed_after) == (97, 100)
    assert (t.leaves_before, t.leaves_after) == (100, 100)
    assert [(s.new_id, s.before, s.after, s.children_before, s.children_after) for s in t.sections] == [
        ("I", 22, 22, 22, 22), ("II", 73, 76, 78, 76), ("III", 2, 2, 2, 2)]
    assert [(c.node_id, c.delta) for c in d.changes if c.delta] == [
        ("II", 3), ("II.3.2", -1), ("II.3.3", 1), ("II.6", -2)]
    assert d.accounted()


def test_v2_file_differs_from_v1_only_on_the_edited_lines():
    before, after = V1.read_text(encoding="utf-8").splitlines(), V2.read_text(encoding="utf-8").splitlines()
    removed, added = [], []
    # autojunk off: with it, lines as common as `points: "1"` are ignored and the diff is larger than the edit
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += [line.strip() for line in before[i1:i2]]
            added += [line.strip() for line in after[j1:j2]]
    header = [line for line in added if line.startswith("#")]
    assert len(header) == 1 and "sao từ v1" in header[0]
    meta = {'version: "v1"', "status: circulated", "letter: 1632/UBND", 'letter_date: "2023-07-26"',
            'version: "v2"', "status: draft"}
    body_removed = [line for line in removed if line not in meta]
    body_added = [line for line in added if line not in meta and not line.startswith("#")]
    # 25 edits: 2 maxima, band words, ranges and points, evidence, one title, one band added, one evidence
    # removed, the II.3 block (remove, renumber, add) and the general note (VP-1) — each a line or two.
    assert 'max: "76"' in body_added and 'max: "23"' in body_added
    assert "- text: Không ban hành kế hoạch" in body_added  # issue 16: no longer overlaps the 1-point band
    assert "- 0,5" in body_removed and any("từ ngày 01/01/2023 đến ngày 15/10/2023" in line for line in body_added)
    # issue 16: Nội vụ's corrections after `check` (ranges, points, typing slips) add about 40 lines each way
    assert len(body_removed) <= 80 and len(body_added) <= 85


def test_bundled_workspace_has_v1_circulated_and_v2_draft():
    infos = {i.name: i for i in history(Workspace(REPO))}
    v1, v2 = infos["v1"], infos["v2"]
    assert (v1.status, v1.intact, v1.record.letter, v1.record.letter_date) == \
        ("circulated", True, "1632/UBND", "2023-07-26")
    assert (v2.status, v2.record.created_from) == ("draft", "v1")
    assert (v2.declared_total, v2.computed_total) == (Decimal(100), Decimal(100))
    assert v2.errors < v1.errors


def test_renderers_speak_vietnamese_and_show_the_arithmetic():
    d = diff_v1_v2()
    text = render_text(d, "v1", "v2")
    assert text.startswith("So sánh v1 → v2: 52 thay đổi")
    assert "Các phần cộng lại" in text and "97 → 100 (+3)" in text and "II.6: điểm chuẩn 25 → 23 (−2)" in text
    assert "Chậm [-trên-] {+từ+} 15 ngày {+trở lên+}" in text
    md = render_markdown(d, "v1", "v2")
    assert md.startswith("# So sánh v1 → v2") and "| Các phần cộng lại | 97 → 100 (+3) |" in md
    assert "**không**" in md  # II.5.1.1 (TCKH-1): "nhưng đúng" → "nhưng không đúng"
    html = render_html(d, "v1", "v2")
    assert "<del>trên</del>" in html and "<ins>không</ins>" in html and 'lang="vi"' in html
    data = diff_as_dict(d)
    assert data["format"] == "cchc-diff/1" and data["summary"]["counts"]["max-changed"] == 2
    assert data["totals"]["computed"] == {"before": "97", "after": "100"} and data["summary"]["accounted"]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data["changes"][0]) == {"kind", "old_id", "new_id", "message", "before", "after", "delta", "detail"}


def test_html_escapes_rubric_text():
    a = load_rubric_file(V1)
    b = load_rubric_file(V2)
    b.index()["I.1"].title = "<script>alert('x')</script> Kế hoạch"
    html = render_html(diff_rubrics(a, b))
    assert "<script>" not in html and "&lt;script&gt;" in html


# --------------------------------------------------------------------------- CLI

def test_cli_diff_text_json_md_html(capsys, tmp_path):
    assert main(["-w", str(REPO), "diff", "v1", "v2"]) == 1
    out = capsys.readouterr().out
    assert "So sánh v1 → v2" in out and "[bỏ tiêu chí] II.3.2" in out
    assert main(["-w", str(REPO), "diff", "v1", "v2", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(c["kind"], c["old_id"], c["new_id"]) for c in data["changes"]] == EDITS
    for fmt, marker in (("md", "# So sánh"), ("html", "<!DOCTYPE html>")):
        target = tmp_path / f"diff.{fmt}"
        assert main(["-w", str(REPO), "diff", "v1", "v2", "--format", fmt, "-o", str(target)]) == 1
        assert target.read_text(encoding="utf-8").startswith(marker)
        assert str(target) in capsys.readouterr().err
    assert main(["-w", str(REPO), "diff", "v1", str(V1)]) == 0
    assert "không có thay đổi nào" in capsys.readouterr().out


def test_cli_diff_refuses_a_changed_frozen_version(workspace, capsys):
    v1 = workspace / "rubric" / "drafts" / "v1.yaml"
    v1.write_text(v1.read_text(encoding="utf-8").replace('max: "22"', 'max: "21"', 1), encoding="utf-8")
    assert main(["-w", str(workspace), "diff", "v1", "v2"]) == 2
    err = capsys.readouterr().err
    assert "đã bị sửa" in err and str(v1) in err and "Traceback" not in err
