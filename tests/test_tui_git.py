"""In a workspace that is a git repository, a save from the TUI is a commit (vcs.hook.record_save)."""

from __future__ import annotations

import asyncio
import re
from datetime import date

from cchc_consult.cli import main
from cchc_consult.tui.app import create_app
from tests.test_git import log_of
from tests.test_tui_unsaved import draft, rename_first_criterion, workspace  # noqa: F401  (the fixture)
from tests.tui_helpers import wait_until_ready


def test_a_tui_save_in_a_git_workspace_is_a_commit(workspace, capsys):  # noqa: F811
    assert main(["init", str(workspace), "--git", "--by", "Lan"]) == 0
    before = log_of(workspace)

    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(120, 40)) as pilot:
            await rename_first_criterion(app, pilot, "Tên đã sửa trong giao diện")
            await pilot.press("ctrl+s")
            for _ in range(100):
                await wait_until_ready(pilot)
                if not app.session.modified and len(log_of(workspace)) > len(before):
                    break
                await pilot.pause(0.05)

    asyncio.run(run())
    after = log_of(workspace)
    assert len(after) == len(before) + 1
    assert after[0][1] == "Lưu v1.yaml (giao diện)"
    assert "Tên đã sửa trong giao diện" in draft(workspace).read_text(encoding="utf-8")


def test_the_version_picker_says_who_changed_each_version_last_and_when_from_git(workspace, capsys):  # noqa: F811
    from textual.widgets import OptionList

    from cchc_consult.tui.screens.dialogs import VersionPicker

    assert main(["init", str(workspace), "--git", "--by", "Lan"]) == 0

    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, VersionPicker)
            options = app.screen.query_one(OptionList)
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    labels = asyncio.run(run())
    assert len(labels) == 1
    assert re.fullmatch(r"v1 — dự thảo · sửa lần cuối \d{1,2}/\d{1,2}/\d{4} \d{2}:\d{2}, Lan", labels[0]), labels


def test_without_git_the_version_picker_shows_only_the_status(workspace):  # noqa: F811
    from cchc_consult.tui.app import last_changes
    from cchc_consult.workspace import Workspace

    assert last_changes(Workspace(workspace)) == {}
