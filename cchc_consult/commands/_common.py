"""Small helpers shared by command modules (not a command itself: the leading underscore)."""

from __future__ import annotations

import sys

from ..workspace import Workspace, find_workspace


def workspace_of(args) -> Workspace:
    return find_workspace(getattr(args, "workspace", None))


def write_output(text: str, path: str | None, ws: Workspace) -> None:
    """Print, or write a file atomically (never onto a frozen version of `ws`) and say where."""
    if path:
        from ..fileio import atomic_write

        atomic_write(ws.ensure_writable_version(path), text)
        print(f"Đã ghi {path}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
