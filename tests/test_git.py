"""A workspace that is a git repository: init --git, a commit per change of state, tags, tamper checks."""

from __future__ import annotations

import subprocess
import sys

from dulwich.objects import Tag
from dulwich.repo import Repo

from cchc_consult.cli import main
from cchc_consult.vcs.repo import commit, tag_name
from cchc_consult.yamlio import hash_bytes

from conftest import REPO


def cchc(ws, *args) -> int:
    return main(["-w", str(ws), *args])


def log_of(ws) -> list[tuple[str, str]]:
    """(author name, message) of each commit, newest first, read with dulwich itself."""
    repo = Repo(str(ws))
    try:
        return [(e.commit.author.decode().split(" <")[0], e.commit.message.decode().strip())
                for e in repo.get_walker()]
    finally:
        repo.close()


def test_tag_names_of_the_2023_papers():
    assert tag_name("v1", "circulated", "1632/UBND") == "v1-circulated-1632-UBND"
    assert tag_name("v2", "final", "125/QĐ-UBND") == "v2-final-125-QD-UBND"


def test_a_plain_folder_stays_plain(workspace, capsys):
    assert cchc(workspace, "comments", "answer", "TCKH-3", "tiếp thu", "--replace") == 0
    assert not (workspace / ".git").exists()


def test_check_on_a_plain_workspace_never_imports_the_git_library(workspace):
    code = ("import sys; from cchc_consult.cli import main; "
            f"main(['-w', {str(workspace)!r}, 'check', 'v1']); print('dulwich' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


def test_init_git_commits_the_workspace_and_tags_the_circulated_version(workspace, capsys):
    assert cchc(workspace, "init", str(workspace), "--git", "--by", "Nguyễn Thị Lan") == 0
    assert log_of(workspace) == [("Nguyễn Thị Lan", "Đưa thư mục làm việc vào git")]
    repo = Repo(str(workspace))
    tag = repo[repo.refs[b"refs/tags/v1-circulated-1632-UBND"]]
    assert isinstance(tag, Tag) and tag.object[1] == repo.head()
    assert "1632/UBND" in tag.message.decode()
    repo.close()
    assert cchc(workspace, "history") == 0


def test_a_new_workspace_with_git(tmp_path, capsys):
    assert main(["init", str(tmp_path / "moi"), "--year", "2024", "--git", "--by", "Lan"]) == 0
    assert log_of(tmp_path / "moi") == [("Lan", "Khởi tạo thư mục làm việc năm 2024")]


def test_each_change_of_state_is_a_commit_by_the_acting_user(workspace, capsys):
    cchc(workspace, "init", str(workspace), "--git", "--by", "Lan")
    assert cchc(workspace, "comments", "answer", "TCKH-3", "không tiếp thu", "--reason", "Giữ nguyên điểm",
                "--replace", "--by", "Trần Văn Bình") == 0
    assert cchc(workspace, "check", "v1") in (0, 1)  # reading changes nothing: no commit
    assert log_of(workspace)[0] == ("Trần Văn Bình", "Trả lời ý kiến TCKH-3: không tiếp thu — Giữ nguyên điểm")
    assert len(log_of(workspace)) == 2
    assert cchc(workspace, "draft", "circulate", "v2", "--letter", "1700/UBND", "--date", "2023-08-25",
                "--no-pdf") == 0
    assert log_of(workspace)[0][1] == "Gửi lấy ý kiến v2 theo Công văn 1700/UBND ngày 25/8/2023"
    repo = Repo(str(workspace))
    assert repo[repo.refs[b"refs/tags/v2-circulated-1700-UBND"]].object[1] == repo.head()
    repo.close()


def test_the_tui_save_hook_commits_in_a_git_workspace_only(workspace, capsys):
    from cchc_consult.vcs.hook import record_save
    from cchc_consult.workspace import Workspace

    ws = Workspace(workspace)
    assert record_save(ws, ws.drafts / "v2.yaml") is None  # plain folder: nothing
    cchc(workspace, "init", str(workspace), "--git")
    path = ws.drafts / "v2.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# sửa\n", encoding="utf-8")
    assert record_save(ws, path, by="Lan")
    assert log_of(workspace)[0] == ("Lan", "Lưu v2.yaml (giao diện)")


def test_a_frozen_file_changed_with_its_hash_and_committed_is_tampering(workspace, capsys):
    cchc(workspace, "init", str(workspace), "--git")
    v1 = workspace / "rubric" / "drafts" / "v1.yaml"
    history = workspace / "rubric" / "history.yaml"
    old_hash = hash_bytes(v1.read_bytes())
    v1.write_text(v1.read_text(encoding="utf-8").replace("Kế hoạch CCHC hằng năm", "Kế hoạch CCHC", 1),
                  encoding="utf-8")
    history.write_text(history.read_text(encoding="utf-8").replace(old_hash, hash_bytes(v1.read_bytes())),
                       encoding="utf-8")
    commit(workspace, "sửa lặng lẽ", by="Ai đó")
    capsys.readouterr()
    assert cchc(workspace, "check", "v1") == 2
    err = capsys.readouterr().err
    assert "GIẢ MẠO" in err and "v1-circulated-1632-UBND" in err and "rubric/drafts/v1.yaml" in err
    assert cchc(workspace, "history") == 2
    assert "GIẢ MẠO" in capsys.readouterr().err


def test_a_rewritten_tag_is_tampering(workspace, capsys):
    cchc(workspace, "init", str(workspace), "--git")
    cchc(workspace, "comments", "answer", "TCKH-3", "tiếp thu", "--replace")
    repo = Repo(str(workspace))
    repo.refs[b"refs/tags/v1-circulated-1632-UBND"] = repo.head()  # the tag moved onto a later commit
    repo.close()
    capsys.readouterr()
    assert cchc(workspace, "history") == 2
    assert "nhãn v1-circulated-1632-UBND đã bị ghi lại" in capsys.readouterr().err


def test_log_tells_what_changed_by_whom_in_domain_terms(workspace, capsys):
    cchc(workspace, "init", str(workspace), "--git", "--by", "Lan")
    cchc(workspace, "comments", "answer", "TCKH-3", "tiếp thu", "--replace", "--by", "Bình")
    v2 = workspace / "rubric" / "drafts" / "v2.yaml"
    v2.write_text(v2.read_text(encoding="utf-8").replace("Chậm dưới 10 ngày so với", "Chậm dưới 7 ngày so với", 1),
                  encoding="utf-8")
    from cchc_consult.vcs.hook import record_save
    from cchc_consult.workspace import Workspace

    record_save(Workspace(workspace), v2, by="Lan")
    capsys.readouterr()
    assert cchc(workspace, "log") == 0
    out = capsys.readouterr().out
    newest, answer, first = out.split("\n\n")[:3]
    assert "Lan  Lưu v2.yaml (giao diện)" in newest and "I.1.1, mức 2" in newest and "[-10-] {+7+}" in newest
    assert "Bình  Trả lời ý kiến TCKH-3: tiếp thu" in answer
    assert 'Ý kiến TCKH-3: trạng thái: "không tiếp thu" → "tiếp thu"' in answer
    assert "[nhãn v1-circulated-1632-UBND]" in first
    assert cchc(workspace, "log", "comments/dispositions.yaml") == 0
    only = capsys.readouterr().out
    assert "TCKH-3" in only and "v2.yaml (giao diện)" not in only


def test_demo_git_tells_the_2023_story_commit_by_commit(tmp_path, capsys):
    from datetime import datetime, timedelta, timezone

    target = tmp_path / "mau"
    assert main(["demo", "--git", str(target)]) == 0
    repo = Repo(str(target))
    commits = [e.commit for e in repo.get_walker(reverse=True)]
    story = [(datetime.fromtimestamp(c.author_time, timezone(timedelta(seconds=c.author_timezone))),
              c.message.decode().strip()) for c in commits]
    messages = [m for _, m in story]
    assert messages[0].startswith("Nhập dự thảo v1")
    assert messages[1] == "Gửi lấy ý kiến v1 theo Công văn 1632/UBND ngày 26/7/2023"
    assert story[1][0] == datetime(2023, 7, 26, 8, tzinfo=timezone(timedelta(hours=7)))
    replies = [(when.date().isoformat(), m) for when, m in story if m.startswith("Nhận góp ý")]
    files = sorted(p.name for p in (REPO / "comments").iterdir() if p.name != "dispositions.yaml")
    assert len(replies) == len(files)
    for day, message in replies:  # each reply committed on the date its file name carries
        assert day in message
    assert [d for d, _ in replies] == sorted(d for d, _ in replies)
    assert any("quá hạn" in m and "KTHT-2023-08-21" in m for _, m in replies)
    order = [next(k for k, m in enumerate(messages) if m.startswith(p))
             for p in ("Gửi lấy ý kiến", "Nhận góp ý", "Tạo dự thảo v2", "Tiếp thu, giải trình", "Ban hành v2",
                       "Nhận phiếu tự chấm", "Nhận kết quả thẩm định")]
    assert order == sorted(order)
    tags = {ref.decode(): repo.get_peeled(ref) for ref in repo.refs.keys() if ref.startswith(b"refs/tags/")}
    assert tags["refs/tags/v1-circulated-1632-UBND"] == commits[1].id
    assert tags["refs/tags/v2-final-125-QD-UBND"] == commits[messages.index(
        "Ban hành v2 theo Quyết định số 125/QĐ-UBND ngày 1/9/2023")].id
    repo.close()
    # The story ends with every file of the example, v1 byte for byte, and nothing reads as tampered.
    for path in (REPO / "comments").iterdir():
        assert (target / "comments" / path.name).is_file()
    for kind in ("self", "appraisal"):
        assert {p.name for p in (target / "scores" / kind).iterdir()} == {p.name for p in (REPO / "scores" / kind).iterdir()}
    assert (target / "rubric" / "drafts" / "v1.yaml").read_bytes() == (REPO / "rubric" / "drafts" / "v1.yaml").read_bytes()
    capsys.readouterr()
    assert main(["-w", str(target), "history"]) == 0
    shown = capsys.readouterr().out
    assert "v1 đã gửi lấy ý kiến: commit" in shown and "ngày 26/7/2023 08:00" in shown
    assert "nhãn v2-final-125-QD-UBND — khớp history.yaml" in shown
    assert main(["-w", str(target), "log", "rubric/drafts/v2.yaml"]) == 0
    assert "đã ban hành" in capsys.readouterr().out


def test_this_projects_own_checkout_is_not_a_clerks_repository(capsys):
    from cchc_consult.vcs import is_git

    assert not is_git(REPO)  # its .git is the developers' history: no tags, no mark
    assert main(["check", str(REPO / "rubric" / "drafts" / "v1.yaml")]) in (0, 1)
    assert "GIẢ MẠO" not in capsys.readouterr().err


def test_a_repository_made_with_git_by_hand_is_adopted_by_init_git(workspace, capsys):
    from dulwich.repo import Repo as DRepo

    DRepo.init(str(workspace)).close()
    assert cchc(workspace, "comments", "answer", "TCKH-3", "tiếp thu", "--replace") == 0
    assert cchc(workspace, "init", str(workspace), "--git", "--by", "Lan") == 0
    assert log_of(workspace)[0] == ("Lan", "Đưa thư mục làm việc vào git")
    assert cchc(workspace, "history") == 0


def test_the_tờ_trình_fields_saved_by_report_feedback_are_a_commit(workspace, tmp_path, capsys):
    cchc(workspace, "init", str(workspace), "--git", "--by", "Lan")
    before = len(log_of(workspace))
    assert cchc(workspace, "report", "feedback", "--to", "md", "-o", str(tmp_path / "fb.md")) == 0
    assert len(log_of(workspace)) == before  # only a paper outside the workspace: nothing to record
    assert cchc(workspace, "report", "feedback", "--to", "md", "-o", str(tmp_path / "fb.md"),
                "--submission", "96/TTr-NV", "--submission-date", "31/8/2023") == 0
    assert log_of(workspace)[0][1] == "Ghi thông tin Tờ trình (bảng tổng hợp góp ý) vào decision.yaml"
    assert "96/TTr-NV" in (workspace / "decision.yaml").read_text(encoding="utf-8")
