"""Scoring: leaf rules, totals, index, classes, ranks, validation with file and line, the bundled sheets."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_consult.cli import main
from cchc_consult.model import Band, Condition, PerUnit
from cchc_consult.score import (
    Settings, classify, load_sheets, rank_offices, read_sheet, score_office, score_sheets, score_workspace,
    sheet_from_data,
)
from cchc_consult.score.compute import OfficeScore, Totals
from cchc_consult.score.sheet import Entry, _Refuse, entry_points
from cchc_consult.yamlio import parse_yaml
from cchc_consult.workspace import Workspace
from tests.conftest import D, leaf, make_rubric, pct, section

FIXTURES = Path(__file__).parent / "fixtures" / "scores"


def days(low, high, low_closed=True, high_closed=False):
    return Condition("days_late", D(low), D(high), low_closed, high_closed)


def small_rubric():
    """Two sections, one of each rule: percent bands, days late, deduction, checklist, per unit."""
    plan = leaf("I.1", "2", title="Mức độ hoàn thành kế hoạch")
    plan.bands = [Band("trên 80%", D("2"), pct("80", "100", False, True)),
                  Band("từ 70% đến 80%", D("1"), pct("70", "80", True, True)),
                  Band("dưới 70%", D("0"), pct("0", "70"))]
    late = leaf("I.2", "2")
    late.bands = [Band("đúng hạn", D("2"), days("0", "0", True, True)),
                  Band("chậm dưới 10 ngày", D("1"), days("0", "10", False, False)),
                  Band("chậm từ 10 ngày", D("0"), days("10", "Infinity"))]
    reports = leaf("I.3", "3", scoring="deduction", per_item=D("0.75"), items=["Q1", "Q2", "Q3", "Năm"])
    reports.bands = [Band("đủ, đúng hạn", D("3"))]
    iso = leaf("II.1", "4", scoring="checklist")
    iso.bands = [Band(f"tài liệu {i}", D("1")) for i in range(1, 5)]
    idea = leaf("II.2", "3")
    idea.bands = [Band("tỉnh công nhận", D("3"), per_unit=PerUnit("sáng kiến", D("2"))),
                  Band("huyện công nhận", D("2"), per_unit=PerUnit("sáng kiến", D("1"))),
                  Band("không có", D("0"))]
    extra = leaf("II.3", "1,5".replace(",", "."), [("đạt", "1.5"), ("không đạt", "0")])
    return make_rubric([section("I", "7", [plan, late, reports]), section("II", "8.5", [iso, idea, extra])])


def node(rubric, node_id):
    return rubric.index()[node_id]


def points(rubric, node_id, **answer):
    return entry_points(node(rubric, node_id), Entry(id=node_id, line=1, **answer))


# --------------------------------------------------------------------------- one leaf

def test_measured_values_pick_their_band():
    r = small_rubric()
    assert points(r, "I.1", value="92%") == D("2")
    assert points(r, "I.1", value="80%") == D("1")          # "từ 70% đến 80%": 80 is inside, "trên 80%" is not
    assert points(r, "I.1", value="80,5%") == D("2")
    assert points(r, "I.1", value=69) == D("0")
    assert points(r, "I.2", days_late=0) == D("2")
    assert points(r, "I.2", days_late=9) == D("1")
    assert points(r, "I.2", days_late=10) == D("0")
    assert points(r, "I.1", band=2) == D("1")


def test_deduction_checklist_and_per_unit_rules():
    r = small_rubric()
    assert points(r, "I.3", failed=[]) == D("3")
    assert points(r, "I.3", failed=[2, 4]) == D("1.50")      # 3 − 2 × 0,75
    assert points(r, "I.3", failed=[1, 2, 3, 4]) == D("0")   # 3 − 4 × 0,75 = 0
    assert points(r, "II.1", checked=[1, 3, 4]) == D("3")
    assert points(r, "II.1", checked=[]) == D("0")
    assert points(r, "II.2", band=1, count=1) == D("2")      # 1 × 2
    assert points(r, "II.2", band=1, count=2) == D("3")      # 2 × 2 = 4, capped at the band's 3
    assert points(r, "II.2", band=2, count=3) == D("2")      # 3 × 1, capped at 2
    assert points(r, "II.2", band=3) == D("0")
    assert points(r, "II.3", not_arising=True) is None


def test_deduction_never_goes_below_zero():
    reports = leaf("X.1", "1", scoring="deduction", per_item=D("0.75"), items=["a", "b"])
    assert entry_points(reports, Entry("X.1", 1, failed=[1, 2])) == D("0")


@pytest.mark.parametrize("answer, words", [
    ({"value": "120%"}, "ngoài 0–100%"),
    ({"value": "-5"}, "ngoài 0–100%"),
    ({"band": 4}, "mức 4 không tồn tại"),
    ({"band": 0}, "không tồn tại"),
    ({"points": "2,5"}, "vượt điểm chuẩn 2"),
    ({"days_late": 3}, "không đo bằng 'days_late'"),
    ({"band": 1, "value": "75%"}, "không thuộc mức 1"),
    ({"failed": [1]}, "'failed' chỉ dùng"),
    ({}, "chưa ghi cách chấm"),
    ({"band": 1, "not_arising": True}, "khong_phat_sinh"),
])
def test_bad_answers_are_refused_with_a_reason(answer, words):
    with pytest.raises(_Refuse) as info:
        points(small_rubric(), "I.1", **answer)
    assert words in info.value.message


def test_a_value_matching_two_bands_with_different_points_asks_for_the_band():
    both = leaf("I.7", "5")
    both.bands = [Band("100% đúng hạn", D("5"), pct("100", "100", True, True)),
                  Band("100% nhưng có việc muộn", D("4"), pct("100", "100", True, True, also="có việc muộn"))]
    with pytest.raises(_Refuse) as info:
        entry_points(both, Entry("I.7", 1, value="100%"))
    assert "khớp nhiều mức" in info.value.message and "band" in info.value.fix
    assert entry_points(both, Entry("I.7", 1, value="100%", band=2)) == D("4")


def test_per_unit_and_checklist_errors():
    r = small_rubric()
    with pytest.raises(_Refuse, match="tính theo số sáng kiến"):
        points(r, "II.2", band=1)
    with pytest.raises(_Refuse, match="nhiều mức tính theo đơn vị"):
        points(r, "II.2", count=2)
    with pytest.raises(_Refuse, match="số 5 không tồn tại"):
        points(r, "II.1", checked=[1, 5])
    with pytest.raises(_Refuse, match="hai lần"):
        points(r, "II.1", checked=[1, 1])


# --------------------------------------------------------------------------- totals, classes, ranks

def sheet(office, entries, kind="self", source="phieu.yaml"):
    data = parse_yaml(json.dumps({"office": office, "rubric": "t1", "kind": kind, "scores": entries}), source)
    return sheet_from_data(data, source)


FULL = [{"id": "I.1", "value": "92%"}, {"id": "I.2", "days_late": 0}, {"id": "I.3", "failed": []},
        {"id": "II.1", "checked": [1, 2, 3, 4]}, {"id": "II.2", "band": 1, "count": 2}, {"id": "II.3", "band": 1}]


def test_totals_index_and_not_arising_setting():
    r = small_rubric()
    entries = [dict(e) for e in FULL]
    entries[0] = {"id": "I.1", "value": "75%"}                # 1 of 2
    entries[5] = {"id": "II.3", "khong_phat_sinh": True}      # 1,5 leaves the maximum
    result = score_office(r, sheet("TP", entries))
    # 1 + 2 + 3 + 4 + 3 = 13 of 2 + 2 + 3 + 4 + 3 = 14
    assert (result.self.total, result.self.max) == (D("13"), D("14"))
    assert result.self.index == D(13) / D(14) * 100
    assert result.nodes["I"].total == D("6") and result.nodes["II"].max == D("7")
    full = score_office(r, sheet("TP", entries), settings=Settings(not_arising="full"))
    # 13 + 1,5 of 14 + 1,5
    assert (full.self.total, full.self.max) == (D("14.5"), D("15.5"))


def test_appraisal_overrides_with_reason_and_self_is_kept_beside_it():
    r = small_rubric()
    appraisal = sheet("TP", [{"id": "I.3", "failed": [1], "reason": "Báo cáo Quý 1 gửi chậm"}], "appraisal")
    result = score_office(r, sheet("TP", FULL), appraisal)
    assert result.self.total == D("15.5") and result.appraised.total == D("14.75")   # 15,5 − 0,75
    assert [(a.id, a.self_points, a.appraised_points) for a in result.adjustments] == [("I.3", D(3), D("2.25"))]


def test_appraisal_without_reason_is_refused_with_its_line():
    text = "office: TP\nrubric: t1\nkind: appraisal\nscores:\n  - id: I.1\n    value: 50%\n"
    appraisal = sheet_from_data(parse_yaml(text, "tham-dinh.yaml"), "tham-dinh.yaml")
    result = score_office(small_rubric(), sheet("TP", FULL), appraisal)
    assert not isinstance(result, OfficeScore)
    [problem] = result.problems
    assert (problem.path, problem.line) == ("tham-dinh.yaml", 5)
    assert "không ghi lý do" in problem.message and "reason" in problem.fix


def test_classification_thresholds_default_and_custom():
    s = Settings()
    assert [classify(D(x), s) for x in ("90", "89.99", "80", "70", "60", "59.99")] == \
        ["xuất sắc", "tốt", "tốt", "khá", "trung bình", "yếu"]
    custom = Settings(classes=(("hoàn thành tốt", D(85)), ("hoàn thành", D(50)), ("chưa hoàn thành", D(0))))
    assert classify(D("84.9"), custom) == "hoàn thành"


def _office(code, total, maximum="100"):
    return OfficeScore(code, Totals(D(total), D(maximum)), Totals(D(total), D(maximum)), {}, {}, {})


def test_ties_share_a_rank():
    ranked = rank_offices([_office("A", "80"), _office("B", "90"), _office("C", "90"), _office("D", "70")])
    assert [(o.office, o.rank) for o in ranked] == [("B", 1), ("C", 1), ("A", 3), ("D", 4)]
    # the same index reached over different maxima is a tie too: 45/50 = 90/100
    ranked = rank_offices([_office("A", "95"), _office("B", "90"), _office("C", "45", "50"), _office("D", "10")])
    assert [o.rank for o in ranked] == [1, 2, 2, 4]


# --------------------------------------------------------------------------- sheets on disk

def copy_fixture(tmp_path, name):
    target = tmp_path / name
    shutil.copy(FIXTURES / name, target)
    return target


def test_bad_sheet_errors_name_file_and_line(tmp_path):
    path = copy_fixture(tmp_path, "bad_TP.yaml")
    result = score_office(small_rubric(), read_sheet(path))
    assert not isinstance(result, OfficeScore)
    found = {(p.line, p.message.split(":")[0]) for p in result.problems}
    text = "\n".join(str(p) for p in result.problems)
    assert all(p.path == str(path) for p in result.problems)
    assert (7, "I.1") in found and "ngoài 0–100%" in text                    # value 120%
    assert (8, "I.2") in found and "mức 7 không tồn tại" in text               # band 7
    assert (9, "tiêu chí 'I.9' không có trong bộ tiêu chí t1") in found        # unknown criterion
    assert (10, "II.3") in found and "vượt điểm chuẩn 1,5" in text            # points above max
    assert "thiếu 3 tiêu chí chưa chấm: I.3, II.1, II.2" in text               # missing leaves


def test_sheet_with_errors_is_never_scored_but_reported(workspace):
    bad = workspace / "scores" / "self" / "TP.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('value: "78%"', 'value: "780%"'), encoding="utf-8")
    report = score_workspace(Workspace(workspace))
    assert "TP" not in [o.office for o in report.offices]
    [failure] = report.failures
    assert failure.office == "TP" and "780" in failure.problems[0].message
    assert failure.problems[0].line == 12
    assert [o.rank for o in report.offices][:1] == [1] and len(report.offices) == 11


def test_broken_yaml_file_is_one_refused_sheet_not_a_crash(tmp_path):
    (tmp_path / "TP.yaml").write_text("office: TP\nscores: [\n", encoding="utf-8")
    [only] = load_sheets(tmp_path)
    assert only.problems and "YAML" in only.problems[0].message


# --------------------------------------------------------------------------- the bundled sheets, by hand

def test_bundled_sheets_score_every_office(workspace):
    report = score_workspace(Workspace(workspace))
    assert not report.failures
    assert len(report.offices) == 12
    assert [o.rank for o in report.offices] == [1, 2, 3, 4, 5, 5, 7, 8, 9, 10, 11, 12]   # GDDT and TNMT tie


def test_bundled_tu_phap_by_hand(workspace):
    """TP: band choices, a measured %, days late, a deduction, the 6.6.3 checklist, "không phát sinh"."""
    report = score_workspace(Workspace(workspace))
    tp = next(o for o in report.offices if o.office == "TP")
    # The sheets are on the issued v2. Self-assessment, leaf by leaf where TP differs from full marks
    # (leaf maxima sum to 100):
    #   I.1.3 78% → "từ 70% đến 80%" 1 of 2; I.2 failed Q2 + năm 2022 → 3 − 2 × 0,75 = 1,5 of 3;
    #   I.6 band 3 "không có sáng kiến" 0 of 3; II.1.1.2 5 days late → 1 of 2; II.6.2 45% band 2 → 2 of 3;
    #   II.6.6.3 checked 2, 3, 4 → 3 of 4; II.2.5 không phát sinh → leaves the maximum (3).
    #   (v2 fixed the draft's top bands: II.6.3, II.6.4 band 1 = 2 of 2, II.6.7.2 band 1 = 1 of 1.)
    #   Lost: 1 + 1,5 + 3 + 1 + 1 + 1 = 8,5 → 100 − 3 − 8,5 = 88,5 of 97.
    assert tp.self.total == Decimal("88.50")
    assert tp.self.max == Decimal("97")
    # Appraisal: II.6.6.3 → checked 2, 3 = 2 (−1); I.3.2 55% → 0 (−1): 86,5 of 97 = 89,175… → "tốt", 8th.
    assert tp.appraised.total == Decimal("86.50") and tp.appraised.max == Decimal("97")
    assert tp.appraised.index == Decimal("86.5") / Decimal(97) * 100
    assert (tp.klass, tp.rank) == ("tốt", 8)
    assert tp.appraised_points["I.2"] == Decimal("1.50") and tp.appraised_points["II.2.5"] is None


def test_bundled_thanh_tra_by_hand(workspace):
    """TTR: six criteria that did not arise, a per-unit band with no initiative, an empty checklist."""
    report = score_workspace(Workspace(workspace))
    ttr = next(o for o in report.offices if o.office == "TTR")
    # Không phát sinh: II.1.1.2 2, II.1.2 2, II.2.3.1 2, II.2.3.2 2, II.2.6 2, II.2.8 2 → max 100 − 12 = 88.
    # Lost on the rest (v2): I.6 3; II.5.1.2 band 2 0,5; II.6.6.3 checked [] 4; II.6.6.1 2; II.6.6.2 2;
    #   II.6.1.1 2; II.4.5 92% → 1 of 3: 2 → 15,5; self 88 − 15,5 = 72,5.
    assert (ttr.self.total, ttr.self.max) == (Decimal("72.5"), Decimal("88"))
    # Appraisal: II.6.2 45% (not 55%) → 2 of 3 (−1): 71,5 of 88 = 81,25 → "tốt", last of 12
    assert (ttr.appraised.total, ttr.appraised.max) == (Decimal("71.5"), Decimal("88"))
    assert (ttr.klass, ttr.rank) == ("tốt", 12)
    assert ttr.appraised.index == Decimal("71.5") / Decimal(88) * 100
    assert ttr.appraisal_state == "đã thẩm định (có điều chỉnh)"


def test_bundled_appraisal_can_make_a_task_arise(workspace):
    report = score_workspace(Workspace(workspace))
    yt = next(o for o in report.offices if o.office == "YT")
    # self (v2): II.1.1.2 (2) and II.2.7 (1) không phát sinh → max 97; lost I.1.1 2, I.1.3 1, I.6 3, II.2.4 2,
    #   II.4.5 3, II.6.6.1 1, II.6.6.2 1, II.6.6.3 0,5, II.6.7.2 1 = 14,5 → 82,5 of 97;
    # appraisal: II.2.7 arises, 1 of 1 → 83,5 of 98
    assert (yt.self.total, yt.self.max, yt.appraised.total, yt.appraised.max) == (
        D("82.5"), D("97"), D("83.5"), D("98"))


def test_settings_file_switches_not_arising_to_full(workspace):
    (workspace / "scores" / "settings.yaml").write_text("not_arising: full\n", encoding="utf-8")
    report = score_workspace(Workspace(workspace))
    ttr = next(o for o in report.offices if o.office == "TTR")
    assert (ttr.appraised.total, ttr.appraised.max) == (D("83.5"), D("100"))  # 71,5 + the 12 that did not arise


def test_settings_file_errors_have_a_line(workspace):
    (workspace / "scores" / "settings.yaml").write_text("classes:\n  - {name: tốt}\n", encoding="utf-8")
    assert main(["-w", str(workspace), "score"]) == 2


def test_score_sheets_refuses_two_self_sheets_for_one_office():
    r = small_rubric()
    report = score_sheets(r, [sheet("TP", FULL, source="a.yaml"), sheet("TP", FULL, source="b.yaml")])
    assert not report.offices and "2 phiếu tự chấm" in report.failures[0].problems[0].message
