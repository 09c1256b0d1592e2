"""Properties of the diff over generated rubrics: diff(A, A) is empty and every point is accounted for."""

from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_consult.diff import diff_rubrics
from cchc_consult.model import Band, Node, Rubric, RubricMeta

WORDS = ["kế", "hoạch", "báo", "cáo", "quy", "chế", "công", "chức", "hồ", "sơ", "văn", "bản", "số", "hóa",
         "thủ", "tục", "tài", "chính", "kiểm", "tra"]
POINTS = [Decimal(v) for v in ("0", "0.5", "1", "1.5", "2", "3")]

titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
bands = st.lists(st.tuples(titles, st.sampled_from(POINTS)), min_size=1, max_size=3)


@st.composite
def trees(draw, prefix: str, depth: int) -> list[Node]:
    out = []
    for i in range(1, draw(st.integers(1, 3)) + 1):
        node_id = f"{prefix}.{i}"
        children = draw(trees(node_id, depth - 1)) if depth > 0 and draw(st.booleans()) else []
        out.append(Node(id=node_id, tt=node_id.split(".", 1)[1], title=draw(titles),
                        max=draw(st.sampled_from(POINTS)), children=children,
                        bands=[] if children else [Band(t, p) for t, p in draw(bands)],
                        evidence=[draw(titles)] if draw(st.booleans()) else []))
    return out


@st.composite
def rubrics(draw) -> Rubric:
    sections = []
    for numeral in ("I", "II", "III")[: draw(st.integers(1, 3))]:
        sections.append(Node(id=numeral, tt=numeral, title=draw(titles), max=draw(st.sampled_from(POINTS)),
                             kind="section", children=draw(trees(numeral, 1))))
    return Rubric(RubricMeta(title="Thử"), sections, declared_total=draw(st.sampled_from(POINTS)))


@st.composite
def edited(draw, rubric: Rubric) -> Rubric:
    """A copy with a few random edits: points, titles, bands, removals, insertions, renumbering."""
    b = copy.deepcopy(rubric)
    for _ in range(draw(st.integers(0, 5))):
        nodes = list(b.walk())
        target = draw(st.sampled_from(nodes))
        action = draw(st.sampled_from(["max", "title", "band", "remove", "add", "renumber"]))
        if action == "max":
            target.max = draw(st.sampled_from(POINTS))
        elif action == "title":
            target.title = draw(titles)
        elif action == "band" and target.bands:
            target.bands[0] = Band(draw(titles), draw(st.sampled_from(POINTS)))
        elif action == "remove":
            for holder in [b.sections, *(n.children for n in b.walk())]:
                if target in holder and len(holder) > 1:
                    holder.remove(target)
                    break
        elif action == "add":
            new_id = f"{target.id}.{draw(st.integers(7, 9))}"
            if new_id not in b.index():
                target.children.append(Node(id=new_id, tt=new_id, title=draw(titles),
                                            max=draw(st.sampled_from(POINTS)), bands=[Band("Đạt", Decimal(1))]))
                target.bands = []
        elif action == "renumber" and target.kind != "section":
            new_id = target.id + "b"
            if new_id not in b.index():
                target.id = new_id
    return b


def check_accounting(a: Rubric, b: Rubric) -> None:
    d = diff_rubrics(a, b)
    assert d.totals.all_before + sum(c.delta for c in d.changes) == d.totals.all_after
    # Every node of A is matched or named by a change that takes it away; every node of B likewise.
    gone = {c.old_id for c in d.changes if c.kind == "removed"}
    gone |= {p for c in d.changes if c.kind == "removed" for p in c.detail["parts"]}
    gone |= {p for c in d.changes if c.kind in ("split", "merged") for p in c.detail["covers_old"]}
    came = {c.new_id for c in d.changes if c.kind == "added"}
    came |= {p for c in d.changes if c.kind == "added" for p in c.detail["parts"]}
    came |= {p for c in d.changes if c.kind in ("split", "merged") for p in c.detail["covers_new"]}
    for node in a.walk():
        assert node.id in d.id_map() or node.id in gone, node.id
    for node in b.walk():
        assert node.id in d.id_map().values() or node.id in came, node.id
    assert len(set(d.id_map().values())) == len(d.id_map())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubrics())
def test_a_rubric_against_itself_has_no_changes(a):
    d = diff_rubrics(a, copy.deepcopy(a))
    assert d.is_empty()
    assert d.id_map() == {n.id: n.id for n in a.walk()} or len({n.id for n in a.walk()}) < len(a)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_point_of_an_edited_rubric_is_accounted_for(data):
    a = data.draw(rubrics())
    b = data.draw(edited(a))
    check_accounting(a, b)
    check_accounting(b, a)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubrics(), rubrics())
def test_every_point_of_two_unrelated_rubrics_is_accounted_for(a, b):
    check_accounting(a, b)
