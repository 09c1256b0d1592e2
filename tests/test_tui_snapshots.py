"""Snapshots of the main screens at 80×24 (pytest-textual-snapshot); baselines were looked at before accepting."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("pytest_textual_snapshot")

from cchc_consult.tui.app import create_app  # noqa: E402
from tests.tui_helpers import wait_until_ready  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "tui"
SIZE = (80, 24)


@pytest.fixture
def app(tmp_path):
    root = tmp_path / "ws"
    (root / "rubric" / "drafts").mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.yaml", root / "rubric" / "drafts" / "v1.yaml")
    shutil.copy(FIXTURES / "round.yaml", root / "round.yaml")  # the deadline on the status line
    return create_app(root, "v1", today=date(2023, 8, 8))


async def settle(pilot) -> None:
    await wait_until_ready(pilot)


def test_main_screen(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("right", "down", "right", "down", "down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_band_editor(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("right", "down", "right", "down", "b", "down", "enter", "ctrl+u", *"Chậm từ 10 ngày trở lên")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.fixture
def full_app(tmp_path):
    root = tmp_path / "ws"
    (root / "rubric" / "drafts").mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.yaml", root / "rubric" / "drafts" / "v1.yaml")
    shutil.copytree(FIXTURES / "comments", root / "comments")
    shutil.copytree(FIXTURES / "scores", root / "scores")
    for name in ("round.yaml", "offices.yaml"):
        shutil.copy(FIXTURES / name, root / name)
    return create_app(root, "v1", today=date(2023, 8, 25))


def test_comments_screen(snap_compare, full_app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(full_app, terminal_size=SIZE, run_before=run_before)


def test_scoring_screen(snap_compare, full_app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(full_app, terminal_size=SIZE, run_before=run_before)


def test_diff_screen(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("right", "down", "right", "down", "e", "tab", "ctrl+u", "3", "enter", "3")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
