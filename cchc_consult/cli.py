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
import gc
import os
import sys
from importlib import import_module

from . import __version__, commands
from .argparse_vi import VietnameseArgumentParser
from .errors import CchcError, from_os_error
from .commands._common import say_workspace, used
from .render.escape import terminal_text
from .vcs import is_git

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

#: Sub-commands whose module has another name ("import" is a Python keyword).
_MODULE_OF = {"import": "importing"}


def requested_command(argv: list[str]) -> str | None:
    """The sub-command named on a command line, past the global -w/--workspace option; None for help."""
    skip_value = False
    for token in argv:
        if skip_value:
            skip_value = False
        elif token == "--version":
            return "tui"  # only the top-level parser is needed; "tui" registers without importing anything
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
    if only:
        module = _MODULE_OF.get(only, only)
        # a look in the folder, not importlib.util.find_spec: importing importlib.util is ~0,5 ms of every start
        if (module.isidentifier() and not module.startswith("_")
                and os.path.isfile(os.path.join(os.path.dirname(commands.__file__), f"{module}.py"))):
            return [module]
    import pkgutil  # only for the whole list: pkgutil imports typing, ~4 ms that `cchc check` need not pay

    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_"))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser (in Vietnamese, sub-commands too); with `only`, just that sub-command is registered."""
    parser = VietnameseArgumentParser(
        prog="cchc",
        description="Soạn thảo, lấy ý kiến, ban hành và chấm điểm Bộ tiêu chí chỉ số CCHC. "
                    "Không có lệnh con: mở giao diện (TUI) trên không gian làm việc.",
    )
    parser.add_argument("-w", "--workspace", metavar="THƯ_MỤC",
                        help="thư mục làm việc (mặc định: thư mục hiện tại nếu có rubric/drafts/; "
                             "tạo mới: cchc init, bộ mẫu: cchc demo)")
    parser.add_argument("--version", action="version", version=f"cchc-consult {__version__}",
                        help="in phiên bản của chương trình rồi thoát")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for name in _command_modules(only):
        import_module(f"{__package__}.commands.{name}").register(sub)
    return parser


class _VisibleText:
    """A text stream that shows control characters as pictures: no comment can drive the terminal.

    Everything a command prints passes here, so an ESC, a CR or an undecodable byte of a file
    name in user text is shown ("␛", "␍", "\\xff") instead of obeyed or crashing the print.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:

        return self._stream.write(terminal_text(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def save_crash_report(exc: BaseException, argv: list[str]) -> str:
    """Write the traceback of an unexpected error to a file in the user's cache (or temp) folder; its path."""
    import tempfile
    import traceback
    from datetime import datetime
    from pathlib import Path

    text = (f"cchc {' '.join(argv)}\n{datetime.now().isoformat(timespec='seconds')}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    name = f"cchc-loi-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.txt"
    base = os.environ.get("CCHC_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    for folder in (Path(base) / "cchc-consult", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / name
            target.write_text(text, encoding="utf-8", errors="backslashreplace")
            return str(target)
        except OSError:
            continue
    return ""


def main(argv: list[str] | None = None) -> int:
    """Run one command; every error becomes a Vietnamese message and exit code 2, never a traceback.

    Our own errors print as they are; an `OSError` (full disk, read-only folder, no permission,
    name too long) names the file and what to do; anything else prints an apology and the path
    of a saved crash report.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    if argv is None:  # a process of its own (not a test calling main)
        # What is loaded so far (the interpreter, these modules) lives until exit: leave it out of every
        # garbage collection. Each full collection walked it again: ~9 % of a cold `cchc check`.
        gc.freeze()
        argv = sys.argv[1:]
    parser = build_parser(only=requested_command(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "tui"])
    streams = sys.stdout, sys.stderr
    if args.command != "tui":  # Textual draws the screen itself, with escapes of its own
        sys.stdout, sys.stderr = _VisibleText(sys.stdout), _VisibleText(sys.stderr)
    try:
        code = int(args.handler(args) or 0)

        # every change of state is a commit, in a workspace that is a git repository; the git layer
        # (dulwich, dataclasses: ~20 ms) is imported only there
        if code == EXIT_OK and used and is_git(used[0].root):
            from .vcs.hook import after_command

            after_command(args, used[0])
        say_workspace()
        return code
    except CchcError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"Lỗi: {from_os_error(exc)}", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as exc:  # noqa: BLE001 - the one place an unexpected error is turned into words
        report = save_crash_report(exc, argv)
        print("Lỗi: xin lỗi, cchc gặp một lỗi không lường trước và đã dừng; không tệp nào bị ghi dở "
              "(mỗi tệp được ghi trọn một lần).", file=sys.stderr)
        if report:
            print(f"  → Báo cáo lỗi đã lưu ở {report}; xin gửi tệp này cho người hỗ trợ kỹ thuật.", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        sys.stdout, sys.stderr = streams


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
