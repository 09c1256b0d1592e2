"""The rubric model: exact points, Vietnamese formatting, tree walking."""

from decimal import Decimal

import pytest

from cchc_consult.errors import PointsError
from cchc_consult.model import INF, Condition, parse_points
from cchc_consult.vn import format_points, nfc
from tests.conftest import leaf, make_rubric, section


@pytest.mark.parametrize("raw, expected", [("1,5", "1.5"), ("1.5", "1.5"), ("1,50", "1.50"), (2, "2"),
                                           (1.5, "1.5"), (" 0,75 ", "0.75"), ("12            ", "12"),
                                           ("8,0", "8.0"), ("\u00a02", "2")])
def test_points_are_exact_decimals(raw, expected):
    value = parse_points(raw)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


@pytest.mark.parametrize("raw", ["1.5.2", "một", "", "1,5 điểm", True, "1,,5"])
def test_points_refuse_what_is_not_a_number(raw):
    with pytest.raises(PointsError):
        parse_points(raw)


@pytest.mark.parametrize("value, text", [("1.5", "1,5"), ("2", "2"), ("8.0", "8"), ("0.75", "0,75"),
                                         ("0.50", "0,5"), ("100", "100"), ("10", "10")])
def test_points_display_with_decimal_comma(value, text):
    assert format_points(Decimal(value)) == text


def test_text_is_kept_in_nfc():
    decomposed = "Hoa\u0300n tha\u0300nh"  # combining grave accents, as some Mac editors write it
    assert nfc(decomposed) == "Hoàn thành"


def test_condition_ends_are_respected():
    above_80 = Condition("percent", Decimal(80), Decimal(100), low_closed=False, high_closed=True)
    assert not above_80.contains(Decimal(80))
    assert above_80.contains(Decimal("80.01")) and above_80.contains(Decimal(100))
    late = Condition("days_late", Decimal(10), INF, True, False)
    assert late.contains(Decimal(10)) and late.contains(Decimal(10_000))
    assert late.range_text == "[10, inf)"


def test_tree_walk_index_and_totals():
    rubric = make_rubric([section("I", "3", [leaf("I.1", "1"), leaf("I.2", "2")]),
                          section("II", "2", [leaf("II.1", "2")])], total="5")
    assert [n.id for n in rubric.walk()] == ["I", "I.1", "I.2", "II", "II.1"]
    assert [n.id for n in rubric.leaves()] == ["I.1", "I.2", "II.1"]
    assert rubric.index()["I.2"].max == Decimal(2)
    assert rubric.parents()["II.1"].id == "II"
    assert rubric.computed_total() == Decimal(5)
