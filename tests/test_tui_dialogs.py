"""Edit dialogs as a clerk uses them: findings while typing, keys in a burst, the owner from the office list."""

from __future__ import annotations

import asyncio
import shutil
from datetime import date
from pathlib import Path

import pytest
from textual import events

from cchc_consult.tui.app import create_app
from cchc_consult.tui.screens.dialogs import BandEditor, NodeEditor
from tests.tui_helpers import wait_until_ready

FIXTURES = Path(__file__).parent / "fixtures" / "tui"
LIVE_WAIT = 0.4  # longer than the dialog's pause after the last key


@pytest.fixture
def workspace(tmp_path) -> Path:
    root = tmp_path / "ws"
    drafts = root / "rubric" / "drafts"
    drafts.mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.yaml", drafts / "v1.yaml")
    shutil.copy(FIXTURES / "offices.yaml", root / "offices.yaml")
    return root


def draft(workspace: Path) -> Path:
    return workspace / "rubric" / "drafts" / "v1.yaml"


def live_text(app) -> str:
    return app.screen.query_one("#live").plain


async def burst(pilot, keys) -> None:
    """Send keys the way a fast typist or a paste does: all queued at once, nothing awaited in between."""
    app = pilot.app
    for key in keys:
        name = {" ": "space", ",": "comma", "(": "left_parenthesis", ")": "right_parenthesis"}.get(key, key)
        event = events.Key(name, key if len(key) == 1 else ("\r" if key == "enter" else None))
        event.set_sender(app)
        app._driver.send_message(event)
    for _ in range(20):
        await pilot.pause(0.05)


def test_a_new_maximum_shows_its_findings_in_the_dialog_before_it_is_confirmed(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            app.rubric_screen.select("I.1.1")
            await pilot.press("e")
            assert isinstance(app.screen, NodeEditor)
            await wait_until_ready(pilot)  # the findings are computed in a thread
            assert "I.1 ghi" not in live_text(app) and "mức cao nhất" not in live_text(app)
            assert "tổng cộng ghi 100" in live_text(app)  # the fixture's known total mismatch: a sum above it
            await pilot.press("tab", "ctrl+u", "3")
            await pilot.pause(LIVE_WAIT)
            await wait_until_ready(pilot)
            shown = live_text(app)
            # I.1 is 5 = 2 + 1 + 2 in the file; with 3 typed for I.1.1 its children add up to 6
            assert "I.1 ghi 5 điểm" in shown and "= 6" in shown
            assert "mức cao nhất của I.1.1 là 2 điểm nhưng điểm chuẩn là 3" in shown
            assert not any(f.node == "I.1" for f in app.findings)  # nothing applied yet
            await pilot.press("ctrl+u", *"2")
            await pilot.pause(LIVE_WAIT)
            await wait_until_ready(pilot)
            assert "I.1 ghi 5" not in live_text(app)
            await pilot.press("ctrl+u", *"1,5.2")
            await pilot.pause(LIVE_WAIT)
            await wait_until_ready(pilot)
            assert "✎" in live_text(app)  # what is typed cannot be read as points yet: said so, no crash
            await pilot.press("escape")
            assert not app.session.modified

    asyncio.run(run())


def test_focusing_the_title_keeps_it_and_a_burst_of_keys_then_enter_loses_nothing(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            app.rubric_screen.select("I.1.1")
            await pilot.pause()
            before = app.session.rubric.index()["I.1.1"].title
            await burst(pilot, ["e", *" năm 2023 (đã rà soát)x", "backspace", "tab", "ctrl+u", "2", ",", "5", "enter"])
            await wait_until_ready(pilot)
            assert not isinstance(app.screen, NodeEditor)
            node = app.session.rubric.index()["I.1.1"]
            assert node.title == before + " năm 2023 (đã rà soát)"
            assert str(node.max) == "2.5"  # typed after the Tab and the Ctrl+U, into the next field, in order
            assert app.session.modified  # Enter confirms; only Ctrl+S writes the file

    asyncio.run(run())


def test_ctrl_s_in_the_dialog_confirms_and_writes_the_file(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            app.rubric_screen.select("I.1.1")
            await pilot.press("e", "ctrl+u", *"Kế hoạch CCHC", "ctrl+s")
            await wait_until_ready(pilot)
            assert not isinstance(app.screen, NodeEditor)
            assert not app.session.modified

    asyncio.run(run())
    assert "title: Kế hoạch CCHC\n" in draft(workspace).read_text(encoding="utf-8")


def test_the_band_dialog_shows_the_criterions_own_gaps_and_overlaps_as_typed(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            app.rubric_screen.select("I.1.3")
            await pilot.press("b")
            assert isinstance(app.screen, BandEditor)
            await wait_until_ready(pilot)
            # the file's bands start at 50%: nothing for below 50%
            assert "không có mức điểm nào cho" in live_text(app) and "50%" in live_text(app)
            await pilot.press("down", "enter", "ctrl+u", *"Thực hiện từ 60% đến 80% kế hoạch")
            await pilot.pause(LIVE_WAIT)
            await wait_until_ready(pilot)
            shown = live_text(app)
            assert "mức 2" in shown and "mức 3" in shown and "cùng bao phủ" in shown
            assert app.session.rubric.index()["I.1.3"].bands[1].text == "Thực hiện từ 70% đến 80% kế hoạch"
            await pilot.press("escape", "escape")
            assert not app.session.modified

    asyncio.run(run())


def test_the_owner_is_chosen_from_the_offices_and_cleared_without_leaving_a_key(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            app.rubric_screen.select("I.1.1")
            await pilot.press("e")
            from textual.widgets import Select

            owner = app.screen.query_one("#owner", Select)
            codes = [value for _, value in owner._options if isinstance(value, str)]
            assert codes[:4] == ["VP", "NV", "TP", "TCKH"]  # offices.yaml, in its order
            owner.value = "TP"
            await pilot.press("f2")
            await wait_until_ready(pilot)
            assert app.session.doc.node_map("I.1.1")["owner"] == "TP"
            await pilot.press("e")
            app.screen.query_one("#owner", Select).clear()
            await pilot.press("f2")
            await wait_until_ready(pilot)
            assert "owner" not in app.session.doc.node_map("I.1.1")
            assert app.session.rubric.index()["I.1.1"].owner == ""

    asyncio.run(run())


def test_a_burst_in_the_band_dialog_edits_the_band_under_the_cursor_without_losing_keys(workspace):
    """Enter (edit the band), Enter (to its points), Ctrl+U 3, Enter (apply): typed faster than the screen redraws."""
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            app.rubric_screen.select("I.1.3")
            await pilot.pause()
            await burst(pilot, ["b", "down", "enter", "enter", "ctrl+u", "3", "enter",
                                "down", "enter", "end", *" nữa", "enter", "ctrl+u", "0", ",", "5", "enter"])
            await wait_until_ready(pilot)
            assert isinstance(app.screen, BandEditor)  # Enter applies a band; the dialog stays for the next one
            bands = app.session.rubric.index()["I.1.3"].bands
            assert [(b.text, str(b.points)) for b in bands] == [
                ("Thực hiện trên 80% kế hoạch", "2"),
                ("Thực hiện từ 70% đến 80% kế hoạch", "3"),
                ("Thực hiện từ 50% đến dưới 70% kế hoạch nữa", "0.5")]
            assert app.screen.query_one("#bands").has_focus  # back on the table, ready for the next band

    asyncio.run(run())


def typed_now(app, keys) -> list[events.Key]:
    """Key events stamped now, sent later: keys she typed that reach the app after the screen changed."""
    out = []
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        out.append(event)
    return out


async def arrive(pilot, typed) -> None:
    for event in typed:
        pilot.app._driver.send_message(event)
    for _ in range(10):
        await pilot.pause(0.05)


def children_of(app, node_id: str) -> list[str]:
    return [child.id for child in app.session.rubric.index()[node_id].children]


def test_letters_typed_for_a_dialog_that_closed_do_not_run_as_shortcuts_on_the_tree(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            app.rubric_screen.select("I.1.1")
            order = children_of(app, "I.1")
            await pilot.press("e", *" mới")
            # she goes on typing the title ("Je xin"), but Enter has already confirmed and closed the dialog
            late = typed_now(app, ["J", "e", "x", "delete"])
            await pilot.press("enter")
            await wait_until_ready(pilot)
            assert not isinstance(app.screen, NodeEditor)
            await arrive(pilot, late)
            await wait_until_ready(pilot)
            assert app.screen is app.rubric_screen  # no dialog opened by the "e", no delete question
            assert children_of(app, "I.1") == order  # "J" moved nothing
            assert len(app.session.undo_stack) == 1  # only the title she confirmed
            assert any("Bỏ qua phím" in (n.title or "") for n in app._notifications)
            await pilot.press("J")  # typed after the dialog closed: a shortcut again
            await wait_until_ready(pilot)
            assert children_of(app, "I.1")[1] == "I.1.1"

    asyncio.run(run())


def test_letters_typed_in_the_filter_do_not_run_as_shortcuts_once_the_focus_falls_back_to_the_tree(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            await pilot.press("slash", *"ke")
            late = typed_now(app, [*" hoach", "J", "b"])  # still typing words, but Esc has emptied the field
            await pilot.press("escape")
            await wait_until_ready(pilot)
            assert app.rubric_screen.query_one("#tree").has_focus
            await arrive(pilot, late)
            await wait_until_ready(pilot)
            assert app.screen is app.rubric_screen and not app.session.modified
            assert app.rubric_screen.query_one("#tree").has_focus

    asyncio.run(run())


def test_arrows_then_a_dialog_key_in_a_burst_open_the_dialog_on_the_line_the_arrows_reached(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            app.rubric_screen.select("I.1.1")
            await pilot.pause()
            await burst(pilot, ["down", "down", "b", "down", "enter", "enter", "ctrl+u", "5", "enter"])
            await wait_until_ready(pilot)
            assert isinstance(app.screen, BandEditor) and app.screen.node_id == "I.1.3"
            assert str(app.session.rubric.index()["I.1.3"].bands[1].points) == "5"

    asyncio.run(run())
