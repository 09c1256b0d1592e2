"""The event builder (`yamlio._built_from_events`) gives exactly what the node path gives, or leaves the text to it.

Compared over every YAML file of the repository and the seed, generated rubrics and sheets, a list of
hostile snippets (each refusal with the same message, line and column) and random YAML from hypothesis.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_consult import yamlio
from cchc_consult.errors import CchcError

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed"
sys.path.insert(0, str(REPO))

from bench.generate import generate_rubric, sheet_text, write_rubric  # noqa: E402


def _same(a, b) -> bool:
    """Equal data, types included (True is not 1, 1.0 is not 1), NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def _outcome(parse, text: str):
    try:
        return "ok", parse(text)
    except CchcError as exc:
        return "error", (type(exc).__name__, str(exc), exc.line, exc.column)
    except Exception as exc:  # noqa: BLE001 - whatever the node path lets through, the same must come through
        return "error", (type(exc).__name__, str(exc))


def _node_path(text: str):
    return yamlio._parse_composed(yaml, text, "x.yaml")  # noqa: SLF001 - the path compared against


def assert_same_as_node_path(text: str) -> None:
    kind_new, new = _outcome(lambda t: yamlio.parse_yaml(t, "x.yaml"), text)
    kind_old, old = _outcome(_node_path, text)
    assert kind_new == kind_old, (text, new, old)
    assert _same(new, old) if kind_new == "ok" else new == old, (text, new, old)


def _yaml_files() -> list[Path]:
    roots = [REPO, SEED]
    found = [p for root in roots for pattern in ("*.yaml", "*.yml") for p in root.rglob(pattern)
             if ".git" not in p.parts]
    return sorted(found)


def test_every_yaml_file_of_the_repository_and_the_seed_reads_alike():
    files = _yaml_files()
    assert len(files) > 50, "the repository's YAML files were not found"
    for path in files:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # legacy encodings: decoded (or refused) before either path runs
        assert_same_as_node_path(text)


def test_the_real_rubrics_are_built_from_events_not_left_to_the_node_path():
    for name in ("v1", "v2"):
        text = (REPO / "rubric" / "drafts" / f"{name}.yaml").read_text("utf-8")
        data = yamlio._built_from_events(yaml, text)  # noqa: SLF001 - raises if it would leave the text
        assert _same(data, _node_path(text))
        assert data["sections"] and yamlio.LINE_KEY in data


def test_generated_rubrics_and_sheets_read_alike(tmp_path):
    for criteria in (100, 1000):
        rubric = generate_rubric(criteria)
        text = write_rubric(rubric, tmp_path / f"r{criteria}.yaml").read_text("utf-8")
        assert yamlio._built_from_events(yaml, text) is not None  # noqa: SLF001 - the fast path takes it
        assert_same_as_node_path(text)
        for seed, office in enumerate(("VP", "NV", "TP")):
            assert_same_as_node_path(sheet_text(rubric, office, seed))


HOSTILE = [
    "",
    "# only a comment\n",
    "---\n",
    "---\n...\n",
    "hello\n",
    "- 1\n- 2\n",
    "a: 1\nb: 2\na: 3\n",                      # duplicate key
    "a:\n  b: 1\n  b: 2\n",
    "a: &x 1\nb: *x\n",                          # alias
    "a: &x 1\nb: 2\n",                           # an anchor alone
    "a: *x\n",                                   # undefined alias
    "a: &x 1\nb: &x 2\n",                        # duplicate anchor
    "a:\n\tb: 1\n",                              # tab
    "a: 1\n\tb: 2\n",
    "a: [1, 2\n",                                # bad syntax
    'a: "open\nb: 2\nc: 3\n',
    "a: b: c\n",
    "a: 1\n---\nb: 2\n",                         # two documents
    "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",   # merge key
    "c:\n  <<: {x: 1}\n  y: 2\n",
    "a: <<\n",
    "a: !!str 12\n",                             # explicit tags
    "a: !!binary aGVsbG8=\n",
    "a: !!binary '%%%'\n",
    "a: !!python/object:os.system x\n",
    "a: ! 12\n",
    "a: !foo 12\n",
    "%YAML 1.1\n---\na: 1\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "!!map {a: 1}\n",
    "!!set {a, b}\n",
    "!!omap [a: 1]\n",
    "[1, 2]: x\n",                               # a list as a key
    "{a: 1}: x\n",
    "? - a\n: x\n",
    "? a\n: x\n",
    "1: a\n01: b\n",                             # keys equal once typed
    "yes: a\ntrue: b\n",
    "__line__: 99\na: 1\n",
    "a: 0b_\n",
    "a: 0x_\n",
    "a: 1_000\nb: 0o17\nc: 017\nd: 0x1F\ne: 1:30\nf: -1_0:30:00\ng: 0b101\n",
    "a: .nan\nb: -.inf\nc: 1e3\nd: 1.5e+3\ne: 6.8523015e+5\nf: 190:20:30.15\ng: .5\n",
    "a: yes\nb: No\nc: off\nd: ON\ne: y\nf: n\ng: ~\nh: null\ni: Null\nj:\n",
    "a: 2023-07-26\nb: 2001-12-14t21:59:43.10-05:00\nc: 2023-7-6\n",
    "a: =\nb: '='\n",
    "a: 'yes'\nb: \"1\"\nc: |\n  1\nd: >\n  true\n",
    "'': empty key\n",
    "~: null key\n1.5: float key\n",
    "a: \"\\x00\"\n",
    "a: \"\\q\"\n",
    "\x01a: 1\n",
    "a:\n- 1\n -2\n",
    "- - - - deep\n",
    "[" * 101 + "]" * 101 + "\n",
    "[" * 100 + "]" * 100 + "\n",
    "[" * 99 + "]" * 99 + "\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 105)),
    "{" + "a: {" * 101 + "}" * 102 + "\n",
    "a: b\n  c: d\n",
    "a: 1\n b: 2\n",
    "- a\nb: 1\n",
    "a: [b, c]]\n",
    "key: value # comment\n",
    "a: 'it''s'\nb: \"tab\\there\"\n",
    "\ufeffa: 1\n",
    "a: \u2028b\n",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_snippets_read_or_fail_alike(text):
    assert_same_as_node_path(text)


def test_refusals_keep_their_words_line_and_column():
    with pytest.raises(CchcError) as dup:
        yamlio.parse_yaml("a: 1\nb: 2\na: 3\n", "x.yaml")
    assert "khóa 'a' bị lặp (đã có ở dòng 1)" in str(dup.value) and (dup.value.line, dup.value.column) == (3, 1)
    with pytest.raises(CchcError) as alias:
        yamlio.parse_yaml("a: &x 1\nb: *x\n", "x.yaml")
    assert "anchor/alias" in str(alias.value) and alias.value.line == 1  # the anchored value
    with pytest.raises(CchcError) as tab:
        yamlio.parse_yaml("a:\n\tb: 1\n", "x.yaml")
    assert "Tab" in str(tab.value) and tab.value.line == 2
    with pytest.raises(CchcError) as deep:
        yamlio.parse_yaml("[" * 102 + "]" * 102, "x.yaml")
    assert f"hơn {yamlio.MAX_DEPTH} cấp" in str(deep.value)
    with pytest.raises(CchcError) as key:
        yamlio.parse_yaml("[1, 2]: x\n", "x.yaml")
    assert "chỗ tên trường" in str(key.value) and key.value.line == 1
    with pytest.raises(CchcError) as number:  # int() refuses what YAML 1.1 calls a number: no crash
        yamlio.parse_yaml("a:\n  year: 0b_\n", "x.yaml")
    assert "'0b_' có dạng một số" in str(number.value) and (number.value.line, number.value.column) == (2, 9)


_scalar_text = st.sampled_from([
    "1", "01", "0x1F", "0o7", "0b1", "1_000", "1:30", "1.5", ".5", "1e3", "-.inf", ".NaN", "yes", "No", "on",
    "OFF", "y", "n", "~", "null", "true", "False", "2023-07-26", "2023-7-6", "2001-12-14 21:59:43.10 -5",
    "=", "<<", "a", "Điểm", "80%", "-", "'q'", '"1"', "'yes'", "x: y", "", "1,5", "+1", "-0", "0.", "1e", "12:60",
]) | st.text(alphabet="01:._-+eExyYnNoO ~%", max_size=6)

_yaml_values = st.recursive(
    _scalar_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_scalar_text, inner, max_size=4),
    max_leaves=20,
)


def _as_block(value, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, list):
        return "".join(f"{pad}-\n{_as_block(v, indent + 2)}" if isinstance(v, (list, dict)) and v else
                       f"{pad}- {_inline(v)}\n" for v in value) or f"{pad}[]\n"
    if isinstance(value, dict):
        return "".join(f"{pad}{_inline(k)}:\n{_as_block(v, indent + 2)}" if isinstance(v, (list, dict)) and v else
                       f"{pad}{_inline(k)}: {_inline(v)}\n" for k, v in value.items()) or f"{pad}{{}}\n"
    return f"{pad}{_inline(value)}\n"


def _inline(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_inline(k)}: {_inline(v)}" for k, v in value.items()) + "}"
    return value


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_yaml_values, st.booleans())
def test_random_yaml_reads_or_fails_alike(value, flow):
    """Plain scalars typed by PyYAML's YAML 1.1 rules, in block and flow layouts, valid or not."""
    assert_same_as_node_path(_inline(value) + "\n" if flow else _as_block(value))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1:-[]{},&*!'\"#? \n\t~.", max_size=40))
def test_random_text_reads_or_fails_alike(text):
    assert_same_as_node_path(text)
