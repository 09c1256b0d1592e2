"""The open draft changed on disk: the app notices (focus, save) and reloads with her edits re-applied."""

from __future__ import annotations

import asyncio
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Static

from cchc_consult.document import RubricDocument
from cchc_consult.schema import load_rubric_file
from cchc_consult.tui.app import create_app
from cchc_consult.tui.screens.outside_change import OutsideChangeDialog
from tests.tui_helpers import wait_until_ready

FIXTURES = Path(__file__).parent / "fixtures" / "tui"


@pytest.fixture
def workspace(tmp_path) -> Path:
    root = tmp_path / "ws"
    (root / "rubric" / "drafts").mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.yaml", root / "rubric" / "drafts" / "v1.yaml")
    return root


def draft(workspace: Path) -> Path:
    return workspace / "rubric" / "drafts" / "v1.yaml"


def change_elsewhere(workspace: Path, node_id: str, values: dict) -> None:
    other = RubricDocument.open(draft(workspace))
    other.set_fields(node_id, values)
    other.save()


async def rename(app, pilot, node_id: str, title: str) -> None:
    await wait_until_ready(pilot)
    app.rubric_screen.select(node_id)
    await pilot.press("e", "ctrl+u", *title, "enter")
    await wait_until_ready(pilot)
    assert app.session.modified


async def her_edit_and_theirs(app, pilot, workspace: Path) -> None:
    """She renames I.1.1 in the app; meanwhile another window changes I.1.2's maximum and saves."""
    await rename(app, pilot, "I.1.1", "Tên của chị")
    change_elsewhere(workspace, "I.1.2", {"max": "7"})


async def focus_back(app, pilot) -> None:
    app.post_message(events.AppFocus())
    await pilot.pause()
    await pilot.pause()


def test_on_focus_reload_and_reapply_keeps_both_changes(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(120, 40)) as pilot:
            await her_edit_and_theirs(app, pilot, workspace)
            await focus_back(app, pilot)
            assert isinstance(app.screen, OutsideChangeDialog)
            assert app.screen.focused.id == "reload"  # Enter keeps everything
            await pilot.press("enter")
            await wait_until_ready(pilot)
            assert not isinstance(app.screen, OutsideChangeDialog)
            index = app.session.rubric.index()
            assert index["I.1.1"].title == "Tên của chị" and index["I.1.2"].max == Decimal(7)
            await pilot.press("ctrl+s")
            await wait_until_ready(pilot)
            assert not app.session.modified

    asyncio.run(run())
    index = load_rubric_file(draft(workspace)).index()
    assert index["I.1.1"].title == "Tên của chị" and index["I.1.2"].max == Decimal(7)


def test_save_shows_the_diff_then_reloads(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(120, 40)) as pilot:
            await her_edit_and_theirs(app, pilot, workspace)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, OutsideChangeDialog)  # asked instead of a refused save
            await pilot.click("#diff")
            await pilot.pause()
            shown = str(app.screen.query_one("#outside-details", Static).render())
            assert "I.1.2" in shown and "Tên của chị" not in shown.split("Các thay đổi chưa lưu ở cửa sổ này")[0]
            assert "sửa tên của I.1.1" in shown  # her edits listed below the diff
            assert app.screen.focused.id == "reload"
            await pilot.press("enter")
            await wait_until_ready(pilot)
            await pilot.press("ctrl+s")
            await wait_until_ready(pilot)

    asyncio.run(run())
    index = load_rubric_file(draft(workspace)).index()
    assert index["I.1.1"].title == "Tên của chị" and index["I.1.2"].max == Decimal(7)


def test_an_edit_that_no_longer_applies_is_listed(workspace):
    notes: list[str] = []

    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        app.show_failed = lambda failed, title: notes.extend(f"{op['label']}: {why}" for op, why in failed)
        async with app.run_test(size=(120, 40)) as pilot:
            await rename(app, pilot, "I.1.1", "Tên của chị")
            change_elsewhere(workspace, "I.1.1", {"title": "Tên của người khác"})
            await focus_back(app, pilot)
            await pilot.press("enter")
            await wait_until_ready(pilot)
            assert app.session.rubric.index()["I.1.1"].title == "Tên của người khác"

    asyncio.run(run())
    assert len(notes) == 1 and notes[0].startswith("sửa tên của I.1.1: ") and "Tên của người khác" in notes[0]


def test_keep_is_not_asked_again_on_focus_but_is_before_a_save(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(120, 40)) as pilot:
            await her_edit_and_theirs(app, pilot, workspace)
            await focus_back(app, pilot)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, OutsideChangeDialog)
            await focus_back(app, pilot)
            assert not isinstance(app.screen, OutsideChangeDialog)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, OutsideChangeDialog)
            await pilot.press("escape")
            await pilot.pause()

    asyncio.run(run())
    assert load_rubric_file(draft(workspace)).index()["I.1.2"].max == Decimal(7)  # theirs never overwritten


def test_without_edits_the_new_file_is_simply_read_again(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            change_elsewhere(workspace, "I.1.2", {"max": "7"})
            await focus_back(app, pilot)
            await wait_until_ready(pilot)
            assert not isinstance(app.screen, OutsideChangeDialog)
            assert app.session.rubric.index()["I.1.2"].max == Decimal(7)
            assert app.session.outside_change() == ""

    asyncio.run(run())


def test_save_then_quit_meeting_an_outside_change_reloads_and_stays(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(120, 40)) as pilot:
            await her_edit_and_theirs(app, pilot, workspace)
            await pilot.press("ctrl+q", "enter")  # "Lưu rồi thoát"
            await pilot.pause()
            assert isinstance(app.screen, OutsideChangeDialog) and app.is_running
            await pilot.press("enter")
            await wait_until_ready(pilot)
            assert app.is_running and app.session.modified  # she sees what was re-applied, then saves
            await pilot.press("ctrl+s")
            await wait_until_ready(pilot)
            assert app.is_running and not app.session.modified

    asyncio.run(run())
    index = load_rubric_file(draft(workspace)).index()
    assert index["I.1.1"].title == "Tên của chị" and index["I.1.2"].max == Decimal(7)


def test_the_edits_that_no_longer_apply_stay_on_screen_until_she_closes_the_list(workspace):
    async def run():
        from cchc_consult.tui.screens.dialogs import ChoiceDialog

        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await rename(app, pilot, "I.1.1", "Tên của chị")
            change_elsewhere(workspace, "I.1.1", {"title": "Tên của người khác"})
            await focus_back(app, pilot)
            await pilot.press("enter")  # "Tải lại và áp dụng lại"
            await wait_until_ready(pilot)
            assert isinstance(app.screen, ChoiceDialog)
            shown = " ".join(str(static.render()) for static in app.screen.query(Static))
            assert "1 thay đổi" in shown and "không còn áp dụng được" in shown
            assert "• sửa tên của I.1.1" in shown and "vì: " in shown and "Tên của người khác" in shown
            await pilot.pause(1.0)
            assert isinstance(app.screen, ChoiceDialog)  # not a notice that goes by
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is app.rubric_screen

    asyncio.run(run())
