"""A full disk, a read-only folder, a locked file: exit 2, a Vietnamese message, every file old or new.

`os.replace` is what puts each new file in place (fileio.atomic_write); making it fail is what a
full tmpfs, a read-only bind mount or `chattr +i` does to every command, without needing root.
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from cchc_consult import cli

FIXTURES = Path(__file__).parent / "fixtures" / "rubrics"
WORDS = {errno.ENOSPC: "ổ đĩa đã đầy", errno.EROFS: "chỉ cho đọc", errno.EPERM: "không cho phép"}

COMMANDS = {
    "import": ["import", str(FIXTURES / "xa_quang_an_2024.docx"), "-o", "imported.yaml"],
    "draft new": ["draft", "new", "--from", "v2"],
    "circulate": ["draft", "circulate", "v2", "--letter", "1700/UBND", "--date", "25/8/2023", "--deadline",
                  "5/9/2023", "--no-pdf"],
    "comments answer": ["comments", "answer", "TP-2", "không tiếp thu", "--reason", "Giữ như dự thảo", "--replace"],
    "publish": ["publish", "v2", "--number", "125/QĐ-UBND", "--date", "5/9/2023", "--no-pdf"],
    "score": ["score", "--format", "xlsx", "-o", "out/diem.xlsx"],
}


def _files(root: Path) -> dict[str, str]:
    """Every file of the workspace but our lock files, with its hash."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and not p.name.endswith(".lock")}


def _failing_replace(monkeypatch, code: int, root: Path, succeed: int = 0) -> list[str]:
    """os.replace into the workspace fails with `code` after `succeed` successes (the cache is elsewhere)."""
    real, done = os.replace, []

    def replace(source, target, *args, **kwargs):
        if Path(target).is_relative_to(root):
            if len(done) >= succeed:
                raise OSError(code, os.strerror(code), str(source))
            done.append(str(target))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return done


@pytest.mark.parametrize("name, code", [("import", errno.ENOSPC), ("draft new", errno.EROFS),
                                        ("circulate", errno.EPERM), ("comments answer", errno.ENOSPC),
                                        ("publish", errno.EPERM), ("publish", errno.ENOSPC),
                                        ("score", errno.EROFS)])
def test_a_refused_write_leaves_every_file_old(workspace, monkeypatch, capsys, name, code):
    before = _files(workspace)
    _failing_replace(monkeypatch, code, workspace)
    assert cli.main(["-w", str(workspace), *COMMANDS[name]]) == 2
    err = capsys.readouterr().err
    assert WORDS[code] in err and "Cách sửa" in err and "Traceback" not in err and os.strerror(code) not in err
    monkeypatch.undo()
    assert _files(workspace) == before  # nothing half-written, no temporary file left behind
    assert cli.main(["-w", str(workspace), "history"]) == 0


@pytest.mark.parametrize("name", ["draft new", "circulate", "publish"])
def test_a_failure_after_the_history_is_written_is_undone_or_reported(workspace, monkeypatch, capsys, name):
    """The history is replaced, the version file is not: the history goes back, or `history` says so."""
    before = _files(workspace)
    _failing_replace(monkeypatch, errno.ENOSPC, workspace, succeed=1)
    assert cli.main(["-w", str(workspace), *COMMANDS[name]]) == 2
    monkeypatch.undo()
    capsys.readouterr()
    after = _files(workspace)
    history_ok = cli.main(["-w", str(workspace), "history"]) == 0
    if after == before:
        assert history_ok
    else:  # the undo could not be written either: the disagreement is found, and repaired on request
        said = capsys.readouterr()
        assert not history_ok and "--repair" in said.out + said.err
        cli.main(["-w", str(workspace), "history", "--repair"])
        assert cli.main(["-w", str(workspace), "history"]) == 0


def test_circulating_again_records_the_round_a_full_disk_left_out(workspace, monkeypatch, capsys):
    """The version was frozen, round.yaml could not be written: the same command, run again, finishes."""
    round_before = (workspace / "round.yaml").read_bytes()
    _failing_replace(monkeypatch, errno.ENOSPC, workspace, succeed=2)  # history.yaml, v2.yaml; not round.yaml
    assert cli.main(["-w", str(workspace), *COMMANDS["circulate"]]) == 2
    monkeypatch.undo()
    assert "round.yaml" in capsys.readouterr().err
    assert (workspace / "round.yaml").read_bytes() == round_before
    assert cli.main(["-w", str(workspace), *COMMANDS["circulate"]]) == 0
    text = (workspace / "round.yaml").read_text(encoding="utf-8")
    assert 'version: "v2"' in text and "1700/UBND" in text
    assert cli.main(["-w", str(workspace), *COMMANDS["circulate"]]) == 2  # and a third time is refused again
    assert "đã ở trạng thái" in capsys.readouterr().err


def test_the_history_lock_is_named_as_the_history_file():
    from cchc_consult.errors import from_os_error

    error = from_os_error(OSError(errno.EROFS, "Read-only file system", "/ws/rubric/.history-edit.lock"))
    assert error.path == "/ws/rubric/history.yaml" and "history-edit" not in str(error)
    assert from_os_error(OSError(errno.EROFS, "x", "/ws/rubric/drafts/.v3.yaml.lock")).path == "/ws/rubric/drafts/v3.yaml"
