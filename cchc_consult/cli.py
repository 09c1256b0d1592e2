"""The `cchc` command: a thin layer of argparse over the library's functions.

Each sub-command lives in `cchc_consult/commands/<name>.py` with a
`register(subparsers)` function; they are discovered, so adding a command
touches no other file. Only the command named on the command line is
imported (all of them for `--help`): registering all eleven cost 13 ms of a
~100 ms cold start. Command modules import their heavy libraries (ruamel,
python-docx, openpyxl, Jinja2, Textual) inside the handler, so `cchc check`
starts as fast as Python and a YAML parser allow. argparse rather than click:
it is already loaded with Python's standard library, so it costs nothing at
start-up (click measured +25 ms here).
"""

from __future__ import annotations

import argparse
import pkgutil
import sys
from importlib import import_module

from .errors import CchcError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

#: Sub-commands whose module has another name ("import" is a Python keyword).
_MODULE_OF = {"import": "importing"}


def requested_command(argv: list[str]) -> str | None:
    """The sub-command named on a command line, past the global -w/--workspace option; None for help."""
    skip_value = False
    for token in argv:
        if skip_value:
            skip_value = False
        elif token in ("-w", "--workspace"):
            skip_value = True
        elif token.startswith("--workspace="):
            continue
        elif token.startswith("-"):
            return None
        else:
            return token
    return "tui"


def _command_modules(only: str | None) -> list[str]:
    """Module names to register: just the requested one when it exists (start-up stays light), else all."""
    from importlib.util import find_spec

    from . import commands

    if only:
        module = _MODULE_OF.get(only, only)
        if not module.startswith("_") and find_spec(f"{commands.__name__}.{module}") is not None:
            return [module]
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_"))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with `only`, just that sub-command is imported and registered."""
    parser = argparse.ArgumentParser(
        prog="cchc",
        description="Soạn thảo, lấy ý kiến, ban hành và chấm điểm Bộ tiêu chí chỉ số CCHC. "
                    "Không có lệnh con: mở giao diện (TUI) trên không gian làm việc.",
    )
    parser.add_argument("-w", "--workspace", help="thư mục làm việc (mặc định: $CCHC_WORKSPACE, rồi thư mục hiện tại nếu có rubric/drafts/; tạo mới: cchc init, bộ mẫu: cchc demo)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for name in _command_modules(only):
        import_module(f"{__package__}.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors of ours become a Vietnamese message and exit code 2, never a traceback."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(only=requested_command(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "tui"])
    try:
        code = int(args.handler(args) or 0)
        from .commands._common import say_workspace

        say_workspace()
        return code
    except CchcError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
