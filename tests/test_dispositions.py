"""Answers to comments: history, --replace, undo, refusals, quoting, binding by key."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc_consult.cli import main
from cchc_consult.consult.dispositions import (
    STATUSES, add_initiative, comment_key, load_dispositions, set_disposition, undo_disposition,
)
from cchc_consult.errors import NotFoundError, ValidationError
from cchc_consult.workspace import Workspace
from cchc_consult.yamlio import read_yaml

T1, T2, T3 = (dt.datetime(2023, 8, 24, 9, m) for m in (1, 2, 3))


def answers(workspace):
    return Workspace(workspace).consultation().dispositions.items


def test_comment_key_is_the_agreed_hash():
    import hashlib

    expected = hashlib.sha256("TP\x1fII.1.2\x1fMức 1 điểm".encode()).hexdigest()[:12]
    assert comment_key("TP", "II.1.2", "Mức 1 điểm") == expected
    assert comment_key("TP", "II.1.2", "Mu\u031b\u0301c 1 điểm") == expected  # NFC first


def test_replacing_an_answer_needs_replace_and_keeps_the_old_one(workspace):
    ws = Workspace(workspace)
    with pytest.raises(ValidationError) as err:
        set_disposition(ws, "TP-1", "tiếp thu", version="v2", by="lan", at=T1)
    assert "đã có ý kiến xử lý" in err.value.message and "--replace" in err.value.fix
    set_disposition(ws, "TP-1", "tiếp thu", version="v2", replace=True, by="lan", at=T1)
    d = answers(workspace)["TP-1"]
    assert (d.status, d.version, d.by, d.at) == ("tiếp thu", "v2", "lan", "2023-08-24 09:01:00")
    assert [(h.status, h.version) for h in d.history] == [("không tiếp thu", "")]
    assert d.history[0].reason.startswith("Ghi chú chung")


def test_undo_restores_the_previous_answer_then_removes_it_and_records_both(workspace):
    ws = Workspace(workspace)
    set_disposition(ws, "VP-2", "không tiếp thu", "Giữ nguyên", replace=True, by="lan", at=T1)
    set_disposition(ws, "VP-2", "tiếp thu một phần", "Sửa một phần", replace=True, by="hoa", at=T2)
    done = undo_disposition(ws, by="minh", at=T3)  # the last answer in the file
    assert done.comment_id == "VP-2" and done.taken_back.status == "tiếp thu một phần"
    assert done.restored.status == "không tiếp thu"
    assert answers(workspace)["VP-2"].reason == "Giữ nguyên"
    undo_disposition(ws, "VP-2", at=T3)
    assert answers(workspace)["VP-2"].status == "tiếp thu"  # the bundled answer is back
    undo_disposition(ws, "VP-2", at=T3)
    assert "VP-2" not in answers(workspace)
    entry = read_yaml(ws.comments_dir / "dispositions.yaml")["dispositions"]["VP-2"]
    assert [(h["status"], h.get("undone_by")) for h in entry["history"]] == [
        ("tiếp thu một phần", "minh"), ("không tiếp thu", entry["history"][1]["undone_by"]),
        ("tiếp thu", entry["history"][2]["undone_by"])]
    with pytest.raises(NotFoundError):
        undo_disposition(ws, "VP-2")
    set_disposition(ws, "VP-2", "tiếp thu", version="v2")  # unanswered again: no --replace needed
    assert answers(workspace)["VP-2"].status == "tiếp thu"


@pytest.mark.parametrize("typed", ["đồng ý", "giải trình", "accepted", "ok", ""])
def test_unknown_statuses_are_refused_with_the_three_accepted_ones(workspace, typed):
    with pytest.raises(ValidationError) as err:
        set_disposition(Workspace(workspace), "TP-2", typed, "lý do", replace=True)
    assert all(f"'{s}'" in err.value.fix for s in STATUSES)


def test_unaccented_statuses_are_the_same_three(workspace):
    set_disposition(Workspace(workspace), "TP-2", "Tiep thu mot phan", "Chỉ sửa câu chữ", replace=True)
    assert answers(workspace)["TP-2"].status == "tiếp thu một phần"


@pytest.mark.parametrize("text", ["No", "yes", "12:30", "1.5", "null", "~", "0o12", "2023-08-18", "on", "- a",
                                  "a: b", "#x", "'x'", "\"x\"", "x\u2028y"])
def test_every_free_text_reads_back_as_written(workspace, text):
    ws = Workspace(workspace)
    set_disposition(ws, "TP-3", "không tiếp thu", text, version="v2", replace=True, by=text)
    d = answers(workspace)["TP-3"]
    assert (d.reason, d.by) == (text, text)
    add_initiative(ws, "I.5", text)
    assert [i.reason for i in load_dispositions(ws).initiatives if i.criterion == "I.5"] == [text]


def test_a_misshaped_initiatives_block_is_an_error_and_is_never_wiped(workspace):
    path = workspace / "comments" / "dispositions.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\ninitiatives:\n") + 1
    end = text.index("# Các dòng của Bảng tổng hợp")
    broken = text[:start] + "initiatives:\n  II.6: Sửa tổng điểm\n" + text[end:]
    path.write_text(broken, encoding="utf-8")
    line = broken[:start].count("\n") + 1
    with pytest.raises(ValidationError) as err:
        set_disposition(Workspace(workspace), "TP-2", "tiếp thu", replace=True, version="v2")
    assert err.value.line == line and "initiatives" in err.value.message
    assert path.read_text(encoding="utf-8") == broken
    assert main(["-w", str(workspace), "comments", "answer", "TP-2", "tiếp thu", "--replace"]) == 2
    assert path.read_text(encoding="utf-8") == broken
    loaded = load_dispositions(Workspace(workspace))
    assert any("initiatives" in e.message for e in loaded.errors)


def test_answers_follow_the_comment_key_not_its_id(workspace):
    """A back-dated letter renumbers an office's ids: every answer stays with its own comment."""
    before = {c.id: c.text for c in Workspace(workspace).consultation().comments.comments}
    (workspace / "comments" / "TP-2023-08-05.yaml").write_text(
        'format: cchc-comments/1\noffice: "TP"\nversion: "v1"\ndate_sent: "2023-08-05"\ncomments:\n'
        '  - criterion: "II.1.1.1"\n    comment: Ý kiến gửi sớm hơn, đến sau\n', encoding="utf-8")
    cs = Workspace(workspace).consultation()
    by_text = {c.text: c.id for c in cs.comments.comments}
    moved = {cid: by_text[text] for cid, text in before.items() if cid.startswith("TP-")}
    assert moved != {k: k for k in moved}, "the new letter should renumber TP's ids in this test"
    for old_id, new_id in moved.items():
        assert cs.dispositions.items[new_id].key == comment_key("TP", cs.comments.by_id()[new_id].criterion,
                                                                 before[old_id])
    new = next(c for c in cs.comments.comments if c.text == "Ý kiến gửi sớm hơn, đến sau")
    assert new.id not in cs.dispositions.items  # never handed another comment's answer
    set_disposition(Workspace(workspace), new, "tiếp thu", version="v2")
    cs = Workspace(workspace).consultation()
    assert cs.dispositions.items[new.id].status == "tiếp thu"
    assert all(cs.dispositions.items[n].status for n in moved.values())


def test_an_answer_whose_comment_is_gone_is_an_orphan(workspace):
    path = workspace / "comments" / "TP-2023-08-17.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("thiếu đơn vị", "thiếu ký hiệu"), encoding="utf-8")
    cs = Workspace(workspace).consultation()
    assert "TP-2" not in cs.dispositions.items
    assert [d.entry for d in cs.dispositions.orphans] == ["TP-2"]


def test_legacy_entries_without_a_key_bind_by_id(tmp_path, workspace):
    path = workspace / "comments" / "dispositions.yaml"
    path.write_text("format: cchc-dispositions/1\ndispositions:\n  TP-1:\n    status: không tiếp thu\n"
                    "    reason: Đã có ghi chú chung\n", encoding="utf-8")
    assert answers(workspace)["TP-1"].reason == "Đã có ghi chú chung"


def test_set_disposition_creates_the_file(workspace):
    (workspace / "comments" / "dispositions.yaml").unlink()
    ws = Workspace(workspace)
    set_disposition(ws, "TP-1", "không tiếp thu", "Đã có ghi chú chung")
    add_initiative(ws, "II.6", "Tính lại tổng")
    loaded = load_dispositions(ws)
    assert loaded.errors == [] and [i.criterion for i in loaded.initiatives] == ["II.6"]
    assert answers(workspace)["TP-1"].reason == "Đã có ghi chú chung"


def test_dispositions_file_errors_name_the_line(tmp_path):
    (tmp_path / "comments").mkdir()
    (tmp_path / "comments" / "dispositions.yaml").write_text(
        "dispositions:\n  TP-1:\n    status: không tiếp thu\n  TP-2:\n    status: đồng ý\n", encoding="utf-8")
    loaded = load_dispositions(Workspace(tmp_path))
    assert {e.line for e in loaded.errors} == {3, 5}
    assert "TP-2" not in loaded.items and "TP-1" in loaded.items


def test_cli_answer_replace_undo(workspace, capsys):
    ws = ["-w", str(workspace)]
    assert main([*ws, "comments", "answer", "TP-2", "không tiếp thu", "--reason", "No"]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main([*ws, "comments", "answer", "TP-2", "không tiếp thu", "--reason", "No", "--replace",
                 "--by", "lan"]) == 0
    assert "TP-2 — Không tiếp thu: No" in capsys.readouterr().out
    assert main([*ws, "comments", "answer", "TP-2", "đồng ý", "--replace"]) == 2
    err = capsys.readouterr().err
    assert "'tiếp thu', 'tiếp thu một phần', 'không tiếp thu'" in err and "Traceback" not in err
    assert main([*ws, "comments", "undo"]) == 0
    out = capsys.readouterr().out
    assert "Đã rút lại: TP-2 — Không tiếp thu: No" in out and "Khôi phục: Tiếp thu" in out
    assert main([*ws, "comments", "answer", "XX-9", "tiếp thu"]) == 2
    assert main([*ws, "comments", "undo", "XX-9"]) == 2
