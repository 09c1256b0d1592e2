"""The version lifecycle: circulate (freeze + hash), new draft, finalize, history, tamper detection."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cchc_consult.cli import main
from cchc_consult.errors import FrozenVersionError, ValidationError, WorkspaceError
from cchc_consult.document import RubricDocument
from cchc_consult.schema import load_rubric_file
from cchc_consult.vn import parse_date
from cchc_consult.yamlio import file_hash
from cchc_consult.versions import add_event, circulate, finalize, history, new_draft
from cchc_consult.workspace import Workspace
from tests.conftest import V1


@pytest.fixture
def fresh(tmp_path) -> Workspace:
    """A workspace holding only v1, as a draft, with no history yet."""
    drafts = tmp_path / "fresh" / "rubric" / "drafts"
    drafts.mkdir(parents=True)
    text = V1.read_text(encoding="utf-8").replace("status: circulated", "status: draft")
    (drafts / "v1.yaml").write_text(text, encoding="utf-8")
    return Workspace(tmp_path / "fresh")


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    import difflib

    out = []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        out.append((line[0], line[1:]))
    return out


def test_circulate_changes_only_the_status_line_and_records_the_hash(fresh):
    path = fresh.version_path("v1")
    before = path.read_text(encoding="utf-8")
    record = circulate(fresh, "v1", "1632/UBND", "2023-07-26", when="2023-07-26T08:00:00")
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [("-", "  status: draft"), ("+", "  status: circulated")]
    assert record.sha256 == file_hash(path) and record.status == "circulated"
    stored = fresh.history()["v1"]
    assert (stored.letter, stored.letter_date, stored.sha256) == ("1632/UBND", "2023-07-26", record.sha256)
    assert [(e.what, e.when) for e in stored.events] == [("circulated", "2023-07-26T08:00:00")]
    assert fresh.rubric("v1").meta.status == "circulated"


def test_circulate_writes_letter_and_date_into_meta_when_they_differ(fresh):
    circulate(fresh, "v1", "77/UBND", "1/8/2023")
    meta = load_rubric_file(fresh.version_path("v1")).meta
    assert (meta.letter, meta.letter_date, meta.status) == ("77/UBND", "2023-08-01", "circulated")


def test_a_frozen_version_changed_on_disk_is_refused_with_the_file_and_a_fix(fresh):
    circulate(fresh, "v1", "1632/UBND", "2023-07-26")
    path = fresh.version_path("v1")
    path.write_text(path.read_text(encoding="utf-8").replace('max: "22"', 'max: "23"', 1), encoding="utf-8")
    with pytest.raises(FrozenVersionError) as err:
        fresh.rubric("v1")
    message = str(err.value)
    assert str(path) in message and "đã bị sửa" in message and "cchc draft new --from v1" in message
    with pytest.raises(FrozenVersionError):
        new_draft(fresh, "v1")
    info = {i.name: i for i in history(fresh)}["v1"]
    assert info.intact is False and "đã bị sửa" in info.problem


def test_a_file_marked_circulated_without_history_is_refused(fresh):
    path = fresh.version_path("v1")
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: circulated"),
                    encoding="utf-8")
    with pytest.raises(FrozenVersionError, match="lịch sử không có phiên bản v1"):
        fresh.rubric("v1")


def test_circulating_twice_or_editing_a_frozen_document_is_refused(fresh):
    circulate(fresh, "v1", "1632/UBND", "2023-07-26")
    with pytest.raises(FrozenVersionError, match="đã ở trạng thái"):
        circulate(fresh, "v1", "1632/UBND", "2023-07-26")
    doc = RubricDocument.open(fresh.version_path("v1"))
    doc.set_fields("II.6", {"max": "23"})
    with pytest.raises(FrozenVersionError):
        doc.save()


def test_new_draft_is_the_next_version_with_comments_kept(fresh):
    circulate(fresh, "v1", "1632/UBND", "2023-07-26")
    path = new_draft(fresh, "v1")
    assert path == fresh.version_path("v2")
    source = fresh.version_path("v1").read_text(encoding="utf-8")
    copy = path.read_text(encoding="utf-8")
    changes = changed_lines(source, copy)
    assert ("+", '  version: "v2"') in changes and ("+", "  status: draft") in changes
    assert all(not text.startswith("    ") for _, text in changes), "only meta and the header may differ"
    comments = [line for line in copy.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) == 1 + sum(1 for line in source.splitlines() if line.lstrip().startswith("#"))
    assert "sao từ v1" in comments[0]
    rubric = fresh.rubric("v2")
    assert (rubric.meta.version, rubric.meta.status, rubric.meta.letter) == ("v2", "draft", "")
    assert fresh.history()["v2"].created_from == "v1"
    assert new_draft(fresh, "v2") == fresh.version_path("v3")
    assert new_draft(fresh, "v1", name="v2-tiep-thu") == fresh.version_path("v2-tiep-thu")
    with pytest.raises(WorkspaceError, match="đã có"):
        new_draft(fresh, "v1", name="v2")
    with pytest.raises(WorkspaceError):
        new_draft(fresh, "v1", name="../evil")
    with pytest.raises(WorkspaceError, match="không có phiên bản 'v9'"):
        new_draft(fresh, "v9")


def test_a_draft_stays_editable_and_is_never_hash_checked(fresh):
    new_draft(fresh, "v1")
    doc = RubricDocument.open(fresh.version_path("v2"))
    doc.set_fields("II.6", {"max": "23"})
    doc.save()
    assert fresh.rubric("v2").index()["II.6"].max == 23


def test_finalize_records_the_decision_and_reason(fresh):
    circulate(fresh, "v1", "1632/UBND", "2023-07-26")
    new_draft(fresh, "v1")
    record = finalize(fresh, "v2", "125/QĐ-UBND", "2023-09-01", reason="ban hành dù còn 2 lỗi: đã giải trình")
    assert record.status == "final" and record.decision == "125/QĐ-UBND" and record.decision_date == "2023-09-01"
    assert record.events[-1].what == "final" and "giải trình" in record.events[-1].reason
    assert fresh.rubric("v2").meta.status == "final"
    with pytest.raises(FrozenVersionError):
        finalize(fresh, "v2", "126/QĐ-UBND", "2023-09-02")
    with pytest.raises(FrozenVersionError):
        circulate(fresh, "v2", "1/UBND", "2023-09-02")
    add_event(fresh, "v2", "published", "xuất bản DOCX")
    assert [e.what for e in fresh.history()["v2"].events] == ["created", "final", "published"]


def test_bad_dates_and_missing_letters_are_refused(fresh):
    assert parse_date("26/7/2023") == date(2023, 7, 26) == parse_date("2023-07-26")
    for bad in ("31/2/2023", "hôm qua", "2023-13-01"):
        with pytest.raises(ValidationError, match="không hợp lệ"):
            parse_date(bad)
    with pytest.raises(ValidationError, match="công văn"):
        circulate(fresh, "v1", " ", "2023-07-26")
    assert fresh.version_path("v1").read_text(encoding="utf-8").count("status: draft") == 1


def test_history_lists_status_totals_and_findings(fresh):
    circulate(fresh, "v1", "1632/UBND", "2023-07-26")
    new_draft(fresh, "v1")
    infos = history(fresh)
    assert [(i.name, i.status, i.intact) for i in infos] == [("v1", "circulated", True), ("v2", "draft", None)]
    v1 = infos[0]
    assert (v1.declared_total, v1.computed_total) == (100, 97) and v1.errors > 0 and not v1.problem


def test_a_broken_history_file_names_the_file(fresh):
    fresh.history_file.write_text("versions:\n  - status: draft\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        fresh.history()
    assert err.value.line == 2 and "history.yaml" in str(err.value)


def test_rubric_file_checks_names_and_draft_paths_but_not_outside_files(fresh, tmp_path):
    circulate(fresh, "v1", "1632/UBND", "2023-07-26")
    path = fresh.version_path("v1")
    outside = tmp_path / "copy.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# sửa\n", encoding="utf-8")
    outside.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    for spec in ("v1", str(path), None):
        with pytest.raises(FrozenVersionError):
            fresh.rubric_file(spec)
    assert fresh.rubric_file(str(outside)).meta.version == "v1"


# --------------------------------------------------------------------------- CLI

def test_cli_circulate_new_history_and_check(fresh, capsys):
    ws = str(fresh.root)
    assert main(["-w", ws, "draft", "circulate", "v1", "--letter", "1632/UBND", "--date", "2023-07-26"]) == 0
    out = capsys.readouterr().out
    assert "Công văn 1632/UBND ngày 26/7/2023" in out and re.search(r"[0-9a-f]{64}", out)
    assert main(["-w", ws, "draft", "new", "--from", "v1"]) == 0
    assert "v2" in capsys.readouterr().out
    assert main(["-w", ws, "history"]) == 0
    table = capsys.readouterr().out
    assert "đã gửi lấy ý kiến" in table and "dự thảo" in table and "26/7/2023" in table and "97" in table
    path = fresh.version_path("v1")
    path.write_text(path.read_text(encoding="utf-8") + "# sửa tay\n", encoding="utf-8")
    assert main(["-w", ws, "check", "v1"]) == 2
    err = capsys.readouterr().err
    assert "đã bị sửa" in err and "Traceback" not in err
    assert main(["-w", ws, "history"]) == 2
    out, err = capsys.readouterr()
    assert "TỆP BỊ SỬA" in out and "đã bị sửa" in err and "Traceback" not in err
    assert main(["-w", ws, "draft", "circulate", "v1", "--letter", "1/UBND", "--date", "hôm nay"]) == 2
    assert "không hợp lệ" in capsys.readouterr().err


def test_cli_history_json(fresh, capsys):
    import json

    circulate(fresh, "v1", "1632/UBND", "2023-07-26")
    assert main(["-w", str(fresh.root), "history", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["name"] == "v1" and data[0]["status"] == "circulated" and data[0]["intact"] is True
    assert data[0]["declared_total"] == "100" and data[0]["computed_total"] == "97"


def test_the_drafts_folder_holds_only_rubric_versions():
    """`cchc check rubric/drafts/*.yaml` must work on every file: the history lives beside the folder."""
    from cchc_consult.schema import load_rubric_file
    from tests.conftest import REPO

    drafts = sorted((REPO / "rubric" / "drafts").glob("*.yaml"))
    assert [p.stem for p in drafts] == ["v1", "v2"]
    assert all(load_rubric_file(p).sections for p in drafts)
    assert (REPO / "rubric" / "history.yaml").exists()
