"""The TUI driven through Pilot as a clerk would: keys in, file and screen checked out."""

from __future__ import annotations

import asyncio
import difflib
import shutil
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("textual")

from cchc_consult.cli import build_parser  # noqa: E402
from cchc_consult.tui.app import CchcApp, create_app  # noqa: E402
from cchc_consult.tui.screens.dialogs import (  # noqa: E402
    BandEditor, ChoiceDialog, ConfirmDialog, HelpScreen, NodeEditor)
from tests.tui_helpers import wait_until_ready  # noqa: E402

TODAY = date(2023, 8, 8)
FIXTURES = Path(__file__).parent / "fixtures" / "tui"


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A workspace holding only the 2023 draft v1 as first imported (status draft)."""
    root = tmp_path / "ws"
    drafts = root / "rubric" / "drafts"
    drafts.mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.yaml", drafts / "v1.yaml")
    return root


def make_app(workspace: Path, version: str = "v1") -> CchcApp:
    return create_app(workspace, version, today=TODAY)


async def ready(app: CchcApp, pilot) -> None:
    """Wait for the round-trip document to open and the checks to finish."""
    await wait_until_ready(pilot)


async def goto(pilot, app: CchcApp, node_id: str) -> None:
    """Walk the tree with the keyboard to a node: open each ancestor, step down to the child."""
    tree = app.rubric_screen.query_one("#tree")
    tree.focus()
    await pilot.press("home")
    parts = node_id.split(".")
    for depth in range(1, len(parts) + 1):
        target = ".".join(parts[:depth])
        for _ in range(60):
            if tree.cursor_node is not None and tree.cursor_node.data == target:
                break
            await pilot.press("down")
        else:
            raise AssertionError(f"không tìm thấy {target}")
        if depth < len(parts):
            await pilot.press("right")


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_tui_command_is_registered():
    parser = build_parser()
    args = parser.parse_args(["tui", "/tmp/somewhere"])
    assert args.command == "tui" and args.path == "/tmp/somewhere"


def test_status_line_shows_version_totals_and_deadline(workspace):
    shutil.copy(FIXTURES / "round.yaml", workspace / "round.yaml")

    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            status = str(app.rubric_screen.query_one("#status").render())
            assert "v1" in status and "dự thảo" in status
            assert "tổng ghi 100, cộng lại 97" in status
            assert "còn 10 ngày đến hạn góp ý 18/8/2023" in status

    asyncio.run(run())


def test_status_line_shows_no_deadline_without_a_round_file(workspace):
    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            status = str(app.rubric_screen.query_one("#status").render())
            assert "tổng ghi 100" in status and "hạn góp ý" not in status

    asyncio.run(run())


def test_edit_title_then_save_changes_only_that_line(workspace):
    path = workspace / "rubric" / "drafts" / "v1.yaml"
    before = path.read_text(encoding="utf-8")

    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            await goto(pilot, app, "I.1.1")
            await pilot.press("e")
            assert isinstance(app.screen, NodeEditor)
            await pilot.press("ctrl+u", *"Ban hành kế hoạch CCHC năm 2023", "enter")
            assert not isinstance(app.screen, NodeEditor)
            assert app.session.rubric.index()["I.1.1"].title == "Ban hành kế hoạch CCHC năm 2023"
            assert app.session.modified
            await pilot.press("ctrl+s")
            await ready(app, pilot)
            assert not app.session.modified

    asyncio.run(run())
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-            title: Ban hành kế hoạch CCHC hằng năm",
        "+            title: Ban hành kế hoạch CCHC năm 2023",
    ]


def test_band_reworded_is_reparsed_then_undo_restores_the_file_text(workspace):
    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            original = app.session.doc.dumps()
            await goto(pilot, app, "I.1.2")
            await pilot.press("b")
            assert isinstance(app.screen, BandEditor)
            await pilot.press("down", "enter", "ctrl+u", *"Hoàn thành từ 50% đến dưới 100%")
            preview = str(app.screen.query_one("#preview").render())
            assert "tỷ lệ 50% ≤ x < 100%" in preview
            await pilot.press("enter", "ctrl+u", "0", ",", "5", "enter")
            band = app.session.rubric.index()["I.1.2"].bands[1]
            assert band.text == "Hoàn thành từ 50% đến dưới 100%"
            assert band.condition is not None and band.condition.measure == "percent"
            await pilot.press("escape")
            await pilot.press("ctrl+z")
            await ready(app, pilot)
            assert app.session.doc.dumps() == original
            await pilot.press("ctrl+y")
            assert app.session.rubric.index()["I.1.2"].bands[1].text == "Hoàn thành từ 50% đến dưới 100%"

    asyncio.run(run())


def test_bands_added_moved_and_removed(workspace):
    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            await goto(pilot, app, "I.1.2")
            await pilot.press("b", "a", *"Không thực hiện", "enter", "ctrl+u", "0", "enter")
            texts = [b.text for b in app.session.rubric.index()["I.1.2"].bands]
            assert texts[-1] == "Không thực hiện" and len(texts) == 4
            await pilot.press("K")  # the new band (cursor on it) moves up one
            texts = [b.text for b in app.session.rubric.index()["I.1.2"].bands]
            assert texts[2] == "Không thực hiện"
            await pilot.press("x")
            assert len(app.session.rubric.index()["I.1.2"].bands) == 3
            assert "Không thực hiện" not in [b.text for b in app.session.rubric.index()["I.1.2"].bands]

    asyncio.run(run())


def test_findings_follow_an_edit_of_points(workspace):
    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            assert not [f for f in app.findings if f.node == "I.1" and f.code == "sum-mismatch"]
            await goto(pilot, app, "I.1.1")
            await pilot.press("e", "tab", "ctrl+u", "3", "enter")
            await ready(app, pilot)
            assert [f for f in app.findings if f.node == "I.1" and f.code == "sum-mismatch"]
            assert "I.1" in str(app.rubric_screen.query_one("#findings").get_row_at(0)) or any(
                f.node == "I.1" for f in app.rubric_screen.query_one("#findings").findings)

    asyncio.run(run())


def test_add_move_delete_criterion_and_undo_everything(workspace):
    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            original = app.session.doc.dumps()
            await goto(pilot, app, "I.1")
            await pilot.press("n", *"Công khai kế hoạch", "enter")
            index = app.session.rubric.index()
            assert index["I.1.4"].title == "Công khai kế hoạch"
            assert [c.id for c in index["I.1"].children] == ["I.1.1", "I.1.2", "I.1.3", "I.1.4"]
            assert app.rubric_screen.current_id() == "I.1.4"
            await pilot.press("K")
            assert [c.id for c in app.session.rubric.index()["I.1"].children] == ["I.1.1", "I.1.2", "I.1.4", "I.1.3"]
            await pilot.press("delete")
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("y")
            assert "I.1.4" not in app.session.rubric.index()
            await pilot.press("ctrl+z", "ctrl+z", "ctrl+z")
            assert app.session.doc.dumps() == original
            assert not app.session.modified

    asyncio.run(run())


def test_frozen_version_is_read_only_and_offers_a_new_draft(workspace):
    from cchc_consult import versions
    from cchc_consult.workspace import Workspace

    path = workspace / "rubric" / "drafts" / "v1.yaml"
    versions.circulate(Workspace(workspace), "v1", "1632/UBND", "2023-07-26")
    frozen_text = path.read_text(encoding="utf-8")

    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            assert app.session.frozen and not app.session.ready
            await pilot.press("e")
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("y")
            await ready(app, pilot)
            assert app.session.path.name == "v2.yaml"
            assert not app.session.frozen

    asyncio.run(run())
    assert (workspace / "rubric" / "drafts" / "v2.yaml").exists()
    assert path.read_text(encoding="utf-8") == frozen_text


def test_help_and_command_palette(workspace):
    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await goto(pilot, app, "I.1.2")
            await pilot.press("ctrl+p", *"mức điểm")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, BandEditor)
            await pilot.press("escape", "ctrl+p", *"so sanh")  # without diacritics, as clerks often type
            await pilot.pause(0.3)
            await pilot.press("enter")
            await ready(app, pilot)
            assert type(app.screen).__name__ == "DiffScreen"
            await pilot.press("ctrl+p", *"chon ban cu")  # an action of the diff screen itself
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert type(app.screen).__name__ == "VersionPicker"

    asyncio.run(run())


def test_every_binding_has_an_id():
    from cchc_consult.tui.screens.rubric import RubricScreen

    for owner in (CchcApp, RubricScreen, BandEditor, NodeEditor):
        for binding in owner.BINDINGS:
            assert binding.id, f"{owner.__name__}: {binding.key} has no id"


def test_bench_reports_first_paint_and_keypress(tmp_path):
    from cchc_consult.tui.bench import bench_tui, write_synthetic_workspace

    result = bench_tui(write_synthetic_workspace(tmp_path, 30), keys=3)
    assert result["criteria"] > 30
    assert result["cursor_line_after"] == 3  # "right" opened section I, three downs walked into it
    assert set(result) >= {"first_paint_ms", "keypress_ms", "document_ready_ms"}


@pytest.fixture
def full_workspace(workspace) -> Path:
    """The draft plus the round's comment files, offices, round.yaml and score sheets (copies of fixtures)."""
    shutil.copytree(FIXTURES / "comments", workspace / "comments")
    shutil.copytree(FIXTURES / "scores", workspace / "scores")
    for name in ("round.yaml", "offices.yaml"):
        shutil.copy(FIXTURES / name, workspace / name)
    return workspace


def test_diff_screen_lists_an_edit_and_jumps_to_its_node(workspace):
    from cchc_consult.tui.screens.diff import DiffScreen

    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            await goto(pilot, app, "I.1.1")
            await pilot.press("e", "tab", "ctrl+u", "3", "enter")
            await goto(pilot, app, "I.2")
            await pilot.press("3")
            await ready(app, pilot)
            assert isinstance(app.screen, DiffScreen)
            kinds = [(c.kind, c.node_id) for c in app.screen.diff.changes]
            assert ("max-changed", "I.1.1") in kinds
            heading = str(app.screen.query_one("#diff-heading").render())
            assert "v1 → v1 (đang mở, chưa lưu)" in heading
            await pilot.press("enter")
            assert app.screen is app.rubric_screen
            assert app.rubric_screen.current_id() == "I.1.1"

    asyncio.run(run())


def test_comments_screen_answers_a_comment_in_place(full_workspace):
    from cchc_consult.tui.screens.comments import AnswerDialog, CommentsScreen

    answers = full_workspace / "comments" / "dispositions.yaml"
    before = answers.read_text(encoding="utf-8")

    async def run():
        app = make_app(full_workspace)
        app.today = date(2023, 8, 25)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            assert app.comment_counts.get("II.1.2") == 2  # TP-2 and TP-3: the tree marks the node
            await pilot.press("2")
            await ready(app, pilot)
            screen = app.screen
            assert isinstance(screen, CommentsScreen)
            assert screen.current().id == "VHTT-1"
            await pilot.press("enter")
            assert isinstance(app.screen, AnswerDialog)
            await pilot.press("down", "down", "enter", *"Giữ nguyên cách viết", "f2")
            await ready(app, pilot)  # the answer is written by a worker thread
            assert app.screen is screen
            assert app.consultation.dispositions.items["VHTT-1"].status == "không tiếp thu"
            await pilot.press("s", "s", "s", "s")  # filter: không tiếp thu only
            assert screen.rows and {app.consultation.dispositions.items[c.id].status for c in screen.rows} == {
                "không tiếp thu"}
            await pilot.press("l")
            ledger = screen.query_one("#ledger")
            statuses = [str(ledger.get_row_at(i)[1]) for i in range(ledger.row_count)]
            assert "Có ý kiến, quá hạn" in statuses and "Đồng ý do không có ý kiến" in statuses

    asyncio.run(run())
    changed = changed_lines(before, answers.read_text(encoding="utf-8"))
    assert changed[:1] and changed[0].startswith("+    key: ")  # the answer is now bound by the comment's key
    assert {"-    status: tiếp thu", '-    reason: ""', "+    status: không tiếp thu",
            '+    reason: "Giữ nguyên cách viết"'} <= set(changed)
    assert any(line.startswith("+      - {status: tiếp thu, reason: ") for line in changed)  # the old one kept
    assert all(line[1:].startswith("    ") for line in changed)  # only lines of VHTT-1's entry


def test_scoring_screen_ranks_and_drills_down(full_workspace):
    from cchc_consult.tui.screens.scoring import ScoringScreen

    async def run():
        app = make_app(full_workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            await pilot.press("4")
            await ready(app, pilot)
            screen = app.screen
            assert isinstance(screen, ScoringScreen)
            ranks = [(s.rank, s.office) for s in screen.report.offices]
            assert ranks[0] == (1, "VHTT")
            await pilot.press("enter", "l")  # VHTT's criteria, only those the appraisal changed
            assert screen.leaf_rows == ["II.2.4"]

    asyncio.run(run())


def test_scoring_screen_names_offices_from_offices_yaml_and_rounds_the_index_half_up(full_workspace):
    from decimal import Decimal

    from cchc_consult.score.compute import Totals
    from cchc_consult.tui.screens.scoring import ScoringScreen

    offices = full_workspace / "offices.yaml"
    offices.write_text(offices.read_text(encoding="utf-8").replace(
        "name: Phòng Văn hóa và Thông tin", "name: Phòng Văn hóa, Thể thao và Du lịch"), encoding="utf-8")

    async def run():
        app = make_app(full_workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            await pilot.press("4")
            await ready(app, pilot)
            screen = app.screen
            assert isinstance(screen, ScoringScreen)
            ranking = screen.query_one("#ranking")
            assert str(ranking.get_row_at(0)[1]) == "Phòng Văn hóa, Thể thao và Du lịch"
            report = screen.report
            report.offices[0].appraised = Totals(Decimal("70.1"), Decimal(80))  # index 87,625 exactly
            screen.show_report(report)
            assert str(ranking.get_row_at(0)[4]) == "87,63"  # as in the report; half-even would show 87,62

    asyncio.run(run())


def test_bad_points_are_refused_in_the_dialog_and_nothing_changes(workspace):
    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            original = app.session.doc.dumps()
            await goto(pilot, app, "I.1.1")
            await pilot.press("e", "tab", "ctrl+u", *"hai", "f2")
            assert isinstance(app.screen, NodeEditor)
            assert "không đọc được số điểm" in str(app.screen.query_one("#error").render())
            await pilot.press("escape")
            assert app.session.doc.dumps() == original and not app.session.modified

    asyncio.run(run())


def test_quit_with_unsaved_changes_asks_first(workspace):
    async def run():
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            await goto(pilot, app, "I.1.1")
            await pilot.press("e", "ctrl+u", *"Tên khác", "enter", "q")
            assert isinstance(app.screen, ChoiceDialog)
            await pilot.press("escape")
            assert app.is_running and app.session.modified

    asyncio.run(run())


def test_scoring_screen_corrects_an_appraisal_value(full_workspace):
    from cchc_consult.tui.screens.scoring import AppraisalDialog, ScoringScreen

    sheet = full_workspace / "scores" / "appraisal" / "VHTT.yaml"
    before = sheet.read_text(encoding="utf-8")

    async def run():
        app = make_app(full_workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            await pilot.press("4")
            await ready(app, pilot)
            screen = app.screen
            assert isinstance(screen, ScoringScreen)
            first = screen.report.offices[0]
            assert first.office == "VHTT" and first.appraised_points["II.2.4"] == 3
            await pilot.press("enter", "l", "e")  # VHTT's adjusted criteria; correct the one under the cursor
            assert isinstance(app.screen, AppraisalDialog)
            await pilot.press("ctrl+u", "2", "enter", "ctrl+u", *"Có 02 hồ sơ trễ hạn", "enter")
            await ready(app, pilot)
            vhtt = next(s for s in screen.report.offices if s.office == "VHTT")
            assert vhtt.appraised_points["II.2.4"] == 2
            assert vhtt.appraised.total == first.appraised.total - 1

    asyncio.run(run())
    changed = changed_lines(before, sheet.read_text(encoding="utf-8"))
    assert len(changed) == 2 and changed[0].startswith('-  - {id: "II.2.4"')
    assert changed[1] == '+  - {id: "II.2.4", points: "2", reason: "Có 02 hồ sơ trễ hạn"}'


def test_the_ledger_marks_the_offices_that_wait_for_phong_noi_vu(full_workspace, monkeypatch):
    """Unread files, files to check and blank forms: marked ⚠, in their own colours, with the ledger's note."""
    from cchc_consult.consult import ledger as ledger_states
    from cchc_consult.consult.consultation import Consultation
    from cchc_consult.offices import Office
    from cchc_consult.tui.screens.comments import CommentsScreen

    cases = [(ledger_states.UNREADABLE, "tệp TP.pdf không đọc được"), (ledger_states.CHECK, "tệp YT.docx ghi của TC"),
             (ledger_states.BLANK, "tệp VH.docx là phiếu chưa điền"), (ledger_states.SILENT, "")]
    entries = [ledger_states.LedgerEntry(Office(code, f"Phòng {code}", code), status, None, notes=[note] if note else [])
               for code, (status, note) in zip(["TP", "YT", "VH", "GD"], cases)]
    monkeypatch.setattr(Consultation, "ledger", lambda self, as_of=None: entries)

    async def run():
        app = make_app(full_workspace)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await pilot.press("2")
            await ready(app, pilot)
            assert isinstance(app.screen, CommentsScreen)
            await pilot.press("l")
            table = app.screen.query_one("#ledger")
            rows = [table.get_row_at(i) for i in range(table.row_count)]
            statuses = [row[1] for row in rows]
            assert [str(s) for s in statuses] == ["⚠ Đã gửi, chưa đọc được", "⚠ Đã gửi, cần kiểm tra",
                                                   "⚠ Phiếu chưa điền", "Đồng ý do không có ý kiến"]
            styles = [str(s.style) for s in statuses]
            assert len(set(styles[:3])) == 3 and all(styles[:3])  # each its own colour
            assert [str(row[4]) for row in rows][:3] == [note for _, note in cases[:3]]

    asyncio.run(run())
