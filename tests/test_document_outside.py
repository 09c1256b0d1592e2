"""The file changed elsewhere while she edits: noticed, and her edits re-applied to the new file (no Textual)."""

from decimal import Decimal

import pytest

from cchc_consult.document import RubricDocument, reload_and_reapply
from cchc_consult.errors import ConcurrentEditError
from cchc_consult.schema import load_rubric_file
from cchc_consult.tui.session import EditSession
from cchc_consult.workspace import Workspace
from tests.conftest import V1


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "rubric" / "drafts" / "v9.yaml"
    path.parent.mkdir(parents=True)
    text = V1.read_text(encoding="utf-8")
    path.write_text(text.replace("status: circulated", "status: draft").replace("status: final", "status: draft"),
                    encoding="utf-8")
    return path


def change_elsewhere(path, operation):
    """Another window opens the file, edits it and saves."""
    other = RubricDocument.open(path)
    operation(other)
    other.save()


def test_an_outside_change_is_noticed_and_her_edits_apply_to_the_new_file(draft):
    doc = RubricDocument.open(draft)
    assert not doc.disk_changed()
    doc.set_fields("II.6", {"title": "Cải cách thủ tục hành chính (sửa)"})
    doc.set_band("II.6.3", 0, points="1,5")
    doc.add_child("I", "Tiêu chí mới của chị", "1")
    change_elsewhere(draft, lambda other: other.set_fields("II.6.1", {"owner": "TP"}))
    assert doc.disk_changed()
    with pytest.raises(ConcurrentEditError):
        doc.save()

    fresh, failed = reload_and_reapply(doc)
    assert failed == []
    assert len(fresh.undo_stack) == 3 and fresh.modified
    fresh.save()
    rubric = load_rubric_file(draft).index()
    assert rubric["II.6"].title == "Cải cách thủ tục hành chính (sửa)"
    assert rubric["II.6.3"].bands[0].points == Decimal("1.5")
    assert rubric["II.6.1"].owner == "TP"  # theirs, kept
    assert rubric["I"].children[-1].title == "Tiêu chí mới của chị"


def test_edits_that_no_longer_apply_are_listed_with_why(draft):
    doc = RubricDocument.open(draft)
    doc.set_fields("II.6", {"title": "Tên của chị"})
    doc.set_fields("II.6.1", {"max": "7"})
    doc.remove_band("II.6.3", 0)
    doc.set_fields("I.1", {"owner": "VP"})

    def theirs(other):
        other.set_fields("II.6", {"title": "Tên của người khác"})  # the same field: a conflict
        other.remove_node("II.6.1")  # the criterion she edited is gone
        other.set_fields("I.1", {"title": "Một trường khác của I.1"})  # another field: no conflict
    change_elsewhere(draft, theirs)

    fresh, failed = reload_and_reapply(doc)
    reasons = {op["label"]: why for op, why in failed}
    assert set(reasons) == {"sửa tên của II.6", "sửa điểm chuẩn của II.6.1"}
    assert "đã được sửa ở nơi khác" in reasons["sửa tên của II.6"]
    assert "Tên của người khác" in reasons["sửa tên của II.6"]
    assert "II.6.1" in reasons["sửa điểm chuẩn của II.6.1"]
    node = fresh.read_node("I.1")
    assert node.owner == "VP" and node.title == "Một trường khác của I.1"
    assert fresh.read_node("II.6").title == "Tên của người khác"
    assert fresh.undo() is not None  # the re-applied edits are ordinary edits


def test_a_field_edit_records_only_what_changed(draft):
    doc = RubricDocument.open(draft)
    node = doc.read_node("II.6.1")
    # the edit dialog sends every field; the journal keeps the one she changed
    doc.set_fields("II.6.1", {"title": node.title, "max": str(node.max), "owner": "NV", "evidence": node.evidence})
    change_elsewhere(draft, lambda other: other.set_fields("II.6.1", {"title": "Tên mới ở nơi khác"}))
    fresh, failed = reload_and_reapply(doc)
    assert failed == []
    assert fresh.read_node("II.6.1").title == "Tên mới ở nơi khác" and fresh.read_node("II.6.1").owner == "NV"


def test_the_session_reloads_reapplies_and_shows_the_diff(draft):
    session = EditSession.load(Workspace(draft.parent.parent.parent), draft)
    session.open_document()
    try:
        assert session.outside_change() == ""
        session.set_fields("II.6", {"title": "Tên của chị"})
        change_elsewhere(draft, lambda other: other.set_fields("II.6.1", {"max": "7"}))
        state = session.outside_change()
        assert state
        diff = session.outside_diff()
        assert [(c.kind, c.node_id) for c in diff.changes] == [("max-changed", "II.6.1")]
        session.keep_mine(state)
        assert session.outside_change() == ""  # not asked again about the same change
        generation = session.generation
        assert session.reload_and_reapply() == []
        assert session.generation > generation and session.modified
        assert session.rubric.index()["II.6"].title == "Tên của chị"
        assert session.rubric.index()["II.6.1"].max == Decimal(7)
        session.save()
        assert session.outside_change() == "" and not session.modified
    finally:
        session.close()
