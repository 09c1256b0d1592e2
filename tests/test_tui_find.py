"""Find and go, comments where the criterion is, a tree that stays as she left it, a footer that keeps Thoát."""

from __future__ import annotations

import asyncio
import shutil
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Footer

from cchc_consult.tui.app import create_app
from cchc_consult.tui.screens.dialogs import NodeEditor
from tests.tui_helpers import wait_until_ready

FIXTURES = Path(__file__).parent / "fixtures" / "tui"
FILTER_WAIT = 0.4  # longer than the filter's pause after the last key


@pytest.fixture
def workspace(tmp_path) -> Path:
    root = tmp_path / "ws"
    drafts = root / "rubric" / "drafts"
    drafts.mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.yaml", drafts / "v1.yaml")
    return root


@pytest.fixture
def full_workspace(workspace) -> Path:
    shutil.copytree(FIXTURES / "comments", workspace / "comments")
    shutil.copytree(FIXTURES / "scores", workspace / "scores")
    for name in ("round.yaml", "offices.yaml"):
        shutil.copy(FIXTURES / name, workspace / name)
    return workspace


def shown_ids(app) -> set[str]:
    """The ids the tree has lines for (added and reachable from open branches)."""
    tree = app.rubric_screen.query_one("#tree")
    out = set()

    def visit(tree_node):
        for child in tree_node.children:
            out.add(child.data)
            if child.is_expanded:
                visit(child)

    visit(tree.root)
    return out


def test_slash_filters_the_tree_by_words_without_diacritics_and_esc_clears(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            titles = {node.id: node.title for node in app.session.rubric.walk()}
            await pilot.press("slash", *"tuyen truyen")
            await pilot.pause(FILTER_WAIT)
            assert not isinstance(app.screen, NodeEditor)  # the "e" went into the filter, not to the editor
            expected = {i for i, t in titles.items() if "tuyên truyền" in t.lower()}
            assert expected and {"I.3.1", "I.3.2"} <= expected
            tree = app.rubric_screen.query_one("#tree")
            assert tree.matched == expected
            shown = shown_ids(app)
            assert expected <= shown and "I.1.1" not in shown and "II.1" not in shown
            assert "tuyen truyen" in tree.border_title and str(len(expected)) in tree.border_title
            await pilot.press("enter")  # to the tree, on the first match
            assert tree.has_focus and tree.cursor_node.data in expected
            await pilot.press("escape")
            assert tree.matched is None
            assert {section.id for section in app.session.rubric.sections} <= shown_ids(app)
            assert tree.cursor_node.data in expected  # the cursor stays where the filter left it

    asyncio.run(run())


def test_filter_and_jump_are_in_the_palette(workspace):
    from cchc_consult.tui.commands import ActionCommands

    async def run():
        app = create_app(workspace, "v1")
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            entries = {label: action for label, action, _ in ActionCommands(app.screen)._entries()}
            assert entries["Lọc cây theo từ"] == "app.filter_tree"
            assert entries["Đến mã tiêu chí"] == "app.goto_prompt"
            await app.run_action("filter_tree")
            await pilot.press(*"ke hoach")
            await pilot.pause(FILTER_WAIT)
            assert "I.1.1" in app.rubric_screen.query_one("#tree").matched

    asyncio.run(run())


def test_the_tree_keeps_open_branches_and_cursor_across_an_edit_and_its_undo(workspace):
    async def run():
        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until_ready(pilot)
            screen = app.rubric_screen
            screen.select("I.4.1")
            screen.select("I.1.2")
            await pilot.pause()
            before = shown_ids(app)
            assert {"I.1.2", "I.4.1"} <= before
            await pilot.press("e", " ", "x", "enter")
            await wait_until_ready(pilot)
            assert app.session.rubric.index()["I.1.2"].title.endswith(" x")
            assert shown_ids(app) == before and screen.current_id() == "I.1.2"
            await pilot.press("ctrl+z")
            await wait_until_ready(pilot)
            assert not app.session.modified
            assert shown_ids(app) == before and screen.current_id() == "I.1.2"

    asyncio.run(run())


def test_c_on_a_criterion_opens_its_comments_and_esc_shows_all(full_workspace):
    from cchc_consult.tui.screens.comments import CommentsScreen

    async def run():
        app = create_app(full_workspace, "v1", today=date(2023, 8, 25))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            app.rubric_screen.select("II.1.2")
            await pilot.press("c")
            await wait_until_ready(pilot)
            screen = app.screen
            assert isinstance(screen, CommentsScreen)
            everything = app.consultation.comments.comments
            on_it = [c.id for c in everything if c.criterion == "II.1.2" or c.criterion.startswith("II.1.2.")]
            assert on_it and sorted(c.id for c in screen.rows) == sorted(on_it)
            assert "tiêu chí II.1.2" in str(screen.query_one("#comments-heading").render())
            await pilot.press("escape")
            assert len(screen.rows) == len(everything)

    asyncio.run(run())


def test_a_superseded_comment_shows_as_such_and_is_not_counted_unanswered(full_workspace):
    from cchc_consult.tui.screens.comments import SUPERSEDED, UNANSWERED

    async def run():
        app = create_app(full_workspace, "v1", today=date(2023, 8, 25))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            await pilot.press("2")
            await wait_until_ready(pilot)
            screen = app.screen
            comments = app.consultation.comments.comments
            items = app.consultation.dispositions.items
            replaced = [c for c in comments if c.superseded_by]
            assert replaced  # TCKH's letter of 16/8 replaces one of its comments of 10/8
            table = screen.query_one("#comments-table")
            for comment in replaced:
                row = [r.id for r in screen.rows].index(comment.id)
                assert str(table.get_row_at(row)[4]) == SUPERSEDED
            unanswered = sum(1 for c in comments if not c.superseded_by and c.id not in items)
            heading = str(screen.query_one("#comments-heading").render())
            assert f"{unanswered} chưa xử lý" in heading and f"{len(replaced)} đã được thay thế" in heading
            while screen.status_filter != UNANSWERED:
                await pilot.press("s")
            assert not any(c.superseded_by for c in screen.rows)

    asyncio.run(run())


def test_an_answer_of_several_lines_is_written_then_undone_and_redone(full_workspace):
    from cchc_consult.tui.screens.comments import AnswerDialog

    answers = full_workspace / "comments" / "dispositions.yaml"

    async def run():
        app = create_app(full_workspace, "v1", today=date(2023, 8, 25))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until_ready(pilot)
            await pilot.press("2")
            await wait_until_ready(pilot)
            screen = app.screen
            assert screen.current().id == "VHTT-1"
            before = app.consultation.dispositions.items["VHTT-1"].status
            await pilot.press("enter")
            assert isinstance(app.screen, AnswerDialog)
            await pilot.press("down", "down", "enter", *"Giữ nguyên", "enter", *"vì đã rõ", "f2")
            await wait_until_ready(pilot)
            answer = app.consultation.dispositions.items["VHTT-1"]
            assert (answer.status, answer.reason) == ("không tiếp thu", "Giữ nguyên\nvì đã rõ")
            await pilot.press("ctrl+z")
            await wait_until_ready(pilot)
            assert app.consultation.dispositions.items["VHTT-1"].status == before
            assert "undone_at" in answers.read_text(encoding="utf-8")
            assert not app.session.modified  # Ctrl+Z here took back the answer, not a rubric edit
            await pilot.press("ctrl+y")
            await wait_until_ready(pilot)
            assert app.consultation.dispositions.items["VHTT-1"].reason == "Giữ nguyên\nvì đã rõ"

    asyncio.run(run())


@pytest.mark.parametrize("width", [80, 120])
def test_the_footer_keeps_thoat_on_every_main_screen(full_workspace, width):
    async def run():
        app = create_app(full_workspace, "v1", today=date(2023, 8, 25))
        async with app.run_test(size=(width, 30)) as pilot:
            await wait_until_ready(pilot)
            for key in ("1", "2", "3", "4"):
                await pilot.press(key)
                await wait_until_ready(pilot)
                footer_keys = list(app.screen.query_one(Footer).query("FooterKey"))
                order = [str(k.description) for k in footer_keys]
                keys = {str(k.description): k.region for k in footer_keys}
                assert order[:2] == ["Thoát", "Lưu"], (key, order)  # the same order on every screen
                assert order.index("Trợ giúp") + 1 == order.index("Lệnh") < order.index("Bộ tiêu chí"), (key, order)
                assert keys["Thoát"].x >= 0 and keys["Thoát"].right <= width, key
                assert keys["Lưu"].right <= width
                if width == 120 and key == "1":
                    assert all(region.right <= width for region in keys.values()), keys

    asyncio.run(run())


@pytest.mark.parametrize("width", [80, 120])
def test_long_titles_in_the_tree_end_with_an_ellipsis_at_the_panels_edge(workspace, width):
    async def run():
        from cchc_consult.tui.widgets.rubric_tree import RubricTree

        app = create_app(workspace, "v1", today=date(2023, 8, 8))
        async with app.run_test(size=(width, 16)) as pilot:
            await wait_until_ready(pilot)
            tree = app.rubric_screen.query_one(RubricTree)
            app.rubric_screen.select("I.1.3")
            await pilot.pause()
            await pilot.press("right", "down", "right")  # more lines than the panel: a vertical scrollbar
            await pilot.pause()
            assert tree.show_vertical_scrollbar and not tree.show_horizontal_scrollbar
            room = tree.scrollable_content_region.width
            lines = [tree.render_line(y).text.rstrip() for y in range(tree.scrollable_content_region.height)]
            cut = [line for line in lines if line.endswith("…")]
            assert cut, lines  # the fixture has titles longer than the panel
            assert all(len(line) <= room for line in lines)
            assert tree.virtual_size.width <= room  # nothing hidden to the right

    asyncio.run(run())
