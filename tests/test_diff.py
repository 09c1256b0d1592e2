"""The rubric-aware diff: each kind of change alone and combined, moves, point accounting."""

from __future__ import annotations

import copy
from decimal import Decimal

from cchc_consult.diff import diff_rubrics
from tests.conftest import leaf, make_rubric, section


def base():
    return make_rubric([
        section("I", "4", [leaf("I.1", "2"), leaf("I.2", "2")]),
        section("II", "3", [leaf("II.1", "3")]),
    ], total="7")


def test_identical_rubrics_have_no_changes():
    a = base()
    d = diff_rubrics(a, copy.deepcopy(a))
    assert d.is_empty() and d.changes == []
    assert d.id_map() == {n.id: n.id for n in a.walk()}


def test_added_removed_and_max_changed():
    a = base()
    b = copy.deepcopy(a)
    b.sections[1].children.append(leaf("II.2", "1", title="Tiêu chí hoàn toàn mới về số hóa"))
    del b.sections[0].children[1]
    b.sections[0].max = Decimal(2)
    d = diff_rubrics(a, b)
    kinds = sorted((c.kind, c.old_id, c.new_id) for c in d.changes)
    assert ("added", None, "II.2") in kinds and ("removed", "I.2", None) in kinds
    assert ("max-changed", "I", "I") in kinds
    assert d.changes_for("I.2")[0].kind == "removed"
