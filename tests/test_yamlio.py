"""The YAML layer: fast read with line marks, the cache keyed by the bytes' hash, no ruamel on the read path."""

import shutil
import subprocess
import sys
from decimal import Decimal

from cchc_consult import yamlio
from cchc_consult.schema import load_rubric_file
from tests.conftest import V1


def test_cache_is_used_only_for_identical_bytes(tmp_path):
    path = tmp_path / "v.yaml"
    shutil.copy(V1, path)
    first = load_rubric_file(path)
    path.write_text(path.read_text(encoding="utf-8").replace('declared: "100"', 'declared: "99"'),
                    encoding="utf-8")
    assert load_rubric_file(path).declared_total == Decimal(99) != first.declared_total


def test_bytes_and_text_parse_alike_with_line_marks():
    raw = "# ghi chú\nmeta:\n  title: Bộ tiêu chí\n".encode("utf-8")
    data = yamlio.parse_yaml(raw, "a.yaml")
    assert data == yamlio.parse_yaml(raw.decode("utf-8"), "a.yaml")
    assert data["meta"][yamlio.LINE_KEY] == 3 and data["meta"]["title"] == "Bộ tiêu chí"


def test_read_yaml_bytes_uses_the_given_digest_as_cache_key(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CCHC_NO_CACHE", raising=False)
    raw = V1.read_bytes()
    digest = yamlio.hash_bytes(raw)
    assert digest == yamlio.file_hash(V1)
    first = yamlio.read_yaml_bytes(raw, str(V1), digest=digest)
    assert [p.name[:40] for p in (tmp_path / "cache" / "cchc-consult").iterdir() if p.name[0] != "."] == [digest[:40]]
    assert yamlio.read_yaml_bytes(raw, str(V1)) == first == yamlio.read_yaml(V1, use_cache=False)


def test_the_read_path_never_imports_ruamel(tmp_path):
    code = ("import sys; from cchc_consult.schema import load_rubric_file\n"
            f"load_rubric_file({str(V1)!r})\n"
            "sys.exit(3 if any(m.startswith('ruamel') for m in sys.modules) else 0)")
    for cache in ("0", "1"):  # a cold read, then a cache hit
        env = {"PATH": "", "CCHC_CACHE_DIR": str(tmp_path), "PYTHONPATH": ":".join(sys.path)}
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert result.returncode == 0, (cache, result.stderr)
