"""Reading Vietnamese band wording into machine conditions.

"Thực hiện trên 80% kế hoạch" → percent in (80, 100]; "Chậm dưới 10 ngày" →
days_late in (0, 10); "Quá từ 01 đến 03 ngày" → days_late in [1, 3]. The
parser works on a criterion's bands together, because "Trước và đúng thời gian
quy định" is a days-late condition only when a sibling band speaks of days.
Bands it cannot read stay qualitative (condition None): a choice, not a guess.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from .lazyre import LazyPattern
from .model import INF, ZERO, Band, Condition, PerUnit, parse_points

HUNDRED = Decimal(100)

_NUM = r"(\d+(?:[.,]\d+)?)"
_PCT = r"\s*%?"
#: "trở xuống" / "trở lại" after a number: that number or less, as "trở lên" is that number or more.
_AT_MOST = r"trở\s+(?:xuống|lại)\b"


def _n(text: str) -> Decimal:
    return parse_points(text)


def _may_match(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `words`: a pattern's cheap necessary condition, tested before the pattern.

    The patterns compile on first use (`LazyPattern`): with these tests in front, v1's wording
    compiles 20 of the parser's patterns, not all 32 (~2,5 ms at import before).
    """
    for word in words:
        if word in text:
            return True
    return False


# Symbols and slips read as the words they stand for: "≥ 90%" is "từ 90% trở lên", "trở len" is "trở lên".
_SPELLINGS: list[tuple[LazyPattern, str]] = [
    (LazyPattern(rf"(?:≥|>=|=>)\s*{_NUM}(\s*%)?"), r"từ \1\2 trở lên"),
    (LazyPattern(rf"(?:≤|<=|=<)\s*{_NUM}"), r"không quá \1"),
    (LazyPattern(rf"<\s*{_NUM}"), r"dưới \1"),
    (LazyPattern(rf">\s*{_NUM}"), r"trên \1"),
    (LazyPattern(r"\btr[ởơoờỡ]\s*l[eêếề]n\b"), "trở lên"),
]


def _norm(text: str) -> str:
    t = " ".join(text.replace("\u00a0", " ").split()).lower()
    if "<" in t or ">" in t or "≤" in t or "≥" in t or "tr" in t and "len" in t:
        for pattern, words in _SPELLINGS:
            t = pattern.sub(words, t)
    return t


# Percent phrasings, most specific first. Each is (words one of which a match holds, pattern, match →
# (low, low_closed, high, high_closed)); the words are a necessary condition (tests/test_bands_lazy.py).
_PERCENT_PATTERNS: list[tuple[tuple[str, ...], LazyPattern, object]] = [
    # "từ 80% đến dưới 100%", "từ 95% - dưới 100%", "từ 80 dưới 100%", "từ 40 - dưới 50%"
    (("dưới",), LazyPattern(rf"từ\s+{_NUM}{_PCT}\s*(?:đến|-|–)?\s*dưới\s+{_NUM}\s*%"),
     lambda a, b: (_n(a), True, _n(b), False)),
    # "từ 70% đến 80%", "từ 90% đến 100%"
    (("từ",), LazyPattern(rf"từ\s+{_NUM}{_PCT}\s*(?:đến|-|–)\s*{_NUM}\s*%"),
     lambda a, b: (_n(a), True, _n(b), True)),
    # "từ 60% đến không quá 90%" (from "Từ 60% - ≤ 90%")
    (("quá",), LazyPattern(rf"từ\s+{_NUM}{_PCT}\s*(?:đến|-|–)?\s*không\s+quá\s+{_NUM}\s*%"),
     lambda a, b: (_n(a), True, _n(b), True)),
    # "từ dưới 90%" (a slip for "dưới 90%")
    (("dưới",), LazyPattern(rf"từ\s+dưới\s+{_NUM}\s*%"), lambda a: (ZERO, True, _n(a), False)),
    # "từ 80% trở lên", "đạt từ 50% trở lên", "từ 90% kế hoạch trở lên", "từ 90% số thôn trở lên"
    (("lên",), LazyPattern(rf"từ\s+{_NUM}\s*%[^%\d]{{0,60}}?trở\s+lên"), lambda a: (_n(a), True, HUNDRED, True)),
    # "từ 30% trở xuống", "30% số hồ sơ trở lại": the same threshold from the other side (at most)
    (("xuống", "lại"), LazyPattern(rf"(?:từ\s+)?{_NUM}\s*%[^%\d]{{0,60}}?{_AT_MOST}"),
     lambda a: (ZERO, True, _n(a), True)),
    # "trên 80%"
    (("trên",), LazyPattern(rf"trên\s+{_NUM}\s*%"), lambda a: (_n(a), False, HUNDRED, True)),
    # "dưới 60%"
    (("dưới",), LazyPattern(rf"dưới\s+{_NUM}\s*%"), lambda a: (ZERO, True, _n(a), False)),
    # "không quá 60%" (also "≤ 60%")
    (("quá",), LazyPattern(rf"không\s+quá\s+{_NUM}\s*%"), lambda a: (ZERO, True, _n(a), True)),
    # "100% ..." exactly
    (("100",), LazyPattern(r"(?<![\d,.])100\s*%"), lambda: (HUNDRED, True, HUNDRED, True)),
]

# On-time wording. No two of the phrases can start at the same place, so the leftmost one found is the
# match their alternation would be (which, as a pattern, was the parser's dearest to compile).
_ON_TIME_PHRASES = ("trước và đúng thời gian", "theo đúng thời gian", "đúng thời gian quy định",
                    "đúng thời gian yêu cầu", "đảm bảo theo thời gian", "đảm bảo thời gian", "đúng hạn",
                    "đúng thời hạn", "đúng tiến độ", "kịp thời hạn")
_ON_TIME_WORDS = ("thời gian", "hạn", "tiến độ")  # one of them is in every on-time phrasing, loose ones too
# "Thực hiện đúng trình tự, thủ tục và thời gian quy định": on time, said the long way.
_ON_TIME_LOOSE = LazyPattern(r"đúng\b.*\bthời gian (?:quy định|yêu cầu)")
_LATE_WORDS = ("chậm", "quá")  # a days-late band says one of them
_NOT_ON_TIME = LazyPattern(r"\bkhông\b|\bchưa\b|\bnhưng\b|chậm|quá")
_DAYS_PATTERNS: list[tuple[tuple[str, ...], LazyPattern, object]] = [
    (("từ",), LazyPattern(rf"(?:chậm|quá)\s+từ\s+{_NUM}\s+(?:ngày\s+)?(?:đến|-)\s+{_NUM}\s+ngày"),
     lambda a, b: (_n(a), True, _n(b), True)),
    (("lên",), LazyPattern(rf"(?:chậm|quá)\s+(?:từ\s+)?{_NUM}\s+ngày\s+trở\s+lên"), lambda a: (_n(a), True, INF, False)),
    # "chậm từ 05 ngày trở xuống", "chậm 05 ngày trở lại": late, but not more than that
    (("xuống", "lại"), LazyPattern(rf"(?:chậm|quá)\s+(?:từ\s+)?{_NUM}\s+ngày\s+{_AT_MOST}"),
     lambda a: (ZERO, False, _n(a), True)),
    (("không",), LazyPattern(rf"(?:chậm|quá)\s+không\s+quá\s+{_NUM}\s+ngày"), lambda a: (ZERO, False, _n(a), True)),
    (("dưới",), LazyPattern(rf"(?:chậm|quá)\s+dưới\s+{_NUM}\s+ngày"), lambda a: (ZERO, False, _n(a), False)),
    (("trên", "hơn"), LazyPattern(rf"(?:chậm|quá)\s+(?:trên|hơn)\s+{_NUM}\s+ngày"), lambda a: (_n(a), False, INF, False)),
    # "chậm dưới 05 ngày quy định" is caught above; "chậm 05 ngày": exactly that many
    # "quá 03 ngày": more than that; "chậm 05 ngày": exactly that many (the wording says no more)
    (("quá",), LazyPattern(rf"quá\s+{_NUM}\s+ngày"), lambda a: (_n(a), False, INF, False)),
    (("chậm",), LazyPattern(rf"chậm\s+{_NUM}\s+ngày"), lambda a: (_n(a), True, _n(a), True)),
]
_DAYS_WORD = LazyPattern(r"\d+\s+ngày")

# Both rules are found from their right end ("= 02 điểm", "trừ 0,5 điểm") and read back to the
# nearest "=", "(" or ")": one pass over the text, however long the cell (a nested lazy pattern
# took 106 s on a 21 KB cell).
_PER_UNIT_END = LazyPattern(rf"=\s*{_NUM}\s*điểm")
_PER_UNIT_COUNT = LazyPattern(r"(?<!\d)(\d+)\s+(?=[^\s=()])")
_DEDUCTION_TOKENS = LazyPattern(rf"[()]|không\s+(?:đạt|đảm bảo)|\bmỗi\b|trừ\s+{_NUM}\s*điểm")
_YES = LazyPattern(r"^(?:có ban hành|có)\b(?!.*\b(?:nhưng|và số lượng)\b)")
_NO = LazyPattern(r"^(?:không ban hành|không có|không)\b")
_QUALIFIERS = LazyPattern(r"\b(?:nhưng|đồng thời|và số lượng)\b")
_QUALIFIER_WORDS = ("nhưng", "đồng thời", "và số lượng")


def parse_percent(text: str) -> Condition | None:
    """A percent condition from one band's words, or None."""
    return _percent(_norm(text))


def _percent(t: str) -> Condition | None:
    for words, pattern, make in _PERCENT_PATTERNS:
        m = _may_match(t, words) and pattern.search(t)
        if m:
            low, low_closed, high, high_closed = make(*m.groups())
            return Condition("percent", low, high, low_closed, high_closed, also=_qualifier(t, m.span()))
    return None


def parse_days_late(text: str, *, days_context: bool) -> Condition | None:
    """A days-late condition, or None; on-time wording counts only in a days context."""
    return _days_late(_norm(text), days_context)


def _days_late(t: str, days_context: bool) -> Condition | None:
    if "ngày" in t:  # every days pattern ends in "ngày"
        for words, pattern, make in _DAYS_PATTERNS:
            m = _may_match(t, words) and pattern.search(t)
            if m:
                low, low_closed, high, high_closed = make(*m.groups())
                return Condition("days_late", low, high, low_closed, high_closed, also=_qualifier(t, m.span()))
    if days_context and _may_match(t, _ON_TIME_WORDS) and not _NOT_ON_TIME.search(t):
        span = _on_time_span(t)
        if span is None:
            loose = _ON_TIME_LOOSE.search(t)
            span = loose.span() if loose else None
        if span is not None:
            return Condition("days_late", ZERO, ZERO, True, True, also=_qualifier(t, span))
    return None


def _on_time_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the leftmost on-time phrase in `text`, or None."""
    span = None
    for phrase in _ON_TIME_PHRASES:
        at = text.find(phrase)
        if at >= 0 and (span is None or at < span[0]):
            span = (at, at + len(phrase))
    return span


def _qualifier(text: str, span: tuple[int, int]) -> str:
    """Further requirements beside the measured phrase at `span` ("có ban hành kế hoạch", "nhưng …")."""
    rest = (text[: span[0]] + " … " + text[span[1]:]).strip(" …")
    if _may_match(text, _QUALIFIER_WORDS) and _QUALIFIERS.search(text):
        return rest
    return ""


def parse_yes_no(text: str) -> Condition | None:
    """"Có ban hành" → yes, "Không ban hành" → no; longer wording stays qualitative."""
    return _yes_no(_norm(text))


def _yes_no(t: str) -> Condition | None:
    if len(t.split()) > 8:
        return None
    if t.startswith("không") and _NO.search(t):
        return Condition("yes_no", ZERO, ZERO, True, True)
    if t.startswith("có") and _YES.search(t):
        return Condition("yes_no", Decimal(1), Decimal(1), True, True)
    return None


def parse_per_unit(text: str) -> PerUnit | None:
    """"(01 sáng kiến = 02 điểm)" → 2 points per sáng kiến."""
    t = _norm(text)
    if "=" not in t:
        return None
    for end in _PER_UNIT_END.finditer(t):
        start = max(t.rfind("=", 0, end.start()), t.rfind("(", 0, end.start()), t.rfind(")", 0, end.start())) + 1
        segment = t[start:end.start()]
        m = _PER_UNIT_COUNT.search(segment)
        if m and segment[m.end():].strip():
            per = _n(end.group(1)) / Decimal(int(m.group(1)) or 1)
            return PerUnit(unit=segment[m.end():].strip(), points=per)
    return None


def parse_deduction(text: str) -> Decimal | None:
    """"Mỗi tiêu chí không đạt yêu cầu trừ 0,75 điểm" → 0.75; "(không đảm bảo trừ 0,5điểm)" → 0.5;
    "Mỗi báo cáo chậm hoặc thiếu trừ 1 điểm" → 1 (a deduction per item: "mỗi" says so without "không đạt")."""
    t = _norm(text)
    if "trừ" not in t:
        return None
    failed = False  # a "không đạt / không đảm bảo" or a "mỗi …" since the last bracket
    for m in _DEDUCTION_TOKENS.finditer(t):
        token = m.group(0)
        if token in "()":
            failed = False
        elif token.startswith("không") or token == "mỗi":
            failed = True
        elif failed:
            return _n(m.group(1))
    return None


def parse_band_conditions(texts: list[str]) -> list[Condition | None]:
    """Conditions for a criterion's bands, read together so each band sees its siblings' context."""
    return list(_conditions_of(tuple(texts)))


@lru_cache(maxsize=16384)
def _conditions_of(texts: tuple[str, ...]) -> tuple[Condition | None, ...]:
    """parse_band_conditions, remembered: every read of a rubric derives its conditions from the words,
    and a process reads the same rubric again and again (the TUI after each save, scoring per sheet)."""
    return tuple(_parse_band_conditions(list(texts)))


def _parse_band_conditions(texts: list[str]) -> list[Condition | None]:
    normed = [_norm(t) for t in texts]
    days_context = any(_may_match(t, _LATE_WORDS) and "ngày" in t and _DAYS_WORD.search(t) for t in normed)
    percent_context = any("%" in t for t in normed)
    if not percent_context and not days_context:
        yes_no = [_yes_no(t) for t in normed]
        # Yes/no only when every band is a plain "Có …" / "Không …"; otherwise the levels are qualitative.
        return yes_no if all(c is not None for c in yes_no) else [None] * len(texts)
    out: list[Condition | None] = []
    for t in normed:  # each text normalised once, as parse_percent / parse_days_late would
        cond = _percent(t) if percent_context else None
        if cond is None:
            cond = _days_late(t, days_context)
        out.append(cond)
    return out


def annotate_bands(bands: list[Band]) -> None:
    """Fill each band's condition, per-unit rule and inline deduction from its words (in place).

    Fields already set (by a person, in the YAML) are kept.
    """
    conditions = parse_band_conditions([b.text for b in bands])
    for band, cond in zip(bands, conditions):
        if band.condition is None:
            band.condition = cond
        if band.per_unit is None:
            band.per_unit = parse_per_unit(band.text)
        if band.deduction is None:
            band.deduction = parse_deduction(band.text)
