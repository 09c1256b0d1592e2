"""Two clerks, one shared bare repository: `cchc sync` merges in domain terms and keeps both versions of a clash."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_consult.cli import main
from cchc_consult.vcs.merge import merge_file
from cchc_consult.vcs.repo import commit
from cchc_consult.workspace import Workspace, copy_example
from cchc_consult.yamlio import hash_bytes, read_yaml

BAND_10 = "text: Chậm dưới 10 ngày so với thời gian quy định"


@pytest.fixture
def clerks(tmp_path, capsys):
    """Clerk A's workspace (the bundled example, shared first) and clerk B's copy from the same remote."""
    a, b, remote = tmp_path / "A", tmp_path / "B", tmp_path / "chung" / "cchc-2023.git"
    copy_example(a)
    assert main(["init", str(a), "--git", "--by", "Lan"]) == 0
    assert main(["-w", str(a), "sync", str(remote), "--by", "Lan"]) == 0
    assert main(["-w", str(b), "sync", str(remote), "--by", "Bình"]) == 0
    capsys.readouterr()
    return a, b


def sync(ws: Path, by: str) -> int:
    return main(["-w", str(ws), "sync", "--by", by])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def answers(ws: Path) -> dict:
    return {k: v["status"] for k, v in read_yaml(ws / "comments" / "dispositions.yaml")["dispositions"].items()
            if k != "__line__"}


def no_markers(ws: Path) -> None:
    for path in ws.rglob("*.yaml"):
        if ".git" not in path.parts:
            assert "<<<<<<<" not in path.read_text(encoding="utf-8"), path


def test_the_second_clerk_gets_the_whole_workspace(clerks):
    a, b = clerks
    assert (b / "rubric" / "drafts" / "v1.yaml").read_bytes() == (a / "rubric" / "drafts" / "v1.yaml").read_bytes()
    assert main(["-w", str(b), "history"]) == 0  # the tag came along: nothing reads as tampered


def test_different_answers_and_criteria_merge_without_conflict(clerks, capsys):
    a, b = clerks
    assert main(["-w", str(a), "comments", "answer", "TCKH-3", "tiếp thu", "--replace", "--by", "Lan"]) == 0
    assert main(["-w", str(b), "comments", "answer", "TCKH-4", "không tiếp thu", "--reason", "Giữ nguyên",
                 "--replace", "--by", "Bình"]) == 0
    edit(a / "rubric" / "drafts" / "v2.yaml", "title: Ban hành kế hoạch CCHC hằng năm", "title: Ban hành kế hoạch CCHC (Lan)")
    edit(b / "rubric" / "drafts" / "v2.yaml", "title: Xác định các nhiệm vụ CCHC trên các lĩnh vực theo Kế hoạch CCHC của huyện",
         "title: Xác định nhiệm vụ CCHC (Bình)")
    (b / "comments" / "NV-2023-08-18.yaml").write_text(
        (b / "comments" / "TP-2023-08-17.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert sync(a, "Lan") == 0
    assert sync(b, "Bình") == 0
    assert "không có chỗ nào hai bên cùng sửa khác nhau" in capsys.readouterr().out
    assert sync(a, "Lan") == 0
    for ws in (a, b):
        assert answers(ws)["TCKH-3"] == "tiếp thu" and answers(ws)["TCKH-4"] == "không tiếp thu"
        text = (ws / "rubric" / "drafts" / "v2.yaml").read_text(encoding="utf-8")
        assert "(Lan)" in text and "(Bình)" in text
        assert (ws / "comments" / "NV-2023-08-18.yaml").is_file()
        assert not (ws / ".cchc-sync" / "conflicts.yaml").exists()
        no_markers(ws)
    assert (a / "rubric" / "drafts" / "v2.yaml").read_bytes() == (b / "rubric" / "drafts" / "v2.yaml").read_bytes()


def test_the_same_band_edited_on_both_sides_is_shown_and_kept_until_chosen(clerks, capsys):
    a, b = clerks
    edit(a / "rubric" / "drafts" / "v2.yaml", BAND_10, "text: Chậm dưới 7 ngày so với thời gian quy định")
    edit(b / "rubric" / "drafts" / "v2.yaml", BAND_10, "text: Chậm dưới 5 ngày làm việc so với thời gian quy định")
    assert sync(a, "Lan") == 0
    capsys.readouterr()
    assert sync(b, "Bình") == 1
    out = capsys.readouterr().out
    assert "CHỜ CHỌN rubric/drafts/v2.yaml#I.1.1" in out and "Lan" in out
    assert "[-5-] {+7+}" in out  # the rubric diff's word diff, mine → theirs
    v2 = b / "rubric" / "drafts" / "v2.yaml"
    assert "Chậm dưới 5 ngày làm việc" in v2.read_text(encoding="utf-8")  # mine stays in the file
    no_markers(b)
    # A sees the same open choice after its next sync; nothing is lost on either side.
    assert sync(a, "Lan") == 1
    assert "CHỜ CHỌN rubric/drafts/v2.yaml#I.1.1" in capsys.readouterr().out
    assert main(["-w", str(b), "sync", "--choose", "theirs", "I.1.1", "--by", "Bình"]) == 0
    assert "Chậm dưới 7 ngày" in v2.read_text(encoding="utf-8")
    assert main(["-w", str(b), "check", "v2"]) in (0, 1)  # still a readable rubric
    assert sync(b, "Bình") == 0
    assert sync(a, "Lan") == 0
    assert "Chậm dưới 7 ngày" in (a / "rubric" / "drafts" / "v2.yaml").read_text(encoding="utf-8")
    assert not (a / ".cchc-sync" / "conflicts.yaml").exists()


def test_the_same_answer_changed_on_both_sides_waits_for_a_choice(clerks, capsys):
    a, b = clerks
    main(["-w", str(a), "comments", "answer", "TCKH-3", "tiếp thu", "--replace", "--by", "Lan"])
    main(["-w", str(b), "comments", "answer", "TCKH-3", "tiếp thu một phần", "--reason", "Một phần", "--replace"])
    assert sync(a, "Lan") == 0
    capsys.readouterr()
    assert sync(b, "Bình") == 1
    out = capsys.readouterr().out
    assert "comments/dispositions.yaml#dispositions/TCKH-3" in out and "Ý kiến TCKH-3" in out
    assert answers(b)["TCKH-3"] == "tiếp thu một phần"
    assert main(["-w", str(b), "sync", "--choose", "mine", "TCKH-3"]) == 0
    assert answers(b)["TCKH-3"] == "tiếp thu một phần"
    assert main(["-w", str(b), "sync", "--list"]) == 0


def test_a_frozen_file_changed_on_one_side_is_tampering_against_its_tag(clerks, capsys):
    a, b = clerks
    v1, history = a / "rubric" / "drafts" / "v1.yaml", a / "rubric" / "history.yaml"
    old = hash_bytes(v1.read_bytes())
    edit(v1, "title: Ban hành kế hoạch CCHC hằng năm", "title: Ban hành kế hoạch")
    edit(history, old, hash_bytes(v1.read_bytes()))
    commit(a, "sửa v1 cho khớp", by="Ai đó")
    assert sync(a, "Ai đó") == 2
    capsys.readouterr()
    assert sync(b, "Bình") == 2
    err = capsys.readouterr().err
    assert "GIẢ MẠO" in err and "v1-circulated-1632-UBND" in err
    assert main(["-w", str(b), "check", "v1"]) == 2


def test_sync_refuses_a_plain_folder_in_vietnamese(tmp_path, capsys):
    copy_example(tmp_path / "ws")
    assert main(["-w", str(tmp_path / "ws"), "sync", str(tmp_path / "r.git")]) == 2
    assert "chưa là kho git" in capsys.readouterr().err


# ---------------------------------------------------------------------------------- merge in data terms

def test_initiatives_added_on_both_sides_merge_by_criterion():
    base = b"format: cchc-dispositions/2\ndispositions: {}\ninitiatives:\n  - criterion: I.1\n    reason: a\n"
    mine = base + b"  - criterion: I.2\n    reason: b\n"
    theirs = base + b"  - criterion: II.3\n    reason: c\n"
    merged = merge_file("comments/dispositions.yaml", base, mine, theirs)
    assert not merged.conflicts
    text = merged.content.decode()
    assert text.index("I.1") < text.index("I.2") < text.index("II.3")


def test_a_criterion_removed_on_one_side_and_edited_on_the_other_is_a_conflict():
    ws = Workspace(Path(__file__).resolve().parent.parent)
    base = (ws.drafts / "v2.yaml").read_bytes()
    text = base.decode()
    start = text.index('          - id: "I.1.2"')
    end = text.index('          - id: "I.1.3"')
    removed = (text[:start] + text[end:]).encode()
    edited = text.replace("Xác định các nhiệm vụ CCHC trên", "Xác định rõ các nhiệm vụ CCHC trên", 1).encode()
    assert [c.id for c in merge_file("rubric/drafts/v2.yaml", base, removed, edited).conflicts] == \
        ["rubric/drafts/v2.yaml#I.1.2"]
    merged = merge_file("rubric/drafts/v2.yaml", base, text.replace("hằng năm", "mỗi năm", 1).encode(), removed)
    assert not merged.conflicts and b'id: "I.1.2"' not in merged.content and "mỗi năm".encode() in merged.content


def test_a_tag_made_in_one_clone_reaches_the_other_and_is_never_pushed_twice(clerks, capsys):
    a, b = clerks
    assert main(["-w", str(b), "draft", "circulate", "v2", "--letter", "1700/UBND", "--date", "2023-08-25",
                 "--no-pdf"]) == 0
    assert sync(b, "Bình") == 0
    assert sync(a, "Lan") == 0
    main(["-w", str(a), "comments", "answer", "TCKH-3", "tiếp thu", "--replace", "--by", "Lan"])
    assert sync(a, "Lan") == 0
    assert sync(b, "Bình") == 0
    capsys.readouterr()
    assert main(["-w", str(a), "history"]) == 0
    from dulwich.repo import Repo

    for ws in (a, b):
        repo = Repo(str(ws))
        assert b"refs/tags/v2-circulated-1700-UBND" in repo.refs
        repo.close()


def test_a_merge_changes_only_the_lines_theirs_changed():
    base = (Path(__file__).resolve().parent.parent / "comments" / "dispositions.yaml").read_text(encoding="utf-8")
    mine = base.replace("status: không tiếp thu", "status: tiếp thu", 1)
    theirs = base.replace('TCKH-4:\n    key: "805151596c9d"', 'TCKH-4:\n    key: "805151596c9e"')
    merged = merge_file("comments/dispositions.yaml", base.encode(), mine.encode(), theirs.encode())
    assert not merged.conflicts
    changed = [(a, b) for a, b in zip(mine.splitlines(), merged.content.decode().splitlines()) if a != b]
    assert len(mine.splitlines()) == len(merged.content.decode().splitlines())
    assert [b.strip() for _, b in changed] == ['key: "805151596c9e"']


# ------------------------------------------------------------------- a kill, two syncs at once, a push race

class Killed(BaseException):
    """The process killed at that line (a BaseException: nothing in sync may catch it as an error)."""


def heads(ws: Path) -> tuple[bytes, list[bytes]]:
    from dulwich.repo import Repo

    repo = Repo(str(ws))
    try:
        head = repo.refs[b"HEAD"]
        return head, list(repo[head].parents)
    finally:
        repo.close()


def messages(ws: Path) -> list[str]:
    from dulwich.repo import Repo

    repo = Repo(str(ws))
    try:
        return [e.commit.message.decode("utf-8") for e in repo.get_walker(include=[repo.refs[b"HEAD"]])]
    finally:
        repo.close()


def both_sides_edited(a: Path, b: Path) -> None:
    """Lan answers TCKH-3 and retitles I.1.1 and syncs; Bình answers TCKH-4 and retitles I.1.2 (not synced yet)."""
    assert main(["-w", str(a), "comments", "answer", "TCKH-3", "tiếp thu", "--replace", "--by", "Lan"]) == 0
    edit(a / "rubric" / "drafts" / "v2.yaml", "title: Ban hành kế hoạch CCHC hằng năm",
         "title: Ban hành kế hoạch CCHC (Lan)")
    assert sync(a, "Lan") == 0
    assert main(["-w", str(b), "comments", "answer", "TCKH-4", "không tiếp thu", "--reason", "Giữ nguyên",
                 "--replace", "--by", "Bình"]) == 0
    edit(b / "rubric" / "drafts" / "v2.yaml",
         "title: Xác định các nhiệm vụ CCHC trên các lĩnh vực theo Kế hoạch CCHC của huyện",
         "title: Xác định nhiệm vụ CCHC (Bình)")


def holds_both(ws: Path) -> None:
    assert answers(ws)["TCKH-3"] == "tiếp thu" and answers(ws)["TCKH-4"] == "không tiếp thu"
    text = (ws / "rubric" / "drafts" / "v2.yaml").read_text(encoding="utf-8")
    assert "(Lan)" in text and "(Bình)" in text
    no_markers(ws)


def test_a_sync_killed_while_writing_the_merge_is_finished_by_the_next(clerks, capsys, monkeypatch):
    from cchc_consult.vcs import sync as vcs_sync

    a, b = clerks
    both_sides_edited(a, b)
    real_write, written = vcs_sync._write, []

    def killed_after_one_file(ws, rel, data):
        if written and not rel.startswith(".cchc-sync/"):
            raise Killed  # the power cut: one merged file on disk, the other not yet
        real_write(ws, rel, data)
        if not rel.startswith(".cchc-sync/"):
            written.append(rel)

    monkeypatch.setattr(vcs_sync, "_write", killed_after_one_file)
    with pytest.raises(Killed):
        vcs_sync.sync(Workspace(b), by="Bình")
    monkeypatch.setattr(vcs_sync, "_write", real_write)
    mine_before, _ = heads(b)
    assert written and (b / ".cchc-sync" / "merging.yaml").is_file()
    capsys.readouterr()
    assert sync(b, "Bình") == 0
    assert "hoàn tất lần hợp nhất bị ngắt" in capsys.readouterr().out
    head, parents = heads(b)
    # The merge commit, straight on top of my last commit (the half merge was never committed as mine).
    assert len(parents) == 2 and parents == [mine_before, heads(a)[0]]
    assert "bị ngắt" in messages(b)[0]
    assert not (b / ".cchc-sync").exists()  # the journal went with the merge commit, and nothing else is kept
    holds_both(b)
    assert sync(a, "Lan") == 0
    holds_both(a)
    assert heads(a)[0] == head


def test_a_change_made_by_hand_after_a_kill_is_kept_and_merged(clerks, monkeypatch):
    from cchc_consult.vcs import sync as vcs_sync

    a, b = clerks
    both_sides_edited(a, b)
    real_write = vcs_sync._write

    def killed_at_first_file(ws, rel, data):
        if not rel.startswith(".cchc-sync/"):
            raise Killed
        real_write(ws, rel, data)

    monkeypatch.setattr(vcs_sync, "_write", killed_at_first_file)
    with pytest.raises(Killed):
        vcs_sync.sync(Workspace(b), by="Bình")
    monkeypatch.setattr(vcs_sync, "_write", real_write)
    edit(b / "rubric" / "drafts" / "v2.yaml", "(Bình)", "(Bình, sửa tay)")
    assert sync(b, "Bình") == 0
    assert len(heads(b)[1]) == 2
    text = (b / "rubric" / "drafts" / "v2.yaml").read_text(encoding="utf-8")
    assert "(Bình, sửa tay)" in text and "(Lan)" in text
    assert answers(b)["TCKH-3"] == "tiếp thu" and answers(b)["TCKH-4"] == "không tiếp thu"


def test_a_second_sync_in_the_same_clone_is_refused_in_vietnamese(clerks, capsys, monkeypatch):
    import threading

    from cchc_consult.vcs import sync as vcs_sync

    a, b = clerks
    both_sides_edited(a, b)
    inside, release, results = threading.Event(), threading.Event(), []
    real_push = vcs_sync._push

    def slow_push(*args):
        inside.set()
        assert release.wait(60)
        return real_push(*args)

    monkeypatch.setattr(vcs_sync, "_push", slow_push)
    first = threading.Thread(target=lambda: results.append(vcs_sync.sync(Workspace(b), by="Bình")))
    first.start()
    try:
        assert inside.wait(60)
        capsys.readouterr()
        assert sync(b, "Bình") == 2
        err = capsys.readouterr().err
        assert "một lần cchc sync khác đang chạy" in err and "Traceback" not in err
    finally:
        release.set()
        first.join(60)
    assert results and results[0].pushed and results[0].merged
    monkeypatch.setattr(vcs_sync, "_push", real_push)
    assert sync(b, "Bình") == 0  # the lock went with the first sync
    holds_both(b)


def test_a_push_between_my_fetch_and_my_push_is_merged_and_pushed_again(clerks, capsys, monkeypatch):
    from cchc_consult.vcs import sync as vcs_sync

    a, b = clerks
    both_sides_edited(a, b)
    real_push, injected = vcs_sync._push, []

    def someone_pushes_first(ws, *args):
        if ws.root == b and not injected:
            injected.append(True)
            assert main(["-w", str(a), "comments", "answer", "TCKH-5", "tiếp thu", "--replace", "--by", "Lan"]) == 0
            assert sync(a, "Lan") == 0
        return real_push(ws, *args)

    monkeypatch.setattr(vcs_sync, "_push", someone_pushes_first)
    capsys.readouterr()
    assert sync(b, "Bình") == 0
    assert injected
    out = capsys.readouterr().out
    assert "Lan: " in out and "có người vừa gửi lên trong lúc đồng bộ" in out.lower() and "Đã gửi lên kho chung." in out
    assert answers(b)["TCKH-5"] == "tiếp thu"
    holds_both(b)
    assert sync(a, "Lan") == 0
    assert heads(a)[0] == heads(b)[0]  # A took B's push: both clones and the remote agree
    holds_both(a)


def test_a_push_race_twice_in_a_row_asks_to_run_sync_again(clerks, capsys, monkeypatch):
    from cchc_consult.vcs import sync as vcs_sync

    a, b = clerks
    both_sides_edited(a, b)
    real_push, statuses = vcs_sync._push, iter(["tiếp thu", "không tiếp thu"])

    def someone_always_pushes_first(ws, *args):
        if ws.root == b:
            status = next(statuses)
            reason = ["--reason", "Giữ nguyên"] if status != "tiếp thu" else []
            assert main(["-w", str(a), "comments", "answer", "TCKH-5", status, *reason, "--replace", "--by",
                         "Lan"]) == 0
            assert sync(a, "Lan") == 0
        return real_push(ws, *args)

    monkeypatch.setattr(vcs_sync, "_push", someone_always_pushes_first)
    capsys.readouterr()
    assert sync(b, "Bình") == 2
    assert "chạy lại cchc sync" in capsys.readouterr().err
    monkeypatch.setattr(vcs_sync, "_push", real_push)
    assert sync(b, "Bình") == 0
    holds_both(b)
    assert answers(b)["TCKH-5"] == "không tiếp thu"


# ------------------------------------------------------------------------- lists without ids, by value

DECISION = (Path(__file__).resolve().parent.parent / "decision.yaml").read_text(encoding="utf-8")
BASIS_1 = "  - Căn cứ Luật Tổ chức chính quyền địa phương"
BASIS_2 = "  - Căn cứ Nghị quyết số 76/NQ-CP"
BASIS_3 = "  - Căn cứ Quyết định số 1963/QĐ-UBND"
NEW_BASIS = "  - Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ\n"


def bases_of(text: bytes | str) -> list[str]:
    from cchc_consult.yamlio import parse_yaml

    return parse_yaml(text, "decision.yaml")["legal_bases"]


def with_line(text: str, anchor: str, line: str) -> str:
    """`text` with `line` put before the line starting with `anchor`."""
    assert anchor in text
    return text.replace(anchor, line + anchor, 1)


def without_line(text: str, anchor: str) -> str:
    start = text.index(anchor)
    return text[:start] + text[text.index("\n", start) + 1:]


def merged_decision(mine: str, theirs: str):
    return merge_file("decision.yaml", DECISION.encode(), mine.encode(), theirs.encode())


def test_legal_bases_added_on_one_side_and_removed_on_the_other_merge_through_sync(clerks, capsys):
    a, b = clerks
    (a / "decision.yaml").write_text(with_line(DECISION, "proposal:", NEW_BASIS), encoding="utf-8")
    (b / "decision.yaml").write_text(without_line(DECISION, BASIS_2), encoding="utf-8")
    assert sync(a, "Lan") == 0
    capsys.readouterr()
    assert sync(b, "Bình") == 0
    assert "không có chỗ nào hai bên cùng sửa khác nhau" in capsys.readouterr().out
    assert sync(a, "Lan") == 0
    base = bases_of(DECISION)
    for ws in (a, b):
        bases = bases_of((ws / "decision.yaml").read_bytes())
        assert bases == [base[0], base[2], NEW_BASIS.strip()[2:]]
    assert (a / "decision.yaml").read_bytes() == (b / "decision.yaml").read_bytes()


def test_legal_bases_added_on_both_sides_keep_both_and_the_same_one_once():
    other = "  - Căn cứ Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008\n"
    merged = merged_decision(with_line(DECISION, "proposal:", NEW_BASIS),
                             with_line(with_line(DECISION, "proposal:", NEW_BASIS), BASIS_1, other))
    assert not merged.conflicts
    assert bases_of(merged.content) == [other.strip()[2:], *bases_of(DECISION), NEW_BASIS.strip()[2:]]


def test_legal_bases_edited_at_different_items_merge_and_the_same_item_clashes():
    first = DECISION.replace("ngày 19 tháng 6 năm 2015", "ngày 19/6/2015", 1)
    third = DECISION.replace("Thừa Thiên Huế ban hành", "Thừa Thiên Huế (nay là thành phố Huế) ban hành", 1)
    merged = merged_decision(first, third)
    assert not merged.conflicts
    bases = bases_of(merged.content)
    assert "19/6/2015" in bases[0] and "thành phố Huế" in bases[2] and len(bases) == 3
    also_first = DECISION.replace("ngày 19 tháng 6 năm 2015", "ngày 19-6-2015", 1)
    clash = merged_decision(first, also_first)
    assert [c.id for c in clash.conflicts] == ["decision.yaml#legal_bases"]
    assert "19/6/2015" in bases_of(clash.content)[0]  # mine stays in the file until chosen
    edited_and_removed = merged_decision(first, without_line(DECISION, BASIS_1))
    assert [c.id for c in edited_and_removed.conflicts] == ["decision.yaml#legal_bases"]
    both_removed = merged_decision(without_line(without_line(DECISION, BASIS_1), BASIS_3),
                                   without_line(DECISION, BASIS_1))
    assert not both_removed.conflicts and bases_of(both_removed.content) == [bases_of(DECISION)[1]]


def test_a_command_run_after_a_kill_commits_without_the_journal_and_the_next_sync_merges(clerks, monkeypatch):
    from dulwich.repo import Repo

    from cchc_consult.vcs import sync as vcs_sync
    from cchc_consult.vcs.repo import files_at

    a, b = clerks
    both_sides_edited(a, b)
    real_write, written = vcs_sync._write, []

    def killed_after_one_file(ws, rel, data):
        if written and not rel.startswith(".cchc-sync/"):
            raise Killed
        real_write(ws, rel, data)
        written.append(rel)

    monkeypatch.setattr(vcs_sync, "_write", killed_after_one_file)
    with pytest.raises(Killed):
        vcs_sync.sync(Workspace(b), by="Bình")
    monkeypatch.setattr(vcs_sync, "_write", real_write)
    assert main(["-w", str(b), "comments", "answer", "VP-1", "tiếp thu", "--replace", "--by", "Bình"]) == 0
    repo = Repo(str(b))
    try:
        assert ".cchc-sync/merging.yaml" not in files_at(repo, repo.refs[b"HEAD"])
    finally:
        repo.close()
    assert sync(b, "Bình") == 0
    assert heads(a)[0] in heads(b)[1]
    holds_both(b)
    assert answers(b)["VP-1"] == "tiếp thu"
    assert not (b / ".cchc-sync" / "merging.yaml").exists()
