"""The `cchc` command through its real entry point, and the import boundaries."""

import json
import subprocess
import sys

import pytest

from cchc_consult.cli import build_parser, main
from tests.conftest import REPO, V1


def run(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "cchc_consult", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8")


def test_check_v1_lists_findings_and_exits_1():
    out = run("check", str(V1))
    assert out.returncode == 1, out.stderr
    assert "22 + 73 + 2 = 97" in out.stdout and "Kết quả:" in out.stdout
    assert "(v1, đã gửi lấy ý kiến)" in out.stdout and "sum-mismatch" not in out.stdout  # codes only with --codes
    coded = run("check", str(V1), "--codes")
    assert coded.returncode == 1 and "sum-mismatch" in coded.stdout and "Ý nghĩa các mã:" in coded.stdout


def test_check_json_shape():
    out = run("check", "v1", "--format", "json")
    data = json.loads(out.stdout)
    assert data["rubric"]["declared_total"] == "100" and data["rubric"]["computed_total"] == "97"
    finding = next(f for f in data["findings"] if f["node"] == "total")
    assert set(finding) >= {"code", "severity", "node", "message", "expected", "actual", "fix"}
    assert finding["code"] == "sum-mismatch" and finding["severity"] == "error"


def test_unreadable_file_exits_2_with_a_vietnamese_message(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("meta: {}\nsections: [\n", encoding="utf-8")
    out = run("check", str(bad))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and str(bad) in out.stderr and "dòng" not in out.stdout
    missing = run("check", str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and "không tìm thấy tệp" in missing.stderr


def test_a_sound_rubric_exits_0(tmp_path, capsys):
    path = tmp_path / "ok.yaml"
    path.write_text(
        'meta: {title: Thử, year: 2023}\ntotal: {declared: "2"}\nsections:\n'
        '  - {id: "I", tt: "I", title: MỤC, max: "2", children: [\n'
        '      {id: "I.1", tt: "1", title: Tiêu chí, max: "2", evidence: [Báo cáo],\n'
        '       bands: [{text: Có ban hành, points: "2"}, {text: Không ban hành, points: "0"}]}]}\n',
        encoding="utf-8")
    assert main(["check", str(path)]) == 0
    assert "không có lỗi" in capsys.readouterr().out


def test_every_command_has_help_text():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    helps = {c.dest: c.help for c in sub._choices_actions}
    assert "check" in helps
    assert all(helps.values()), [name for name, text in helps.items() if not text]


def test_check_command_stays_light():
    """`cchc check` must not load Textual, deepdiff, pydantic, docx, openpyxl, jinja2 — nor `dataclasses`
    (with inspect, ast and dis it was the largest part of a cold check: model.Record stands in for it)."""
    code = ("import sys; from cchc_consult.cli import main\n"
            f"main(['check', {str(V1)!r}])\n"
            "heavy = [m for m in ('textual', 'deepdiff', 'pydantic', 'docx', 'openpyxl', 'jinja2',\n"
            "                               'dataclasses') if m in sys.modules]\n"
            "print('HEAVY', heavy, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert "HEAVY []" in result.stderr


@pytest.mark.parametrize("argv, expected", [
    (["check", "v1"], "check"), (["-w", "/tmp/ws", "history"], "history"), (["--workspace=/x", "diff"], "diff"),
    ([], "tui"), (["-w", "/tmp/ws"], "tui"), (["--help"], None), (["import", "a.docx"], "import"),
])
def test_requested_command_skips_the_workspace_option(argv, expected):
    from cchc_consult.cli import requested_command

    assert requested_command(argv) == expected


def test_only_the_requested_command_is_imported():
    code = ("import sys; from cchc_consult.cli import build_parser\n"
            "p = build_parser(only='check')\n"
            "loaded = sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('cchc_consult.commands.')"
            " and not m.endswith('_common'))\n"
            "print(loaded)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.stdout.strip() == "['check']", result.stderr
    # an unknown name falls back to the full parser, so argparse can list the valid commands
    out = run("khong-co-lenh")
    assert out.returncode == 2 and "check" in out.stderr and "score" in out.stderr
