"""The TUI's editing session without a screen: scoped re-reads, undo/redo, frozen versions."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from cchc_consult.errors import ConcurrentEditError, FrozenVersionError, NotReadyError
from cchc_consult.schema import rubric_from_data
from cchc_consult.tui.session import EditSession, read_round
from cchc_consult.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "tui"


@pytest.fixture
def session(tmp_path) -> EditSession:
    drafts = tmp_path / "rubric" / "drafts"
    drafts.mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.yaml", drafts / "v1.yaml")
    s = EditSession.load(Workspace(tmp_path), drafts / "v1.yaml")
    s.open_document()
    return s


def full_read(session: EditSession):
    return rubric_from_data(session.doc.tree, str(session.path))


def test_scoped_rebuild_matches_a_full_read_after_each_kind_of_edit(session):
    edits = [
        lambda: session.set_fields("I.1.1", {"title": "Ban hành kế hoạch", "max": "3", "evidence": ["A", "B"]}),
        lambda: session.set_band("I.1.3", 1, "Thực hiện từ 60% đến 80% kế hoạch", "1,5"),
        lambda: session.add_band("I.1.2", "Không thực hiện", "0"),
        lambda: session.remove_band("I.1.2", 0),
        lambda: session.move_band("I.1.3", 0, 1),
        lambda: session.add_child("I.1", "Công khai kế hoạch", "1"),
        lambda: session.move_node("I.1.2", 1),
        lambda: session.remove_node("I.2"),
    ]
    for edit in edits:
        result = edit()
        scope = result.scope if hasattr(result, "scope") else session.undo_stack[-1].scope
        session.rebuild(scope)
        assert session.rubric == full_read(session)
    while session.undo_stack:
        session.rebuild(session.undo().scope)
        assert session.rubric == full_read(session)
    assert session.doc.dumps() == session.doc.original_text
    assert not session.modified


def test_reworded_band_gets_the_condition_its_words_carry(session):
    session.set_band("I.1.3", 2, "Thực hiện từ 40% đến dưới 70% kế hoạch", "0")
    band = session.rebuild("I.1.3").index()["I.1.3"].bands[2]
    assert band.condition is not None
    assert (band.condition.measure, band.condition.low, band.condition.high) == ("percent", 40, 70)


def test_undo_after_save_marks_the_session_modified_again(session):
    session.set_fields("I.1.1", {"title": "Tên mới"})
    session.save()
    assert not session.modified
    session.undo()
    assert session.modified


def test_frozen_version_refuses_edits(session):
    session.rubric.meta.status = "circulated"
    with pytest.raises(FrozenVersionError):
        session.set_fields("I.1.1", {"title": "x"})


def test_deadline_comes_from_the_round_file_only(tmp_path):
    ws = Workspace(tmp_path)
    assert read_round(ws) is None  # no round.yaml: no deadline, not a built-in one
    (tmp_path / "round.yaml").write_text('deadline: "2023-08-25"\n', encoding="utf-8")
    round_ = read_round(ws)
    assert round_.deadline == date(2023, 8, 25)
    assert round_.countdown_text(date(2023, 8, 15)) == "còn 10 ngày đến hạn góp ý 25/8/2023"
    assert round_.countdown_text(date(2023, 8, 26)) == "đã quá hạn góp ý 25/8/2023"


def test_on_the_deadline_day_the_status_says_what_the_ledger_says(tmp_path):
    """"Trước ngày 25/8": a reply of 25/8 is late, so on 25/8 the deadline has passed."""
    ws = Workspace(tmp_path)
    (tmp_path / "round.yaml").write_text('deadline: "2023-08-25"\n', encoding="utf-8")
    before = read_round(ws)
    assert before.is_late(date(2023, 8, 25))
    assert before.countdown_text(date(2023, 8, 25)) == "đã quá hạn góp ý 25/8/2023"
    assert before.countdown_text(date(2023, 8, 24)) == "còn 1 ngày đến hạn góp ý 25/8/2023"
    (tmp_path / "round.yaml").write_text('deadline: "2023-08-25"\ndeadline_rule: on_or_before\n', encoding="utf-8")
    inclusive = read_round(ws)
    assert not inclusive.is_late(date(2023, 8, 25))
    assert inclusive.countdown_text(date(2023, 8, 25)) == "hôm nay là hạn góp ý 25/8/2023"


@pytest.mark.parametrize("module", ["cchc_consult.tui.session",
                                    "cchc_consult.commands.tui"])
def test_editing_rules_load_without_textual(module):
    import subprocess
    import sys

    code = (f"import sys, {module}\n"
            "sys.exit(3 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_save_refuses_to_overwrite_a_file_changed_elsewhere(session):
    session.set_fields("I.1.1", {"title": "Tên mới"})
    outside = session.path.read_text(encoding="utf-8").replace("Kế hoạch CCHC hằng năm", "Kế hoạch năm", 1)
    session.path.write_text(outside, encoding="utf-8")
    with pytest.raises(ConcurrentEditError) as err:  # the document's own error, with the TUI's way out
        session.save()
    assert "Tải lại và áp dụng lại các sửa đổi của tôi" in err.value.fix  # the way out that keeps her edits
    assert session.path.read_text(encoding="utf-8") == outside


def test_edits_wait_for_the_document(tmp_path):
    drafts = tmp_path / "rubric" / "drafts"
    drafts.mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.yaml", drafts / "v1.yaml")
    s = EditSession.load(Workspace(tmp_path), drafts / "v1.yaml")
    with pytest.raises(NotReadyError):
        s.set_fields("I.1.1", {"title": "x"})
    assert not s.modified and s.undo_stack == []


def test_generation_counts_changes_only(session):
    start = session.generation
    assert session.move_node("I", -1) is None
    assert session.generation == start
    session.set_fields("I.1.1", {"title": "Tên mới"})
    session.undo()
    session.redo()
    assert session.generation == start + 3
