"""Issue 16's findings: typing slips (warnings), contradictions behind different words, inline deductions, hints."""

from __future__ import annotations

import pytest

from cchc_consult.check import check
from cchc_consult.model import Band
from tests.conftest import D, leaf, make_rubric, pct, section


def found(rubric, code):
    return [f for f in check(rubric) if f.code == code]


def one_leaf(title="Tiêu chí", evidence=None, bands=None, **kw):
    node = leaf("I.1", "2", bands or [("Đạt", "2"), ("Không đạt", "0")], title=title,
                evidence=evidence or ["Báo cáo của cơ quan"], **kw)
    return make_rubric([section("I", "2", [node])], total="2")


@pytest.mark.parametrize("code, text, fix", [
    ("repeated-word", "Báo cáo cập nhật nhật trên phần mềm", "bỏ một lần 'nhật'"),
    ("repeated-word", "Đối với các tiêu chí tiêu chí thành phần", "bỏ một lần 'tiêu chí'"),
    ("tone-mark", "Báo cáo Qúy III năm 2023", "viết 'Quý'"),
    ("missing-space", "Không đúng nội dung,biểu mẫu", "thêm khoảng trắng sau ','"),
    ("missing-space", "(không đảm bảo trừ 0,5điểm)", "thêm khoảng trắng giữa số và chữ"),
    ("glued-bullet", "-Thống kê số hồ sơ", "thêm khoảng trắng sau '-'"),
    ("spaced-standard", "theo TCVN ISO 9001: 2015", "viết 'TCVN ISO 9001:2015'"),
])
def test_a_typing_slip_is_a_warning_with_its_fix(code, text, fix):
    hits = found(one_leaf(evidence=[text]), code)
    assert len(hits) == 1 and hits[0].severity == "warning" and hits[0].fix == fix and hits[0].node == "I.1"


@pytest.mark.parametrize("text", [
    "Phân công công chức phụ trách", "Báo cáo Quý III và quả thực", "Trừ 0,5 điểm; 1,5 điểm", "- Thống kê",
    "TCVN ISO 9001:2015", "Quyết định 130/2005/NĐ-CP", "Số 1632/UBND-NV", "Hành chính chính quyền",
])
def test_clean_wording_stays_silent(text):
    wording = {"repeated-word", "tone-mark", "missing-space", "glued-bullet", "spaced-standard", "tone-style"}
    assert [f for f in check(one_leaf(evidence=[text])) if f.code in wording] == []


def test_the_note_is_read_too():
    rubric = one_leaf()
    rubric.meta.note = "Đối với các tiêu chí tiêu chí, tiêu chí thành phần không phát sinh"
    assert [f.node for f in found(rubric, "repeated-word")] == ["ghi chú"]


def test_mixed_tone_styles_flag_the_fewer():
    rubric = one_leaf(title="Phòng Văn hóa và Thông tin", evidence=["Văn hóa cơ sở", "Văn hoá cơ quan"])
    hits = found(rubric, "tone-style")
    assert [h.actual for h in hits] == ["hoá"] and "hòa" in hits[0].fix
    assert found(one_leaf(title="Phòng Văn hóa", evidence=["Văn hóa cơ sở"]), "tone-style") == []


def test_a_band_without_further_words_overlaps_one_with_them():
    node = leaf("I.1", "5", [("Hoàn thành 100%", "5"), ("100% nhưng có nhiệm vụ muộn", "4"), ("Dưới 100%", "0")])
    node.bands[0].condition = pct("100", "100", True, True)
    node.bands[1].condition = pct("100", "100", True, True, also="… nhưng có nhiệm vụ hoàn thành muộn")
    node.bands[2].condition = pct("0", "100")
    hits = found(make_rubric([section("I", "5", [node])]), "duplicate-condition")
    assert len(hits) == 1 and "một trường hợp chỉ thuộc một mức" in hits[0].fix
    node.bands[0].condition = pct("100", "100", True, True, also="hoàn thành đúng tiến độ … trong năm")
    assert found(make_rubric([section("I", "5", [node])]), "duplicate-condition") == []


def test_an_or_alternative_that_repeats_another_band_overlaps():
    node = leaf("I.1", "2", [("a", "1"), ("b", "0")])
    node.bands[0].condition = pct("0", "20", also="có ban hành kế hoạch và số lượng … (mỗi tiêu chí trừ 0,5 điểm)")
    node.bands[1].condition = pct("0", "20", also="không ban hành hoặc có ban hành kế hoạch nhưng số lượng")
    rubric = make_rubric([section("I", "2", [node])])
    assert [f.node for f in found(rubric, "duplicate-condition")] == ["I.1"]
    node.bands[1].condition = pct("0", "20", also="không ban hành kế hoạch")
    assert found(rubric, "duplicate-condition") == []


def test_an_inline_deduction_in_a_checklist_is_an_error():
    node = leaf("I.1", "2", [("Báo cáo đúng hạn (không đảm bảo trừ 0,5 điểm)", "1"), ("Có biên bản", "1")],
                scoring="checklist")
    node.bands[0].deduction = D("0.5")
    hits = found(make_rubric([section("I", "2", [node])]), "inline-deduction")
    assert len(hits) == 1 and hits[0].severity == "error" and "(1 / 0,5 / 0)" in hits[0].fix
    node.bands[0].deduction = None
    assert found(make_rubric([section("I", "2", [node])]), "inline-deduction") == []


def test_the_hint_never_lowers_a_maximum_the_sums_rely_on():
    short = leaf("I.1", "2", [("Đạt", "1"), ("Không đạt", "0")])
    other = leaf("I.2", "1")
    rubric = make_rubric([section("I", "3", [short, other])], total="3")
    fix = found(rubric, "band-max-mismatch")[0].fix
    assert fix.startswith("nâng mức cao nhất lên 2") and "đặt điểm chuẩn" not in fix
    loose = make_rubric([section("I", "4", [short, other])], total="4")  # sums broken: either fix may do
    assert found(loose, "band-max-mismatch")[0].fix.startswith("đặt điểm chuẩn I.1 = 1")


def test_a_threshold_band_with_a_stray_word_gets_the_right_hint():
    node = leaf("I.1", "1", [("Từ mức 0,2 lương cơ sở trở lên", "1"), ("Thấp hơn mức 0,2 lương cơ sở trở lên", "0.5"),
                             ("Không có thu nhập tăng thêm", "0")])
    hits = found(make_rubric([section("I", "1", [node])]), "near-duplicate-band")
    assert len(hits) == 1 and "bỏ 'trở lên' ở mức 2" in hits[0].fix and "không" not in hits[0].fix
    typo = leaf("I.1", "2", [("Có báo cáo theo đúng thời gian quy định", "2"),
                             ("Có báo cáo nhưng đúng thời gian quy định", "1")])
    assert "thiếu chữ 'không'" in found(make_rubric([section("I", "2", [typo])]), "near-duplicate-band")[0].fix


def test_band_class_unchanged():
    assert Band("x", D(1)).deduction is None
