"""The file means what it says: a band's wording is the source of its condition (issue 12, item 7).

A `when:` stored in the file counts only where the words carry no condition (an explicit
override); one the words contradict — the wording edited by hand — is not scored, and
check warns with the fix.
"""

from __future__ import annotations

import json
import subprocess
import sys

from cchc_consult.check import check
from cchc_consult.schema import conditions_from_words, load_rubric_file, rubric_from_data, same_interval
from tests.conftest import REPO, V1

V2 = REPO / "rubric" / "drafts" / "v2.yaml"
OLD_WORDS = "Có báo cáo nhưng chậm 05 ngày so với"
NEW_WORDS = "Có báo cáo nhưng chậm không quá 05 ngày so với"


def _rubric(bands: list[dict]) -> dict:
    return {"meta": {"title": "Thử", "year": 2024}, "total": {"declared": "2"}, "sections": [
        {"id": "I", "tt": "I", "title": "MỤC", "max": "2", "children": [
            {"id": "I.1", "tt": "1", "title": "Báo cáo định kỳ", "max": "2", "evidence": ["Báo cáo"],
             "bands": bands}]}]}


def test_the_words_win_over_a_stale_when_and_check_says_how_to_fix_it():
    rubric = rubric_from_data(_rubric([
        {"text": "Trước và đúng thời gian quy định", "points": "2", "when": {"measure": "days_late", "range": "[0, 0]"}},
        {"text": "Chậm không quá 05 ngày", "points": "1", "when": {"measure": "days_late", "range": "[5, 5]"}},
        {"text": "Chậm trên 05 ngày", "points": "0", "when": {"measure": "days_late", "range": "(5, inf)"}},
    ]))
    band = rubric.index()["I.1"].bands[1]
    assert band.condition.range_text == "(0, 5]"  # what the words say
    assert band.overridden.range_text == "[5, 5]"  # what the file said, kept for the warning
    findings = check(rubric)
    stale = [f for f in findings if f.code == "stale-condition"]
    assert len(stale) == 1 and stale[0].node == "I.1" and stale[0].severity == "warning"
    assert "mức 2" in stale[0].message and "chấm theo lời" in stale[0].message
    assert "xóa dòng 'when' của mức 2" in stale[0].fix
    # Judged by the words, the bands cover every day late: no gap (by the stale [5, 5] there were two).
    assert not [f for f in findings if f.code == "coverage-gap"]


def test_a_when_is_an_override_where_the_words_carry_no_condition():
    rubric = rubric_from_data(_rubric([
        {"text": "Gửi kết quả trước ngày 15/12 hằng năm", "points": "2",
         "when": {"measure": "days_late", "range": "[0, 0]"}},
        {"text": "Chậm dưới 05 ngày", "points": "1", "when": {"measure": "days_late", "range": "(0, 5)"}},
        {"text": "Chậm từ 05 ngày trở lên", "points": "0"},
    ]))
    first, _, last = rubric.index()["I.1"].bands
    assert first.condition.range_text == "[0, 0]" and first.overridden is None
    assert last.condition.range_text == "[5, inf)"  # no `when` needed: the words carry it
    assert not [f for f in check(rubric) if f.code in ("stale-condition", "coverage-gap")]


def test_the_words_also_give_the_further_requirement():
    rubric = rubric_from_data(_rubric([
        {"text": "Có ban hành kế hoạch và số lượng công chức được kiểm tra trên 30%", "points": "2",
         "when": {"measure": "percent", "range": "(30, 100]", "also": "lời cũ trước khi sửa"}},
        {"text": "Không ban hành kế hoạch hoặc số lượng công chức được kiểm tra từ 30% trở xuống", "points": "0",
         "when": {"measure": "percent", "range": "[0, 30]"}},
    ]))
    band = rubric.index()["I.1"].bands[0]
    assert band.condition.also and "lời cũ" not in band.condition.also
    assert band.overridden is None  # the same values: not a contradiction


def _edited_by_hand(tmp_path):
    text = V1.read_text(encoding="utf-8")
    assert text.count(OLD_WORDS) == 1
    path = tmp_path / "sua-tay.yaml"
    path.write_text(text.replace("status: circulated", "status: draft", 1).replace(OLD_WORDS, NEW_WORDS),
                    encoding="utf-8")
    return path


def _cchc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cchc_consult", *args], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8")


def test_check_judges_the_wording_edited_by_hand(tmp_path):
    path = _edited_by_hand(tmp_path)
    rubric = load_rubric_file(path)
    assert rubric.index()["II.5.4.2"].bands[1].condition.range_text == "(0, 5]"
    out = _cchc("check", str(path), "--format", "json")
    findings = [f for f in json.loads(out.stdout)["findings"] if f["node"] == "II.5.4.2"]
    stale = [f for f in findings if f["code"] == "stale-condition"]
    assert len(stale) == 1 and stale[0]["expected"] == "(0, 5]" and stale[0]["actual"] == "[5, 5]"
    gaps = [f["message"] for f in findings if f["code"] == "coverage-gap"]
    assert gaps and not any("dưới 5" in g for g in gaps)  # 1–4 days late are covered now
    text = _cchc("check", str(path)).stdout
    assert "dòng 'when' ghi" in text and "→ xóa dòng 'when' của mức 2" in text


def test_diff_sees_the_threshold_the_new_wording_sets(tmp_path):
    path = _edited_by_hand(tmp_path)
    out = _cchc("diff", str(V1), str(path))
    assert out.returncode == 1, out.stderr
    assert "II.5.4.2, mức 2: đổi điều kiện" in out.stdout and "không quá" in out.stdout


def test_the_bundled_versions_mean_what_they_store():
    """v1 and v2 read as before: every stored condition agrees with its words, or the words carry none."""
    for path in (V1, V2):
        rubric = load_rubric_file(path)
        assert not [f for f in check(rubric) if f.code == "stale-condition"], path.name
        for node in rubric.walk():
            from_words = conditions_from_words([{"text": b.text} for b in node.bands])
            for band, words in zip(node.bands, from_words):
                assert band.overridden is None
                assert band.condition is None or words is None or same_interval(band.condition, words)
    # The one override in the bundled files: a deadline by date carries no days-late words.
    override = load_rubric_file(V2).index()["II.4.3"].bands[0]
    assert override.condition.range_text == "[0, 0]" and "15/12" in override.text


def test_a_read_from_the_parse_cache_needs_no_band_parser(tmp_path):
    """The derived conditions live in the parse cache: a second process reads them without bands.py."""
    path = _edited_by_hand(tmp_path)
    code = ("import sys; from cchc_consult.schema import load_rubric_file\n"
            f"r = load_rubric_file({str(path)!r})\n"
            "print(r.index()['II.5.4.2'].bands[1].condition.range_text, 'cchc_consult.bands' in sys.modules)")
    env = {**__import__("os").environ, "CCHC_CACHE_DIR": str(tmp_path / "cache")}
    first, second = (subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                                    env=env).stdout.split() for _ in range(2))
    assert first == ["(0,", "5]", "True"]  # parsed, words read
    assert second == ["(0,", "5]", "False"]  # from the cache: the same condition, no parser loaded
