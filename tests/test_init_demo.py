"""cchc init / demo, no silent workspace, outputs relative to the workspace, the round recorded by circulate."""

from __future__ import annotations

import json
import re
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SEED

from cchc_consult.workspace import EXAMPLE_ITEMS


def cchc(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("CCHC_WORKSPACE", None)
    return subprocess.run([sys.executable, "-m", "cchc_consult", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")


def example_digest() -> str:
    h = hashlib.sha256()
    for item in EXAMPLE_ITEMS:
        path = REPO / item
        for f in sorted([path] if path.is_file() else path.rglob("*")):
            if f.is_file() and not f.name.startswith("."):
                h.update(str(f.relative_to(REPO)).encode() + f.read_bytes())
    return h.hexdigest()


def test_outside_a_workspace_every_command_says_so_and_the_checkout_is_untouched(tmp_path):
    before = example_digest()
    for args in (["history"], ["check"], ["comments", "answer", "TCKH-1", "không tiếp thu", "--reason", "thử"],
                 ["comments", "ledger"], ["score"], ["-w", str(tmp_path / "khong-co"), "history"]):
        result = cchc(tmp_path, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert "cchc init" in result.stderr and "cchc demo" in result.stderr and "Traceback" not in result.stderr
    assert example_digest() == before
    assert list(tmp_path.iterdir()) == []


def test_demo_then_check_shows_the_2023_findings(tmp_path):
    assert cchc(tmp_path, "demo", "thu").returncode == 0
    for item in EXAMPLE_ITEMS:
        assert (tmp_path / "thu" / item).exists()
    result = cchc(tmp_path, "-w", "thu", "check", "v1")
    assert result.returncode == 1 and "lỗi" in result.stdout
    assert f"Thư mục làm việc: {tmp_path / 'thu'}" in result.stderr
    assert cchc(tmp_path, "demo", "thu").returncode == 2  # not empty: refused


def test_a_2024_round_from_zero_writes_only_inside_its_folder(tmp_path):
    ws = tmp_path / "quang-dien-2024"
    assert cchc(tmp_path, "init", str(ws), "--year", "2024").returncode == 0
    for name in ("offices.yaml", "round.yaml", "decision.yaml", "scores/settings.yaml", "README.txt"):
        assert (ws / name).is_file()
    run = lambda *a: cchc(tmp_path, "-w", str(ws), *a)  # noqa: E731
    assert run("import", str(SEED), "-o", "rubric/drafts/v1.yaml").returncode == 1  # the draft's findings
    assert (ws / "rubric/drafts/v1.yaml").is_file()
    r = run("draft", "circulate", "v1", "--letter", "1450/UBND", "--date", "2024-07-26", "--deadline", "2024-08-18",
            "--decision-due", "2024-09-05")
    assert r.returncode == 0 and re.search(r"còn \d+ lỗi kiểm tra", r.stderr), r.stderr
    round_text = (ws / "round.yaml").read_text(encoding="utf-8")
    assert '"2024-08-18"' in round_text and '"1450/UBND"' in round_text and '"2024-09-05"' in round_text
    r = run("comments", "template", "TP", "-o", "comments/TP-2024-08-10.yaml")
    assert r.returncode == 0 and str(ws / "comments/TP-2024-08-10.yaml") in r.stderr
    form = (ws / "comments/TP-2024-08-10.yaml").read_text(encoding="utf-8")
    assert "18/8/2024" in form
    # Phòng Tư pháp fills the form it was sent: the letter's date and one comment on I.1.1
    filled = form.replace('date_sent: ""', 'date_sent: "2024-08-10"', 1)
    at = filled.index('criterion: "I.1.1"')
    filled = filled[:at] + filled[at:].replace('comment: ""', 'comment: "Đề nghị ghi rõ thời hạn ban hành kế hoạch"', 1)
    (ws / "comments/TP-2024-08-10.yaml").write_text(filled, encoding="utf-8")
    listed = run("comments", "list")
    assert listed.returncode == 0 and "TP-1" in listed.stdout and "thời hạn ban hành kế hoạch" in listed.stdout
    ledger = run("comments", "ledger", "--as-of", "2024-08-20")
    assert ledger.returncode == 0 and "đúng hạn" in ledger.stdout
    assert run("comments", "answer", "TP-1", "không tiếp thu", "--reason", "Thời hạn đã ghi trong Kế hoạch").returncode == 0
    assert "TP-1" in (ws / "comments/dispositions.yaml").read_text(encoding="utf-8")
    assert run("draft", "new", "--from", "v1").returncode == 0
    assert run("diff", "v1", "v2", "-o", "out/diff.md").returncode in (0, 1)
    assert (ws / "out/diff.md").is_file()
    assert run("report", "feedback", "-o", "out/bang.md", "--date", "2024-08-25", "--submission", "10/TTr-NV",
               "--submission-date", "2024-08-25", "--signer", "Trần Văn B",
               "--signer-title", "TRƯỞNG PHÒNG").returncode == 0
    refused = run("publish", "v2", "--number", "9", "--date", "2024-09-01", "--no-pdf")
    assert refused.returncode == 2 and "lỗi kiểm tra" in refused.stderr
    blanks = run("decision")
    assert blanks.returncode == 1 and "signer.name" in blanks.stdout
    assert run("decision", "set", "unit", "UBND huyện Quảng Điền").returncode == 0
    assert run("decision", "set", "legal_bases.3", "Căn cứ Quyết định số 1963/QĐ-UBND ngày 10/8/2021").returncode == 0
    assert run("decision", "set", "legal_bases.4", "Căn cứ Kế hoạch số 5/KH-UBND ngày 10/01/2024").returncode == 0
    assert run("decision", "set", "signer.name", "Nguyễn Văn A").returncode == 0
    assert run("decision").returncode == 0
    # Nội vụ keeps the imported draft's errors one by one, each with its reason (no blanket override)
    findings = json.loads(run("check", "v2", "--format", "json").stdout)["findings"]
    for f in (f for f in findings if f["severity"] == "error"):
        assert run("check", "v2", "--accept", f["code"], f["node"], "--reason",
                   "giữ nguyên theo dự thảo đã lấy ý kiến").returncode == 0
    late = run("publish", "v2", "--number", "9", "--date", "2024-09-10", "--no-pdf")
    assert late.returncode == 2 and "--late-reason" in late.stderr
    issued = run("publish", "v2", "--number", "9", "--date", "2024-09-10", "--no-pdf",
                 "--late-reason", "chờ ý kiến Ban Chỉ đạo")
    assert issued.returncode == 0, issued.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quang-dien-2024"]


def test_init_from_last_year_moves_the_years_and_lists_them(tmp_path):
    assert cchc(tmp_path, "demo", "cu").returncode == 0
    r = cchc(tmp_path, "init", "moi", "--year", "2024", "--from", "cu")
    assert r.returncode == 0, r.stderr
    assert "2023" in r.stdout and "2024" in r.stdout and "dòng" in r.stdout
    v1 = (tmp_path / "moi/rubric/drafts/v1.yaml").read_text(encoding="utf-8")
    assert "NĂM 2024" in v1 and "status: draft" in v1
    assert cchc(tmp_path, "-w", "moi", "check", "v1").returncode in (0, 1)
    assert "đổi năm 2023 → 2024" in (tmp_path / "moi/rubric/history.yaml").read_text(encoding="utf-8")


def test_init_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text("a")
    r = cchc(tmp_path, "init", "x", "--year", "2024")
    assert r.returncode == 2 and "không ghi" in r.stderr


def test_the_built_wheel_ships_the_example_identical_to_the_repository(tmp_path):
    import shutil
    import zipfile

    work = tmp_path / "src"
    shutil.copytree(REPO, work, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", ".*"))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", ".", "-w", str(tmp_path)],
                            cwd=work, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    wheel = zipfile.ZipFile(next(tmp_path.glob("*.whl")))
    names = set(wheel.namelist())
    expected = []
    for item in EXAMPLE_ITEMS:
        path = REPO / item
        expected += [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()
                                                    and not f.name.startswith(".") and not f.name.endswith(".lock")]
    for f in expected:
        name = f"cchc_consult/example/{f.relative_to(REPO).as_posix()}"
        assert name in names, name
        assert wheel.read(name) == f.read_bytes(), name
    assert "cchc_consult/newround/decision.yaml" in names
