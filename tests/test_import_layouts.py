"""Issue 15's layout corpus: rubrics of other units and years, one per layout, each with planted defects."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_consult.check import check
from cchc_consult.importers import import_any
from tests.fixtures.rubrics.corpus import CORPUS

FIXTURES = Path(__file__).parent / "fixtures" / "rubrics"


def imported(tmp_path: Path, name: str):
    target = tmp_path / name
    shutil.copy(FIXTURES / name, target)
    return import_any(target)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_layout_imports_with_its_structure_and_check_finds_exactly_the_planted_defects(tmp_path, name):
    result = imported(tmp_path, name)
    expected = CORPUS[name][1]
    rubric = result.rubric
    assert result.warnings == [] and result.unplaced == []
    assert len(rubric) == expected["nodes"], [n.id for n in rubric.walk()]
    index = rubric.index()
    assert {k: index[k].max for k in expected["max"]} == {k: Decimal(v.replace(",", ".")) for k, v in
                                                          expected["max"].items()}
    assert {k: len(index[k].bands) for k in expected["bands"]} == expected["bands"]
    assert all(n.bands == [] for n in rubric.walk() if n.children)  # bands sit on leaves only
    assert {(f.code, f.node) for f in check(rubric)} == expected["defects"]
