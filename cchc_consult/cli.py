"""The `cchc` command: a thin layer of argparse over the library's functions.

Each sub-command lives in `cchc_consult/commands/<name>.py` with a
`register(subparsers)` function; they are discovered, so adding a command
touches no other file. Command modules import their heavy libraries (ruamel,
deepdiff, python-docx, openpyxl, Textual) inside the handler, so `cchc check`
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cchc",
        description="Soạn thảo, lấy ý kiến, ban hành và chấm điểm Bộ tiêu chí chỉ số CCHC. "
                    "Không có lệnh con: mở giao diện (TUI) trên không gian làm việc.",
    )
    parser.add_argument("-w", "--workspace", help="thư mục làm việc (mặc định: thư mục hiện tại hoặc bộ mẫu 2023)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    from . import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors of ours become a Vietnamese message and exit code 2, never a traceback."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["tui", *(argv or [])])
    try:
        return int(args.handler(args) or 0)
    except CchcError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
