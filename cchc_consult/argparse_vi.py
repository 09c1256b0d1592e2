"""argparse in Vietnamese: usage, headings, the help option and every error it can print.

argparse's own words go through gettext, bound inside the argparse module at import.
Rather than rebinding that (it would change every argparse in the process, pytest's
included), the parser overrides the few methods that print: the usage prefix (in the
formatter), the two group headings and the help option (after `__init__`), and
`error()`, which every argparse failure reaches with its English message — translated
here by the table `_ERRORS`, pattern by pattern. Costs nothing at start-up: the table
is compiled only when there is an error to print.

A value of the wrong type or outside the choices ("--year abc", "--format xml") also gets
a "→ Cách sửa:" line: the command as typed, with the wrong value replaced by an example
(`add_argument(..., example="2024")`, else one for the type, else the nearest choice).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from .lazyre import LazyPattern

USAGE_PREFIX = "Cách dùng: "
POSITIONALS_TITLE = "tham số"
OPTIONALS_TITLE = "tùy chọn"
HELP_TEXT = "hiện trợ giúp này rồi thoát"

_ARGUMENT_PREFIX = LazyPattern(r"argument (.+?): (.*)", re.DOTALL)
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


#: What a value of each type is, and an example of one, for an argument that gives none of its own.
_TYPE_WORDS = {int: ("một số nguyên", "1"), float: ("một số (dấu chấm thập phân)", "0.5")}
_INVALID_VALUE = LazyPattern(r"^invalid \S+ value: (.*)$", re.DOTALL)
_INVALID_CHOICE = LazyPattern(r"^invalid choice: (.*?) \(choose from .*\)$", re.DOTALL)

#: (prog, arguments) of the outermost parse in progress: a sub-command's parser sees only its own arguments,
#: but the example in a fix is the whole command line.
_command_line: tuple[str, list[str]] | None = None


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

    def add_argument(self, *args, example: str | None = None, **kwargs):
        """argparse's add_argument; `example` is a right value, shown in the fix when a wrong one is given."""
        action = super().add_argument(*args, **kwargs)
        action.example = example
        return action

    def parse_known_args(self, args=None, namespace=None):
        global _command_line
        outermost = _command_line is None
        if outermost:
            _command_line = (self.prog, list(sys.argv[1:] if args is None else args))
        try:
            return super().parse_known_args(args, namespace)
        finally:
            if outermost:
                _command_line = None

    def error(self, message: str):
        self.print_usage(sys.stderr)
        fix = self._fix(message)
        self.exit(2, f"{self.prog}: lỗi: {translate_error(message)}\n" + (f"  → Cách sửa: {fix}\n" if fix else ""))

    def _fix(self, message: str) -> str:
        """The "Cách sửa" of a wrong value (type or choice), with the command to type; "" for other errors."""
        prefixed = _ARGUMENT_PREFIX.fullmatch(message)
        action = self._action_named(prefixed.group(1)) if prefixed else None
        if action is None:
            return ""
        rest = prefixed.group(2)
        choice = _INVALID_CHOICE.match(rest)
        if choice and action.choices:
            wrong = _unquoted(choice.group(1))
            names = [str(c) for c in action.choices]
            import difflib  # only for an error: the nearest name is what was meant ("chek" → "check")

            right = (difflib.get_close_matches(wrong, names, n=1, cutoff=0.5) or names)[0]
            return f"ghi một trong các giá trị kể trên; ví dụ: {_example_command(action, wrong, right)}"
        if action.type is None:
            return ""
        typed = _INVALID_VALUE.match(rest)
        label = action.metavar if isinstance(action.metavar, str) else "/".join(action.option_strings) or action.dest
        what, default = _TYPE_WORDS.get(action.type, ("", None))
        right = getattr(action, "example", None) or default
        if right is None:
            return f"ghi {label} đúng dạng (xem {self.prog} --help)"
        wrong = _unquoted(typed.group(1)) if typed else None
        return f"{label} phải là {what or 'giá trị đúng dạng'}; ví dụ: {_example_command(action, wrong, right)}"

    def _action_named(self, name: str) -> argparse.Action | None:
        """The action argparse calls `name` in its messages ("--year", "-n/--max", "LỆNH")."""
        for action in self._actions:
            if name in ("/".join(action.option_strings), action.metavar, action.dest):
                return action
        return None


def _unquoted(text: str) -> str:
    """A value as argparse quoted it in a message ("'abc'") back as typed."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        import ast  # only for an error message

        try:
            return str(ast.literal_eval(text))
        except (ValueError, SyntaxError):
            return text[1:-1]
    return text


def _example_command(action: argparse.Action, wrong: str | None, right: str) -> str:
    """The command line being parsed with the wrong value of `action` replaced by `right`."""
    prog, args = _command_line or ("cchc", [])
    args = list(args)
    replaced = False
    for i in range(len(args) - 1, -1, -1):  # the last occurrence: the one argparse stopped at
        token = args[i]
        option = next((o for o in action.option_strings if token == o or token.startswith(o + "=")), None)
        if option and token != option:
            args[i], replaced = f"{option}={right}", True
        elif option and i + 1 < len(args) and (wrong is None or args[i + 1] == wrong):
            args[i + 1], replaced = right, True
        elif not action.option_strings and wrong is not None and token == wrong:
            args[i], replaced = right, True
        if replaced:
            break
    if not replaced:
        args += [action.option_strings[-1], right] if action.option_strings else [right]
    return " ".join([prog, *(f'"{a}"' if not a or any(ch.isspace() for ch in a) else a for a in args)])
