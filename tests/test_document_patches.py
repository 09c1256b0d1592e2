"""A save changes only the edited lines: every edit operation as a line patch on a hand-laid file.

The file mixes comments, single/double/plain quoting and a criterion whose band
list is not indented the project's way; each edit must leave every other line
byte for byte, without falling back to the whole-file round trip.
"""

import difflib
import random
from decimal import Decimal

import pytest

from cchc_consult.document import RubricDocument, _build_index
from cchc_consult.schema import load_rubric_file
from cchc_consult.yamlio import parse_yaml
from tests.conftest import V1

HAND_LAID = """\
# Bộ tiêu chí thử — ghi chú đầu tệp
format: cchc-rubric/1
meta:
  issuer: UBND huyện Quảng Điền
  year: 2023
  title: BỘ TIÊU CHÍ THỬ
  version: "v9"
  status: draft
total:
  label: CỘNG ĐIỂM
  declared: "6"
sections:
  # mục I: chỉ đạo điều hành
  - id: "I"
    tt: 'I'
    title: CÔNG TÁC CHỈ ĐẠO   # tên mục
    max: "3"
    children:
      - id: 'I.1'
        tt: "1"
        title: 'Ban hành kế hoạch CCHC'
        max: "2"   # điểm chuẩn
        owner: VP
        bands:
          - text: "Ban hành đúng hạn"   # mức cao
            points: "2"
          - text: Ban hành chậm
            points: '1'
      # tiêu chí 2 viết thụt lề khác
      - id: I.2
        tt: "2"
        title: Tuyên truyền CCHC
        max: "1"
        bands:
        - text: Có tuyên truyền
          points: "1"
        - text: Không tuyên truyền
          points: "0"
  - id: "II"
    tt: "II"
    title: "KẾT QUẢ THỰC HIỆN"
    max: "3"
    children:
      - id: "II.1"
        tt: "1"
        title: Giải quyết TTHC đúng hạn
        max: "3"
        evidence:
          - Báo cáo số liệu # nguồn
        bands:
          - text: Thực hiện trên 80% kế hoạch
            points: "3"
            when: {measure: percent, range: "(80, 100]"}
          - text: Thực hiện từ 80% kế hoạch trở xuống
            points: "0"
"""
COMMENTS = [line for line in HAND_LAID.splitlines() if "#" in line]


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "v9.yaml"
    path.write_text(HAND_LAID, encoding="utf-8")
    return path


def diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines), exactly as written."""
    old, new = before.splitlines(), after.splitlines()
    removed, added = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def edit_and_save(path, operation):
    doc = RubricDocument.open(path)
    operation(doc)
    assert doc.fallbacks == 0, "the edit went through the whole-file round trip"
    doc.save()
    after = path.read_text(encoding="utf-8")
    model = load_rubric_file(path)
    doc.undo()
    assert doc.text == HAND_LAID  # undo puts back the very lines
    doc.save()
    assert path.read_text(encoding="utf-8") == HAND_LAID
    return after, model


def test_title(draft):
    after, model = edit_and_save(draft, lambda d: d.set_fields("I.1", {"title": "Ban hành kế hoạch CCHC năm 2024"}))
    assert diff(HAND_LAID, after) == (["        title: 'Ban hành kế hoạch CCHC'"],
                                      ["        title: 'Ban hành kế hoạch CCHC năm 2024'"])  # its quoting kept
    assert model.index()["I.1"].title == "Ban hành kế hoạch CCHC năm 2024"


def test_max_points_keeps_its_comment(draft):
    after, model = edit_and_save(draft, lambda d: d.set_fields("I.1", {"max": "2,5"}))
    removed, added = diff(HAND_LAID, after)
    assert removed == ['        max: "2"   # điểm chuẩn']
    assert len(added) == 1 and added[0].startswith('        max: "2,5"') and added[0].endswith("# điểm chuẩn")


def test_section_title_leaves_its_children_alone(draft):
    after, model = edit_and_save(draft, lambda d: d.set_fields("I", {"title": "CHỈ ĐẠO, ĐIỀU HÀNH"}))
    removed, added = diff(HAND_LAID, after)
    assert removed == ["    title: CÔNG TÁC CHỈ ĐẠO   # tên mục"]
    assert len(added) == 1 and "CHỈ ĐẠO, ĐIỀU HÀNH" in added[0] and added[0].endswith("# tên mục")


def test_band_text_and_points_in_a_list_laid_out_another_way(draft):
    after, model = edit_and_save(draft, lambda d: d.set_band("I.2", 1, text="Chưa tuyên truyền", points="0,5"))
    assert diff(HAND_LAID, after) == (['        - text: Không tuyên truyền', '          points: "0"'],
                                      ['        - text: Chưa tuyên truyền', '          points: "0,5"'])


def test_add_and_remove_band(draft):
    after, model = edit_and_save(draft, lambda d: d.add_band("II.1", "Không thực hiện", "0"))
    removed, added = diff(HAND_LAID, after)
    assert removed == [] and added[0] == "          - text: Không thực hiện" and len(added) == 2
    after, model = edit_and_save(draft, lambda d: d.remove_band("I.1", 1))
    assert diff(HAND_LAID, after) == (["          - text: Ban hành chậm", "            points: '1'"], [])


def test_add_criterion(draft):
    after, model = edit_and_save(draft, lambda d: d.add_child("I", "Kiểm tra công tác CCHC", "1"))
    removed, added = diff(HAND_LAID, after)
    assert removed == [] and added[:2] == ['      - id: "I.3"', '        tt: "3"']
    assert [c.id for c in model.index()["I"].children] == ["I.1", "I.2", "I.3"]


def test_add_first_criterion_under_a_leaf(draft):
    after, model = edit_and_save(draft, lambda d: d.add_child("II.1", "Số hồ sơ đúng hạn", "1"))
    removed, added = diff(HAND_LAID, after)
    assert removed == [] and added[0].strip() == "children:"
    assert [c.id for c in model.index()["II.1"].children] == ["II.1.1"]


def test_remove_criterion(draft):
    after, model = edit_and_save(draft, lambda d: d.remove_node("I.2"))
    removed, added = diff(HAND_LAID, after)
    # its block goes with the comment just above it
    assert added == [] and removed[:2] == ["      # tiêu chí 2 viết thụt lề khác", "      - id: I.2"]
    assert len(removed) == 10


def test_remove_the_only_criterion_of_a_section(draft):
    after, model = edit_and_save(draft, lambda d: d.remove_node("II.1"))
    removed, added = diff(HAND_LAID, after)
    assert removed[0] == "    children:" and added == ["    children: []"]
    assert model.index()["II"].children == []


def test_owner_set_and_clear(draft):
    after, model = edit_and_save(draft, lambda d: d.set_fields("II.1", {"owner": "TP"}))
    assert diff(HAND_LAID, after) == ([], ["        owner: TP"])
    after, model = edit_and_save(draft, lambda d: d.set_fields("I.1", {"owner": ""}))
    assert diff(HAND_LAID, after) == (["        owner: VP"], [])


def test_move_criterion_and_section(draft):
    after, model = edit_and_save(draft, lambda d: d.move_node("I.2", -1))
    assert sorted(after.splitlines()) == sorted(HAND_LAID.splitlines())  # the same lines, reordered
    assert after.index("# tiêu chí 2 viết thụt lề khác") < after.index("- id: I.2") < after.index("- id: 'I.1'")
    assert [c.id for c in model.index()["I"].children] == ["I.2", "I.1"]
    after, model = edit_and_save(draft, lambda d: d.move_node("I", +1))
    assert sorted(after.splitlines()) == sorted(HAND_LAID.splitlines())
    assert [s.id for s in model.sections] == ["II", "I"]


def test_every_comment_survives_a_run_of_edits(draft):
    doc = RubricDocument.open(draft)
    doc.set_fields("I.1", {"title": "Kế hoạch", "max": "1,5"})
    doc.set_band("I.2", 0, points="0,5")
    doc.add_band("II.1", "Không thực hiện", "0")
    doc.add_child("I", "Mới", "1")
    doc.move_node("II", -1)
    doc.remove_node("I.1")
    assert doc.fallbacks == 0
    doc.save()
    text = draft.read_text(encoding="utf-8")
    # only the comments of I.1, removed last, are gone
    assert [c for c in COMMENTS if c not in text] == ['        max: "2"   # điểm chuẩn',
                                                      '          - text: "Ban hành đúng hạn"   # mức cao']
    model = load_rubric_file(draft)
    assert model.index()["I.2"].bands[0].points == Decimal("0.5")
    assert [s.id for s in model.sections] == ["II", "I"]
    while doc.undo():
        pass
    assert doc.text == HAND_LAID


def test_a_node_that_cannot_be_patched_goes_through_the_round_trip(tmp_path):
    path = tmp_path / "v9.yaml"
    # a comment less indented than the criterion's keys, inside it: its lines cannot be cut out alone
    path.write_text(HAND_LAID.replace("        bands:\n          - text: Thực hiện trên",
                                      "# ghi chú lạc chỗ\n        bands:\n          - text: Thực hiện trên"),
                    encoding="utf-8")
    doc = RubricDocument.open(path)
    doc.set_fields("II.1", {"title": "Giải quyết đúng hạn"})
    assert doc.fallbacks == 1
    doc.save()
    assert load_rubric_file(path).index()["II.1"].title == "Giải quyết đúng hạn"
    assert "# ghi chú lạc chỗ" in path.read_text(encoding="utf-8")
    doc.set_fields("I.1", {"title": "Kế hoạch"})  # the other nodes still patch
    assert doc.fallbacks == 1


def test_a_flow_style_criterion_is_patched_in_its_own_style(tmp_path):
    path = tmp_path / "v9.yaml"
    flow = '      - {id: "II.1", tt: "1", title: Giải quyết TTHC đúng hạn, max: "3"}\n'
    path.write_text(HAND_LAID[:HAND_LAID.index('      - id: "II.1"')] + flow, encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    doc = RubricDocument.open(path)
    doc.set_fields("II.1", {"title": "Giải quyết đúng hạn"})
    doc.save()
    assert doc.fallbacks == 0
    assert diff(before, path.read_text(encoding="utf-8")) == (
        [flow.rstrip("\n")], ['      - {id: "II.1", tt: "1", title: Giải quyết đúng hạn, max: "3"}'])


def test_the_line_index_stays_exact_through_a_run_of_edits_undos_and_redos(tmp_path):
    """After every patch the index of node lines is what a fresh read of the text gives."""
    path = tmp_path / "v9.yaml"
    path.write_text(V1.read_text(encoding="utf-8").replace("status: circulated", "status: draft"), encoding="utf-8")
    doc = RubricDocument.open(path)
    rng = random.Random(17)

    def exact() -> bool:
        return doc.index == _build_index(parse_yaml(doc.text), doc.text.splitlines(keepends=True))

    for step in range(60):
        ids = [i for i in doc.index if i]
        node_id = rng.choice(ids)
        leaf = not doc.index[node_id].children
        kind = rng.choice(["title", "max", "owner", "band", "add_band", "move", "add", "remove", "undo", "redo"])
        if kind == "title":
            doc.set_fields(node_id, {"title": f"Tên {step}"})
        elif kind == "max":
            doc.set_fields(node_id, {"max": str(step + 1)})
        elif kind == "owner":
            doc.set_fields(node_id, {"owner": rng.choice(["VP", ""])})
        elif kind == "band" and doc.read_node(node_id).bands:
            doc.set_band(node_id, 0, text=f"Mức {step}", points="1")
        elif kind == "add_band" and leaf:
            doc.add_band(node_id, f"Mức thêm {step}", "0")
        elif kind == "move":
            doc.move_node(node_id, rng.choice([-1, 1]))
        elif kind == "add":
            doc.add_child(node_id, f"Mục thêm {step}", "1")
        elif kind == "remove" and len(ids) > 20 and doc.index[node_id].parent:
            doc.remove_node(node_id)
        elif kind == "undo":
            doc.undo()
        elif kind == "redo":
            doc.redo()
        assert exact(), f"step {step}: {kind} {node_id}"
    assert doc.fallbacks == 0
    while doc.undo():
        assert exact()
    assert doc.text == path.read_text(encoding="utf-8")


def test_windows_line_ends_are_read_as_lines_and_patched(tmp_path):
    path = tmp_path / "v9.yaml"
    path.write_bytes(HAND_LAID.replace("\n", "\r\n").encode("utf-8"))
    doc = RubricDocument.open(path)
    doc.set_fields("I.1", {"title": "Kế hoạch"})
    doc.move_node("I.2", -1)
    assert doc.fallbacks == 0
    doc.save()
    model = load_rubric_file(path)
    assert model.index()["I.1"].title == "Kế hoạch" and [c.id for c in model.index()["I"].children] == ["I.2", "I.1"]
    assert b"\r" not in path.read_bytes()  # one kind of line end, never a mix
