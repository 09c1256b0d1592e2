"""The parse cache (marshal entries): a hit gives what a fresh parse gives; a damaged entry is rebuilt silently."""

from __future__ import annotations

import datetime as dt
import marshal
import math
import os
import sys
from pathlib import Path

import pytest

from cchc_consult import schema, yamlio
from cchc_consult.errors import CchcError

REPO = Path(__file__).resolve().parent.parent
V1 = REPO / "rubric" / "drafts" / "v1.yaml"


def _same(a, b) -> bool:
    """Equal data, types included (a tuple is not a list, 1 is not "1"), NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def _entries(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "cache" / "cchc-consult").iterdir() if not p.name.startswith("."))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CCHC_NO_CACHE", raising=False)
    return tmp_path


def test_every_yaml_file_reads_the_same_from_the_cache_as_fresh(cache_dir):
    files = [p for p in sorted(REPO.rglob("*.yaml")) if ".git" not in p.parts]
    assert len(files) > 50
    read = 0
    for path in files:
        try:
            fresh = yamlio.read_yaml(path, use_cache=False)
        except CchcError:
            continue  # a hostile fixture: refused before anything is cached
        first, hit = yamlio.read_yaml(path), yamlio.read_yaml(path)
        assert _same(first, fresh) and _same(hit, fresh), path
        read += 1
    assert read > 50 and len(_entries(cache_dir)) > 40


def test_rubric_data_with_conditions_reads_the_same_from_the_cache(cache_dir, monkeypatch):
    for path in sorted((REPO / "rubric" / "drafts").glob("*.yaml")):
        raw = path.read_bytes()
        monkeypatch.setenv("CCHC_NO_CACHE", "1")
        fresh = schema.rubric_data(raw, path)
        monkeypatch.delenv("CCHC_NO_CACHE")
        assert _same(schema.rubric_data(raw, path), fresh) and _same(schema.rubric_data(raw, path), fresh)


def test_the_entry_name_carries_the_marshal_format_and_the_python_version(cache_dir):
    yamlio.read_yaml(V1)
    (entry,) = _entries(cache_dir)
    assert entry.name.endswith(f"-m{marshal.version}-py{sys.version_info[0]}{sys.version_info[1]}.marshal")


@pytest.mark.parametrize("damage", [
    b"", b"\x00", b"garbage that is no marshal data", b"N",  # N: a valid marshal of None
    marshal.dumps(("0" * 64, {"other": "file"})), marshal.dumps({"not": "a tuple"}), marshal.dumps((1, 2, 3)),
    "cut",
])
def test_a_damaged_or_foreign_entry_is_rebuilt_silently(cache_dir, damage):
    fresh = yamlio.read_yaml(V1, use_cache=False)
    yamlio.read_yaml(V1)
    (entry,) = _entries(cache_dir)
    entry.write_bytes(entry.read_bytes()[:100] if damage == "cut" else damage)
    assert _same(yamlio.read_yaml(V1), fresh)
    assert _same(marshal.loads(entry.read_bytes())[1], fresh)  # and written again
    assert _same(yamlio.read_yaml(V1), fresh)


def test_a_value_marshal_cannot_store_comes_back_as_text_as_json_gave_it(cache_dir):
    build = lambda: {"start": dt.time(8, 30), "rows": [[1, "a"]]}  # noqa: E731
    assert yamlio.cached(b"x", build, kind="t-") == build()
    assert yamlio.cached(b"x", build, kind="t-") == {"start": "08:30:00", "rows": [[1, "a"]]}


def test_no_cache_reads_fresh_and_writes_nothing(cache_dir, monkeypatch):
    monkeypatch.setenv("CCHC_NO_CACHE", "1")
    assert _same(yamlio.read_yaml(V1), yamlio.read_yaml(V1, use_cache=False))
    assert not (cache_dir / "cache").exists()


def test_the_cache_keeps_its_newest_entries_within_its_limit_and_looks_once_a_day(tmp_path, monkeypatch):
    import time

    cache = tmp_path / "cchc-consult"
    cache.mkdir()
    now = time.time()
    for age in range(10):  # entry-0 the newest, entry-9 the oldest, 1 KB each
        entry = cache / f"entry-{age}.marshal"
        entry.write_bytes(b"x" * 1024)
        os.utime(entry, (now - age * 3600, now - age * 3600))
    report = cache / "cchc-loi-20230818-090000-1.txt"  # a crash report kept in the cache folder: not an entry
    report.write_bytes(b"x" * 4096)
    os.utime(report, (now - 99 * 3600, now - 99 * 3600))
    assert yamlio.prune_cache(cache, limit=4 * 1024) == 6
    assert sorted(p.name for p in cache.iterdir()) == [report.name] + [f"entry-{age}.marshal" for age in range(4)]

    monkeypatch.setenv("CCHC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(yamlio, "CACHE_LIMIT_BYTES", 1)  # any prune leaves only the entry just written
    for age in range(4):
        os.utime(cache / f"entry-{age}.marshal", (now - 7200, now - 7200))
    yamlio.read_yaml_bytes(b"a: 1\n", "a.yaml")
    left = sorted(p.name for p in cache.iterdir() if p.name.endswith(".marshal"))
    assert len(left) == 1 and not left[0].startswith("entry-")  # the first write of the day pruned
    (cache / "entry-old.marshal").write_bytes(b"x")
    os.utime(cache / "entry-old.marshal", (now - 7200, now - 7200))
    yamlio.read_yaml_bytes(b"b: 2\n", "b.yaml")
    assert (cache / "entry-old.marshal").exists()  # pruned already today: not listed again
