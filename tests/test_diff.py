"""The rubric-aware diff: each kind of change alone and combined, moves, splits, point accounting."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from cchc_consult.diff import KINDS, diff_rubrics, word_diff
from cchc_consult.model import Band, Condition, Rubric
from tests.conftest import D, leaf, make_rubric, pct, section


def base():
    """Two sections, a nested criterion, measured bands: small but with every feature the diff looks at."""
    return make_rubric([
        section("I", "6", [
            leaf("I.1", "2", [("Thực hiện trên 80% kế hoạch", "2"), ("Thực hiện từ 50% đến 80% kế hoạch", "1"),
                              ("Thực hiện dưới 50% kế hoạch", "0")],
                 title="Mức độ hoàn thành kế hoạch CCHC của cơ quan"),
            leaf("I.2", "2", title="Ban hành kế hoạch tuyên truyền CCHC hằng năm"),
            leaf("I.3", "2", title="Kiểm tra việc thực hiện nhiệm vụ của công chức"),
        ]),
        section("II", "4", [
            leaf("II.1", "1", title="Quy chế làm việc của cơ quan"),
            leaf("II.2", "1", title="Quy chế dân chủ ở cơ sở của cơ quan"),
            leaf("II.3", "2", title="Cập nhật thông tin công chức vào phần mềm quản lý của tỉnh"),
        ]),
    ], total="10")


def with_conditions(r):
    i1 = r.sections[0].children[0]
    i1.bands[0].condition = pct("80", "100", low_closed=False, high_closed=True)
    i1.bands[1].condition = pct("50", "80", high_closed=True)
    i1.bands[2].condition = pct("0", "50")
    return r


def node(r, node_id):
    return r.index()[node_id]


def kinds(d):
    return [(c.kind, c.old_id, c.new_id) for c in d.changes]


def test_identical_rubrics_have_no_changes():
    a = with_conditions(base())
    d = diff_rubrics(a, copy.deepcopy(a))
    assert d.is_empty() and d.changes == [] and d.counts() == {}
    assert d.id_map() == {n.id: n.id for n in a.walk()}
    assert d.accounted()


def test_max_changed_says_where_the_points_went():
    a = base()
    b = copy.deepcopy(a)
    node(b, "I.3").max = D("1")
    node(b, "I.3").bands[0].points = D("1")
    node(b, "II.3").max = D("3")
    node(b, "II.3").bands[0].points = D("3")
    node(b, "II").max = D("5")
    node(b, "I").max = D("5")
    d = diff_rubrics(a, b)
    maxes = {c.new_id: c for c in d.changes if c.kind == "max-changed"}
    assert set(maxes) == {"I", "I.3", "II", "II.3"}
    assert maxes["I.3"].message.startswith("I.3: điểm chuẩn 2 → 1 (−1)")
    assert "I: các mục con cộng lại 6 → 5, điểm chuẩn ghi 6 → 5" in maxes["I.3"].message
    assert "các phần cộng lại 10 → 10, tổng cộng ghi 10" in maxes["II"].message
    assert [c.kind for c in d.changes if c.kind != "max-changed"] == ["band-points-changed"] * 2
    t = d.totals
    assert (t.computed_before, t.computed_after, t.leaves_before, t.leaves_after) == (10, 10, 10, 10)
    assert [(s.new_id, s.before, s.after) for s in t.sections] == [("I", 6, 5), ("II", 4, 5)]
    assert sum(c.delta for c in d.changes) == 0 and d.accounted()


def test_title_typo_shows_the_changed_words():
    a = base()
    b = copy.deepcopy(a)
    node(b, "I.2").title = "Ban hành kế hoạch tuyên truyền CCHC hàng năm"
    d = diff_rubrics(a, b)
    assert kinds(d) == [("title-changed", "I.2", "I.2")]
    change = d.changes[0]
    assert ["-", "hằng"] in change.detail["words"] and ["+", "hàng"] in change.detail["words"]
    assert "“hằng” → “hàng”" in change.message


def test_band_reworded_added_removed_and_points():
    a = base()
    b = copy.deepcopy(a)
    i1 = node(b, "I.1")
    i1.bands[2].text = "Thực hiện dưới 50% kế hoạch năm"
    i1.bands[1].points = D("1.5")
    i1.bands.insert(2, Band("Thực hiện từ 30% đến dưới 50% kế hoạch", D("0.5")))
    del node(b, "II.3").bands[1]
    d = diff_rubrics(a, b)
    assert sorted(c.kind for c in d.changes) == ["band-added", "band-points-changed", "band-removed", "band-reworded"]
    by = {c.kind: c for c in d.changes}
    assert by["band-points-changed"].message == "I.1, mức 2: điểm của mức 1 → 1,5 (“Thực hiện từ 50% đến 80% kế hoạch”)"
    assert by["band-added"].detail == {"band": 2, "points": "0,5"} and "mức 3" in by["band-added"].message
    assert by["band-reworded"].detail["band"] == 3 and by["band-reworded"].detail["words"][-1] == ["+", "năm"]
    assert by["band-removed"].old_id == "II.3" and "Không đạt" in by["band-removed"].message
    assert all(c.delta == 0 for c in d.changes)


def test_band_condition_threshold_and_closed_end():
    a = with_conditions(base())
    b = copy.deepcopy(a)
    top = node(b, "I.1").bands[0]
    top.text, top.condition = "Thực hiện trên 90% kế hoạch", pct("90", "100", low_closed=False, high_closed=True)
    mid = node(b, "I.1").bands[1]
    mid.condition = pct("50", "80")  # "đến 80%" becomes "đến dưới 80%": 80 leaves this band
    d = diff_rubrics(a, b)
    assert [c.kind for c in d.changes] == ["band-condition-changed", "band-condition-changed"]
    first, second = d.changes
    assert "ngưỡng dưới 80% → 90%" in first.message and "“80%” → “90%”" in first.message
    assert (first.detail["before_condition"], first.detail["after_condition"]) == ("(80, 100]", "(90, 100]")
    assert "80% nay không còn thuộc mức này (đầu đóng → đầu mở)" in second.message
    assert "words" in second.detail and second.detail["words"] == []


def test_condition_added_or_removed():
    a = base()
    b = copy.deepcopy(a)
    node(b, "II.1").bands[0].condition = Condition("yes_no", D("1"), D("1"), True, True)
    d = diff_rubrics(a, b)
    assert kinds(d) == [("band-condition-changed", "II.1", "II.1")] and "thêm điều kiện" in d.changes[0].message
    assert "bỏ điều kiện" in diff_rubrics(b, a).changes[0].message


def test_evidence_owner_and_scoring():
    a = base()
    b = copy.deepcopy(a)
    node(b, "II.3").evidence = ["Báo cáo", "Kết quả theo dõi của Phòng Nội vụ"]
    node(b, "II.3").owner = "NV"
    node(b, "I.3").scoring, node(b, "I.3").per_item = "deduction", D("0.5")
    node(b, "I.3").items = ["Quý I", "Quý II", "Quý III", "Năm"]
    d = diff_rubrics(a, b)
    by = {c.kind: c for c in d.changes}
    assert set(by) == {"evidence-changed", "owner-changed", "scoring-changed"}
    assert by["evidence-changed"].detail["added"] == ["Kết quả theo dõi của Phòng Nội vụ"]
    assert by["owner-changed"].message == "II.3: cơ quan theo dõi — → NV"
    assert "trừ dần, 0,5 điểm mỗi nội dung, 4 nội dung" in by["scoring-changed"].message


def test_added_and_removed_with_their_points():
    a = base()
    b = copy.deepcopy(a)
    b.sections[1].children.append(leaf("II.4", "1", title="Thực hiện văn hóa công sở tại cơ quan"))
    del b.sections[0].children[2]  # I.3, the last: nothing is renumbered
    d = diff_rubrics(a, b)
    assert kinds(d) == [("removed", "I.3", None), ("added", None, "II.4")]
    assert [c.delta for c in d.changes] == [-2, 1] and d.accounted()
    assert "I.3: bỏ tiêu chí “Kiểm tra việc thực hiện nhiệm vụ của công chức” (2 điểm)" == d.changes[0].message
    assert "I.3" not in d.id_map() and d.changes_for("I.3")[0].kind == "removed"


def test_removal_then_renumbering_is_one_removal_and_a_move():
    a = base()
    b = copy.deepcopy(a)
    del b.sections[1].children[0]  # II.1 removed; II.2 becomes II.1, II.3 becomes II.2
    for child, number in zip(b.sections[1].children, ("1", "2")):
        child.id, child.tt = f"II.{number}", number
    d = diff_rubrics(a, b)
    assert kinds(d) == [("removed", "II.1", None), ("moved", "II.2", "II.1"), ("moved", "II.3", "II.2")]
    assert d.id_map()["II.3"] == "II.2" and "đánh số lại trong II" in d.changes[1].message


def test_swap_is_two_moves_not_two_rewrites():
    a = base()
    b = copy.deepcopy(a)
    x, y = b.sections[1].children[0], b.sections[1].children[1]
    x.id, y.id = "II.2", "II.1"
    b.sections[1].children[0], b.sections[1].children[1] = y, x
    d = diff_rubrics(a, b)
    assert sorted(kinds(d)) == [("moved", "II.1", "II.2"), ("moved", "II.2", "II.1")]


def test_move_to_another_section_with_a_small_edit():
    a = base()
    b = copy.deepcopy(a)
    moved = b.sections[0].children.pop(1)  # I.2 → II.4, the following I.3 → I.2
    b.sections[0].children[1].id = "I.2"
    moved.id, moved.tt, moved.title = "II.4", "4", "Ban hành kế hoạch tuyên truyền CCHC hằng năm của cơ quan"
    b.sections[1].children.append(moved)
    b.sections[0].max, b.sections[1].max = D("4"), D("6")
    d = diff_rubrics(a, b)
    assert ("moved", "I.2", "II.4") in kinds(d) and ("moved", "I.3", "I.2") in kinds(d)
    move = next(c for c in d.changes if c.old_id == "I.2" and c.kind == "moved")
    assert "chuyển từ I sang II" in move.message and move.detail["parent_moved"]
    assert ("title-changed", "I.2", "II.4") in kinds(d)
    assert not any(c.kind in ("added", "removed") for c in d.changes)
    assert d.accounted()


def test_children_renumbered_with_their_parent_are_not_reported_one_by_one():
    a = make_rubric([section("I", "3", [
        leaf("I.1", "1", title="Quy chế làm việc của cơ quan"),
        section("I.2", "2", [leaf("I.2.1", "1", title="Lập danh mục hồ sơ cơ quan"),
                             leaf("I.2.2", "1", title="Lập hồ sơ điện tử trên hệ thống quản lý văn bản")],
                title="Công tác văn thư, lưu trữ của cơ quan")])])
    a.sections[0].children[1].kind = "criterion"
    b = copy.deepcopy(a)
    del b.sections[0].children[0]
    parent = b.sections[0].children[0]
    parent.id = "I.1"
    for i, child in enumerate(parent.children, 1):
        child.id = f"I.1.{i}"
    b.sections[0].max = D("2")
    d = diff_rubrics(a, b)
    assert kinds(d) == [("max-changed", "I", "I"), ("removed", "I.1", None), ("moved", "I.2", "I.1")]
    assert d.id_map()["I.2.2"] == "I.1.2"


def test_split_in_place_and_merge_back():
    a = base()
    b = copy.deepcopy(a)
    ii3 = node(b, "II.3")
    ii3.bands = []
    ii3.children = [leaf("II.3.1", "1", title="Cập nhật thông tin công chức vào phần mềm"),
                    leaf("II.3.2", "1", title="Cập nhật thông tin viên chức vào phần mềm")]
    d = diff_rubrics(a, b)
    assert kinds(d) == [("split", "II.3", "II.3")]
    split = d.changes[0]
    assert split.detail["parts"] == ["II.3.1", "II.3.2"] and split.delta == 2
    assert "tách" in split.message and "II.3.1 (1) + II.3.2 (1)" in split.message and d.accounted()
    assert d.changes_for("II.3.2") == [split]
    back = diff_rubrics(b, a)
    assert kinds(back) == [("merged", "II.3", "II.3")] and back.changes[0].delta == -2 and back.accounted()


def test_split_into_siblings_and_merge_of_siblings():
    a = base()
    b = copy.deepcopy(a)
    kids = b.sections[1].children
    kids[:2] = [leaf("II.1", "1", title="Quy chế làm việc và quy chế dân chủ ở cơ sở của cơ quan")]
    kids[1].id = "II.2"
    kids[1].title = "Cập nhật thông tin công chức vào phần mềm quản lý của tỉnh"  # unchanged words
    b.sections[1].max = D("3")
    d = diff_rubrics(a, b)
    merged = [c for c in d.changes if c.kind == "merged"]
    assert len(merged) == 1 and sorted(merged[0].detail["parts"]) == ["II.1", "II.2"]
    assert not any(c.kind in ("added", "removed") for c in d.changes) and d.accounted()
    split = [c for c in diff_rubrics(b, a).changes if c.kind == "split"]
    assert len(split) == 1 and sorted(split[0].detail["parts"]) == ["II.1", "II.2"]


def test_subtree_added_is_one_change_with_its_parts():
    a = base()
    b = copy.deepcopy(a)
    b.sections.append(section("III", "2", [leaf("III.1", "1", title="Báo cáo tự chấm điểm đúng hạn"),
                                          leaf("III.2", "1", title="Có tài liệu kiểm chứng đầy đủ")]))
    b.declared_total = D("12")
    d = diff_rubrics(a, b)
    assert kinds(d) == [("total-changed", "total", "total"), ("added", None, "III")]
    assert d.changes[1].detail["parts"] == ["III.1", "III.2"] and d.changes[1].delta == 4
    assert d.changes[0].message == "Tổng cộng ghi 10 → 12" and d.accounted()
    assert d.totals.sections[-1].new_id == "III" and d.totals.sections[-1].old_id is None


def test_everything_at_once_is_every_change_once():
    a = with_conditions(base())
    b = copy.deepcopy(a)
    node(b, "I.2").title = "Ban hành kế hoạch tuyên truyền CCHC hàng năm"
    node(b, "I.1").bands[1].points = D("1.5")
    node(b, "II.3").owner = "NV"
    del b.sections[1].children[0]
    for child, number in zip(b.sections[1].children, ("1", "2")):
        child.id, child.tt = f"II.{number}", number
    b.sections[1].max = D("3")
    b.sections[1].children.append(leaf("II.3", "1", title="Thực hiện văn hóa công sở tại cơ quan"))
    b.sections[1].max = D("4")
    d = diff_rubrics(a, b)
    assert sorted(kinds(d)) == sorted([
        ("band-points-changed", "I.1", "I.1"), ("title-changed", "I.2", "I.2"), ("removed", "II.1", None),
        ("moved", "II.2", "II.1"), ("moved", "II.3", "II.2"), ("owner-changed", "II.3", "II.2"),
        ("added", None, "II.3")])
    assert d.counts() == {"added": 1, "removed": 1, "moved": 2, "title-changed": 1, "band-points-changed": 1,
                          "owner-changed": 1}
    assert list(d.counts()) == [k for k in KINDS if k in d.counts()]


def test_duplicate_ids_do_not_lose_points():
    a = base()
    b = copy.deepcopy(a)
    b.sections[1].children.append(leaf("II.3", "1", title="Một tiêu chí trùng mã do gõ nhầm"))
    d = diff_rubrics(a, b)
    assert kinds(d) == [("added", None, "II.3")] and d.accounted()


def test_word_diff_segments():
    assert word_diff("Không hành kế hoạch", "Không ban hành kế hoạch") == [
        ["=", "Không"], ["+", "ban"], ["=", "hành kế hoạch"]]
    assert word_diff("a b", "a b") == [["=", "a b"]]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_has_a_vietnamese_label(kind):
    assert KINDS[kind] and kind == kind.lower()


# --------------------------------------------------------------------------- a larger generated rubric

def generated(criteria: int) -> Rubric:
    """A rubric of `criteria` leaves in groups of four, titles distinct, like the real one but longer."""
    import random

    from cchc_consult.model import Rubric, RubricMeta

    rng = random.Random(4)
    verbs = ["Ban hành", "Triển khai", "Báo cáo", "Kiểm tra", "Rà soát", "Tuyên truyền"]
    objects = ["kế hoạch CCHC", "thủ tục hành chính", "văn bản QPPL", "hồ sơ một cửa", "dịch vụ công trực tuyến"]
    sections = []
    for s, numeral in enumerate(("I", "II", "III")):
        groups = []
        for g in range(1, criteria // 12 + 1):
            leaves = [leaf(f"{numeral}.{g}.{i}", "1", [(f"Hoàn thành {rng.choice(objects)} đúng hạn số {g}.{i}", "1"),
                                                      ("Không hoàn thành", "0")],
                           title=f"{rng.choice(verbs)} {rng.choice(objects)} mục {numeral} nhóm {g} số {i}")
                      for i in range(1, 5)]
            group = section(f"{numeral}.{g}", "4", leaves, title=f"Nhóm {g} của phần {numeral}")
            group.kind = "criterion"
            groups.append(group)
        sections.append(section(numeral, str(4 * len(groups)), groups))
    return Rubric(RubricMeta(title="Sinh tự động", version="g1"), sections,
                  declared_total=sum((x.max for x in sections), Decimal(0)))


def test_a_thousand_criteria_twenty_edits_and_a_renumbering():
    a = generated(1000)
    b = copy.deepcopy(a)
    leaves = [n for n in b.walk() if n.is_leaf]
    for n in leaves[10:400:40]:  # 10 titles
        n.title += " (sửa theo góp ý)"
    for n in leaves[20:400:40]:  # 10 bands
        n.bands[1].text += " trong năm"
    group = b.sections[1].children
    del group[0]  # II.1 and its 4 leaves removed; every later group of II renumbered
    for number, g in enumerate(group, 1):
        g.id = f"II.{number}"
        for i, child in enumerate(g.children, 1):
            child.id = f"II.{number}.{i}"
    d = diff_rubrics(a, b)
    assert d.counts() == {"removed": 1, "moved": len(group), "title-changed": 10, "band-reworded": 10}
    assert d.changes_for("II.1.3")[0].kind == "removed" and d.id_map()["II.2.3"] == "II.1.3"
    assert d.accounted()
