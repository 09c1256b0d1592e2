"""The band-wording parser: each phrasing of the 2023 draft, with its boundaries."""

from decimal import Decimal

import pytest

from cchc_consult.bands import parse_band_conditions, parse_deduction, parse_per_unit

D = Decimal


def one(text, *siblings):
    return parse_band_conditions([text, *siblings])[0]


@pytest.mark.parametrize("text, inside, outside", [
    ("Thực hiện trên 80% kế hoạch", ["80.5", "100"], ["80", "79"]),
    ("Thực hiện từ 70% đến 80% kế hoạch", ["70", "80"], ["69.9", "80.1"]),
    ("Thực hiện từ 50% đến dưới 70% kế hoạch", ["50", "69.99"], ["70", "49"]),
    ("Hoàn thành từ 80% trở lên", ["80", "100"], ["79.9"]),
    ("Hoàn thành dưới 60%", ["0", "59.9"], ["60"]),
    ("Hoàn thành 100% kế hoạch", ["100"], ["99.9"]),
    ("Từ 95% - dưới 100% TTHC do cơ quan tham mưu", ["95", "99"], ["100", "94"]),
    ("Từ 80 dưới 100% văn bản được xử lý kịp thời", ["80"], ["100"]),
    ("Từ 40 - dưới 50%", ["40", "49"], ["50"]),
    ("Hoàn thành từ 90 đến dưới 100% số nhiệm vụ", ["90"], ["100", "89"]),
    ("Từ dưới 90% cán bộ, công chức cập nhật", ["0", "89"], ["90"]),
    ("Đạt từ 50% trở lên", ["50", "100"], ["49"]),
])
def test_percent_phrasings(text, inside, outside):
    cond = one(text)
    assert cond is not None and cond.measure == "percent"
    assert all(cond.contains(D(v)) for v in inside)
    assert not any(cond.contains(D(v)) for v in outside)


@pytest.mark.parametrize("text, inside, outside", [
    ("Chậm dưới 10 ngày so với thời gian quy định", ["1", "9"], ["0", "10"]),
    ("Không ban hành hoặc ban hành chậm từ 10 ngày trở lên", ["10", "400"], ["9"]),
    ("Quá từ 01 đến 03 ngày so với thời gian yêu cầu", ["1", "3"], ["0", "4"]),
    ("Quá 03 ngày so với thời gian yêu cầu", ["4"], ["3"]),
    ("Chậm trên 15 ngày so với yêu cầu của UBND huyện", ["16"], ["15"]),
    ("Lập và gửi báo cáo quyết toán hàng năm chậm không quá 10 ngày", ["10", "1"], ["0", "11"]),
])
def test_days_late_phrasings(text, inside, outside):
    cond = one(text)
    assert cond is not None and cond.measure == "days_late"
    assert all(cond.contains(D(v)) for v in inside)
    assert not any(cond.contains(D(v)) for v in outside)


def test_on_time_is_days_late_only_beside_a_days_band():
    on_time = "Trước và đúng thời gian quy định"
    assert one(on_time, "Chậm dưới 10 ngày").contains(D(0))
    assert not one(on_time, "Chậm dưới 10 ngày").contains(D(1))
    assert one(on_time, "Không đúng") is None  # alone it is a quality, not a measure


def test_yes_no_only_when_every_band_is_yes_or_no():
    assert [c.low for c in parse_band_conditions(["Có ban hành", "Không ban hành"])] == [D(1), D(0)]
    assert parse_band_conditions(["Xác định đầy đủ các nhiệm vụ", "Không xác định nhiệm vụ"]) == [None, None]


def test_qualifier_is_kept_beside_the_measure():
    cond = one("Hoàn thành đúng tiến độ 100% số nhiệm vụ được giao nhưng có nhiệm vụ hoàn thành muộn")
    assert cond.contains(D(100)) and "muộn" in cond.also


def test_qualitative_wording_stays_a_choice():
    assert one("Tiếp nhận đủ, đúng thành phần hồ sơ theo quy định", "Tiếp nhận dư thành phần hồ sơ") is None


def test_deduction_and_per_unit_rules():
    assert parse_deduction("Nội dung và thời gian báo cáo đảm bảo (Mỗi tiêu chí không đạt yêu cầu trừ 0,75 điểm)") == D("0.75")
    assert parse_deduction("đảm bảo nội dung (không đảm bảo trừ 0,5điểm)") == D("0.5")
    assert parse_deduction("Có ban hành") is None
    rule = parse_per_unit("Sáng kiến được Chủ tịch UBND tỉnh công nhận (01 sáng kiến = 02 điểm)")
    assert rule.unit == "sáng kiến" and rule.points == D(2)


@pytest.mark.parametrize("text, inside, outside", [
    ("Từ 90% kế hoạch trở lên", ["90", "100"], ["89.9"]),
    ("Đạt từ 90% số thôn trở lên", ["90"], ["89"]),
    ("≥ 90%", ["90", "100"], ["89.9"]),
    (">= 90% hồ sơ", ["90"], ["89"]),
    ("> 80%", ["80.1"], ["80"]),
    ("< 60%", ["0", "59.9"], ["60"]),
    ("≤ 60%", ["60"], ["60.1"]),
    ("Từ 60% - < 90%", ["60", "89.9"], ["90", "59"]),
    ("Từ 80% trở len", ["80", "100"], ["79"]),
    ("từ 80% tro len", ["80"], ["79"]),
])
def test_percent_phrasings_with_symbols_words_and_typos(text, inside, outside):
    cond = one(text, "Dưới 10%")
    assert cond is not None and cond.measure == "percent"
    assert all(cond.contains(D(v)) for v in inside)
    assert not any(cond.contains(D(v)) for v in outside)


def test_on_time_said_as_dung_thoi_han_is_zero_days_late_among_days_bands():
    conds = parse_band_conditions(["Ban hành đúng thời hạn", "Chậm dưới 10 ngày", "Chậm từ 10 ngày trở lên"])
    assert (conds[0].measure, conds[0].low, conds[0].high) == ("days_late", 0, 0)


def test_deduction_needs_a_failure_before_it_in_the_same_bracket():
    assert parse_deduction("Mỗi báo cáo không đạt trừ 0,5 điểm") == D("0.5")
    assert parse_deduction("(không đảm bảo trừ 0,25điểm)") == D("0.25")
    assert parse_deduction("không đạt (trừ 1 điểm)") is None
    assert parse_deduction("Trừ 1 điểm") is None


LONG_CELLS = [
    "mỗi " + "không đạt " * 3000,                      # the 21 KB band cell: no "trừ" at the end
    "mỗi nội dung " * 2000 + "không đạt yêu cầu " * 500 + "trừ",
    "1 " * 10000 + "=",
    "1" * 20000 + " sáng kiến",
    "từ 90% " * 3000 + "trở",
    "30% số " * 3000 + "trở xuốn",
    "chậm 5 ngày trở " * 2000,
    "≥ 9 < 8 > 7 " * 2000,
    "chậm từ 1 ngày " * 2000,
]


@pytest.mark.parametrize("text", LONG_CELLS)
def test_every_band_parser_is_linear_on_long_cells(text):
    import time

    started = time.perf_counter()
    parse_deduction(text)
    parse_per_unit(text)
    parse_band_conditions([text, text[:100], "chậm dưới 10 ngày"])
    assert time.perf_counter() - started < 1.0


def test_long_cell_still_finds_its_rule_at_the_end():
    text = "Nội dung kiểm tra " * 1500 + "mỗi nội dung không đạt trừ 0,5 điểm (01 sáng kiến = 02 điểm)"
    assert parse_deduction(text) == D("0.5")
    assert parse_per_unit(text).points == D(2)


@pytest.mark.parametrize("text, inside, outside", [
    ("Kiểm tra từ 30% trở xuống", ["0", "30"], ["30.1", "100"]),
    ("Kiểm tra 30% số công chức trở xuống", ["30"], ["31"]),
    ("Đạt từ 50% kế hoạch trở lại", ["0", "50"], ["50.5"]),
    ("≤ 30%", ["30"], ["30.1"]),
])
def test_tro_xuong_and_tro_lai_are_at_most(text, inside, outside):
    cond = one(text, "Trên 30%")
    assert cond is not None and cond.measure == "percent"
    assert all(cond.contains(D(v)) for v in inside)
    assert not any(cond.contains(D(v)) for v in outside)


@pytest.mark.parametrize("text, inside, outside", [
    ("Chậm từ 05 ngày trở xuống", ["1", "5"], ["0", "6"]),
    ("Chậm 05 ngày trở lại", ["1", "5"], ["0", "6"]),
    ("Chậm 10 ngày trở lên", ["10", "400"], ["9"]),
])
def test_days_late_at_most_and_at_least_without_tu(text, inside, outside):
    cond = one(text, "Đúng hạn")
    assert cond is not None and cond.measure == "days_late"
    assert all(cond.contains(D(v)) for v in inside)
    assert not any(cond.contains(D(v)) for v in outside)


def test_tro_lai_in_other_words_is_not_a_threshold():
    assert one("Trở lại làm việc đúng hạn", "Không trở lại làm việc") is None


def test_moi_item_then_tru_is_a_per_item_deduction():
    assert parse_deduction("Mỗi báo cáo chậm hoặc thiếu trừ 1 điểm") == D(1)
    assert parse_deduction("Mỗi lần chậm trừ 0,25 điểm") == D("0.25")
    # "mỗi" counts only inside its own bracket, as "không đạt" does
    assert parse_deduction("Mỗi báo cáo đúng hạn (trừ 1 điểm)") is None
    assert parse_deduction("Mỗi văn bản được ký số (trừ văn bản mật)") is None  # "trừ" as "except"
    assert parse_deduction("Trừ 1 điểm") is None


def _band_texts(rubric):
    return [(node.id, band.text, band.deduction) for node in rubric.walk() for band in node.bands]


def test_bundled_drafts_and_seed_read_the_same_deductions():
    """The "mỗi … trừ" reading adds no deduction to the bundled documents: only the ones they spell out."""
    from cchc_consult.importers import import_any
    from cchc_consult.schema import load_rubric_file
    from tests.conftest import REPO, SEED

    spelled = {"v1": ["I.4.1", "I.4.1", "I.4.1", "II.6.6.3"], "v2": ["I.4.1", "I.4.1", "I.4.1"],
               "seed": ["I.4.1", "I.4.1", "I.4.1", "II.6.6.3"]}
    rubrics = {"v1": load_rubric_file(REPO / "rubric" / "drafts" / "v1.yaml"),
               "v2": load_rubric_file(REPO / "rubric" / "drafts" / "v2.yaml"), "seed": import_any(SEED).rubric}
    for name, rubric in rubrics.items():
        bands = _band_texts(rubric)
        assert [node for node, _, deduction in bands if deduction is not None] == spelled[name], name
        assert all(parse_deduction(text) is None or "không" in text.lower() for _, text, _ in bands), name
