"""The workspace is the only way in: a circulated v1 changed by one byte, or replaced by a link, is refused
by every command that reads a version, through the real entry point, and by the TUI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_consult import fileio
from cchc_consult.errors import FrozenVersionError, WorkspaceError
from cchc_consult.workspace import Workspace
from tests.conftest import REPO, SEED

V1 = Path("rubric") / "drafts" / "v1.yaml"

#: Every command that reads a version (v1 directly, or as the round's circulated version).
READERS = {
    "check": ["check", "v1"],
    "check-path": ["check", "{ws}/rubric/drafts/v1.yaml"],
    "diff": ["diff", "v1", "v2"],
    "export": ["export", "v1", "--to", "md"],
    "comments-template": ["comments", "template", "TP"],
    "comments-list": ["comments", "list"],
    "comments-ledger": ["comments", "ledger", "--as-of", "2023-08-20"],
    "comments-owners": ["comments", "owners"],
    "comments-answer": ["comments", "answer", "TP-1", "tiếp thu"],
    "comments-loop": ["comments", "loop", "v2"],
    "report-feedback": ["report", "feedback", "--to", "md"],
    "score": ["score", "--rubric", "v1"],  # the sheets are on v2; the preview on v1 reads it
    "score-template": ["score", "template", "TP", "--rubric", "v1"],
    "publish": ["publish", "v1", "--number", "125/QĐ-UBND", "--date", "2023-09-01",
                "--no-pdf", "-o", "{ws}/out/qd"],
    "history": ["history"],
    "draft-new": ["draft", "new", "--from", "v1"],
    "draft-circulate": ["draft", "circulate", "v1", "--letter", "1/UBND", "--date", "2023-07-26"],
    "tui": ["tui", "--version", "v1"],
}


def cchc(ws: Path, *argv: str) -> subprocess.CompletedProcess:
    """`python -m cchc_consult -w WS …` with this checkout first on the path."""
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "cchc_consult", "-w", str(ws), *argv], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=ws, timeout=120)


def tamper_one_byte(ws: Path) -> None:
    path = ws / V1
    raw = bytearray(path.read_bytes())
    at = raw.index(b'max: "22"') + len('max: "2')
    raw[at] = ord("3")  # 22 → 23: one byte
    path.write_bytes(bytes(raw))


def link_to_copy(ws: Path, tmp_path: Path, *, identical: bool) -> None:
    """Replace v1.yaml by a symbolic link to a copy outside the drafts folder (changed, or byte-identical)."""
    path = ws / V1
    outside = tmp_path / "elsewhere" / "v1.yaml"
    outside.parent.mkdir(exist_ok=True)
    raw = path.read_bytes()
    outside.write_bytes(raw if identical else raw.replace(b'max: "22"', b'max: "23"', 1))
    path.unlink()
    path.symlink_to(outside)


def snapshot(ws: Path) -> dict[str, bytes]:
    """Every file of the workspace but out/ and lock files, to show a refused command changed nothing."""
    return {str(p.relative_to(ws)): p.read_bytes() for p in sorted(ws.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock") and "out" not in p.relative_to(ws).parts}


@pytest.mark.parametrize("mode", ["one-byte", "link-changed", "link-identical"])
@pytest.mark.parametrize("name", list(READERS))
def test_every_command_refuses_a_changed_circulated_version(workspace, tmp_path, mode, name):
    if mode == "one-byte":
        tamper_one_byte(workspace)
    else:
        link_to_copy(workspace, tmp_path, identical=mode == "link-identical")
    before = snapshot(workspace)
    argv = [a.format(ws=workspace) for a in READERS[name]]
    result = cchc(workspace, *argv)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "Lỗi:" in result.stderr and "v1.yaml" in result.stderr and "phiên bản v1" in result.stderr
    expected = "đã bị sửa" if mode == "one-byte" else "liên kết (symlink)"
    assert expected in result.stderr and "Cách sửa" in result.stderr
    assert snapshot(workspace) == before
    assert not (workspace / "out" / "qd").exists()


@pytest.mark.parametrize("name", ["check", "diff", "comments-list", "report-feedback", "score", "history"])
def test_the_same_commands_read_an_intact_workspace(workspace, name):
    """The control: on the untouched copy these commands run (exit 0 or 1: findings), so a refusal means the file."""
    result = cchc(workspace, *[a.format(ws=workspace) for a in READERS[name]])
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "đã bị sửa" not in result.stderr


# --------------------------------------------------------------------------- writing onto a frozen version

@pytest.mark.parametrize("argv", [
    ["import", str(SEED), "--force", "-o", "rubric/drafts/v1.yaml"],
    ["export", "v2", "--to", "md", "-o", "rubric/drafts/v1.yaml"],
    ["diff", "v1", "v2", "-o", "rubric/drafts/v1.yaml"],
    ["comments", "template", "TP", "-o", "rubric/drafts/v1.yaml"],
    ["export", "v2", "--to", "md", "-o", "link.yaml"],
], ids=["import-force", "export", "diff-output", "comments-template-output", "export-through-a-link"])
def test_writing_onto_a_frozen_version_is_refused(workspace, argv):
    (workspace / "link.yaml").symlink_to(workspace / V1)
    before = (workspace / V1).read_bytes()
    result = cchc(workspace, *argv)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "không ghi đè lên phiên bản v1" in result.stderr and "đã gửi lấy ý kiến, đã đóng băng" in result.stderr
    assert "cchc draft new --from v1" in result.stderr
    assert (workspace / V1).read_bytes() == before and (workspace / "link.yaml").is_symlink()


def test_import_force_onto_a_draft_still_overwrites_it(workspace):
    result = cchc(workspace, "import", str(SEED), "--force", "-o", "rubric/drafts/v2.yaml")
    assert result.returncode in (0, 1), result.stderr
    assert Workspace(workspace).rubric("v2").meta.status == "draft"


# --------------------------------------------------------------------------- the Workspace itself

def test_a_version_is_read_once_hashed_and_parsed_from_the_same_bytes(workspace, monkeypatch):
    ws = Workspace(workspace)
    reads: list[str] = []
    original = fileio.read_bytes

    def counting(path, *args, **kwargs):
        reads.append(Path(path).name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(fileio, "read_bytes", counting)
    rubric = ws.rubric("v1")
    assert rubric.meta.version == "v1" and rubric.source == str(ws.version_path("v1"))
    assert reads.count("v1.yaml") == 1


def test_a_draft_linked_outside_the_folder_is_refused_and_one_inside_is_read(workspace, tmp_path):
    ws = Workspace(workspace)
    v2 = ws.version_path("v2")
    outside = tmp_path / "v2-elsewhere.yaml"
    shutil.copy(v2, outside)
    inside = ws.drafts / "v2-real.yaml"
    shutil.move(v2, inside)
    v2.symlink_to(outside)
    with pytest.raises(WorkspaceError, match="ra ngoài thư mục dự thảo"):
        ws.rubric("v2")
    with pytest.raises(WorkspaceError):
        ws.rubric_file(str(v2))
    v2.unlink()
    v2.symlink_to(inside)
    assert ws.rubric("v2").meta.version == "v2"


def test_a_frozen_version_linked_even_to_an_identical_copy_inside_the_folder_is_refused(workspace):
    ws = Workspace(workspace)
    v1 = ws.version_path("v1")
    copy = ws.drafts / "v1-copy.yaml"
    shutil.move(v1, copy)
    v1.symlink_to(copy)
    with pytest.raises(FrozenVersionError, match="liên kết"):
        ws.rubric("v1")


def test_the_public_load_rubric_checks_a_version_too(workspace):
    import cchc_consult

    tamper_one_byte(workspace)
    with pytest.raises(FrozenVersionError, match="đã bị sửa"):
        cchc_consult.load_rubric(workspace / V1)


def test_a_path_into_another_workspace_is_checked_against_that_workspace(workspace, tmp_path):
    tamper_one_byte(workspace)
    elsewhere = Workspace(tmp_path / "empty")
    with pytest.raises(FrozenVersionError, match="đã bị sửa"):
        elsewhere.rubric_file(workspace / V1)
    outside = tmp_path / "copy.yaml"
    shutil.copy(workspace / V1, outside)
    assert elsewhere.rubric_file(outside).index()["I"].max == 23  # a file outside any drafts folder: as is


def test_readers_return_domain_objects(workspace):
    ws = Workspace(workspace)
    assert ws.round().version == "v1" and ws.round().deadline.isoformat() == "2023-08-18"
    assert "TCKH" in {o.code for o in ws.offices()}
    comments = ws.comments()
    assert comments.comments and all(c.source for c in comments.comments)
    assert ws.dispositions().items
    assert {s.kind for s in ws.sheets("appraisal")} == {"appraisal"}
    assert len(ws.sheets()) == len(ws.sheets("self")) + len(ws.sheets("appraisal"))
    assert ws.settings() is not None and ws.decision() is not None
    assert ws.history()["v1"].frozen and not ws.history()["v2"].frozen
    assert ws.consultation().rubric.meta.version == "v1"


def test_ensure_writable_version_lets_other_files_through(workspace):
    ws = Workspace(workspace)
    assert ws.ensure_writable_version(workspace / "out" / "v1.yaml") == workspace / "out" / "v1.yaml"
    assert ws.ensure_writable_version("rubric/drafts/v9.yaml") == Path("rubric/drafts/v9.yaml")
    assert ws.ensure_writable_version(ws.version_path("v2")) == ws.version_path("v2")
    with pytest.raises(FrozenVersionError):
        ws.ensure_writable_version(ws.version_path("v1"))


# --------------------------------------------------------------------------- the TUI

def test_the_tui_session_refuses_a_changed_version(workspace):
    from cchc_consult.tui.session import EditSession

    tamper_one_byte(workspace)
    ws = Workspace(workspace)
    with pytest.raises(FrozenVersionError, match="đã bị sửa"):
        EditSession.load(ws, ws.version_path("v1"))
    assert EditSession.load(ws, ws.version_path("v2")).rubric.meta.version == "v2"


def test_the_tui_shows_the_refusal_when_opening_a_changed_version(workspace):
    import asyncio

    pytest.importorskip("textual")
    from cchc_consult.tui.app import create_app
    from tests.tui_helpers import wait_until_ready

    tamper_one_byte(workspace)
    app = create_app(workspace, "v2", open_document=False)

    async def scenario() -> list[str]:
        async with app.run_test(size=(140, 40)) as pilot:
            await wait_until_ready(pilot)
            app.open_path(app.workspace.version_path("v1"))
            await pilot.pause()
            return [f"{n.title}: {n.message}" for n in app._notifications]

    shown = asyncio.run(scenario())
    assert any("Không mở được" in text and "đã bị sửa" in text for text in shown), shown
    assert app.session.version == "v2"
