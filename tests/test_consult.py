"""The consultation round: round file, comment files, validation, silence, points, dispositions, loop."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_consult.consult import (
    WHOLE, add_initiative, criterion_acceptance, load_dispositions, points_impact,
    reviewer_gaps, set_disposition,
)
from cchc_consult.consult.comments import read_comment_file
from cchc_consult.consult.loop import close_loop_for
from cchc_consult.consult.round import (
    confirm_owners, effective_owners, load_offices, load_round, parse_date, round_from_data,
)
from cchc_consult.consult.template import check_office, comment_template_xlsx, comment_template_yaml
from cchc_consult.errors import CchcError, ValidationError
from cchc_consult.offices import DEFAULT_OFFICES
from cchc_consult.document import RubricDocument
from cchc_consult.schema import load_rubric_file
from cchc_consult.workspace import Workspace
from tests.conftest import leaf, make_rubric, section

FIXTURES = Path(__file__).parent / "fixtures" / "comments"
D = dt.date
SILENT_IN_EXAMPLE = {"TNMT", "YT", "TTR", "NNPTNT"}


def consult(ws_root: Path):
    return Workspace(ws_root).consultation()


def add_fixture(ws_root: Path, name: str) -> Path:
    target = ws_root / "comments" / name
    shutil.copy(FIXTURES / name, target)
    return target


# --------------------------------------------------------------------------- round

def test_a_reply_dated_on_the_deadline_day_is_late_because_the_letter_says_truoc():
    r = round_from_data({"deadline": "2023-08-18"}, DEFAULT_OFFICES)
    assert r.deadline_rule == "before"
    assert not r.is_late(D(2023, 8, 17))
    assert r.is_late(D(2023, 8, 18))
    assert r.silence_date == D(2023, 8, 18)
    assert r.deadline_text == "trước ngày 18/8/2023"
    inclusive = round_from_data({"deadline": "18/8/2023", "deadline_rule": "on_or_before"}, DEFAULT_OFFICES)
    assert not inclusive.is_late(D(2023, 8, 18)) and inclusive.is_late(D(2023, 8, 19))


def test_bundled_round_matches_the_letter(workspace):
    ws = Workspace(workspace)
    offices = load_offices(ws)
    r = load_round(ws, offices)
    assert (r.version, r.letter, r.letter_date, r.deadline, r.decision_due) == (
        "v1", "1632/UBND", D(2023, 7, 26), D(2023, 8, 18), D(2023, 9, 5))
    assert sorted(r.reviewers) == ["KTHT", "TCKH", "TP", "VHTT", "VP"]
    assert "NV" not in r.consulted and len(r.consulted) == 11
    assert [o.code for o in offices] == [o.code for o in DEFAULT_OFFICES]


def test_offices_default_when_the_file_is_absent_and_bad_codes_are_refused(tmp_path):
    ws = Workspace(tmp_path)
    assert [o.code for o in load_offices(ws)] == [o.code for o in DEFAULT_OFFICES]
    (tmp_path / "offices.yaml").write_text("offices:\n  - {code: '../x', name: Phòng Lạ}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_offices(ws)
    assert err.value.line == 2 and "offices.yaml" in err.value.path


def test_round_refuses_an_unknown_office_with_its_line(tmp_path):
    path = tmp_path / "round.yaml"
    path.write_text('version: "v1"\ndeadline: "2023-08-18"\nreviewers:\n  XYZ: ["II.1"]\n', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_round(Workspace(tmp_path))
    assert "XYZ" in err.value.message and err.value.line == 4


def test_parse_date_forms():
    assert parse_date("2023-08-15") == parse_date("15/8/2023") == parse_date("15.08.2023") == D(2023, 8, 15)
    with pytest.raises(ValidationError):
        parse_date("mười lăm tháng tám")


def test_owners_proposed_from_evidence_and_confirmed_in_round_file(workspace):
    ws = Workspace(workspace)
    rubric = load_rubric_file(ws.version_path("v1"))
    offices = load_offices(ws)
    owners = effective_owners(load_round(ws, offices), rubric, offices)
    assert owners["II.5.1.1"].office == "TCKH" and owners["II.5.1.1"].confirmed
    assert owners["II.6.3"].office == "VP" and not owners["II.6.3"].confirmed
    before = ws.round_file.read_text(encoding="utf-8")
    confirm_owners(ws, rubric, ["II.6.3"])
    after = ws.round_file.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(before.splitlines()) == len(after.splitlines()) and len(changed) == 1
    assert '"II.6.3"' in changed[0][1] and "confirmed: true" in changed[0][1]
    assert effective_owners(load_round(ws, offices), rubric, offices)["II.6.3"].confirmed
    with pytest.raises(ValidationError):
        confirm_owners(ws, rubric, ["II.9.9"])


# --------------------------------------------------------------------------- the bundled example

def test_bundled_example_every_comment_read_and_numbered(workspace):
    cs = consult(workspace)
    ids = [c.id for c in cs.comments.comments]
    assert len(ids) == len(set(ids)) == 19
    assert {c.id for c in cs.comments.unmatched()} == {"LDTBXH-2", "LDTBXH-3"}
    assert {f.path for f in cs.comments.files} >= {"comments/VP-2023-08-15.xlsx", "comments/GDDT-2023-08-11.yaml"}
    vp = [c for c in cs.comments.comments if c.office == "VP"]
    assert [c.criterion for c in vp] == [WHOLE, "II.2.4", "II.6.3", "II.6.4"]
    assert all(c.line > 8 for c in vp)  # Excel row numbers below the header
    assert {c.id for c in cs.comments.comments if c.late} == {"KTHT-1", "KTHT-2"}


def test_bundled_example_silence_ledger(workspace):
    cs = consult(workspace)
    ledger = {e.office.code: e for e in cs.ledger(D(2023, 8, 25))}
    assert {code for code, e in ledger.items() if e.deemed_agreeing} == SILENT_IN_EXAMPLE
    for code in SILENT_IN_EXAMPLE:
        assert ledger[code].date == D(2023, 8, 18)
        assert ledger[code].status_text == "Đồng ý do không có ý kiến"
    assert ledger["KTHT"].status == "late" and ledger["KTHT"].date == D(2023, 8, 21)
    assert ledger["GDDT"].status == "on_time" and ledger["GDDT"].status_text == "Đồng ý toàn bộ"
    early = {e.office.code: e.status for e in cs.ledger(D(2023, 8, 17))}
    assert {c for c, s in early.items() if s == "pending"} == SILENT_IN_EXAMPLE


def test_per_criterion_every_other_office_accepted(workspace):
    cs = consult(workspace)
    by_id = {a.criterion: a for a in criterion_acceptance(cs.rubric, cs.round, cs.comments)}
    assert by_id["II.1.2"].commented == ["TP"] and len(by_id["II.1.2"].accepted) == 10
    assert by_id["I.1.1"].commented == [] and len(by_id["I.1.1"].accepted) == 11


def test_reviewers_silent_on_their_own_criteria_are_listed(workspace):
    cs = consult(workspace)
    gaps = {g.office: g for g in reviewer_gaps(cs.rubric, cs.round, cs.comments, cs.owners())}
    assert "I.7" in gaps["VP"].criteria and "II.6.3" not in gaps["VP"].criteria
    assert gaps["TCKH"].criteria == ["II.5.2", "II.5.4.1"] and gaps["VHTT"].criteria == ["II.6.5.2"]
    assert "KTHT" not in gaps  # commented on II.6.6, the criterion it reviews


# --------------------------------------------------------------------------- validation

def _read(workspace, name):
    ws = Workspace(workspace)
    offices = load_offices(ws)
    r = load_round(ws, offices)
    return read_comment_file(FIXTURES / name, load_rubric_file(ws.version_path("v1")), offices, r, name)


def test_unknown_criterion_and_empty_comment_are_errors_with_lines_and_kept(workspace):
    f = _read(workspace, "../../../comments/LDTBXH-2023-08-17.yaml")
    messages = {(e.line, e.message) for e in f.errors}
    assert (10, "mã tiêu chí 'II.7.1' không có trong dự thảo v1") in messages
    assert (15, "ý kiến để trống nội dung góp ý") in messages
    assert len(f.comments) == 3 and [c.matched for c in f.comments] == [True, False, False]
    assert f.comments[2].proposal.startswith("Bổ sung tài liệu kiểm chứng")


def test_bad_points_are_an_error_and_the_comment_is_kept(workspace):
    f = _read(workspace, "YT-2023-08-16.yaml")
    bad = f.comments[0]
    assert not bad.matched and bad.proposed_points_text == "một"
    error = next(e for e in f.errors if "điểm đề xuất" in e.message)
    assert error.line == 6 and error.path == "YT-2023-08-16.yaml" and "một" in str(error)


def test_misaddressed_file_is_refused_and_its_comment_kept_unmatched(workspace):
    f = _read(workspace, "TP-misaddressed.yaml")
    assert not f.addressed
    error = f.errors[0]
    assert error.line == 3 and "VP" in error.message and "TP" in error.message
    assert len(f.comments) == 1 and not f.comments[0].matched


def test_unreadable_file_becomes_one_unmatched_entry(workspace):
    add_fixture(workspace, "TTR-broken.yaml")
    cs = consult(workspace)
    broken = next(f for f in cs.comments.files if f.path.endswith("TTR-broken.yaml"))
    assert not broken.readable and broken.errors[0].line > 0
    assert "YAML" in broken.errors[0].message
    entry = next(c for c in cs.comments.comments if c.source.endswith("TTR-broken.yaml"))
    assert not entry.matched and entry.office == "TTR"
    ledger = {e.office.code: e for e in cs.ledger(D(2023, 9, 1))}
    assert ledger["TTR"].status == "unreadable"  # it sent something: not silently deemed to agree


def test_a_reply_dated_the_deadline_day_is_flagged_late(workspace):
    add_fixture(workspace, "NNPTNT-deadline-day.yaml")
    cs = consult(workspace)
    ledger = {e.office.code: e for e in cs.ledger(D(2023, 9, 1))}
    assert ledger["NNPTNT"].status == "late"
    assert all(c.late for c in cs.comments.comments if c.office == "NNPTNT")


def test_later_file_wins_and_both_stay_visible(workspace):
    cs = consult(workspace)
    by_id = cs.comments.by_id()
    assert by_id["TCKH-2"].superseded_by == "TCKH-5" and by_id["TCKH-2"].matched
    assert by_id["TCKH-5"].superseded_by == ""
    assert by_id["TCKH-1"].superseded_by == ""  # the later file says nothing on II.5.1.1
    assert [c.id for c in cs.comments.for_criterion("II.5.1.2")] == ["TCKH-2", "TCKH-5"]


def test_template_yaml_lists_every_criterion_and_reads_back_empty(workspace, tmp_path):
    ws = Workspace(workspace)
    offices = load_offices(ws)
    r = load_round(ws, offices)
    rubric = load_rubric_file(ws.version_path("v1"))
    text = comment_template_yaml(rubric, r, check_office("TCKH", offices))
    for node in rubric.walk():
        assert f'criterion: "{node.id}"' in text
    assert 'office: "TCKH"' in text and 'version: "v1"' in text and "trước ngày 18/8/2023" in text
    assert "agree_all: false" in text
    path = tmp_path / "TCKH-mau.yaml"
    path.write_text(text, encoding="utf-8")
    f = read_comment_file(path, rubric, offices, r)
    assert f.comments == [] and f.errors == [] and f.office == "TCKH"
    filled = text.replace('date_sent: ""', 'date_sent: "2023-08-01"').replace(
        'agree_all: false', 'agree_all: true', 1)
    filled = filled.replace('  - criterion: "II.6.3"\n    title: "Thực hiện chế độ báo cáo trên Hệ thống thông tin '
                            'báo cáo cấp tỉnh"\n    points: "2"\n    kind: ""\n    comment: ""',
                            '  - criterion: "II.6.3"\n    title: "x"\n    points: "2"\n    kind: "điểm"\n'
                            '    comment: "Nâng mức cao nhất"', 1)
    path.write_text(filled, encoding="utf-8")
    f = read_comment_file(path, rubric, offices, r)
    assert f.agree_all and [c.criterion for c in f.comments] == ["II.6.3"] and f.errors == []


def test_template_xlsx_round_trip(workspace, tmp_path):
    from openpyxl import load_workbook

    ws = Workspace(workspace)
    offices = load_offices(ws)
    r = load_round(ws, offices)
    rubric = load_rubric_file(ws.version_path("v1"))
    book = load_workbook(io.BytesIO(comment_template_xlsx(rubric, r, check_office("TP", offices))))
    sheet = book.active
    field = {sheet.cell(i, 1).value: i for i in range(1, 12)}  # the form's fields, found by their labels
    assert sheet.cell(field["Cơ quan"], 2).value == "TP" and sheet.cell(field["Phiên bản"], 2).value == "v1"
    assert "18/8/2023" in sheet.cell(field["Hạn gửi"], 2).value
    row = next(i for i in range(1, sheet.max_row + 1) if sheet.cell(i, 1).value == "II.1.2")
    assert sheet.cell(row, 3).value == "2"
    sheet.cell(field["Ngày gửi"], 2).value = "16/8/2023"
    sheet.cell(row, 5).value = "Ý kiến trong Excel"
    sheet.cell(row, 7).value = "1,5"
    path = tmp_path / "TP-excel.xlsx"
    book.save(path)
    f = read_comment_file(path, rubric, offices, r)
    assert f.errors == [] and f.date_sent == D(2023, 8, 16)
    (c,) = f.comments
    assert (c.criterion, c.text, c.proposed_points, c.line, c.kind) == ("II.1.2", "Ý kiến trong Excel",
                                                                        Decimal("1.5"), row, "điểm")


def test_an_excel_file_that_is_not_excel_is_unreadable_not_a_crash(workspace, tmp_path):
    path = tmp_path / "VP-hong.xlsx"
    path.write_bytes(b"not a zip")
    ws = Workspace(workspace)
    offices = load_offices(ws)
    f = read_comment_file(path, load_rubric_file(ws.version_path("v1")), offices, load_round(ws, offices))
    assert not f.readable and "Excel" in f.errors[0].message and len(f.comments) == 1


def test_office_codes_that_escape_a_folder_are_refused():
    with pytest.raises(CchcError):
        check_office("../x", DEFAULT_OFFICES)
    with pytest.raises(ValidationError):
        check_office("XYZ", DEFAULT_OFFICES)


# --------------------------------------------------------------------------- points

def test_raising_a_criterion_changes_its_parents_and_the_total():
    rubric = make_rubric([
        section("I", "2", [leaf("I.1", "2")]),
        section("II", "4", [section("II.6", "3", [leaf("II.6.3", "1", [("Đạt", "1"), ("Không", "0")]),
                                                  leaf("II.6.4", "2")])]),
    ], total="6")
    rubric.sections[1].children[0].kind = "criterion"
    text = points_impact(rubric, "II.6.3", Decimal(2))
    assert "II.6.3: 1 → 2 (+1)" in text and "II.6: 3 → 4" in text and "II: 4 → 5" in text
    assert "tổng các phần: 6 → 7" in text
    same = points_impact(rubric, "II.6.4", Decimal(2))
    assert "không đổi" in same


def test_bundled_points_proposals_state_their_effect(workspace):
    by_id = consult(workspace).comments.by_id()
    assert "II.5: 10 → 11" in by_id["TCKH-3"].impact and "97 → 98" in by_id["TCKH-3"].impact
    assert "II.6: 25 → 24" in by_id["VP-4"].impact
    assert "mức cao nhất hiện là 1" in by_id["VP-3"].impact


# --------------------------------------------------------------------------- closing the loop

def _next_draft(workspace, edits) -> Path:
    """v1 copied to v9 (status draft), edited through the round-trip editor."""
    ws = Workspace(workspace)
    target = ws.drafts / "v9.yaml"
    text = ws.version_path("v1").read_text(encoding="utf-8")
    text = text.replace("status: circulated", "status: draft").replace('version: "v1"', 'version: "v9"')
    target.write_text(text, encoding="utf-8")
    doc = RubricDocument.open(target)
    edits(doc)
    doc.save()
    return target


def test_loop_catches_accepted_without_change_and_change_without_comment(workspace):
    def edits(doc):
        doc.set_band("II.5.1.1", 1, text="Có báo cáo nhưng không đúng thời gian quy định")  # TCKH-1, accepted
        doc.set_fields("I.5", {"title": "Phân công công chức tham mưu CCHC"})  # nobody asked
        doc.set_fields("II.1.1.2", {"title": "Tham mưu ban hành văn bản QPPL"})  # TP-1 was rejected

    path = _next_draft(workspace, edits)
    cs = consult(workspace)
    findings = close_loop_for(cs, load_rubric_file(path), "v2")
    codes = {(f.code, f.node) for f in findings}
    assert ("accepted-unchanged", "II.5.1.1") not in codes
    assert ("accepted-unchanged", "II.6.3") in codes  # VP-3 accepted, II.6.3 untouched
    assert ("change-uncited", "I.5") in codes
    assert ("rejected-changed", "II.1.1.2") in codes
    add_initiative(Workspace(workspace), "I.5", "Rút gọn tên tiêu chí")
    codes = {(f.code, f.node) for f in close_loop_for(consult(workspace), load_rubric_file(path), "v2")}
    assert ("change-uncited", "I.5") not in codes


def test_loop_reports_unanswered_comments(workspace):
    path = _next_draft(workspace, lambda doc: None)
    cs = consult(workspace)
    del cs.dispositions.items["VP-2"]
    findings = close_loop_for(cs, load_rubric_file(path), "v2")
    assert any(f.code == "unanswered" and f.comment_id == "VP-2" for f in findings)
    assert not any(f.code == "change-uncited" for f in findings)


def _write_and_read(workspace, name, text):
    path = workspace / "comments" / name
    path.write_text(text, encoding="utf-8")
    ws = Workspace(workspace)
    offices = load_offices(ws)
    return read_comment_file(path, load_rubric_file(ws.version_path("v1")), offices, load_round(ws, offices), name)


def test_wrong_version_unknown_kind_and_bare_criterion_rows(workspace):
    f = _write_and_read(workspace, "YT-a.yaml", 'office: YT\nversion: "v0"\ndate_sent: "2023-08-01"\ncomments:\n'
                                               '  - {criterion: "I.1", comment: "x"}\n')
    assert f.errors[0].line == 2 and "v0" in f.errors[0].message and not f.comments[0].matched
    f = _write_and_read(workspace, "YT-b.yaml", 'office: YT\ndate_sent: "2023-08-01"\ncomments:\n'
                                               '  - {criterion: "I.1", kind: "ý tưởng", comment: "x"}\n'
                                               '  - {criterion: "I.2"}\n')
    assert [e.line for e in f.errors] == [4, 5]
    assert "loại ý kiến 'ý tưởng'" in f.errors[0].message and "trống" in f.errors[1].message
    assert [c.matched for c in f.comments] == [False, False]


def test_the_drafter_itself_is_not_consulted(workspace):
    f = _write_and_read(workspace, "NV-a.yaml", 'office: NV\ndate_sent: "2023-08-01"\ncomments:\n'
                                               '  - {criterion: "I.1", comment: "x"}\n')
    assert not f.addressed and "không nằm trong danh sách được lấy ý kiến" in f.errors[0].message


def test_misaddressed_file_is_noted_in_the_ledger_of_both_offices(workspace):
    add_fixture(workspace, "TP-misaddressed.yaml")
    cs = consult(workspace)
    ledger = {e.office.code: e for e in cs.ledger(D(2023, 9, 1))}
    assert any("TP-misaddressed.yaml" in n for n in ledger["TP"].notes)
    assert any("TP-misaddressed.yaml" in n for n in ledger["VP"].notes)
    assert ledger["TP"].comments == 3  # its own file still counts; the misaddressed one does not
    assert len(cs.comments.comments) == 20 and len(cs.comments.unmatched()) == 3


def test_a_number_without_its_section_gets_a_hint(workspace):
    f = _write_and_read(workspace, "YT-c.yaml", 'office: YT\ndate_sent: "2023-08-01"\ncomments:\n'
                                               '  - {criterion: 1.1, comment: "x"}\n')
    assert "có phải I.1.1 hoặc II.1.1?" in f.errors[0].message


def test_no_comment_is_ever_lost(workspace):
    """Whatever mix of good and bad rows a file holds, each written comment comes back exactly once."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    ws = Workspace(workspace)
    offices = load_offices(ws)
    r = load_round(ws, offices)
    rubric = load_rubric_file(ws.version_path("v1"))
    row = st.fixed_dictionaries({
        "criterion": st.sampled_from(["II.6.3", "II.9.9", "toàn bộ", "", "1.1"]),
        "comment": st.sampled_from(["Ý kiến", "", "<script>", "{{ 7*7 }}"]),
        "proposed_points": st.sampled_from(["", "2", "một", "1,5"]),
        "kind": st.sampled_from(["", "điểm", "lạ"]),
    }).filter(lambda d: d["comment"] or d["proposed_points"] or d["kind"] or d["criterion"])

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(row, max_size=6), st.sampled_from(["YT", "VP", "XYZ"]))
    def check(rows, office):
        import json

        body = "".join("  - {" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in d.items())
                       + "}\n" for d in rows)
        path = workspace / "comments" / "YT-prop.yaml"
        path.write_text(f'office: "{office}"\ndate_sent: "2023-08-01"\ncomments:\n{body or "  []"}\n',
                        encoding="utf-8")
        f = read_comment_file(path, rubric, offices, r)
        assert len(f.comments) == len(rows)
        assert [c.line for c in f.comments] == list(range(4, 4 + len(rows)))
        for c, d in zip(f.comments, rows):
            assert c.text == d["comment"]
            ok = (office == "YT" and d["comment"] and d["criterion"] in ("II.6.3", "toàn bộ")
                  and d["proposed_points"] != "một" and d["kind"] != "lạ")
            assert c.matched == bool(ok), (d, c.errors)

    check()


def test_hand_edited_consultation_files_refuse_aliases_like_rubrics(tmp_path):
    """round.yaml, dispositions.yaml and score sheets share the rubric's round-trip reader."""
    from cchc_consult.consult.yamledit import load_round_trip
    from cchc_consult.errors import YamlSyntaxError

    path = tmp_path / "dispositions.yaml"
    path.write_text("a: &x [1, 2]\nb: *x\n", encoding="utf-8")
    with pytest.raises(YamlSyntaxError) as err:
        load_round_trip(path)
    assert "tham chiếu" in str(err.value) and str(path) in str(err.value)
    path.write_text("", encoding="utf-8")
    assert dict(load_round_trip(path)) == {}
