"""The tờ trình the feedback report is attached to has one home, decision.yaml; older files stay readable."""

from __future__ import annotations

from pathlib import Path

from cchc_consult.cli import main

ATTACHED_95 = "*(Kèm theo Tờ trình số 95/TTr-NV ngày 30/8/2023 của Phòng Nội vụ)*"


def _report(workspace: Path, capsys) -> tuple[int, str, str]:
    code = main(["-w", str(workspace), "report", "feedback", "--to", "md"])
    out = capsys.readouterr()
    return code, out.out, out.err


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_bundled_example_takes_the_submission_from_decision_yaml(workspace, capsys):
    assert "submission" not in (workspace / "comments" / "dispositions.yaml").read_text(encoding="utf-8").split(
        "\nreport:", 1)[1]
    code, out, err = _report(workspace, capsys)
    assert code == 0, err
    assert ATTACHED_95 in out and "CẢNH BÁO số tờ trình" not in err
    _edit(workspace / "decision.yaml", "number: 95/TTr-NV", "number: 101/TTr-NV")
    code, out, _ = _report(workspace, capsys)
    assert "Tờ trình số 101/TTr-NV ngày 30/8/2023" in out  # one change, in one file, moves the paper


def test_an_older_dispositions_file_with_the_submission_is_still_read(workspace, capsys):
    _edit(workspace / "decision.yaml", "number: 95/TTr-NV", "number: …/TTr-NV")
    _edit(workspace / "comments" / "dispositions.yaml", "report:\n",
          'report:\n  submission: "88/TTr-NV"\n  submission_date: "2023-08-29"\n')
    code, out, err = _report(workspace, capsys)
    assert code == 0, err
    assert "Tờ trình số 88/TTr-NV ngày 29/8/2023" in out
    assert "88/TTr-NV lấy từ report.submission" in err and "decision.yaml" in err


def test_when_both_files_name_a_submission_decision_yaml_wins_and_says_so(workspace, capsys):
    _edit(workspace / "comments" / "dispositions.yaml", "report:\n",
          'report:\n  submission: "88/TTr-NV"\n  submission_date: "2023-08-29"\n')
    code, out, err = _report(workspace, capsys)
    assert code == 0 and ATTACHED_95 in out and "88/TTr-NV" not in out
    assert "dispositions.yaml ghi tờ trình 88/TTr-NV" in err
