"""`cchc check` from its report cache: the same words as a fresh check, never stale, the history judged every run."""

import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import cchc_consult.check
from cchc_consult import workspace as workspace_module
from cchc_consult.cli import main
from tests.conftest import REPO, V1


def _check(*args, cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    """`cchc check …` as a process of its own, which also says whether it imported the checks."""
    code = ("import sys; from cchc_consult.cli import main\n"
            f"code = main(['check', *{list(args)!r}])\n"
            "print('CHECKS-RAN' if 'cchc_consult.check' in sys.modules else 'FROM-CACHE', file=sys.stderr)\n"
            "sys.exit(code)")
    env = {**os.environ, "CCHC_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env=env)


def test_a_second_check_of_unchanged_bytes_says_the_same_without_running_the_checks(tmp_path):
    for args in (["v1"], ["v1", "--codes"], ["v1", "--format", "json"]):
        cache = tmp_path / f"cache-{len(args)}"
        first, second = (_check(*args, cwd=REPO, cache=cache) for _ in range(2))
        assert first.returncode == second.returncode == 1, first.stderr
        assert "CHECKS-RAN" in first.stderr and "FROM-CACHE" in second.stderr
        assert second.stdout == first.stdout and "22 + 73 + 2 = 97" in second.stdout


def test_an_edited_file_is_checked_afresh(tmp_path, capsys):
    draft = tmp_path / "x.yaml"
    draft.write_bytes(V1.read_bytes())
    main(["check", str(draft), "--format", "json"])
    before = json.loads(capsys.readouterr().out)
    assert before["rubric"]["computed_total"] == "97"
    text = draft.read_text(encoding="utf-8")
    declared = re.search(r'declared: "?100"?', text)
    assert declared, "v1 declares its total as 100"
    draft.write_text(text.replace(declared.group(0), 'declared: "97"', 1), encoding="utf-8")
    main(["check", str(draft), "--format", "json"])
    after = json.loads(capsys.readouterr().out)
    assert after["rubric"]["declared_total"] == "97"
    assert not any(f["node"] == "total" and f["code"] == "sum-mismatch" for f in after["findings"])
    assert any(f["node"] == "total" and f["code"] == "sum-mismatch" for f in before["findings"])


def test_changed_code_checks_afresh_and_a_foreign_cache_entry_is_not_trusted(tmp_path, monkeypatch, capsys):
    runs = []
    real_check = cchc_consult.check.check
    monkeypatch.setattr(cchc_consult.check, "check", lambda rubric: runs.append(1) or real_check(rubric))
    monkeypatch.setenv("CCHC_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["check", str(V1)]) == 1
    first = capsys.readouterr().out
    assert main(["check", str(V1)]) == 1 and len(runs) == 1  # from the cache
    monkeypatch.setattr(workspace_module, "_code_stamp", lambda: "another-build")
    assert main(["check", str(V1)]) == 1 and len(runs) == 2  # another build of the package: checked again
    entries = list((tmp_path / "cache" / "cchc-consult").glob("check-*another-build-*"))
    assert len(entries) == 1
    key, _ = marshal.loads(entries[0].read_bytes())  # a well-formed entry of the right key, holding no report
    entries[0].write_bytes(marshal.dumps((key, {"findings": "not a report"})))
    capsys.readouterr()
    assert main(["check", str(V1)]) == 1 and len(runs) == 3
    assert capsys.readouterr().out == first


def test_the_history_is_judged_on_every_run_even_with_a_cached_report(workspace, tmp_path):
    cache = tmp_path / "cache"
    assert _check("v1", cwd=workspace, cache=cache).returncode == 1
    assert "FROM-CACHE" in _check("v1", cwd=workspace, cache=cache).stderr
    history = workspace / "rubric" / "history.yaml"
    text = history.read_text(encoding="utf-8")
    # the record of v1 gone: a file saying "circulated" that the history does not know is refused
    history.write_text(text.replace("  - name: v1\n", "  - name: v1-gone\n", 1), encoding="utf-8")
    refused = _check("v1", cwd=workspace, cache=cache)
    assert refused.returncode == 2 and "lịch sử không có phiên bản v1" in refused.stderr
    assert "Traceback" not in refused.stderr
    # and with the record back, one byte changed in the circulated v1 is refused before any cache is asked
    history.write_text(text, encoding="utf-8")
    v1 = workspace / "rubric" / "drafts" / "v1.yaml"
    v1.write_bytes(v1.read_bytes().replace(b"CCHC", b"CCHc", 1))
    tampered = _check("v1", cwd=workspace, cache=cache)
    assert tampered.returncode == 2 and "đã bị sửa sau khi đóng băng" in tampered.stderr
