"""Two sides of one rule are two cases, not a slip: "trở xuống" thresholds, before/after pairs, negated requirements."""

from __future__ import annotations

import pytest

from cchc_consult.bands import annotate_bands
from cchc_consult.check import check
from tests.conftest import leaf, make_rubric, pct, section


def found(rubric, code):
    return [f for f in check(rubric) if f.code == code]


def worded(bands, maximum="2"):
    """A rubric of one leaf whose conditions are read from the words, as loading a YAML does."""
    node = leaf("I.1", maximum, bands)
    annotate_bands(node.bands)
    return make_rubric([section("I", maximum, [node])], total=maximum)


def test_a_band_set_with_tro_xuong_covers_the_threshold():
    rubric = worded([("Kiểm tra trên 30% số công chức", "2"), ("Kiểm tra từ 30% trở xuống", "1")])
    assert found(rubric, "coverage-gap") == [] and found(rubric, "coverage-overlap") == []
    rubric = worded([("Kiểm tra từ 30% trở lên", "2"), ("Kiểm tra 30% trở lại", "1")])
    assert [f.node for f in found(rubric, "coverage-overlap")] == ["I.1"]  # 30% is in both
    rubric = worded([("Kiểm tra trên 40%", "2"), ("Kiểm tra từ 30% trở xuống", "1")])
    assert "trên 30% đến 40%" in found(rubric, "coverage-gap")[0].message


def test_days_late_with_tro_xuong_covers_every_day():
    rubric = worded([("Đúng hạn", "2"), ("Chậm từ 05 ngày trở xuống", "1"), ("Chậm trên 05 ngày", "0")])
    assert found(rubric, "coverage-gap") == []


@pytest.mark.parametrize("first, second", [
    ("Ban hành trước ngày 31/01/2024", "Ban hành sau ngày 31/01/2024"),
    ("Số hồ sơ trên mức trung bình của huyện", "Số hồ sơ dưới mức trung bình của huyện"),
    ("Nộp báo cáo đúng hạn theo quy định", "Nộp báo cáo quá hạn theo quy định"),
    ("Có kế hoạch kiểm tra nội bộ", "Không kế hoạch kiểm tra nội bộ"),
])
def test_two_sides_of_a_rule_are_not_a_typo(first, second):
    node = leaf("I.1", "3", [(first, "3"), (second, "1")])
    assert found(make_rubric([section("I", "3", [node])]), "near-duplicate-band") == []


@pytest.mark.parametrize("first, second", [
    ("Ban hành trước ngày 31/01/2024", "Ban hành truớc ngày 31/01/2024"),
    ("Có báo cáo theo đúng thời gian quy định", "Có báo cáo nhưng đúng thời gian quy định"),
    ("Cao hơn mức 0,2 lương cơ sở trở lên", "Thấp hơn mức 0,2 lương cơ sở trở lên"),  # both say "trở lên"
])
def test_true_near_duplicates_still_warn(first, second):
    node = leaf("I.1", "3", [(first, "3"), (second, "1")])
    hits = found(make_rubric([section("I", "3", [node])]), "near-duplicate-band")
    assert len(hits) == 1 and hits[0].severity == "warning"


def test_a_negated_requirement_is_another_case():
    node = leaf("I.1", "5", [("a", "5"), ("b", "4"), ("c", "0")])
    node.bands[0].condition = pct("100", "100", True, True, also="… nhưng không có nhiệm vụ hoàn thành muộn")
    node.bands[1].condition = pct("100", "100", True, True, also="… nhưng có nhiệm vụ hoàn thành muộn")
    node.bands[2].condition = pct("0", "100")
    rubric = make_rubric([section("I", "5", [node])])
    assert found(rubric, "duplicate-condition") == []
    node.bands[0].condition = pct("100", "100", True, True, also="… nhưng chưa có nhiệm vụ hoàn thành muộn")
    assert found(rubric, "duplicate-condition") == []


def test_a_negation_of_other_words_still_overlaps():
    """"có ban hành" also holds when it was issued but not on time: the two bands share a case."""
    node = leaf("I.1", "2", [("a", "2"), ("b", "1")])
    node.bands[0].condition = pct("100", "100", True, True, also="có ban hành")
    node.bands[1].condition = pct("100", "100", True, True, also="có ban hành nhưng không đúng hạn")
    assert [f.node for f in found(make_rubric([section("I", "2", [node])]), "duplicate-condition")] == ["I.1"]
