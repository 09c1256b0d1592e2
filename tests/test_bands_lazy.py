"""The band parser's word tests never hide a match: each is a necessary condition of the pattern behind it.

`bands` tests plain words (`"dưới" in text`) before a pattern, which compiles on first use (`LazyPattern`);
a word test that could fail where the pattern matches would change a condition. Checked on every band
text of the repository, the seed documents' imports and generated rubrics, and on random wording.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_consult import bands, yamlio
from cchc_consult.importers import import_any
from cchc_consult.vn import nfc

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed"
sys.path.insert(0, str(REPO))

from bench.generate import generate_rubric  # noqa: E402

# The on-time phrasings as the one pattern they were: `bands._on_time_span` must find what it finds.
ON_TIME = (r"trước và đúng thời gian|theo đúng thời gian|đúng thời gian (?:quy định|yêu cầu)|"
           r"đảm bảo (?:theo )?thời gian|đúng hạn|đúng thời hạn|đúng tiến độ|kịp thời hạn")


def _guarded() -> list[tuple[str, tuple[str, ...], str]]:
    """(name, words one of which a match must hold, pattern) for every word test in front of a pattern."""
    out = [(f"percent {i}", words, lazy.pattern) for i, (words, lazy, _) in enumerate(bands._PERCENT_PATTERNS)]
    out += [(f"days {i}", words, lazy.pattern) for i, (words, lazy, _) in enumerate(bands._DAYS_PATTERNS)]
    out += [(f"days {i} ngày", ("ngày",), lazy.pattern) for i, (_, lazy, _) in enumerate(bands._DAYS_PATTERNS)]
    out += [("on time", bands._ON_TIME_WORDS, pattern) for pattern in (ON_TIME, bands._ON_TIME_LOOSE.pattern)]
    out += [("qualifiers", bands._QUALIFIER_WORDS, bands._QUALIFIERS.pattern),
            ("days word", ("ngày",), bands._DAYS_WORD.pattern)]
    return out


def _assert_words_hold(text: str) -> None:
    t = bands._norm(text)  # noqa: SLF001 - the patterns see normalised text
    for name, words, pattern in _guarded():
        if re.search(pattern, t):
            assert bands._may_match(t, words), (name, text)  # noqa: SLF001
    if re.search(bands._NO.pattern, t):
        assert t.startswith("không"), text
    if re.search(bands._YES.pattern, t):
        assert t.startswith("có"), text
    assert bool(re.search("(?:chậm|quá)", t)) == bands._may_match(t, bands._LATE_WORDS), text
    on_time = re.search(ON_TIME, t)
    assert bands._on_time_span(t) == (on_time.span() if on_time else None), text  # noqa: SLF001


def _band_texts() -> list[str]:
    texts: set[str] = set()

    def walk(data) -> None:
        if isinstance(data, dict):
            for band in data.get("bands") or []:
                if isinstance(band, dict):
                    texts.add(nfc(str(band.get("text") or "")))
            for value in data.values():
                walk(value)
        elif isinstance(data, list):
            for value in data:
                walk(value)

    for path in sorted(REPO.rglob("*.yaml")):
        if ".git" not in path.parts:
            try:
                walk(yamlio.read_yaml(path, use_cache=False))
            except Exception:  # noqa: BLE001, S112 - hostile fixtures are other tests' business
                continue

    def nodes(items) -> None:
        for node in items:
            texts.update(band.text for band in node.bands)
            nodes(node.children)

    seed_files = [p for p in sorted(SEED.iterdir()) if p.suffix in {".docx", ".xlsx", ".odt", ".txt", ".tsv", ".md",
                                                                      ".html", ".pdf"} and "bad" not in p.name]
    assert seed_files, f"no seed documents in {SEED}"
    for path in seed_files:
        try:
            nodes(import_any(path).rubric.sections)
        except Exception:  # noqa: BLE001, S112 - a document the importers refuse has no bands to test
            continue
    nodes(generate_rubric(1000).sections)
    return sorted(texts)


def test_word_tests_hold_for_every_band_text_of_the_repository_seed_and_bench():
    texts = _band_texts()
    assert len(texts) > 150
    for text in texts:
        _assert_words_hold(text)


_WORDS = ["trước và đúng thời gian", "đúng thời hạn", "đảm bảo theo thời gian", "đảm bảo", "kịp thời hạn",
          "đúng tiến độ", "theo đúng", "từ", "đến", "dưới", "trên", "hơn", "không", "quá", "trở", "lên", "len", "xuống", "lại", "chậm",
          "ngày", "%", "-", "–", "100", "80", "0,5", "05", "kế hoạch", "đúng", "thời gian", "quy định", "hạn",
          "tiến độ", "trước và", "đảm bảo", "theo", "nhưng", "đồng thời", "và số lượng", "có", "ban hành",
          "≥", "≤", "<", ">", "=", "mỗi", "trừ", "điểm", "(", ")", "kịp", "yêu cầu", "chưa", "Từ", "Chậm"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.lists(st.sampled_from(["", " ", "  "]), max_size=12))
def test_word_tests_hold_for_random_wording(words, gaps):
    text = "".join(word + (gaps[i] if i < len(gaps) else " ") for i, word in enumerate(words))
    _assert_words_hold(text)
