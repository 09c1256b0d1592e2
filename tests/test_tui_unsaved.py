"""No path out of the TUI loses an edit: the one guard, the safe default, failed saves, the recovery journal."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cchc_consult.document import RecoveryJournal
from cchc_consult.tui.app import create_app
from cchc_consult.tui.screens.dialogs import ChoiceDialog
from cchc_consult.tui.session import recovery_folder
from cchc_consult.workspace import Workspace
from tests.tui_helpers import wait_until_ready

FIXTURES = Path(__file__).parent / "fixtures" / "tui"


@pytest.fixture
def workspace(tmp_path) -> Path:
    root = tmp_path / "ws"
    drafts = root / "rubric" / "drafts"
    drafts.mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.yaml", drafts / "v1.yaml")
    return root


def draft(workspace: Path) -> Path:
    return workspace / "rubric" / "drafts" / "v1.yaml"


async def rename_first_criterion(app, pilot, title: str) -> None:
    await wait_until_ready(pilot)
    app.rubric_screen.select("I.1.1")
    await pilot.press("e", "ctrl+u", *title, "enter")
    await wait_until_ready(pilot)
    assert app.session.modified


@pytest.mark.parametrize("key", ["q", "ctrl+q", "ctrl+c"])
def test_every_quit_key_asks_and_enter_saves_then_exits(workspace, key):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(120, 40)) as pilot:
            await rename_first_criterion(app, pilot, "Tên đã sửa")
            await pilot.press(key)
            assert isinstance(app.screen, ChoiceDialog)
            assert app.screen.focused.id == "save"  # Enter is the safe answer
            await pilot.press("enter")
            await wait_until_ready(pilot)
            for _ in range(40):
                if not app.is_running:
                    break
                await pilot.pause(0.05)
            assert not app.is_running

    asyncio.run(run())
    assert "Tên đã sửa" in draft(workspace).read_text(encoding="utf-8")
    assert not list(recovery_folder(Workspace(workspace)).glob("*.json"))  # a clean exit leaves no journal


def test_palette_quit_goes_through_the_guard(workspace):
    async def run():
        app = create_app(workspace, "v1")
        async with app.run_test(size=(120, 40)) as pilot:
            await rename_first_criterion(app, pilot, "Tên khác")
            commands = [c.title for c in app.get_system_commands(app.screen)]
            assert "Thoát" in commands and "Quit" not in commands
            await app.run_action("quit")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog) and app.is_running
            await pilot.press("escape")
            assert app.is_running and app.session.modified

    asyncio.run(run())


def test_a_failed_save_keeps_the_session_open_and_modified(workspace, monkeypatch):
    from cchc_consult import fileio

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    async def run():
        app = create_app(workspace, "v1")
        async with app.run_test(size=(120, 40)) as pilot:
            await rename_first_criterion(app, pilot, "Tên chưa lưu được")
            monkeypatch.setattr(fileio, "atomic_write", full_disk)
            notes = []
            monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
            await pilot.press("ctrl+q", "enter")  # "Lưu rồi thoát": the save fails, the app stays
            await wait_until_ready(pilot)
            await pilot.pause(0.2)
            assert app.is_running and app.session.modified and not app.saving
            assert any("ổ đĩa đã đầy" in note for note in notes)
            journal = app.session.journal
            monkeypatch.undo()
            return journal

    journal = asyncio.run(run())
    assert "Tên chưa lưu được" not in draft(workspace).read_text(encoding="utf-8")
    # The app ended without a clean exit here (the harness stopped it): the edit is in the journal.
    recorded = json.loads(journal.file.read_text(encoding="utf-8"))
    assert recorded["operations"][0]["args"]["values"]["title"] == "Tên chưa lưu được"


def left_behind_journal(workspace: Path, title: str) -> None:
    """What a window that was killed after one edit leaves: a journal whose process is gone."""
    from cchc_consult.document import RubricDocument

    doc = RubricDocument.open(draft(workspace))
    doc.set_fields("I.1.1", {"title": title})
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    RecoveryJournal(recovery_folder(Workspace(workspace)), draft(workspace), pid=int(dead.stdout)).record(doc)


def test_reopening_after_a_crash_offers_the_edits_back(workspace):
    left_behind_journal(workspace, "Tên trước khi mất điện")

    async def run():
        app = create_app(workspace, "v1")
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            assert isinstance(app.screen, ChoiceDialog)
            assert "sửa tên của I.1.1" in app.screen.details
            await pilot.press("enter")  # Khôi phục
            await wait_until_ready(pilot)
            assert app.session.modified
            assert app.session.rubric.index()["I.1.1"].title == "Tên trước khi mất điện"
            await pilot.press("ctrl+z")  # a restored edit is an edit like any other
            await wait_until_ready(pilot)
            assert not app.session.modified

    asyncio.run(run())
    assert not RecoveryJournal(recovery_folder(Workspace(workspace)), draft(workspace)).left_behind()


def test_dropping_the_left_edits_is_a_choice_not_the_default(workspace):
    left_behind_journal(workspace, "Tên bị bỏ")

    async def run():
        app = create_app(workspace, "v1")
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            await pilot.press("escape")  # Để sau: nothing happens, it is offered again next time
            assert not app.session.modified

    asyncio.run(run())
    journal = RecoveryJournal(recovery_folder(Workspace(workspace)), draft(workspace))
    assert journal.left_behind()


def test_a_second_window_on_the_same_draft_is_warned(workspace, monkeypatch):
    from cchc_consult.document import RubricDocument

    doc = RubricDocument.open(draft(workspace))
    RecoveryJournal(recovery_folder(Workspace(workspace)), draft(workspace), pid=os.getppid()).record(doc)

    async def run():
        app = create_app(workspace, "v1")
        notes = []
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            assert any("đang mở ở một cửa sổ khác" in note for note in notes)
            assert not isinstance(app.screen, ChoiceDialog)  # a live window's journal is not offered as a crash

    asyncio.run(run())


def test_the_palette_jumps_to_a_criterion_id(workspace):
    from cchc_consult.tui.commands import ActionCommands

    async def run():
        app = create_app(workspace, "v1")
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            provider = ActionCommands(app.screen)
            hits = provider._nodes("i.1.1")
            assert hits[0][1] == "I.1.1"
            title = app.session.rubric.index()["I.1.1"].title
            from cchc_consult.vn import strip_marks

            assert any(node_id == "I.1.1" for _, node_id, _ in provider._nodes(strip_marks(title).lower()))
            app.go_to("I.1.1")
            await pilot.pause()
            assert app.rubric_screen.current_id() == "I.1.1"

    asyncio.run(run())


def test_g_jumps_to_an_id_and_a_number_inside_the_current_section(workspace):
    async def run():
        app = create_app(workspace, "v1")
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            await pilot.press("g", *"ii.2", "enter")
            await pilot.pause()
            assert app.rubric_screen.current_id() == "II.2"
            await pilot.press("g", *"1", "enter")  # a bare number: in the section under the cursor
            await pilot.pause()
            assert app.rubric_screen.current_id() == "II.1"
            await pilot.press("g", *"zz.9", "enter")
            await pilot.pause()
            assert app.rubric_screen.current_id() == "II.1"

    asyncio.run(run())


def test_clearing_the_owner_removes_the_key(workspace):
    from cchc_consult.document import RubricDocument

    doc = RubricDocument.open(draft(workspace))
    doc.set_fields("I.1.1", {"owner": "Cơ quan thử"})
    assert doc.node_map("I.1.1")["owner"] == "Cơ quan thử"
    doc.set_fields("I.1.1", {"owner": ""})
    assert "owner" not in doc.node_map("I.1.1")
