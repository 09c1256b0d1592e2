"""Small helpers shared by command modules (not a command itself: the leading underscore).

One rule for paths: a file the command READS (import's source) is taken as
typed, from the current folder; a file it WRITES (-o) is relative to the
workspace, in every command, and its full path is printed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..workspace import Workspace, find_workspace
from ..fileio import atomic_write

#: Said under every -o option, so --help states the rule where it applies.
OUTPUT_RULE = "đường dẫn tương đối tính từ thư mục làm việc"


def workspace_of(args) -> Workspace:
    """The workspace of a command (-w, $CCHC_WORKSPACE or the current folder), announced on stderr."""
    ws = find_workspace(getattr(args, "workspace", None))
    announce(ws)
    return ws


def workspace_for_file(args, spec) -> Workspace:
    """The workspace of a command given a rubric argument: a plain file path needs none (cwd stands in)."""
    text = str(spec or "")
    is_path = text.endswith((".yaml", ".yml")) or os.sep in text or "/" in text
    if not is_path or getattr(args, "workspace", None) or os.environ.get("CCHC_WORKSPACE"):
        return workspace_of(args)
    ws = find_workspace(required=False)
    if ws is not None:
        announce(ws)
    return ws or Workspace(Path.cwd())


#: The workspace the running command used; the CLI names it once the command has succeeded,
#: so an error message stays the first thing on stderr.
used: list[Workspace] = []


def announce(ws: Workspace) -> None:
    used[:] = [ws]


def say_workspace() -> None:
    """One short line on stderr naming the workspace the command used (nothing when it used none)."""
    if used:
        print(f"Thư mục làm việc: {used[0].root}", file=sys.stderr)


def output_path(ws: Workspace, path: str | os.PathLike) -> Path:
    """Where an -o argument points: relative to the workspace, never to the current folder."""
    target = Path(path).expanduser()
    return target if target.is_absolute() else ws.root / target


def writable_output(ws: Workspace, path: str | os.PathLike) -> Path:
    """`output_path`, refused when it is (or links to) a circulated or final version."""
    return ws.ensure_writable_version(output_path(ws, path))


def wrote(path: Path, detail: str = "") -> None:
    """Say, on stderr, the full path of a file a command wrote."""
    print(f"Đã ghi {Path(path).resolve()}" + (f" ({detail})" if detail else ""), file=sys.stderr)


def warn_each(lines) -> None:
    """One "CẢNH BÁO …" line on stderr for each warning (the screen's part of what a paper could not keep)."""
    for line in lines:
        print(f"CẢNH BÁO {line}", file=sys.stderr)


def write_output(text: str, path: str | None, ws: Workspace) -> None:
    """Print, or write a file atomically (never onto a frozen version of `ws`) and say where."""
    if path:

        target = writable_output(ws, path)
        atomic_write(target, text)
        wrote(target)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
