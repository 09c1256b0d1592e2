"""statediff: what changed between two states of a workspace's YAML files, with data built in the test."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
import yaml

from cchc_consult.statediff import ADDED, CHANGED, FILES, KINDS, REMOVED, Change, diff_state, diff_workspaces
from tests.conftest import REPO


def _offices() -> dict:
    return {"offices": [
        {"code": "VP", "name": "Văn phòng HĐND và UBND huyện", "short": "Văn phòng"},
        {"code": "TCKH", "name": "Phòng Tài chính - Kế hoạch", "short": "Tài chính - Kế hoạch",
         "aliases": ["Phòng TC-KH", "Phòng TCKH"]},
        {"code": "TP", "name": "Phòng Tư pháp", "short": "Tư pháp"},
    ]}


def _labels(changes: list[Change]) -> list[tuple[str, str]]:
    return [(c.path_label, c.what) for c in changes]


def test_the_same_data_has_no_change():
    assert diff_state(_offices(), _offices(), "offices") == []


def test_offices_are_matched_by_code_so_an_insert_does_not_shift_the_others():
    old = _offices()
    new = copy.deepcopy(old)
    new["offices"].insert(0, {"code": "BQL", "name": "Ban Quản lý dự án", "short": "Ban QLDA"})
    new["offices"][2]["name"] = "Phòng Tài chính và Kế hoạch"
    changes = diff_state(old, new, "offices")
    assert _labels(changes) == [("Cơ quan TCKH: tên", CHANGED), ("Cơ quan BQL", ADDED)]
    assert (changes[0].old, changes[0].new) == ("Phòng Tài chính - Kế hoạch", "Phòng Tài chính và Kế hoạch")
    assert changes[1].text() == 'Cơ quan BQL: thêm (mã: "BQL"; tên: "Ban Quản lý dự án"; tên ngắn: "Ban QLDA")'


def test_a_removed_office_and_an_added_alias():
    old = _offices()
    new = copy.deepcopy(old)
    del new["offices"][2]
    new["offices"][1]["aliases"].insert(1, "Phòng TC - KH")
    changes = diff_state(old, new, "offices")
    assert _labels(changes) == [("Cơ quan TCKH: cách viết khác, mục 2", ADDED), ("Cơ quan TP", REMOVED)]
    assert changes[0].new == "Phòng TC - KH" and changes[1].old["name"] == "Phòng Tư pháp"


def test_a_bare_list_of_offices_is_read_like_the_offices_key():
    old = _offices()["offices"]
    new = copy.deepcopy(old)
    new[0]["short"] = "VP"
    assert _labels(diff_state(old, new, "offices")) == [("Cơ quan VP: tên ngắn", CHANGED)]


def test_offices_with_a_repeated_code_are_compared_in_order():
    old = {"offices": [{"code": "TP", "name": "A"}, {"code": "TP", "name": "B"}]}
    new = {"offices": [{"code": "TP", "name": "A"}, {"code": "TP", "name": "C"}]}
    assert _labels(diff_state(old, new, "offices")) == [("Cơ quan thứ 2: tên", CHANGED)]


def test_round_fields_reviewers_and_owners():
    old = {"format": "cchc-round/1", "deadline": "2023-08-18", "deadline_rule": "before",
           "reviewers": {"TCKH": ["II.5"], "TP": ["II.1"]},
           "owners": {"II.5.2": {"office": "TCKH", "confirmed": False}, "II.6.3": {"office": "VP", "confirmed": False}}}
    new = copy.deepcopy(old)
    new["deadline"] = "2023-08-25"
    new["reviewers"]["TCKH"].append("II.6.6")
    new["owners"]["II.5.2"]["confirmed"] = True
    del new["owners"]["II.6.3"]
    new["decision_due"] = "2023-09-05"
    changes = diff_state(old, new, "round")
    assert _labels(changes) == [
        ("Hạn góp ý", CHANGED),
        ("Tiêu chí cơ quan TCKH rà soát, mục 2", ADDED),
        ("Cơ quan sở hữu tiêu chí II.5.2: đã xác nhận", CHANGED),
        ("Cơ quan sở hữu tiêu chí II.6.3", REMOVED),
        ("Hạn ban hành quyết định", ADDED),
    ]
    assert changes[0].text() == 'Hạn góp ý: "2023-08-18" → "2023-08-25"'
    assert changes[2].text() == "Cơ quan sở hữu tiêu chí II.5.2: đã xác nhận: không → có"


def test_dispositions_are_keyed_by_comment_id():
    old = {"dispositions": {"TCKH-1": {"criterion": "II.5.1.1", "status": "tiếp thu", "reason": ""},
                            "TP-1": {"criterion": "II.1.1.2", "status": "không tiếp thu", "reason": "Đã có ghi chú chung"}},
           "initiatives": [{"criterion": "II.6", "reason": "Sửa tổng điểm"}]}
    new = copy.deepcopy(old)
    new["dispositions"]["TCKH-1"]["status"] = "tiếp thu một phần"
    new["dispositions"]["TCKH-1"]["reason"] = "Giữ điểm chuẩn"
    new["dispositions"] = {"VP-1": {"criterion": "*", "status": "tiếp thu", "reason": ""}, **new["dispositions"]}
    new["initiatives"].insert(0, {"criterion": "I.4.1", "reason": "Sửa lỗi đánh máy"})
    changes = diff_state(old, new, "dispositions")
    assert _labels(changes) == [
        ("Ý kiến TCKH-1: trạng thái", CHANGED),
        ("Ý kiến TCKH-1: lý do", CHANGED),
        ("Ý kiến VP-1", ADDED),
        ("Sửa đổi tự đề xuất ở tiêu chí I.4.1", ADDED),
    ]
    assert changes[0].text() == 'Ý kiến TCKH-1: trạng thái: "tiếp thu" → "tiếp thu một phần"'
    assert changes[1].text() == 'Ý kiến TCKH-1: lý do: (trống) → "Giữ điểm chuẩn"'


def test_decision_lists_of_text_are_aligned_so_an_inserted_legal_basis_is_one_addition():
    old = {"issuer": {"parent": "ỦY BAN NHÂN DÂN", "name": "HUYỆN QUẢNG ĐIỀN"},
           "legal_bases": ["Căn cứ Luật Tổ chức chính quyền địa phương", "Căn cứ Nghị quyết số 76/NQ-CP"],
           "articles": ["Ban hành kèm theo Quyết định này Bộ tiêu chí", "Quyết định này có hiệu lực", "Thi hành"]}
    new = copy.deepcopy(old)
    new["legal_bases"].insert(1, "Căn cứ Quyết định số 1963/QĐ-UBND")
    new["articles"][1] = "Quyết định này có hiệu lực thi hành kể từ ngày ký"
    new["issuer"]["name"] = "HUYỆN PHONG ĐIỀN"
    changes = diff_state(old, new, "decision")
    assert _labels(changes) == [("Cơ quan ban hành: dòng dưới", CHANGED), ("Căn cứ thứ 2", ADDED),
                                ("Điều 2", CHANGED)]
    assert changes[1].new == "Căn cứ Quyết định số 1963/QĐ-UBND"


def test_settings_classes_are_keyed_by_name():
    old = {"not_arising": "exclude", "classes": [{"name": "xuất sắc", "min": 90}, {"name": "tốt", "min": 80},
                                                 {"name": "yếu", "min": 0}]}
    new = copy.deepcopy(old)
    new["not_arising"] = "full"
    new["classes"].insert(2, {"name": "khá", "min": 70})
    new["classes"][1]["min"] = 85
    changes = diff_state(old, new, "settings")
    assert _labels(changes) == [("Cách tính tiêu chí không phát sinh", CHANGED),
                                ("Xếp loại tốt: ngưỡng thấp nhất", CHANGED), ("Xếp loại khá", ADDED)]
    assert (changes[1].old, changes[1].new) == (80, 85)


def test_a_missing_file_shows_every_key_added_and_an_unknown_key_keeps_its_name():
    changes = diff_state(None, {"deadline": "2023-08-18", "ghi_chu": "thêm"}, "round")
    assert _labels(changes) == [("Hạn góp ý", ADDED), ("ghi_chu", ADDED)]
    assert _labels(diff_state({"deadline": "2023-08-18"}, None, "round")) == [("Hạn góp ý", REMOVED)]


def test_the_readers_line_marks_are_not_changes():
    from cchc_consult.yamlio import LINE_KEY

    old = {"deadline": "2023-08-18", LINE_KEY: 3}
    assert diff_state(old, {"deadline": "2023-08-18", LINE_KEY: 9}, "round") == []


def test_every_kind_has_a_file():
    assert set(KINDS) == set(FILES)


def _write_state(root, **files):
    for kind, data in files.items():
        path = root / FILES[kind]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_diff_workspaces_reads_each_kind_and_leaves_out_unchanged_files(tmp_path):
    old, new = tmp_path / "cu", tmp_path / "moi"
    _write_state(old, round={"deadline": "2023-08-18"}, offices=_offices())
    _write_state(new, round={"deadline": "2023-08-25"}, offices=_offices(),
                 settings={"not_arising": "full"})
    changes = diff_workspaces(old, new)
    assert list(changes) == ["round", "settings"]
    assert _labels(changes["round"]) == [("Hạn góp ý", CHANGED)]
    assert _labels(changes["settings"]) == [("Cách tính tiêu chí không phát sinh", ADDED)]


def _cchc(*args):
    return subprocess.run([sys.executable, "-m", "cchc_consult", *args], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8")


def test_cchc_diff_state_prints_the_changes_and_exits_1(tmp_path):
    old, new = tmp_path / "cu", tmp_path / "moi"
    _write_state(old, dispositions={"dispositions": {"TP-1": {"status": "tiếp thu"}}})
    _write_state(new, dispositions={"dispositions": {"TP-1": {"status": "không tiếp thu"}}})
    result = _cchc("diff", "--state", str(old), str(new))
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == ["comments/dispositions.yaml: 1 thay đổi",
                                          '  Ý kiến TP-1: trạng thái: "tiếp thu" → "không tiếp thu"']
    same = _cchc("diff", "--state", str(old), str(old))
    assert (same.returncode, same.stdout.strip()) == (0, "Không có thay đổi.")


def test_cchc_diff_state_on_a_missing_folder_exits_2_in_vietnamese(tmp_path):
    result = _cchc("diff", "--state", str(tmp_path), str(tmp_path / "khong-co"))
    assert result.returncode == 2
    assert "không có thư mục" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_kind_is_refused():
    with pytest.raises(KeyError):
        diff_state({}, {}, "rubric")
