"""A change cut short between its two writes (history, rubric file) is reported and repaired."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from cchc_consult import cli, versions
from cchc_consult.workspace import Workspace
from tests.conftest import REPO


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler catches it."""


def _kill_between(monkeypatch):
    def killed():
        raise _Killed

    monkeypatch.setattr(versions, "_between_writes", killed)


def _history(workspace, capsys, *extra) -> tuple[int, str]:
    code = cli.main(["-w", str(workspace), "history", *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_circulate_cut_short_is_reported_and_repaired(workspace, monkeypatch, capsys):
    before = (workspace / "rubric" / "drafts" / "v2.yaml").read_bytes()
    _kill_between(monkeypatch)
    with pytest.raises(_Killed):
        versions.circulate(Workspace(workspace), "v2", "9/UBND", "2023-07-26")
    assert (workspace / "rubric" / "drafts" / "v2.yaml").read_bytes() == before  # old, not half-new
    monkeypatch.undo()
    code, text = _history(workspace, capsys)
    assert code == 1 and "KHÔNG KHỚP v2" in text and "--repair" in text
    code, text = _history(workspace, capsys, "--repair")
    assert code == 0 and "Đã sửa v2" in text
    assert Workspace(workspace).rubric("v2").meta.status == "circulated"


def test_a_publish_cut_short_is_repaired_to_final(workspace, monkeypatch, capsys):
    _kill_between(monkeypatch)
    with pytest.raises(_Killed):
        versions.finalize(Workspace(workspace), "v2", "12/QĐ-UBND", "2023-09-01", "thử")
    monkeypatch.undo()
    assert _history(workspace, capsys)[0] == 1
    assert _history(workspace, capsys, "--repair")[0] == 0
    assert Workspace(workspace).rubric("v2").meta.status == "final"


def test_a_draft_new_cut_short_leaves_a_record_that_repair_removes(workspace, monkeypatch, capsys):
    _kill_between(monkeypatch)
    with pytest.raises(_Killed):
        versions.new_draft(Workspace(workspace), "v1")
    monkeypatch.undo()
    code, text = _history(workspace, capsys)
    assert code == 1 and "KHÔNG KHỚP v3" in text
    assert _history(workspace, capsys, "--repair")[0] == 0
    assert "v3" not in Workspace(workspace).history()


def test_an_orphan_draft_is_listed_and_adopted(workspace, capsys):
    drafts = workspace / "rubric" / "drafts"
    (drafts / "v7.yaml").write_bytes((drafts / "v2.yaml").read_bytes().replace(b'version: "v2"', b'version: "v7"'))
    code, text = _history(workspace, capsys)
    assert code == 0 and "GHI CHÚ v7" in text and "mồ côi" in text  # listed, not an error: an import makes one
    code, text = _history(workspace, capsys, "--repair")
    assert code == 0 and "Đã sửa v7" in text and "GHI CHÚ" not in text
    assert Workspace(workspace).history()["v7"].status == "draft"


def test_an_orphan_whose_file_claims_a_freeze_disagrees(workspace, capsys):
    drafts = workspace / "rubric" / "drafts"
    text = (drafts / "v2.yaml").read_text(encoding="utf-8").replace('version: "v2"', 'version: "v8"')
    (drafts / "v8.yaml").write_text(text.replace("status: draft", "status: final", 1), encoding="utf-8")
    code, text = _history(workspace, capsys)
    assert code == 1 and "KHÔNG KHỚP v8" in text
    assert _history(workspace, capsys, "--repair")[0] == 0
    assert Workspace(workspace).rubric("v8").meta.status == "draft"


def test_the_old_order_file_final_history_draft_is_set_back(workspace, capsys):
    drafts = workspace / "rubric" / "drafts"
    path = drafts / "v2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: final", 1), encoding="utf-8")
    code, text = _history(workspace, capsys)
    assert code == 1 and "không có mã băm" in text
    assert _history(workspace, capsys, "--repair")[0] == 0
    assert Workspace(workspace).rubric("v2").meta.status == "draft"


def test_an_edited_frozen_file_is_not_repaired(workspace, capsys):
    path = workspace / "rubric" / "drafts" / "v1.yaml"
    path.write_bytes(path.read_bytes() + "# sửa tay\n".encode())
    code, text = _history(workspace, capsys, "--repair")
    assert code == 2 and "Đã sửa" not in text
    assert path.read_bytes().endswith("# sửa tay\n".encode())


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL exists only on POSIX")
def test_a_real_sigkill_between_the_writes_is_repaired(workspace, capsys):
    script = textwrap.dedent(f"""
        import os, signal, sys
        from cchc_consult import cli, versions
        versions._between_writes = lambda: os.kill(os.getpid(), signal.SIGKILL)
        sys.exit(cli.main(["-w", {str(workspace)!r}, "draft", "circulate", "v2", "--letter", "9/UBND",
                           "--date", "2023-07-26"]))
    """)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert _history(workspace, capsys)[0] == 1
    assert _history(workspace, capsys, "--repair")[0] == 0
    assert Workspace(workspace).rubric("v2").meta.status == "circulated"


def test_a_write_error_on_the_file_puts_the_history_back_byte_for_byte(workspace, monkeypatch, capsys):
    import errno

    from cchc_consult import fileio

    history = workspace / "rubric" / "history.yaml"
    before = history.read_bytes(), (workspace / "rubric" / "drafts" / "v2.yaml").read_bytes()
    real = fileio.atomic_write

    def full_for_drafts(path, data, **kwargs):
        if "drafts" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, **kwargs)

    monkeypatch.setattr(fileio, "atomic_write", full_for_drafts)
    for argv in (["draft", "circulate", "v2", "--letter", "9/UBND", "--date", "2023-07-26"],
                 ["draft", "new", "--from", "v2"]):
        assert cli.main(["-w", str(workspace), *argv]) == 2
        assert "ổ đĩa đã đầy" in capsys.readouterr().err
        assert (history.read_bytes(), (workspace / "rubric" / "drafts" / "v2.yaml").read_bytes()) == before
    monkeypatch.undo()
    assert _history(workspace, capsys)[0] == 0
