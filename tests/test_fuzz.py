"""A bounded fuzz run of every reader of hand-made files: no exception but our own.

Real files (v1.yaml, the seed page text, a comment file, a score sheet, Word and Excel
rubrics) are mutated the way hands and tools damage them — a span deleted, a ':' '-' tab or
quote inserted, a Vietnamese letter or a BOM in the middle, lines swapped or duplicated, the
file cut short, bytes flipped — with a fixed seed, so a failure is reproducible. Whatever the
damage, a reader returns or raises a `CchcError` (a Vietnamese message with file and line);
anything else would reach a clerk as a traceback.

A failing input is written to the test's tmp folder and named in the assertion.
"""

from __future__ import annotations

import importlib
import io
import random
import traceback
import zipfile
from pathlib import Path

import pytest

from cchc_consult import document, schema
from cchc_consult.errors import CchcError

REPO = Path(__file__).resolve().parent.parent
SEED_TEXT = REPO.parent / "shared" / "seed" / "000_1d2ed02fd101ed54.txt"

TOKENS = [":", ": ", "-", "- ", "\t", '"', "'", "{", "}", "[", "]", ",", "#", "&a ", "*a", "!!",
          "!!python/object:os.system ",
          "|", ">", "%", "@", "`", "?", "\n", "\n  ", "  ", "\u00a0", "\ufeff", "\x00", "\x85", "\u2028", "ữ", "Đ",
          "e\u0301", "1,5", "1.5.2", "một", "null", "~", "yes", "12:30", "9" * 40, "-1", ".inf", "<<: ", "---\n",
          "...\n", "\r", "\\", "\\x", "\\u12", "é", "\U0001f600"]


def mutate_text(text: str, rng: random.Random) -> str:
    """The text with one to three kinds of damage."""
    for _ in range(rng.randint(1, 3)):
        if not text:
            break
        at = rng.randrange(len(text))
        how = rng.randrange(7)
        if how == 0:
            text = text[:at] + text[at + rng.randint(1, 40):]
        elif how in (1, 2):
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif how == 3:
            text = text[: rng.randrange(len(text))]
        else:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            if how == 4:
                lines[i], lines[j] = lines[j], lines[i]
            elif how == 5:
                lines.insert(i, lines[j])
            else:
                lines[i] = lines[i].lstrip() if rng.random() < 0.5 else " " + lines[i]
            text = "\n".join(lines)
    return text


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """The bytes with flipped, dropped or inserted bytes, or cut short."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            break
        at = rng.randrange(len(out))
        how = rng.randrange(4)
        if how == 0:
            out[at] ^= 1 << rng.randrange(8)
        elif how == 1:
            del out[at: at + rng.randint(1, 8)]
        elif how == 2:
            out[at:at] = bytes([rng.randrange(256)]) * rng.randint(1, 3)
        else:
            del out[rng.randrange(len(out)):]
    return bytes(out)


def _run(reader, inputs, tmp_path: Path, suffix: str) -> int:
    """Feed every input to `reader`; fail on the first exception that is not a CchcError."""
    refused = 0
    for number, data in enumerate(inputs):
        try:
            reader(data)
        except CchcError as exc:
            assert str(exc), "a refusal always says something"
            refused += 1
        except Exception:  # noqa: BLE001 - the point of the test
            keep = tmp_path / f"failing-{number}{suffix}"
            keep.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
            pytest.fail(f"input {number} ({keep}) raised a non-CchcError:\n{traceback.format_exc()}")
    return refused


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("CCHC_NO_CACHE", "1")  # hundreds of distinct inputs: nothing to gain from caching


@pytest.mark.slow
def test_rubric_loader_text_mutations(tmp_path):
    rng = random.Random(20230726)
    source = (REPO / "rubric" / "drafts" / "v1.yaml").read_text(encoding="utf-8")
    path = tmp_path / "v1.yaml"

    def read(text: str) -> None:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        schema.load_rubric_file(path)

    refused = _run(read, (mutate_text(source, rng) for _ in range(160)), tmp_path, ".yaml")
    assert refused > 30, "the mutations should break the file often"


@pytest.mark.slow
def test_rubric_loader_byte_mutations(tmp_path):
    rng = random.Random(1632)
    source = (REPO / "rubric" / "drafts" / "v1.yaml").read_bytes()
    path = tmp_path / "v1.yaml"

    def read(data: bytes) -> None:
        path.write_bytes(data)
        schema.load_rubric_file(path)

    _run(read, (mutate_bytes(source, rng) for _ in range(100)), tmp_path, ".yaml")


@pytest.mark.slow
def test_editor_open_mutations(tmp_path):
    rng = random.Random(26)
    source = (REPO / "tests" / "bad_inputs" / "good_minimal.yaml").read_text(encoding="utf-8")
    path = tmp_path / "r.yaml"

    def read(text: str) -> None:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        document.RubricDocument.open(path)

    _run(read, (mutate_text(source, rng) for _ in range(80)), tmp_path, ".yaml")


@pytest.mark.slow
def test_page_text_importer_mutations(tmp_path):
    from cchc_consult.importers.text import parse_page_text

    rng = random.Random(7)
    source = SEED_TEXT.read_text(encoding="utf-8")
    _run(lambda text: parse_page_text(text, "trang.txt"), (mutate_text(source, rng) for _ in range(80)),
         tmp_path, ".txt")


def _score_sheet_source() -> Path | None:
    for folder in (REPO / "scores" / "self", REPO / "tests" / "fixtures" / "scores"):
        found = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if found:
            return found[0]
    return None


@pytest.mark.slow
def test_score_sheet_reader_mutations(tmp_path):
    score = importlib.import_module("cchc_consult.score")
    source_path = _score_sheet_source()
    if source_path is None:
        pytest.skip("no score sheet in the workspace")
    rubric = schema.load_rubric_file(REPO / "rubric" / "drafts" / "v1.yaml")
    rng = random.Random(12)
    source = source_path.read_text(encoding="utf-8")
    path = tmp_path / "TP.yaml"

    def read(text: str) -> None:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        sheet = score.read_sheet(path)
        score.score_sheets(rubric, [sheet])

    _run(read, (mutate_text(source, rng) for _ in range(150)), tmp_path, ".yaml")


@pytest.mark.slow
def test_comment_reader_mutations(tmp_path):
    comments = importlib.import_module("cchc_consult.consult.comments")
    from cchc_consult.workspace import Workspace

    consultation = Workspace(REPO).consultation()
    sources = sorted((REPO / "comments").glob("*-20*.yaml"))
    if not sources:
        pytest.skip("no comment file in the workspace")
    rng = random.Random(818)
    path = tmp_path / sources[0].name

    def read(text: str) -> None:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        comments.read_comment_file(path, consultation.rubric, consultation.offices, consultation.round)

    texts = (mutate_text(rng.choice(sources).read_text(encoding="utf-8"), rng) for _ in range(120))
    _run(read, texts, tmp_path, ".yaml")


def _mutated_office_files(source: Path, rng: random.Random, count: int):
    """Word/Excel files damaged two ways: the zip's bytes, and the XML inside a sound zip."""
    data = source.read_bytes()
    for i in range(count):
        if i % 2 == 0:
            yield mutate_bytes(data, rng)
            continue
        with zipfile.ZipFile(io.BytesIO(data)) as zin:
            names = zin.namelist()
            target = rng.choice([n for n in names if n.endswith(".xml")])
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as zout:
                for name in names:
                    content = zin.read(name)
                    if name == target:
                        content = mutate_text(content.decode("utf-8", "replace"), rng).encode("utf-8")
                    zout.writestr(name, content)
        yield out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("name, module, function", [
    ("xa_quang_an_2024.docx", "cchc_consult.importers.docx", "import_docx"),
    ("so_ban_nganh_2024.xlsx", "cchc_consult.importers.xlsx", "import_xlsx"),
])
def test_office_file_importer_mutations(tmp_path, name, module, function):
    importer = getattr(importlib.import_module(module), function)
    source = REPO / "tests" / "fixtures" / "rubrics" / name
    if not source.exists():
        pytest.skip(f"{name} is not in tests/fixtures/rubrics")
    rng = random.Random(len(name))
    path = tmp_path / name

    def read(data: bytes) -> None:
        path.write_bytes(data)
        importer(path)

    _run(read, _mutated_office_files(source, rng, 24), tmp_path, Path(name).suffix)


@pytest.mark.slow
def test_comment_workbook_mutations(tmp_path):
    comments = importlib.import_module("cchc_consult.consult.comments")
    from cchc_consult.workspace import Workspace

    sources = sorted((REPO / "comments").glob("*.xlsx"))
    if not sources:
        pytest.skip("no comment workbook in the workspace")
    consultation = Workspace(REPO).consultation()
    rng = random.Random(815)
    path = tmp_path / sources[0].name

    def read(data: bytes) -> None:
        path.write_bytes(data)
        comments.read_comment_file(path, consultation.rubric, consultation.offices, consultation.round)

    _run(read, _mutated_office_files(sources[0], rng, 24), tmp_path, ".xlsx")


def _with_damaged_sheet(source: Path, cut: float) -> bytes:
    """The workbook with its first sheet's XML cut short: the zip is sound, the rows are not."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            content = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = content[: int(len(content) * cut)]
            zout.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("cut", [0.3, 0.9])
def test_workbook_with_damaged_rows_is_refused_clearly(tmp_path, cut):
    """openpyxl opens such a file and fails only while reading rows: readers must still refuse it clearly."""
    from cchc_consult.consult import comments
    from cchc_consult.importers.xlsx import import_xlsx
    from cchc_consult.workspace import Workspace

    rubric_book = tmp_path / "so_ban_nganh_2024.xlsx"
    rubric_book.write_bytes(_with_damaged_sheet(REPO / "tests" / "fixtures" / "rubrics" / rubric_book.name, cut))
    with pytest.raises(CchcError):
        import_xlsx(rubric_book)
    sources = sorted((REPO / "comments").glob("*.xlsx"))
    if sources:
        consultation = Workspace(REPO).consultation()
        comment_book = tmp_path / sources[0].name
        comment_book.write_bytes(_with_damaged_sheet(sources[0], cut))
        read = comments.read_comment_file(comment_book, consultation.rubric, consultation.offices,
                                          consultation.round)
        assert read.errors and comment_book.name in str(read.errors[0])


#: Values an attacker puts where a number or a text belongs (issue 14).
HOSTILE_VALUES = [".nan", "-.inf", ".inf", "1e400", "99999999999999999999", "-0.0001", "0x1F", "[" * 300 + "]" * 300,
                  "{a: " * 150 + "1" + "}" * 150, '"\\x1b]0;t\\x07\\x1b[2J\\r[tiếp thu]"', '"\\x0b\\x00\\x85"',
                  '"\\ud800"', "!!float nan", "!!int 1", "~", "[]", "{}", "''", '"' + "9" * 400 + '"']


def hostile_value_mutation(text: str, rng: random.Random) -> str:
    """The text with one to three values after "key:" replaced by a hostile one."""
    lines = text.split("\n")
    slots = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
    for _ in range(rng.randint(1, 3)):
        if not slots:
            break
        i = rng.choice(slots)
        key = lines[i].split(": ", 1)[0]
        lines[i] = f"{key}: {rng.choice(HOSTILE_VALUES)}"
    return "\n".join(lines)


def test_score_sheet_reader_hostile_values(tmp_path):
    from cchc_consult import score

    rubric = schema.load_rubric_file(REPO / "rubric" / "drafts" / "v1.yaml")
    rng = random.Random(1414)
    source = _score_sheet_source().read_text(encoding="utf-8")
    path = tmp_path / "TP.yaml"

    def read(text: str) -> None:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        score.score_sheets(rubric, [score.read_sheet(path)])

    _run(read, (hostile_value_mutation(source, rng) for _ in range(80)), tmp_path, ".yaml")


def test_comment_reader_hostile_values(tmp_path):
    from cchc_consult.consult import comments
    from cchc_consult.workspace import Workspace

    consultation = Workspace(REPO).consultation()
    sources = sorted((REPO / "comments").glob("*-20*.yaml"))
    rng = random.Random(1415)
    path = tmp_path / sources[0].name

    def read(text: str) -> None:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        comments.read_comment_file(path, consultation.rubric, consultation.offices, consultation.round)

    texts = (hostile_value_mutation(rng.choice(sources).read_text(encoding="utf-8"), rng) for _ in range(80))
    _run(read, texts, tmp_path, ".yaml")


def test_rubric_loader_hostile_values(tmp_path):
    rng = random.Random(1416)
    source = (REPO / "rubric" / "drafts" / "v2.yaml").read_text(encoding="utf-8")
    path = tmp_path / "v2.yaml"

    def read(text: str) -> None:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        schema.load_rubric_file(path)

    _run(read, (hostile_value_mutation(source, rng) for _ in range(60)), tmp_path, ".yaml")
