"""The bad-input corpus (tests/bad_inputs/): every file is answered in Vietnamese, with the file
and the position, never with a traceback, and nothing on disk changes.

Each case goes through the read path (`schema.load_rubric_file`), the editing path
(`RubricDocument.open`) and the command a clerk types (`python -m cchc_consult
check FILE`, exit code 2).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_consult import cli, document, fileio, schema
from cchc_consult.errors import (
    CchcError, FileReadError, ValidationError, WorkspaceError, YamlSyntaxError,
)
from cchc_consult.workspace import Workspace

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "bad_inputs"
sys.path.insert(0, str(CORPUS))
import make_legacy  # noqa: E402  (the generator of the legacy-encoding files, committed beside them)

# file → (error type, line the message must name (0: no line applies), words the message must contain)
REFUSED = {
    "malformed_colon.yaml": (YamlSyntaxError, 19, ["dấu ':'"]),
    "malformed_indent.yaml": (YamlSyntaxError, 20, ["thụt lề"]),
    "malformed_unclosed_quote.yaml": (YamlSyntaxError, 29, ["ngoặc kép", "dòng 27"]),
    "duplicate_key.yaml": (YamlSyntaxError, 21, ["'max'", "bị lặp", "dòng 20"]),
    "tabs.yaml": (YamlSyntaxError, 21, ["Tab"]),
    "complex_key.yaml": (YamlSyntaxError, 22, ["tên trường", "':'"]),
    "alias_bomb.yaml": (YamlSyntaxError, 10, ["tham chiếu"]),
    "legacy_tcvn3.yaml": (FileReadError, 3, ["TCVN3", "Unikey"]),
    "legacy_vni.yaml": (FileReadError, 3, ["VNI", "Unikey"]),
    "legacy_cp1258.yaml": (FileReadError, 3, ["cp1258", "Unikey"]),
    "legacy_tcvn3_saved_as_utf8.yaml": (FileReadError, 3, ["TCVN3", "ký tự lạ"]),
    "legacy_vni_saved_as_utf8.yaml": (FileReadError, 3, ["VNI", "ký tự lạ"]),
    "utf16le_no_bom.yaml": (FileReadError, 1, ["UTF-16", "BOM"]),
    "binary_nul.yaml": (FileReadError, 0, ["Word/Excel"]),
    "points_two_dots.yaml": (ValidationError, 26, ["'1.5.2'", "points"]),
    "points_word.yaml": (ValidationError, 26, ["'một'", "points"]),
    "empty.yaml": (ValidationError, 1, ["bộ tiêu chí"]),
    "not_a_rubric_list.yaml": (ValidationError, 1, ["bộ tiêu chí"]),
}

ACCEPTED = ["good_minimal.yaml", "utf8_bom.yaml", "utf16le_bom.yaml", "points_comma.yaml", "points_dot.yaml",
            "points_comma_trailing_zero.yaml", "points_unquoted_float.yaml"]

# Phrases of the YAML libraries' English messages that must never reach a clerk.
ENGLISH = re.compile(r"\b(?:found|expected|while|mapping|scanning|could not|Traceback)\b")


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    target.write_bytes((CORPUS / name).read_bytes())
    return target


def _assert_clear(error: CchcError, path: Path, line: int, words: list[str]) -> None:
    text = str(error)
    assert path.name in text, text
    if line:
        assert error.line == line, text
        assert f":{line}" in text
    for word in words:
        assert word in text, text
    assert error.fix, "every refusal says what to do"
    assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", text), "Vietnamese"
    assert not ENGLISH.search(text), text


def test_corpus_is_complete():
    on_disk = {p.name for p in CORPUS.glob("*.yaml")}
    assert on_disk == set(REFUSED) | set(ACCEPTED)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_load_rubric_refuses_clearly(name, tmp_path):
    kind, line, words = REFUSED[name]
    path = _copy(name, tmp_path)
    with pytest.raises(kind) as info:
        schema.load_rubric_file(path)
    _assert_clear(info.value, path, line, words)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_editor_refuses_the_same_way(name, tmp_path):
    kind, line, words = REFUSED[name]
    path = _copy(name, tmp_path)
    with pytest.raises(kind) as info:
        document.RubricDocument.open(path)
    _assert_clear(info.value, path, line, words)


@pytest.mark.slow
def test_check_command_exits_2_for_every_bad_file(tmp_path):
    env = {**os.environ, "CCHC_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    for name in sorted(REFUSED):
        path = _copy(name, tmp_path)
        before = path.read_bytes()
        run = subprocess.run([sys.executable, "-m", "cchc_consult", "check", str(path)], capture_output=True,
                             text=True, encoding="utf-8", env=env, timeout=60)
        assert run.returncode == 2, (name, run.stdout, run.stderr)
        assert run.stderr.startswith("Lỗi: "), (name, run.stderr)
        assert path.name in run.stderr and "Cách sửa" in run.stderr, (name, run.stderr)
        assert "Traceback" not in run.stderr, (name, run.stderr)
        assert path.read_bytes() == before, f"{name} was changed by reading it"


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_inputs_read_the_same_rubric(name, tmp_path):
    reference = schema.load_rubric_file(_copy("good_minimal.yaml", tmp_path))
    rubric = schema.load_rubric_file(_copy(name, tmp_path))
    assert rubric.meta.issuer == "UBND huyện Quảng Điền"
    assert [n.title for n in rubric.walk()] == [n.title for n in reference.walk()]
    if name.startswith("points_"):
        assert rubric.index()["I.1"].bands[1].points == Decimal("1.5")
    else:
        assert rubric == reference
    assert cli.main(["check", str(tmp_path / name)]) in (0, 1)


@pytest.mark.parametrize("name", ["utf8_bom.yaml", "utf16le_bom.yaml"])
def test_windows_encodings_open_for_editing(name, tmp_path):
    doc = document.RubricDocument.open(_copy(name, tmp_path))
    assert doc.rubric.sections[0].title.startswith("Công tác chỉ đạo")


def test_legacy_files_match_their_generator():
    for name, data in make_legacy.files().items():
        assert (CORPUS / name).read_bytes() == data, f"{name}: re-run tests/bad_inputs/make_legacy.py"


def test_legacy_tables_reproduce_known_mojibake():
    assert make_legacy.encode_tcvn3("Cộng hoà xã hội chủ nghĩa Việt Nam").decode("latin-1") \
        == "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    assert make_legacy.encode_vni("Cộng hòa xã hội chủ nghĩa Việt Nam").decode("latin-1") \
        == "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
    assert make_legacy.encode_vni("Độc lập Tự do").decode("latin-1") == "Ñoäc laäp Töï do"


@pytest.mark.parametrize("encode, name", [(make_legacy.encode_tcvn3, "TCVN3 (ABC)"),
                                          (make_legacy.encode_vni, "VNI"),
                                          (make_legacy.encode_cp1258, "Windows-1258 (cp1258)")])
def test_each_legacy_encoding_is_named(encode, name):
    text = "Kế hoạch cải cách hành chính năm 2023 của ủy ban nhân dân huyện Quảng Điền"
    assert fileio.guess_legacy_encoding(encode(text)) == name


@pytest.mark.parametrize("text", [
    "title: Les élèves français à l'école été, São Paulo, Müller\n",
    "note: café, naïve, µ ± ° © ®\n",
    "title: Kế hoạch cải cách hành chính — “Đạt” • 100%\n",
])
def test_real_utf8_text_is_not_mistaken_for_legacy(text):
    assert fileio.decode_bytes(text.encode("utf-8")) == text


def test_v1_and_the_seed_are_real_unicode():
    from tests.conftest import SEED, V1

    assert "Quảng Điền" in fileio.read_text(V1)
    if SEED.exists():
        assert "Quảng Điền" in fileio.read_text(SEED)


def test_oversized_file_is_refused_with_the_limit(tmp_path):
    path = _copy("good_minimal.yaml", tmp_path)
    with pytest.raises(FileReadError) as info:
        fileio.read_text(path, limit=100)
    assert "giới hạn là 100 byte" in str(info.value) and path.name in str(info.value)
    assert fileio.read_text(path, limit=path.stat().st_size) == fileio.read_text(path)


def test_oversized_file_is_refused_by_load_and_check(tmp_path, monkeypatch, capsys):
    path = _copy("good_minimal.yaml", tmp_path)
    monkeypatch.setattr(fileio, "MAX_FILE_BYTES", 512)
    with pytest.raises(FileReadError, match="giới hạn là 512 byte"):
        schema.load_rubric_file(path)
    assert cli.main(["check", str(path)]) == 2
    assert "giới hạn là 512 byte" in capsys.readouterr().err


def test_default_limit_is_stated_in_megabytes(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 2048)
    with pytest.raises(FileReadError, match=r"tệp quá lớn \(2 KB\); giới hạn là 1 KB"):
        fileio.read_bytes(path, limit=1024)
    assert fileio._human_size(fileio.MAX_FILE_BYTES) == "64 MB"


@pytest.mark.parametrize("name", ["../../etc/x", "/abs", "a/b", "a\\b", "..", ".hidden", "", "TP.", "NUL",
                                  "con.yaml", "VH TT", "Sở", "x" * 65])
def test_unsafe_office_codes_are_refused(name, workspace):
    with pytest.raises(WorkspaceError) as info:
        fileio.safe_name(name)
    assert "không hợp lệ" in str(info.value) and info.value.fix
    with pytest.raises(WorkspaceError):
        Workspace(workspace).version_path(name)


@pytest.mark.parametrize("name", ["VP", "TCKH", "LDTBXH", "v1", "v2-gop-y", "TP_2023"])
def test_ordinary_office_codes_pass(name):
    assert fileio.safe_name(name) == name


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(FileReadError, match="không tìm thấy tệp"):
        schema.load_rubric_file(tmp_path / "khong-co.yaml")
    with pytest.raises(FileReadError, match="thư mục"):
        schema.load_rubric_file(tmp_path)
    assert cli.main(["check", str(tmp_path / "khong-co.yaml")]) == 2


def test_vietnamese_letter_table_matches_unicode():
    import unicodedata

    tones, shapes = "\u0300\u0301\u0303\u0309\u0323", {"\u0302": "aeoAEO", "\u0306": "aA", "\u031b": "ouOU"}

    def is_letter(ch: str) -> bool:
        d = unicodedata.normalize("NFD", ch)
        if ch in "đĐ":
            return True
        marks = d[1:]
        return (len(d) > 1 and d[0] in "aeiouyAEIOUY" and sum(m in tones for m in marks) <= 1
                and all(m in tones or d[0] in shapes.get(m, "") for m in marks)
                and sum(m in shapes for m in marks) <= 1)

    derived = {chr(cp) for cp in [*range(0xC0, 0x1B1), *range(0x1EA0, 0x1EFA)] if is_letter(chr(cp))}
    assert fileio.VIETNAMESE_LETTERS == derived and len(derived) == 134


# --------------------------------------------------------------------------- markup and templates in user text
# A comment, a rubric title or an appraisal reason is typed by a person: every report shows it as
# text. `{{ 7*191 }}` would print 1337 if user text were ever rendered as a Jinja template.

PAYLOAD = "<script>alert('x')</script> <b>đậm</b> {{ 7*7 }} {{ 7*191 }} {% if true %}lộ{% endif %}"


def _assert_shown_as_text(output: str, markdown: bool = False) -> None:
    assert "<script>" not in output and "<b>đậm" not in output, "user text became markup"
    assert "1337" not in output, "user text was rendered as a template"
    if markdown:
        assert "{{ 7*191 }}" in output.replace("\\*", "*")  # Markdown escapes the '*'
    else:
        assert "{{ 7*191 }}" in output and "&lt;script&gt;" in output


def test_comment_markup_is_text_in_the_feedback_report(workspace):
    from cchc_consult.consult import feedback as consult
    from cchc_consult.render import feedback as render

    path = workspace / "comments" / "TP-2023-08-17.yaml"
    text = path.read_text(encoding="utf-8")
    extra = (f'  - criterion: "I.1.1"\n    kind: "nội dung"\n    comment: "{PAYLOAD}"\n'
             f'    proposal: "{PAYLOAD}"\n')
    path.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")
    report = consult.build_feedback(Workspace(workspace).consultation())
    assert any(PAYLOAD in " ".join(row.said) for row in report.rows), "the comment was read"
    _assert_shown_as_text(render.render_feedback_html(report))
    _assert_shown_as_text(render.render_feedback_markdown(report), markdown=True)


def _rubric_with_payload(version: str = "v1"):
    from tests.conftest import REPO

    rubric = schema.load_rubric_file(REPO / "rubric" / "drafts" / f"{version}.yaml")
    rubric.index()["I.1.1"].title = PAYLOAD
    rubric.index()["I.1.1"].bands[0].text = PAYLOAD
    return rubric


def test_rubric_markup_is_text_in_the_diff_report():
    from cchc_consult import diff
    from cchc_consult.render import diff as render
    from tests.conftest import V1

    changed = diff.diff_rubrics(schema.load_rubric_file(V1), _rubric_with_payload())
    assert not changed.is_empty()
    _assert_shown_as_text(render.render_html(changed))
    _assert_shown_as_text(render.render_markdown(changed), markdown=True)
    assert "{{ 7*191 }}" in render.render_text(changed)


def test_rubric_markup_is_text_in_rubric_exports():
    from cchc_consult.render import rubric as table

    rubric = _rubric_with_payload()
    _assert_shown_as_text(table.rubric_to_html(rubric))
    _assert_shown_as_text(table.rubric_to_markdown(rubric), markdown=True)


def test_reason_and_title_markup_is_text_in_the_score_report(workspace):
    from cchc_consult import score
    from cchc_consult.render import score as score_report

    rubric = _rubric_with_payload("v2")  # the version the example's sheets are on
    sheets = score.load_sheets(workspace / "scores")
    appraisal = next(s for s in sheets if s.kind == "appraisal" and s.entries)
    for entry in appraisal.entries.values():
        entry.reason = PAYLOAD
    result = score.score_sheets(rubric, sheets)
    assert result.offices, [str(p) for f in result.failures for p in f.problems][:3]
    html = score_report.render_html(result)
    _assert_shown_as_text(html)
    assert "{{ 7*191 }}" in score_report.render_text(result) or PAYLOAD not in score_report.render_text(result)


@pytest.mark.parametrize("formula", ["=1+1", "=HYPERLINK(\"http://x\",\"bấm\")", "@SUM(A1)"])
def test_formula_in_user_text_stays_text_in_excel_output(workspace, formula):
    from cchc_consult import score
    from openpyxl import load_workbook

    from cchc_consult.render import score as score_report

    sheets = score.load_sheets(workspace / "scores")
    appraisal = next(s for s in sheets if s.kind == "appraisal" and s.entries)
    for entry in appraisal.entries.values():
        entry.reason = formula
    rubric = schema.load_rubric_file(workspace / "rubric" / "drafts" / "v1.yaml")
    rubric.index()["I.1.1"].title = formula
    data = score_report.render_xlsx(score.score_sheets(rubric, sheets))
    import io

    workbook = load_workbook(io.BytesIO(data))
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f" and str(c.value).startswith(formula[:2])], \
        "a person's text became an Excel formula"


def test_formula_in_a_rubric_title_stays_text_in_blank_templates(workspace):
    import io

    from openpyxl import load_workbook

    from cchc_consult.consult.template import comment_template_xlsx
    from cchc_consult.score.template import sheet_template_xlsx

    consultation = Workspace(workspace).consultation()
    rubric = consultation.rubric
    rubric.index()["I.1.1"].title = "=1+1"
    for data in (comment_template_xlsx(rubric, consultation.round, consultation.office("TP")),
                 sheet_template_xlsx(rubric, "TP")):
        workbook = load_workbook(io.BytesIO(data))
        cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
        assert any(c.value == "=1+1" for c in cells), "the title is in the template"
        assert not [c.coordinate for c in cells if c.data_type == "f" and c.value == "=1+1"]
