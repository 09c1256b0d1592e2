"""argparse in Vietnamese: usage, headings, the help option and every error it can print.

argparse's own words go through gettext, bound inside the argparse module at import.
Rather than rebinding that (it would change every argparse in the process, pytest's
included), the parser overrides the few methods that print: the usage prefix (in the
formatter), the two group headings and the help option (after `__init__`), and
`error()`, which every argparse failure reaches with its English message — translated
here by the table `_ERRORS`, pattern by pattern. Costs nothing at start-up: the table
is compiled only when there is an error to print.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

USAGE_PREFIX = "Cách dùng: "
POSITIONALS_TITLE = "tham số"
OPTIONALS_TITLE = "tùy chọn"
HELP_TEXT = "hiện trợ giúp này rồi thoát"

_ARGUMENT_PREFIX = re.compile(r"argument (.+?): (.*)", re.DOTALL)
# argparse's error messages (Python 3.11–3.13), each with its Vietnamese.
_ERRORS: tuple[tuple[str, str], ...] = (
    (r"^the following arguments are required: (.*)$", r"thiếu tham số bắt buộc: \1"),
    (r"^one of the arguments (.*) is required$", r"cần một trong các tham số: \1"),
    (r"^unrecognized arguments: (.*)$", r"tham số không nhận ra: \1"),
    (r"^invalid choice: (.*) \(choose from (.*)\)$", r"lựa chọn không hợp lệ: \1 (chọn một trong \2)"),
    (r"^unknown parser (.*) \(choices: (.*)\)$", r"lệnh không có: \1 (chọn một trong \2)"),
    (r"^invalid (\S+) value: (.*)$", r"giá trị không hợp lệ: \2"),
    (r"^expected one argument$", "cần một giá trị theo sau"),
    (r"^expected at most one argument$", "chỉ nhận tối đa một giá trị"),
    (r"^expected at least one argument$", "cần ít nhất một giá trị"),
    (r"^expected (\d+) arguments?$", r"cần \1 giá trị"),
    (r"^ambiguous option: (\S+) could match (.*)$", r"tùy chọn \1 chưa rõ, có thể là: \2"),
    (r"^not allowed with argument (.*)$", r"không dùng được cùng với \1"),
    (r"^ignored explicit argument (.*)$", r"không nhận giá trị \1"),
    (r"^unexpected option string: (.*)$", r"tùy chọn không đúng chỗ: \1"),
)


def translate_error(message: str) -> str:
    """argparse's English error message in Vietnamese; a message of our own passes unchanged."""
    prefixed = _ARGUMENT_PREFIX.fullmatch(message)
    if prefixed:  # "argument --format: invalid choice: …": the argument, then its own message
        return f"tham số {prefixed.group(1)}: {translate_error(prefixed.group(2))}"
    for pattern, replacement in _ERRORS:
        translated, count = re.subn(pattern, replacement, message, count=1, flags=re.DOTALL)
        if count:
            return translated
    return message


class VietnameseHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with a Vietnamese usage line."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        # argparse asks shutil for the width, and importing shutil (with bz2 and lzma) is ~2 ms of every
        # start-up: every add_argument makes a formatter. The same answer, from os.
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns: $COLUMNS, else the terminal's width, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Vietnamese; its sub-command parsers are of the same class."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", VietnameseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = POSITIONALS_TITLE
        self._optionals.title = OPTIONALS_TITLE
        if add_help:
            prefix = self.prefix_chars[0]
            self.add_argument(prefix + "h", prefix * 2 + "help", action="help", default=argparse.SUPPRESS,
                              help=HELP_TEXT)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {translate_error(message)}\n")
