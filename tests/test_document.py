"""The editable rubric without a screen: round-trip edits, undo/redo, line-exact and guarded saves."""

import difflib
from pathlib import Path
from decimal import Decimal

import pytest

from cchc_consult.document import RubricDocument
from cchc_consult.errors import (
    ConcurrentEditError, FrozenVersionError, NotFoundError, PointsError, ValidationError,
)
from cchc_consult.schema import load_rubric_file
from tests.conftest import V1


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "v9.yaml"
    text = V1.read_text(encoding="utf-8")
    text = text.replace("status: circulated", "status: draft").replace("status: final", "status: draft")
    path.write_text("# ghi chú của Phòng Nội vụ ở đầu tệp\n" + text, encoding="utf-8")
    return path


def changed_lines(before: str, after: str) -> list[str]:
    """The removed and added lines, without the +/- marks (no junk heuristic: many lines repeat)."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    old, new = before.splitlines(), after.splitlines()
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            out += [l.strip() for l in old[i1:i2]] + [l.strip() for l in new[j1:j2]]
    return out


def test_fast_and_round_trip_paths_build_the_same_rubric(draft):
    assert load_rubric_file(draft) == RubricDocument.open(draft).rubric


def test_editing_one_value_changes_only_that_line(draft):
    before = draft.read_text(encoding="utf-8")
    doc = RubricDocument.open(draft)
    doc.set_fields("II.6", {"max": "23"})
    doc.save()
    after = draft.read_text(encoding="utf-8")
    diff = changed_lines(before, after)
    assert diff == ['max: "25"', 'max: "23"']
    assert after.startswith("# ghi chú của Phòng Nội vụ")  # comments survive
    assert load_rubric_file(draft).index()["II.6"].max == Decimal(23)


def test_band_edits_keep_the_rest_of_the_file(draft):
    before = draft.read_text(encoding="utf-8")
    doc = RubricDocument.open(draft)
    doc.set_band("II.3.1", 2, text="Chậm từ 15 ngày trở lên so với yêu cầu của UBND huyện")  # its words: [15, ∞)
    doc.save()
    diff = changed_lines(before, draft.read_text(encoding="utf-8"))
    assert len(diff) == 4  # text and condition lines, old and new
    assert load_rubric_file(draft).index()["II.3.1"].bands[2].condition.low_closed


def test_structural_edits(draft):
    doc = RubricDocument.open(draft)
    doc.add_band("II.6.3", "Thực hiện đầy đủ, kịp thời và có số liệu thống nhất", "2", index=0)
    doc.move_band("II.6.3", 0, +1)
    doc.remove_band("II.6.3", 1)
    doc.move_node("II.6.3", +1)
    doc.remove_node("II.6.7.2")
    doc.save()
    rubric = load_rubric_file(draft)
    assert "II.6.7.2" not in rubric.index()
    assert [c.id for c in rubric.index()["II.6"].children][2:4] == ["II.6.4", "II.6.3"]


def test_a_frozen_version_refuses_to_save(draft):
    draft.write_text(draft.read_text(encoding="utf-8").replace("status: draft", "status: circulated"),
                     encoding="utf-8")
    doc = RubricDocument.open(draft)
    doc.set_fields("I", {"title": "X"})
    with pytest.raises(FrozenVersionError) as err:
        doc.save()
    assert "cchc draft new" in str(err.value)


def test_each_edit_undoes_and_redoes_to_the_same_text(draft):
    doc = RubricDocument.open(draft)
    edits = [
        lambda: doc.set_fields("I.1.1", {"title": "Ban hành kế hoạch", "max": "3", "evidence": ["A", "B"]}),
        lambda: doc.set_band("II.3.1", 1, "Chậm dưới 15 ngày", "1,5"),
        lambda: doc.add_band("II.6.3", "Không thực hiện", "0"),
        lambda: doc.remove_band("II.6.3", 0),
        lambda: doc.move_band("II.3.1", 0, +1),
        lambda: doc.add_child("II.6", "Công khai kế hoạch", "1"),
        lambda: doc.move_node("II.6.3", +1),
        lambda: doc.remove_node("II.6.7.2"),
    ]
    texts = [doc.dumps()]
    for edit in edits:
        edit()
        assert doc.dumps() != texts[-1]
        texts.append(doc.dumps())
    assert doc.modified and len(doc.undo_stack) == len(edits)
    for expected in reversed(texts[:-1]):
        doc.undo()
        assert doc.dumps() == expected
    assert doc.undo() is None and not doc.modified and doc.dumps() == doc.original_text
    for expected in texts[1:]:
        doc.redo()
        assert doc.dumps() == expected
    assert doc.redo() is None


def test_a_new_edit_drops_the_redo_history(draft):
    doc = RubricDocument.open(draft)
    doc.set_fields("I.1.1", {"title": "Một"})
    doc.undo()
    doc.set_fields("I.1.1", {"title": "Hai"})
    assert doc.redo() is None
    assert doc.rubric.index()["I.1.1"].title == "Hai"


def test_unchanged_values_make_no_edit(draft):
    doc = RubricDocument.open(draft)
    node = doc.rubric.index()["II.6"]
    assert doc.set_fields("II.6", {"title": node.title, "max": "25,0"}) is None
    assert doc.move_node("I", -1) is None and doc.move_band("II.3.1", 0, -1) == 0
    assert not doc.undo_stack and not doc.modified


def test_save_writes_only_the_edited_lines_and_undo_to_the_saved_state_is_clean(draft):
    before = draft.read_text(encoding="utf-8")
    doc = RubricDocument.open(draft)
    doc.set_fields("II.6", {"max": "23"})
    doc.set_fields("II.6", {"max": "24"})
    doc.undo()
    doc.save()
    assert changed_lines(before, draft.read_text(encoding="utf-8")) == ['max: "25"', 'max: "23"']
    assert not doc.modified
    doc.undo()
    assert doc.modified and doc.dumps() == before


def test_next_child_id_numbers_after_the_last_child(draft):
    doc = RubricDocument.open(draft)
    assert doc.next_child_id("II.6") == ("II.6.8", "6.8")
    assert doc.next_child_id("I")[0] == f"I.{len(doc.rubric.index()['I'].children) + 1}"
    edit = doc.add_child("II.6", "Mục mới", "1")
    assert (edit.node_id, edit.scope) == ("II.6.8", "II.6")
    assert doc.rubric.index()["II.6.8"].tt == "6.8"


def test_bad_input_is_refused_before_anything_changes(draft):
    doc = RubricDocument.open(draft)
    with pytest.raises(PointsError):
        doc.set_fields("I.1.1", {"title": "Tên mới", "max": "1.5.2"})
    with pytest.raises(NotFoundError):
        doc.set_fields("IX.9", {"title": "x"})
    with pytest.raises(ValidationError):
        doc.add_child("II", "Trùng mã", "1", node_id="II.6")
    assert not doc.undo_stack and doc.dumps() == doc.original_text


def test_a_file_changed_on_disk_is_not_overwritten(draft):
    doc = RubricDocument.open(draft)
    doc.set_fields("I.1.1", {"title": "Tên mới"})
    outside = draft.read_text(encoding="utf-8").replace("status: draft", "status: draft  # sửa ngoài", 1)
    draft.write_text(outside, encoding="utf-8")
    with pytest.raises(ConcurrentEditError) as err:
        doc.save()
    assert err.value.path == str(draft) and err.value.fix
    assert draft.read_text(encoding="utf-8") == outside


def test_edit_operations_replay_onto_a_fresh_copy_and_report_what_no_longer_applies(tmp_path):
    import shutil as _shutil

    from cchc_consult.document import RubricDocument as _Doc

    path = tmp_path / "v1.yaml"
    _shutil.copy(Path(__file__).parent / "fixtures" / "tui" / "v1.yaml", path)
    doc = _Doc.open(path)
    doc.set_fields("I.1.1", {"title": "Tên mới", "max": "1,5"})
    doc.add_child("I", "Tiêu chí mới", "1")
    doc.remove_band("I.1.1", 0)
    operations = doc.operations()
    assert [op["op"] for op in operations] == ["set_fields", "add_child", "remove_band"]
    fresh = _Doc.open(path)
    assert fresh.replay(operations) == [] and fresh.dumps() == doc.dumps() and fresh.modified
    moved = _Doc.open(path)
    moved.remove_node("I.1.1")
    failed = moved.replay(operations)
    assert [op["op"] for op, _ in failed] == ["set_fields", "remove_band"]


def test_the_journal_falls_back_to_a_snapshot_when_undo_passes_the_save(tmp_path):
    import shutil as _shutil

    from cchc_consult.document import RecoveryJournal, RubricDocument as _Doc, recover

    path = tmp_path / "v1.yaml"
    _shutil.copy(Path(__file__).parent / "fixtures" / "tui" / "v1.yaml", path)
    doc = _Doc.open(path)
    doc.set_fields("I.1.1", {"title": "Một"})
    doc.save()
    doc.undo()
    doc.set_fields("I.1.1", {"evidence": ["Báo cáo mới"]})
    assert doc.operations() is None
    RecoveryJournal(tmp_path / "j", path, pid=2 ** 22 + 12345).record(doc)
    entry = RecoveryJournal(tmp_path / "j", path).left_behind()[0]
    assert entry.snapshot is not None and entry.labels() == ["toàn bộ nội dung chưa lưu (bản chụp)"]
    fresh = _Doc.open(path)
    assert recover(fresh, entry) == [] and fresh.dumps() == doc.dumps()
