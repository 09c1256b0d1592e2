"""Every word of `cchc`'s help and argument errors is Vietnamese (issue 12, item 6).

The parser is walked, so a new command or option is covered without editing this file.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

import pytest

from cchc_consult import __version__
from cchc_consult.argparse_vi import VietnameseArgumentParser, translate_error
from cchc_consult.cli import build_parser, main
from tests.conftest import REPO

#: argparse's English, as it would show through.
ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help", "error:",
           "invalid choice", "choose from", "required", "unrecognized arguments", "expected one argument",
           "expected at", "argument ", "ambiguous option", "could match", "invalid int value", "not allowed",
           "show program's version")
#: Upper-case words that are not English metavars: acronyms a clerk reads as such, office codes given as examples.
ACRONYMS = {"CCHC", "TUI", "YAML", "HTML", "PDF", "UBND", "STT", "TCKH", "VHTT"}
_UPPER_ASCII = re.compile(r"(?<![\w-])[A-Z][A-Z_]{2,}(?![\w-])")


def _sub_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(argv prefix, parser) of the parser and every sub-command and sub-sub-command under it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _sub_commands(sub, (*path, name))


ALL = list(_sub_commands(build_parser()))


def _english_in(text: str) -> list[str]:
    found = [word for word in ENGLISH if word in text]
    found += [word for word in _UPPER_ASCII.findall(text) if word not in ACRONYMS]
    return found


def _run_in_process(argv: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out + captured.err


def test_the_walk_reaches_the_sub_sub_commands():
    names = {" ".join(path) for path, _ in ALL}
    assert {"", "check", "comments", "comments answer", "draft circulate", "report feedback",
            "score template"} <= names


@pytest.mark.parametrize("path", [path for path, _ in ALL], ids=lambda path: " ".join(path) or "cchc")
def test_help_is_vietnamese(path, capsys):
    code, text = _run_in_process([*path, "--help"], capsys)
    assert code == 0
    assert text.startswith("Cách dùng: cchc")
    assert "hiện trợ giúp này rồi thoát" in text
    assert not _english_in(text), (_english_in(text), text)


@pytest.mark.parametrize("path, parser", ALL, ids=[" ".join(path) or "cchc" for path, _ in ALL])
def test_every_argument_has_a_vietnamese_name_and_help(path, parser):
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue  # a sub-command list is described by its commands' own help
        assert action.help, f"cchc {' '.join(path)} {action.option_strings or action.dest}: không có trợ giúp"
        takes_value = action.nargs != 0 and not isinstance(action, argparse._VersionAction)
        if takes_value and action.choices is None:
            names = action.metavar if isinstance(action.metavar, tuple) else (action.metavar,)
            assert all(name and not name.isascii() for name in names), \
                f"cchc {' '.join(path)} {action.option_strings or action.dest}: tên giá trị {action.metavar!r}"


WRONG = {
    "missing argument": (["draft", "circulate"], "thiếu tham số bắt buộc: PHIÊN_BẢN, --letter, --date"),
    "missing sub-command": (["comments"], "thiếu tham số bắt buộc: VIỆC"),
    "missing second version": (["diff", "v1"], "thiếu tham số bắt buộc: BẢN_SAU"),
    "invalid choice": (["check", "--format", "xml"], "lựa chọn không hợp lệ: 'xml' (chọn một trong"),
    "unknown command": (["chek", "v1"], "tham số LỆNH: lựa chọn không hợp lệ: 'chek'"),
    "unknown option": (["check", "v1", "--bogus"], "tham số không nhận ra: --bogus"),
    "option without its value": (["publish", "v2", "--number"], "tham số --number: cần một giá trị theo sau"),
    "ambiguous option": (["publish", "v2", "--n", "1"], "tùy chọn --n chưa rõ"),
}


@pytest.mark.parametrize("argv, expected", WRONG.values(), ids=WRONG.keys())
def test_wrong_invocations_are_told_in_vietnamese(argv, expected, capsys):
    code, text = _run_in_process(argv, capsys)
    assert code == 2
    assert text.startswith("Cách dùng: cchc") and ": lỗi: " in text
    assert expected in text, text
    assert not _english_in(text), (_english_in(text), text)


def test_a_bad_type_is_told_in_vietnamese(capsys):
    parser = VietnameseArgumentParser(prog="cchc thử")
    parser.add_argument("--so", type=int, metavar="SỐ", help="một số")
    with pytest.raises(SystemExit):
        parser.parse_args(["--so", "mười"])
    err = capsys.readouterr().err
    assert "cchc thử: lỗi: tham số --so: giá trị không hợp lệ: 'mười'" in err and not _english_in(err)
    assert "→ Cách sửa: SỐ phải là một số nguyên; ví dụ: cchc thử --so 1" in err


#: A wrong value, and the fix line's example: the command as typed, the wrong value replaced.
WRONG_VALUES = {
    "year as a word": (["init", "năm mới", "--year", "abc"],
                       'NĂM phải là một số nguyên; ví dụ: cchc init "năm mới" --year 2024'),
    "year with =": (["init", "x", "--year=hai"], "ví dụ: cchc init x --year=2024"),
    "count after the global option": (["-w", "ws", "log", "-n", "mười"],
                                      "SỐ phải là một số nguyên; ví dụ: cchc -w ws log -n 1"),
    "format not a choice": (["check", "v1", "--format", "xml"],
                            "ghi một trong các giá trị kể trên; ví dụ: cchc check v1 --format text"),
    "mistyped command": (["chek", "v1"], "ví dụ: cchc check v1"),
    "report format": (["report", "feedback", "--to", "pdf"], "ví dụ: cchc report feedback --to "),
}


@pytest.mark.parametrize("argv, fix", WRONG_VALUES.values(), ids=WRONG_VALUES.keys())
def test_a_wrong_value_gets_a_fix_line_with_an_example(argv, fix, capsys):
    code, text = _run_in_process(argv, capsys)
    assert code == 2
    fix_lines = [line for line in text.splitlines() if line.startswith("  → Cách sửa: ")]
    assert len(fix_lines) == 1 and fix in fix_lines[0], text
    assert not _english_in(text), (_english_in(text), text)


def test_a_type_of_our_own_still_gets_a_fix_line(capsys):
    def office_code(text):
        if not text.isupper():
            raise argparse.ArgumentTypeError(f"mã cơ quan viết hoa: {text!r}")
        return text

    parser = VietnameseArgumentParser(prog="cchc thử")
    parser.add_argument("--ma", type=office_code, metavar="MÃ", example="VHTT", help="mã cơ quan")
    parser.add_argument("--khac", type=office_code, metavar="MÃ_KHÁC", help="mã khác")
    with pytest.raises(SystemExit):
        parser.parse_args(["--ma", "vhtt"])
    assert "→ Cách sửa: MÃ phải là giá trị đúng dạng; ví dụ: cchc thử --ma VHTT" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser.parse_args(["--khac", "vhtt"])
    assert "→ Cách sửa: ghi MÃ_KHÁC đúng dạng (xem cchc thử --help)" in capsys.readouterr().err


def test_other_errors_keep_their_one_line(capsys):
    code, text = _run_in_process(["draft", "circulate"], capsys)
    assert code == 2 and "Cách sửa" not in text


def test_a_message_of_our_own_passes_unchanged():
    assert translate_error("thiếu tệp góp ý") == "thiếu tệp góp ý"


def test_version_and_a_wrong_invocation_through_the_real_entry_point():
    version = subprocess.run([sys.executable, "-m", "cchc_consult", "--version"], cwd=REPO, capture_output=True,
                             text=True, encoding="utf-8")
    assert version.returncode == 0 and version.stdout == f"cchc-consult {__version__}\n"
    wrong = subprocess.run([sys.executable, "-m", "cchc_consult", "check", "--format", "xml"], cwd=REPO,
                           capture_output=True, text=True, encoding="utf-8")
    assert wrong.returncode == 2 and "lựa chọn không hợp lệ" in wrong.stderr and not _english_in(wrong.stderr)
