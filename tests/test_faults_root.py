"""Real faults as root (CI runs as root): a 200 KB tmpfs, a read-only bind mount, an immutable history.

Each gives a clear Vietnamese message (exit 2) and leaves every file either old or new.
Skipped, with the reason, where the test is not root or the kernel refuses the mount.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cchc_consult import cli
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="cần quyền root để gắn tmpfs, bind mount chỉ đọc và chattr +i")


def _copy_workspace(root: Path) -> None:
    for name in ("rubric",):
        shutil.copytree(REPO / name, root / name)
    for name in ("offices.yaml", "round.yaml"):
        shutil.copy(REPO / name, root / name)


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*.yaml")) if p.is_file()}


def _run(root: Path, capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(["-w", str(root), *argv])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.err


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"mount bị từ chối ở đây: {done.stderr.strip()}")


def test_a_full_tmpfs_gives_a_clear_message_and_old_files(tmp_path, capsys):
    root = tmp_path / "tiny"
    root.mkdir()
    _mount("-t", "tmpfs", "-o", "size=200k", "tmpfs", str(root))
    try:
        _copy_workspace(root)
        (root / "fill.bin").write_bytes(b"\0" * (shutil.disk_usage(root).free - 4096))
        before = _digests(root)
        code, err = _run(root, capsys, "draft", "circulate", "v2", "--letter", "9/UBND", "--date", "2023-07-26")
        assert code == 2 and "ổ đĩa đã đầy" in err and "v2.yaml" in err
        code, err = _run(root, capsys, "draft", "new", "--from", "v2")
        assert code == 2 and "ổ đĩa đã đầy" in err
        assert _digests(root) == before
        assert _run(root, capsys, "history")[0] == 0  # history and files still agree
    finally:
        subprocess.run(["umount", str(root)], check=False)


def test_a_read_only_bind_mount(tmp_path, capsys):
    source, root = tmp_path / "src", tmp_path / "ro"
    source.mkdir()
    root.mkdir()
    _copy_workspace(source)
    _mount("--bind", str(source), str(root))
    try:
        _mount("-o", "remount,bind,ro", str(root))
        before = _digests(root)
        code, err = _run(root, capsys, "draft", "new", "--from", "v2")
        assert code == 2 and "chỉ cho đọc" in err
        code, err = _run(root, capsys, "export", "v2", "--to", "docx", "-o", str(root / "x.docx"))
        assert code == 2 and "chỉ cho đọc" in err and "x.docx" in err
        assert _digests(root) == before
    finally:
        subprocess.run(["umount", str(root)], check=False)


def test_an_immutable_history(tmp_path, capsys):
    root = tmp_path / "im"
    root.mkdir()
    _copy_workspace(root)
    history = root / "rubric" / "history.yaml"
    if subprocess.run(["chattr", "+i", str(history)], capture_output=True).returncode:
        pytest.skip("chattr +i không dùng được trên hệ thống tệp này")
    try:
        before = _digests(root)
        code, err = _run(root, capsys, "draft", "circulate", "v2", "--letter", "9/UBND", "--date", "2023-07-26")
        assert code == 2 and "history.yaml" in err and "không cho phép" in err and ".tmp" not in err
        code, err = _run(root, capsys, "draft", "new", "--from", "v2")
        assert code == 2
        assert _digests(root) == before
        assert not (root / "rubric" / "drafts" / "v3.yaml").exists()
    finally:
        subprocess.run(["chattr", "-i", str(history)], check=False)
