"""Faults: a save killed at any moment leaves the old file or the new one, never a mix; two
writers never corrupt a file; an edit made elsewhere is never silently overwritten; a frozen
version edited by hand is refused.

The kill tests run real processes and SIGKILL them (no clean-up handler can run), some at
random moments and some at a chosen point inside `atomic_write` (while the temporary file is
being flushed, and right after the rename).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cchc_consult import document, errors, fileio, schema, yamlio
from cchc_consult.errors import FrozenVersionError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import generate  # noqa: E402  (bench/generate.py: the deterministic rubric generator)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock are POSIX")

ENV = {**os.environ, "PYTHONPATH": str(REPO), "CCHC_NO_CACHE": "1"}


@pytest.fixture(scope="module")
def big_versions() -> tuple[bytes, bytes]:
    """Two versions of a 600-criterion rubric (~0.4 MB each) that differ in length and in many places."""
    first_text = yamlio.dump_yaml(schema.rubric_to_data(generate.generate_rubric(600)))
    second_text = first_text.replace("Thực hiện", "Tổ chức thực hiện").replace("năm 2023", "năm 2024")
    first, second = first_text.encode("utf-8"), second_text.encode("utf-8")
    assert first != second and len(first) > 300_000
    return first, second


def _draft_copy(tmp_path: Path) -> Path:
    """The bundled v1 as an editable draft (the bundled one is circulated, hence frozen)."""
    target = tmp_path / "v1.yaml"
    text = (REPO / "rubric" / "drafts" / "v1.yaml").read_text(encoding="utf-8")
    target.write_text(text.replace("status: circulated", "status: draft", 1), encoding="utf-8")
    return target


def _start(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV, text=True)


def _kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, child.stderr.read()


SAVE_LOOP = """
    import sys
    from pathlib import Path
    from cchc_consult import fileio
    target, first, second = sys.argv[1:4]
    payloads = [Path(first).read_bytes(), Path(second).read_bytes()]
    print("ready", flush=True)
    i = 0
    while True:
        fileio.atomic_write(target, payloads[i % 2])
        i += 1
"""


@pytest.mark.slow
def test_kill_at_random_moments_leaves_old_or_new(tmp_path, big_versions):
    first, second = big_versions
    (tmp_path / "a").write_bytes(first)
    (tmp_path / "b").write_bytes(second)
    target = tmp_path / "v1.yaml"
    target.write_bytes(first)
    rng = random.Random(8)
    for _ in range(12):
        child = _start(SAVE_LOOP, str(target), str(tmp_path / "a"), str(tmp_path / "b"))
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0, 0.25))
        _kill(child)
        content = target.read_bytes()
        assert content in (first, second), f"mixed or truncated file: {len(content)} bytes"
    schema.load_rubric_file(target)  # and it still reads as a rubric


# The child slows down inside atomic_write at one point and says so; the parent kills it there.
KILL_AT = """
    import os, sys, time
    from cchc_consult import fileio
    target, payload, where = sys.argv[1], open(sys.argv[2], "rb").read(), sys.argv[3]
    real_fsync, real_replace = os.fsync, os.replace
    def fsync(fd):
        real_fsync(fd)
        if where == "fsync":
            print("at", flush=True); time.sleep(60)
    def replace(a, b):
        real_replace(a, b)
        if where == "replace":
            print("at", flush=True); time.sleep(60)
    os.fsync, os.replace = fsync, replace
    fileio.atomic_write(target, payload)
"""


@pytest.mark.slow
@pytest.mark.parametrize("where, expect_new", [("fsync", False), ("replace", True)])
def test_kill_inside_atomic_write(tmp_path, big_versions, where, expect_new):
    old, new = big_versions
    target = tmp_path / "v1.yaml"
    target.write_bytes(old)
    (tmp_path / "new").write_bytes(new)
    child = _start(KILL_AT, str(target), str(tmp_path / "new"), where)
    assert child.stdout.readline() == "at\n"
    _kill(child)
    assert target.read_bytes() == (new if expect_new else old)
    # A killed save may leave its hidden temporary file; it never takes the rubric's name.
    assert [p.name for p in tmp_path.glob("*.yaml")] == ["v1.yaml"]


EDIT_LOOP = """
    import sys
    from cchc_consult.document import RubricDocument
    doc = RubricDocument.open(sys.argv[1])
    print("ready", flush=True)
    i = 0
    while True:
        doc.set_fields("I.1.1", {"title": sys.argv[2 + i % 2]})
        doc.save()
        i += 1
"""


@pytest.mark.slow
def test_kill_during_document_save(tmp_path):
    target = _draft_copy(tmp_path)
    original = target.read_bytes()
    titles = ["Ban hành kế hoạch CCHC năm 2024", "Ban hành kế hoạch CCHC hằng năm (sửa theo góp ý)"]
    expected = {original}
    for title in titles:
        doc = document.RubricDocument.open(target)
        doc.set_fields("I.1.1", {"title": title})
        expected.add(doc.dumps().encode("utf-8"))
    rng = random.Random(4)
    for _ in range(4):
        child = _start(EDIT_LOOP, str(target), *titles)
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0, 0.3))
        _kill(child)
        assert target.read_bytes() in expected
    final_title = document.RubricDocument.open(target).rubric.index()["I.1.1"].title
    assert final_title in titles + ["Ban hành kế hoạch CCHC hằng năm"]


COUNTER = """
    import sys
    from cchc_consult import fileio
    path = sys.argv[1]
    for _ in range(int(sys.argv[2])):
        with fileio.file_lock(path):  # read, change, write under one lock (atomic_write re-enters it)
            n = int(fileio.read_text(path))
            fileio.atomic_write(path, str(n + 1))
"""


@pytest.mark.slow
def test_two_processes_updating_one_file_lose_nothing(tmp_path):
    path = tmp_path / "counter.txt"
    fileio.atomic_write(path, "0")
    children = [_start(COUNTER, str(path), "40") for _ in range(2)]
    for child in children:
        assert child.wait(timeout=60) == 0, child.stderr.read()
    assert fileio.read_text(path) == "80"


@pytest.mark.slow
def test_two_processes_saving_at_once_never_corrupt(tmp_path, big_versions):
    first, second = big_versions
    target = tmp_path / "v1.yaml"
    target.write_bytes(first)
    (tmp_path / "a").write_bytes(first)
    (tmp_path / "b").write_bytes(second)
    writers = [_start(SAVE_LOOP, str(target), str(tmp_path / "a"), str(tmp_path / "b")),
               _start(SAVE_LOOP, str(target), str(tmp_path / "b"), str(tmp_path / "a"))]
    for writer in writers:
        assert writer.stdout.readline() == "ready\n"
    seen = set()
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        content = target.read_bytes()
        assert content in (first, second), f"a reader saw a mixed file ({len(content)} bytes)"
        seen.add(content)
    for writer in writers:
        _kill(writer)
    assert target.read_bytes() in (first, second)


def test_lock_is_reentrant_in_one_thread(tmp_path):
    path = tmp_path / "x.yaml"
    with fileio.file_lock(path):
        with fileio.file_lock(path):
            fileio.atomic_write(path, "a: 1\n")
    assert path.read_text() == "a: 1\n"


def test_second_editor_cannot_overwrite_the_first(tmp_path):
    target = _draft_copy(tmp_path)
    first, second = document.RubricDocument.open(target), document.RubricDocument.open(target)
    first.set_fields("I.1.1", {"title": "Sửa của người thứ nhất"})
    first.save()
    second.set_fields("I.1.2", {"title": "Sửa của người thứ hai"})
    with pytest.raises(errors.ConcurrentEditError) as info:
        second.save()
    assert target.name in str(info.value) and info.value.fix
    assert schema.load_rubric_file(target).index()["I.1.1"].title == "Sửa của người thứ nhất"
    # Re-opened, the second editor sees the first one's change and can save its own.
    again = document.RubricDocument.open(target)
    again.set_fields("I.1.2", {"title": "Sửa của người thứ hai"})
    again.save()
    saved = schema.load_rubric_file(target).index()
    assert saved["I.1.1"].title == "Sửa của người thứ nhất" and saved["I.1.2"].title == "Sửa của người thứ hai"


def test_repeated_saves_by_one_editor_are_fine(tmp_path):
    target = _draft_copy(tmp_path)
    doc = document.RubricDocument.open(target)
    for title in ("Một", "Hai", "Ba"):
        doc.set_fields("I.1.1", {"title": title})
        doc.save()
    assert schema.load_rubric_file(target).index()["I.1.1"].title == "Ba"


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "v1.yaml"
    target.write_text("cu: 1\n", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        fileio.atomic_write(target, "moi: 2\n")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "cu: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".v1.yaml.lock", "v1.yaml"]


def test_frozen_version_edited_by_hand_is_refused(workspace, capsys):
    from cchc_consult import cli, versions
    from cchc_consult.workspace import Workspace

    ws = Workspace(workspace)
    if not ws.history().get("v1") or not ws.history()["v1"].frozen:
        versions.circulate(ws, "v1", "1632/UBND", "26/7/2023")
    assert ws.rubric("v1").meta.status == "circulated"
    path = ws.version_path("v1")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('max: "22"', 'max: "23"', 1), encoding="utf-8")  # a clerk "fixes" a sum
    with pytest.raises(FrozenVersionError) as info:
        ws.rubric("v1")
    assert path.name in str(info.value) and "đã bị sửa" in str(info.value) and info.value.fix
    assert cli.main(["-w", str(workspace), "check", "v1"]) == 2
    assert "đã bị sửa" in capsys.readouterr().err
    # Even a change invisible to the eye (one trailing space) is caught.
    path.write_text(text + " ", encoding="utf-8")
    with pytest.raises(FrozenVersionError):
        ws.rubric("v1")
    path.write_text(text, encoding="utf-8")
    assert ws.rubric("v1").meta.status == "circulated"


def test_a_temporary_left_by_a_killed_save_is_removed_by_the_next_save(tmp_path):
    target = tmp_path / "v1.yaml"
    target.write_text("cu: 1\n", encoding="utf-8")
    leftover = tmp_path / ".v1.yaml.abc123.tmp"       # what a SIGKILL between write and rename leaves
    other = tmp_path / ".v2.yaml.abc123.tmp"          # another file's temporary is not ours to touch
    leftover.write_text("moi: nửa chừng", encoding="utf-8")
    other.write_text("x", encoding="utf-8")
    fileio.atomic_write(target, "moi: 2\n")
    assert target.read_text(encoding="utf-8") == "moi: 2\n"
    assert not leftover.exists() and other.exists()
