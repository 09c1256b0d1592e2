"""Windows: the package imports without POSIX-only modules, and a save works there (issue 12, item 5).

CI runs Linux, so each test runs in a fresh interpreter where `fcntl` cannot be imported
(`sys.modules["fcntl"] = None` makes `import fcntl` raise ImportError, as on Windows) and
takes fileio's Windows path: msvcrt for the lock (a stand-in built on Linux's own lock, so
two writers still exclude each other) and no directory fsync.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO, V1

#: A folder as a clerk names it on Windows: Vietnamese letters, spaces, a dash.
VIETNAMESE_FOLDER = "Bộ tiêu chí CCHC – bản góp ý đợt mới"

# Run before anything of ours is imported: fcntl is gone.
WINDOWS_LIKE = """
import os, sys, types
import fcntl as _real_fcntl
sys.modules["fcntl"] = None
"""
# For the saves: msvcrt stands in (after subprocess is loaded: it probes msvcrt to tell Windows).
MSVCRT_STANDIN = """
import subprocess
msvcrt = types.ModuleType("msvcrt")
msvcrt.LK_NBLCK, msvcrt.LK_UNLCK = 2, 0
msvcrt.calls = []
def locking(fd, mode, nbytes):
    msvcrt.calls.append(mode)
    _real_fcntl.lockf(fd, _real_fcntl.LOCK_EX | _real_fcntl.LOCK_NB if mode == 2 else _real_fcntl.LOCK_UN, nbytes)
msvcrt.locking = locking
sys.modules["msvcrt"] = msvcrt
"""


def _run(code: str, *args: str, msvcrt: bool = True) -> subprocess.CompletedProcess:
    script = WINDOWS_LIKE + (MSVCRT_STANDIN if msvcrt else "") + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_every_module_imports_without_fcntl():
    result = _run("""
        import importlib, pkgutil
        import cchc_consult
        names = [info.name for info in pkgutil.walk_packages(cchc_consult.__path__, "cchc_consult.")
                 if not info.name.endswith(".__main__")]  # __main__ runs the CLI
        for name in names:
            importlib.import_module(name)
        assert "cchc_consult.tui.app" in names and "cchc_consult.fileio" in names
        assert sys.modules["fcntl"] is None
        print(len(names))
    """, msvcrt=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 40


def test_a_save_works_the_windows_way_in_a_vietnamese_folder(tmp_path):
    folder = tmp_path / VIETNAMESE_FOLDER / "rubric" / "drafts"
    folder.mkdir(parents=True)
    target = folder / "v1.yaml"
    target.write_text(V1.read_text(encoding="utf-8").replace("status: circulated", "status: draft", 1),
                      encoding="utf-8")
    result = _run("""
        import os, sys
        from pathlib import Path
        from cchc_consult import document, fileio, schema
        fileio._on_windows = lambda: True
        real_open = os.open
        def no_directories(path, flags, *args):  # Windows cannot open a directory to fsync it
            if os.path.isdir(path):
                raise PermissionError(13, "Access is denied", str(path))
            return real_open(path, flags, *args)
        os.open = no_directories
        target = Path(sys.argv[1])
        note = target.parent / "ghi chú — đợt góp ý.txt"
        fileio.atomic_write(note, "Góp ý của cơ quan: đồng ý toàn bộ\\n")
        assert note.read_text(encoding="utf-8") == "Góp ý của cơ quan: đồng ý toàn bộ\\n"
        doc = document.RubricDocument.open(target)
        doc.set_fields("I.1.1", {"title": "Tiêu chí đã sửa trên máy Windows"})
        doc.save()
        assert schema.load_rubric_file(target).index()["I.1.1"].title == "Tiêu chí đã sửa trên máy Windows"
        msvcrt = sys.modules["msvcrt"]
        assert msvcrt.calls and msvcrt.calls.count(2) == msvcrt.calls.count(0), msvcrt.calls
        print("ok")
    """, str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    # Only the saved files and the hidden locks: no temporary left behind.
    assert sorted(p.name for p in folder.iterdir()) == [".ghi chú — đợt góp ý.txt.lock", ".v1.yaml.lock",
                                                        "ghi chú — đợt góp ý.txt", "v1.yaml"]


def test_a_file_held_open_by_another_program_is_a_vietnamese_error(tmp_path):
    """Windows refuses to replace a file Excel holds open: after retrying, a sentence, not a traceback."""
    target = tmp_path / VIETNAMESE_FOLDER / "bảng điểm.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"old")
    result = _run("""
        import os, sys
        from cchc_consult import fileio
        from cchc_consult.errors import CchcError
        fileio._on_windows = lambda: True
        fileio._RETRY_PAUSE = 0.001
        tries = []
        def refused(src, dst):
            tries.append(dst)
            raise PermissionError(13, "The process cannot access the file", str(dst))
        os.replace = refused
        try:
            fileio.atomic_write(sys.argv[1], b"new")
        except CchcError as exc:
            print(len(tries), exc, sep="\\n")
    """, str(target))
    assert result.returncode == 0, result.stderr
    tries, message = result.stdout.split("\n", 1)
    assert int(tries) > 1  # a passing antivirus scan gets another chance
    assert "đang mở trong chương trình khác" in message and "đóng tệp" in message
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == [".bảng điểm.xlsx.lock", "bảng điểm.xlsx"]


def test_lock_files_are_hidden_in_explorer_once_when_made(tmp_path):
    """Explorer shows dot files: a lock beside a clerk's file gets the Windows "hidden" attribute."""
    result = _run("""
        import ctypes, sys, types
        from pathlib import Path
        from cchc_consult import fileio
        fileio._on_windows = lambda: True
        calls = []
        ctypes.windll = types.SimpleNamespace(kernel32=types.SimpleNamespace(
            SetFileAttributesW=lambda path, attributes: calls.append((Path(path).name, attributes)) or 1))
        target = Path(sys.argv[1]) / "bảng tổng hợp.docx"
        fileio.atomic_write(target, b"first")
        fileio.atomic_write(target, b"second")  # the lock exists now: not touched again
        print(calls)
    """, str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('.bảng tổng hợp.docx.lock', 2)]"
