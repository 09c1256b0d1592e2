"""In a workspace that is a git repository, a save from the TUI is a commit (vcs.hook.record_save)."""

from __future__ import annotations

import asyncio
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
