"""A workspace that is also a git repository: commits, tags, tamper checks, sync, log.

This package's top module is light (no git library): commands ask `is_git(root)`
first, and only a git workspace pays for dulwich (imported inside the functions of
`repo`, `sync`, `log`). A plain folder works exactly as without this package.

dulwich rather than the git command: it is pure Python, installed by pip with the
tool, so a clerk's Windows machine needs no Git for Windows; measured in
docs/benchmarks.md ("Git").
"""

from __future__ import annotations

import os
from pathlib import Path

from ..vn import nfc

#: Environment variable naming the acting user when no --by is given.
USER_ENV = "CCHC_USER"


#: The section cchc writes into .git/config of a workspace repository it made or adopted.
MARK = "[cchc]"


def is_git(root: str | os.PathLike) -> bool:
    """Whether a workspace folder is a cchc git repository: its own .git, marked by `cchc init --git`.

    The mark keeps a checkout of this project's source (whose root holds the bundled example,
    in the developers' repository) from reading as a clerk's repository; an unmarked repository
    is adopted with `cchc init THƯ_MỤC --git`. Read as text: no git library for the answer.
    """
    try:
        return MARK in (Path(root) / ".git" / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def acting_user(by: str | None = None) -> str:
    """Who makes a change: --by, else $CCHC_USER, else the login name of the machine ("" when none)."""
    for name in (by, os.environ.get(USER_ENV)):
        if name and name.strip():
            return nfc(name).strip()
    import getpass  # here: getpass (with termios) is ~1 ms of the start-up of every command, needed only for a commit

    try:
        return getpass.getuser()
    except Exception:  # no login name on this machine (no USER, no password entry)
        return ""
