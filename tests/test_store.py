"""Reading and writing rubric YAML: fast path, round-trip edits, and clear errors."""

import difflib
import shutil
from decimal import Decimal

import pytest

from cchc_consult.errors import FrozenVersionError, ValidationError, YamlSyntaxError
from cchc_consult.model import Band, Condition
from cchc_consult.store import RubricDocument, load_rubric, rubric_from_data, rubric_to_data
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
    assert load_rubric(draft) == RubricDocument.open(draft).rubric


def test_editing_one_value_changes_only_that_line(draft):
    before = draft.read_text(encoding="utf-8")
    doc = RubricDocument.open(draft)
    doc.set_field("II.6", "max", "23")
    doc.save()
    after = draft.read_text(encoding="utf-8")
    diff = changed_lines(before, after)
    assert diff == ['max: "25"', 'max: "23"']
    assert after.startswith("# ghi chú của Phòng Nội vụ")  # comments survive
    assert load_rubric(draft).index()["II.6"].max == Decimal(23)


def test_band_edits_keep_the_rest_of_the_file(draft):
    before = draft.read_text(encoding="utf-8")
    doc = RubricDocument.open(draft)
    doc.set_band("II.3.1", 2, text="Chậm từ 15 ngày trở lên so với yêu cầu của UBND huyện",
                 condition=Condition("days_late", Decimal(15), Decimal("Infinity"), True, False))
    doc.save()
    diff = changed_lines(before, draft.read_text(encoding="utf-8"))
    assert len(diff) == 4  # text and condition lines, old and new
    assert load_rubric(draft).index()["II.3.1"].bands[2].condition.low_closed


def test_structural_edits(draft):
    doc = RubricDocument.open(draft)
    doc.add_band("II.6.3", Band("Thực hiện đầy đủ, kịp thời và có số liệu thống nhất", Decimal(2)), index=0)
    doc.move_band("II.6.3", 0, +1)
    doc.remove_band("II.6.3", 1)
    doc.move_node("II.6.3", +1)
    doc.remove_node("II.6.7.2")
    doc.save()
    rubric = load_rubric(draft)
    assert "II.6.7.2" not in rubric.index()
    assert [c.id for c in rubric.index()["II.6"].children][2:4] == ["II.6.4", "II.6.3"]


def test_a_frozen_version_refuses_to_save(draft):
    draft.write_text(draft.read_text(encoding="utf-8").replace("status: draft", "status: circulated"),
                     encoding="utf-8")
    doc = RubricDocument.open(draft)
    doc.set_field("I", "title", "X")
    with pytest.raises(FrozenVersionError) as err:
        doc.save()
    assert "cchc draft new" in str(err.value)


def test_model_to_data_and_back_is_lossless():
    rubric = load_rubric(V1)
    assert rubric_from_data(rubric_to_data(rubric), rubric.source) == rubric


@pytest.mark.parametrize("text, line, words", [
    ("meta: {}\nsections:\n  - id: I\n    id: I\n", 4, "bị lặp"),
    ("meta: {}\nsections:\n  - id: I\n\ttitle: x\n", 4, "Tab"),
    ("meta: {}\nsections: [\n", 3, "YAML"),
    ("meta: {}\nsections:\n  - id: I\n    title: T\n    max: một\n", 3, "số điểm"),
    ("meta: {}\nsections:\n  - id: I\n    max: 1\n", 3, "thiếu trường 'title'"),
    ("a: &x [1]\nb: *x\n", 1, "tham chiếu"),  # the anchor's line: the alias resolves to it
])
def test_errors_name_the_line_in_vietnamese(tmp_path, text, line, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises((YamlSyntaxError, ValidationError)) as err:
        load_rubric(path)
    assert err.value.line == line
    assert words in str(err.value) and str(path) in str(err.value)


def test_cache_is_used_only_for_identical_bytes(tmp_path):
    path = tmp_path / "v.yaml"
    shutil.copy(V1, path)
    first = load_rubric(path)
    path.write_text(path.read_text(encoding="utf-8").replace('declared: "100"', 'declared: "99"'),
                    encoding="utf-8")
    assert load_rubric(path).declared_total == Decimal(99) != first.declared_total
