"""Property-based tests (hypothesis): what must hold for every rubric, phrasing and answer, not
just for the examples we thought of.

- writing a rubric and reading it back gives the same rubric (both read paths), and opening
  and saving a file without edits changes no byte;
- the band parser puts each boundary on the side the Vietnamese words say;
- scoring stays within 0 ≤ points ≤ maximum and an index within 0–100;
- a diff of a rubric with itself is empty, and the point deltas of any diff balance.

`max_examples` is bounded so the whole file runs in seconds in CI.
"""

from __future__ import annotations

import os
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cchc_consult import bands, diff, document, schema, score, yamlio
from cchc_consult.model import (
    INF, MEASURES, STATUSES, ZERO, Band, Condition, Node, PerUnit, Rubric, RubricMeta, parse_points,
)
from cchc_consult.vn import format_points, nfc

#: CCHC_PROPERTY_EXAMPLES=500 for a long local run; CI keeps the default.
EXAMPLES = int(os.environ.get("CCHC_PROPERTY_EXAMPLES", "40"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Letters a clerk types, plus every character YAML gives a meaning to.
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐƯỪ"
YAML_SPECIAL = ":#-'\"{}[],&*!|>%@`?\\ \t/<=~."
# Whole values YAML 1.1 (PyYAML) or 1.2 (ruamel) would read as something other than text.
TRICKY = ["yes", "No", "on", "OFF", "y", "n", "null", "~", "1.5", "1,5", "12:30", "1:20:30", "0o12", "0x1F", "1_000",
          "2023-07-26", "2023-07-26 08:00:00", "True", "=", "<<", "-", "- x", "? x", ".inf", "-.inf", ".nan", "1e3",
          "+1", "0", "007", "#không", "a: b", "'", '"', "*x", "&x", "!tag", "%TAG", "@", "`", "|", ">"]

text_piece = st.one_of(
    st.text(alphabet=VIETNAMESE + YAML_SPECIAL + "0123456789", min_size=1, max_size=30),
    st.sampled_from(TRICKY),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
)
text = text_piece.map(nfc).filter(lambda s: s != "")
maybe_text = st.one_of(st.just(""), text)
points = st.decimals(min_value=0, max_value=200, places=2, allow_nan=False, allow_infinity=False)
low_high = st.tuples(points, st.one_of(points, st.just(INF))).map(lambda t: (min(t), max(t)))


@st.composite
def conditions(draw) -> Condition:
    low, high = draw(low_high)
    return Condition(draw(st.sampled_from(MEASURES)), low, high, draw(st.booleans()), draw(st.booleans()),
                     also=draw(maybe_text))


@st.composite
def band_st(draw) -> Band:
    return Band(
        text=draw(text), points=draw(points),
        condition=draw(st.one_of(st.none(), conditions())),
        per_unit=draw(st.one_of(st.none(), st.builds(PerUnit, unit=maybe_text, points=points))),
        evidence=draw(st.lists(maybe_text, max_size=2)),
        deduction=draw(st.one_of(st.none(), points)),
    )


def node_st(depth: int, kind: str = "criterion"):
    @st.composite
    def build(draw) -> Node:
        children = draw(st.lists(node_st(depth - 1), max_size=3)) if depth > 0 else []
        return Node(
            id=draw(text), tt=draw(maybe_text), title=draw(text), max=draw(st.one_of(st.none(), points)),
            kind=kind, evidence=draw(st.lists(maybe_text, max_size=2)), owner=draw(maybe_text),
            bands=draw(st.lists(band_st(), max_size=3)) if not children else [],
            scoring=draw(st.sampled_from(("choice", "deduction", "checklist"))),
            per_item=draw(st.one_of(st.none(), points)), items=draw(st.lists(maybe_text, max_size=2)),
            children=children,
        )
    return build()


@st.composite
def rubrics(draw) -> Rubric:
    meta = RubricMeta(issuer=draw(maybe_text), year=draw(st.integers(0, 2100)), title=draw(maybe_text),
                      version=draw(maybe_text), status=draw(st.sampled_from(STATUSES)), letter=draw(maybe_text),
                      letter_date=draw(maybe_text), subtitle=draw(maybe_text), note=draw(maybe_text))
    return Rubric(meta=meta, sections=draw(st.lists(node_st(2, "section"), min_size=1, max_size=3)),
                  declared_total=draw(st.one_of(st.none(), points)), total_label=draw(text))


# --------------------------------------------------------------------------- round trips

@FAST
@given(rubric=rubrics())
def test_write_then_read_gives_the_same_rubric(rubric, tmp_path_factory):
    path = tmp_path_factory.mktemp("rt") / "r.yaml"
    path.write_text(yamlio.dump_yaml(schema.rubric_to_data(rubric)), encoding="utf-8")
    assert schema.load_rubric_file(path) == rubric
    assert yamlio.read_yaml(path, use_cache=False) == yamlio.read_yaml(path)  # the cache changes nothing


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubric=rubrics())
def test_editor_reads_the_same_rubric_and_saves_unchanged_bytes(rubric, tmp_path_factory):
    rubric.meta.status = "draft"
    path = tmp_path_factory.mktemp("doc") / "r.yaml"
    path.write_text(yamlio.dump_yaml(schema.rubric_to_data(rubric), header="Thử"), encoding="utf-8")
    before = path.read_bytes()
    doc = document.RubricDocument.open(path)
    assert doc.rubric == rubric
    assert not doc.dirty
    doc.save()
    assert path.read_bytes() == before


def test_v1_saves_byte_identical(tmp_path):
    from tests.conftest import V1

    path = tmp_path / "v1.yaml"
    path.write_text(V1.read_text(encoding="utf-8").replace("status: circulated", "status: draft", 1),
                    encoding="utf-8")
    before = path.read_bytes()
    doc = document.RubricDocument.open(path)
    doc.save()
    assert path.read_bytes() == before


@FAST
@given(value=points)
def test_points_survive_every_spelling(value):
    shown = format_points(value)
    assert parse_points(shown) == value
    assert parse_points(shown.replace(",", ".")) == value
    assert parse_points(f" {shown} ") == value


# --------------------------------------------------------------------------- band parser

def _number(value: Decimal, style: str) -> str:
    """A number as a clerk writes it: "80", "080", "2,5"."""
    text = format_points(value)
    return text.zfill(2) if style == "zero" and "," not in text else text


whole = st.integers(min_value=1, max_value=99).map(Decimal)
half = st.integers(min_value=1, max_value=199).map(lambda n: Decimal(n) / 2)
number_style = st.sampled_from(["plain", "zero"])
lead = st.sampled_from(["Thực hiện", "Tỷ lệ hồ sơ giải quyết đúng hạn đạt", "Hoàn thành", "Đạt"])
tail = st.sampled_from(["kế hoạch", "", "chỉ tiêu được giao", "số nhiệm vụ"])


def _just_above(x: Decimal) -> Decimal:
    return x + Decimal("0.01")


def _just_below(x: Decimal) -> Decimal:
    return x - Decimal("0.01")


@FAST
@given(x=half, lead=lead, tail=tail, style=number_style)
def test_tren_x_percent_excludes_x(x, lead, tail, style):
    assume(x < 100)
    cond = bands.parse_percent(f"{lead} trên {_number(x, style)}% {tail}")
    assert cond is not None and cond.measure == "percent"
    assert not cond.contains(x) and cond.contains(_just_above(x)) and cond.contains(Decimal(100))


@FAST
@given(x=half, lead=lead, tail=tail, style=number_style)
def test_duoi_x_percent_excludes_x(x, lead, tail, style):
    cond = bands.parse_percent(f"{lead} dưới {_number(x, style)}% {tail}")
    assert cond is not None
    assert cond.contains(ZERO) and cond.contains(_just_below(x)) and not cond.contains(x)


@FAST
@given(x=whole, gap=whole, lead=lead, style=number_style, dash=st.sampled_from(["đến", "-", "–"]))
def test_tu_x_den_duoi_y(x, gap, lead, style, dash):
    y = x + gap
    cond = bands.parse_percent(f"{lead} từ {_number(x, style)}% {dash} dưới {_number(y, style)}%")
    assert cond is not None
    assert cond.contains(x) and not cond.contains(_just_below(x))
    assert cond.contains(_just_below(y)) and not cond.contains(y)


@FAST
@given(x=whole, gap=whole, lead=lead, style=number_style)
def test_tu_x_den_y_is_closed(x, gap, lead, style):
    y = x + gap
    cond = bands.parse_percent(f"{lead} từ {_number(x, style)}% đến {_number(y, style)}%")
    assert cond is not None
    assert cond.contains(x) and cond.contains(y)
    assert not cond.contains(_just_below(x)) and not cond.contains(_just_above(y))


@FAST
@given(x=half, lead=lead)
def test_tu_x_tro_len(x, lead):
    assume(x <= 100)
    cond = bands.parse_percent(f"{lead} từ {_number(x, 'plain')}% trở lên")
    assert cond is not None
    assert cond.contains(x) and cond.contains(Decimal(100)) and not cond.contains(_just_below(x))


@FAST
@given(n=st.integers(1, 60), style=number_style, verb=st.sampled_from(["Chậm", "chậm", "Ban hành chậm"]))
def test_cham_duoi_n_ngay(n, style, verb):
    days = Decimal(n)
    cond = bands.parse_days_late(f"{verb} dưới {_number(days, style)} ngày so với thời gian quy định",
                                 days_context=True)
    assert cond is not None and cond.measure == "days_late"
    assert not cond.contains(ZERO), "on time is another band"
    assert cond.contains(_just_below(days)) and not cond.contains(days)


@FAST
@given(n=st.integers(1, 60), style=number_style)
def test_cham_tu_n_ngay_tro_len(n, style):
    days = Decimal(n)
    cond = bands.parse_days_late(f"Không ban hành hoặc ban hành chậm từ {_number(days, style)} ngày trở lên",
                                 days_context=True)
    assert cond is not None
    assert cond.contains(days) and cond.contains(Decimal(10_000)) and not cond.contains(_just_below(days))


@FAST
@given(a=st.integers(1, 30), gap=st.integers(0, 30), style=number_style)
def test_qua_tu_a_den_b_ngay(a, gap, style):
    low, high = Decimal(a), Decimal(a + gap)
    cond = bands.parse_days_late(f"Quá từ {_number(low, style)} đến {_number(high, style)} ngày",
                                 days_context=True)
    assert cond is not None
    assert cond.contains(low) and cond.contains(high)
    assert not cond.contains(_just_below(low)) and not cond.contains(_just_above(high))


@FAST
@given(n=st.integers(1, 60))
def test_a_criterion_s_days_bands_cover_every_day_once(n):
    texts = ["Trước và đúng thời gian quy định", f"Chậm dưới {n} ngày so với thời gian quy định",
             f"Không ban hành hoặc ban hành chậm từ {n} ngày trở lên"]
    conds = bands.parse_band_conditions(texts)
    assert all(c is not None and c.measure == "days_late" for c in conds)
    for day in [ZERO, Decimal("0.5"), Decimal(n) - Decimal("0.5"), Decimal(n), Decimal(n + 1)]:
        if day < 0:
            continue
        assert sum(c.contains(day) for c in conds) == 1, day


# --------------------------------------------------------------------------- scoring bounds

def _scoring_rubric(draw) -> Rubric:
    """A small sound rubric: percent, days and qualitative leaves, parents summing their children."""
    leaves = []
    for i in range(draw(st.integers(1, 6))):
        maximum = draw(st.sampled_from([Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3)]))
        kind = draw(st.sampled_from(["percent", "days", "choice"]))
        if kind == "percent":
            b = [Band("Thực hiện trên 80% kế hoạch", maximum,
                      Condition("percent", Decimal(80), Decimal(100), False, True)),
                 Band("Thực hiện từ 50% đến 80% kế hoạch", maximum / 2,
                      Condition("percent", Decimal(50), Decimal(80), True, True)),
                 Band("Thực hiện dưới 50% kế hoạch", ZERO, Condition("percent", ZERO, Decimal(50), True, False))]
        elif kind == "days":
            b = [Band("Trước và đúng thời gian quy định", maximum, Condition("days_late", ZERO, ZERO, True, True)),
                 Band("Chậm dưới 10 ngày", maximum / 2, Condition("days_late", ZERO, Decimal(10), False, False)),
                 Band("Chậm từ 10 ngày trở lên", ZERO, Condition("days_late", Decimal(10), INF, True, False))]
        else:
            b = [Band("Đầy đủ", maximum), Band("Chưa đầy đủ", maximum / 2), Band("Không thực hiện", ZERO)]
        leaves.append(Node(id=f"I.{i + 1}", tt=str(i + 1), title=f"Tiêu chí {i + 1}", max=maximum, bands=b,
                           evidence=["Báo cáo"]))
    section = Node(id="I", tt="I", title="MỤC I", max=sum((n.max for n in leaves), ZERO), kind="section",
                   children=leaves)
    return Rubric(meta=RubricMeta(title="Thử", year=2023, version="v1"), sections=[section],
                  declared_total=section.max)


answer = st.one_of(
    st.builds(lambda n: {"band": n}, st.integers(-1, 4)),
    st.builds(lambda v: {"value": f"{v}%"}, st.integers(-5, 120)),
    st.builds(lambda v: {"value": v}, st.sampled_from(["có", "không", "nhiều", "1,5", 7])),
    st.builds(lambda d: {"days_late": d}, st.integers(-2, 40)),
    st.builds(lambda p: {"points": p}, st.sampled_from(["0", "0,5", "1", "2,25", "3", "5", "-1", "một"])),
    st.just({"khong_phat_sinh": True}),
    st.just({}),
)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_scores_stay_within_bounds(data):
    rubric = _scoring_rubric(data.draw)
    leaves = list(rubric.leaves())
    entries = [{"id": leaf.id, **data.draw(answer)} for leaf in leaves]
    sheet = score.sheet_from_data({"format": "cchc-score/1", "office": "TP", "rubric": "v1", "kind": "self",
                                   "scores": entries}, "TP.yaml")
    result = score.score_office(rubric, sheet)
    if isinstance(result, score.SheetFailure):
        assert result.problems and all(str(p) for p in result.problems)
        return
    for leaf in leaves:
        got = result.appraised_points.get(leaf.id)
        assert got is None or ZERO <= got <= leaf.max, (leaf.id, got)
    totals = result.appraised
    assert ZERO <= totals.total <= totals.max
    if totals.index is not None:
        assert ZERO <= totals.index <= Decimal(100)


# --------------------------------------------------------------------------- diff invariants

@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_diff_of_a_rubric_with_itself_is_empty_and_any_diff_balances(data):
    a = _scoring_rubric(data.draw)
    assert diff.diff_rubrics(a, a).is_empty()
    b = _scoring_rubric(data.draw)
    forward, backward = diff.diff_rubrics(a, b), diff.diff_rubrics(b, a)
    assert forward.accounted() and backward.accounted()
    assert forward.totals.all_after - forward.totals.all_before == -(backward.totals.all_after
                                                                     - backward.totals.all_before)
    assert forward.counts().get("added", 0) == backward.counts().get("removed", 0)
    if a == b:
        assert forward.is_empty()


# --------------------------------------------------------------------------- control characters

_OBEYED = {chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_WIDE_ALPHABET = st.sampled_from(sorted(_OBEYED) + list("aăđệỹ Ỹ\u2028\u200b\ufeff\ufffe\uffff\ud800\udc80\udcff\U0001F600\u00ad\xa0"))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_WIDE_ALPHABET, max_size=8), st.sampled_from(["\n\t", "", "\n"]))
def test_visible_leaves_nothing_a_terminal_obeys_and_plain_text_alone(text, keep):
    from cchc_consult.controls import has_controls, visible, xml_refused, xml_safe

    shown = visible(text, keep=keep)
    assert not any(ch in _OBEYED and ch not in keep for ch in shown)
    assert not any("\ud800" <= ch <= "\udfff" for ch in shown)
    plain = not any(ch in _OBEYED or "\ud800" <= ch <= "\udfff" for ch in text)
    assert (shown == text) if plain else (keep != "" or shown != text)
    assert has_controls(text) == any((ch in _OBEYED and ch not in "\n\t") or "\ud800" <= ch <= "\udfff" for ch in text)
    refused = [ch for ch in text if ch in "\ufffe\uffff" or "\ud800" <= ch <= "\udfff"
               or (ch < "\x20" and ch not in "\t\n\r")]
    assert xml_refused(text) == refused
    assert xml_safe(text)[1] == bool(refused) and not xml_refused(xml_safe(text)[0])
