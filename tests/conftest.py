"""Shared fixtures: the repository, the seed text, and rubrics built in code.

Fixture files are copied into tmp_path before a test touches them; nothing in
the repository is edited by a test.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cchc_consult.model import Band, Condition, Node, Rubric, RubricMeta

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "000_1d2ed02fd101ed54.txt"
V1 = REPO / "rubric" / "drafts" / "v1.yaml"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Each test session gets its own parse cache, so no test reads another run's cache."""
    monkeypatch.setenv("CCHC_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A copy of the bundled 2023 workspace in a temporary folder, made as `cchc demo` makes it."""
    from cchc_consult.workspace import copy_example

    return copy_example(tmp_path / "ws").root


def D(text: str) -> Decimal:
    return Decimal(text)


def leaf(node_id: str, maximum: str, bands: list[tuple[str, str]] | None = None, **kw) -> Node:
    """A leaf criterion with (text, points) bands."""
    return Node(id=node_id, tt=node_id.split(".", 1)[-1], title=kw.pop("title", f"Tiêu chí {node_id}"),
                max=D(maximum), evidence=kw.pop("evidence", ["Báo cáo"]),
                bands=[Band(text=t, points=D(p)) for t, p in (bands or [("Đạt", maximum), ("Không đạt", "0")])],
                **kw)


def section(node_id: str, maximum: str, children: list[Node], title: str = "") -> Node:
    return Node(id=node_id, tt=node_id, title=title or f"MỤC {node_id}", max=D(maximum), kind="section",
                children=children)


def make_rubric(sections: list[Node], total: str | None = None, year: int = 2023) -> Rubric:
    return Rubric(meta=RubricMeta(title="Bộ tiêu chí thử", year=year, version="t1"), sections=sections,
                  declared_total=D(total) if total else None)


def pct(low: str, high: str, low_closed: bool = True, high_closed: bool = False, also: str = "") -> Condition:
    return Condition("percent", D(low), D(high), low_closed, high_closed, also)
