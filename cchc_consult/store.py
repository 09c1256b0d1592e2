"""Reading and writing rubric YAML: fast for reading, round-trip for editing.

Two paths, chosen by measurement (see README "Hiệu năng"):

* `load_rubric` is for commands that only read. It parses with PyYAML's
  C-backed safe loader (about 10× faster than ruamel's round-trip loader),
  records each mapping's line for messages, refuses duplicate keys and YAML
  aliases, and keeps a JSON cache keyed by the file's SHA-256 so a second read
  of an unchanged file costs a `json.loads`.
* `RubricDocument` is for editing. It holds ruamel.yaml's round-trip tree, so
  a save changes only the lines that changed and keeps comments and key order.

Both build the same `Rubric` through `rubric_from_data`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from . import fileio
from .errors import CchcError, FrozenVersionError, ValidationError, YamlSyntaxError
from .model import (
    INF, MEASURES, SCORING_KINDS, STATUSES, Band, Condition, Node, PerUnit, PointsError, Rubric,
    RubricMeta, nfc, parse_points, store_points,
)

FORMAT_TAG = "cchc-rubric/1"
LINE_KEY = "__line__"
_CACHE_VERSION = "3"


# --------------------------------------------------------------------------- fast path

def _cache_dir() -> Path | None:
    if os.environ.get("CCHC_NO_CACHE"):
        return None
    base = os.environ.get("CCHC_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "cchc-consult"


_YAML = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_YAML + "str", _YAML + "timestamp"}  # kept as text: dates stay ISO strings


class _Exotic(Exception):
    """YAML the quick builder leaves to PyYAML's constructor (merge keys `<<`, explicit !!tags)."""


def parse_yaml_fast(text: str, path: str = "") -> Any:
    """Plain data from YAML text via the C loader, with `__line__` on every mapping.

    Refuses duplicate keys, anchors/aliases (no alias-expansion bombs) and tabs
    used for indentation, each with the line and column.

    The C parser composes the node tree; a small builder turns nodes into dicts,
    lists and scalars. PyYAML's own constructor (generators, two passes, merge
    handling) costs more than the parse itself: this way reading is about 1.5×
    faster than a plain `yaml.load(CSafeLoader)` (bench/score_bench.py). Merge keys
    and explicit tags fall back to the constructor path, with the same result.
    """
    import yaml  # imported here: a cache hit never pays for it
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=base)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML không hợp lệ: {exc}", path=path) from None
    if root is None:
        return None
    scalar_makers = yaml.constructor.SafeConstructor.yaml_constructors
    maker = yaml.constructor.SafeConstructor()
    visited: set[int] = set()
    merge_tag, map_tag, seq_tag = _YAML + "merge", _YAML + "map", _YAML + "seq"

    def build(node: Any) -> Any:
        if id(node) in visited:  # an alias: composed, it is the anchored node itself
            raise _Exotic  # the constructor path refuses it, naming the same line as always
        visited.add(id(node))
        kind, tag = node.__class__, node.tag
        if kind is ScalarNode:
            if tag in _PLAIN_TAGS:
                return node.value
            make = scalar_makers.get(tag)
            if make is None:
                raise _Exotic
            return make(maker, node)
        if kind is SequenceNode:
            if tag != seq_tag:
                raise _Exotic
            return [build(item) for item in node.value]
        if kind is not MappingNode or tag != map_tag:
            raise _Exotic
        out: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == merge_tag:
                raise _Exotic
            if key_node.__class__ is not ScalarNode:
                raise _complex_key(key_node, path)
            raw = key_node.value
            if raw in lines:
                mark = key_node.start_mark
                raise YamlSyntaxError(
                    f"khóa '{raw}' bị lặp (đã có ở dòng {lines[raw]})", path=path,
                    line=mark.line + 1, column=mark.column + 1, fix="xóa hoặc gộp một trong hai dòng")
            if key_node.__class__ is ScalarNode:
                lines[raw] = key_node.start_mark.line + 1
            key = build(key_node)
            try:
                out[key] = build(value_node)
            except TypeError:
                raise _Exotic from None  # an unhashable key: let the constructor word the error
        out[LINE_KEY] = node.start_mark.line + 1
        return out

    try:
        return build(root)
    except _Exotic:
        return _parse_yaml_constructed(text, path)
    except (yaml.MarkedYAMLError, ValueError) as exc:  # a scalar that does not construct (bad !!binary…)
        if isinstance(exc, yaml.MarkedYAMLError):
            raise _syntax_error(exc, text, path) from None
        return _parse_yaml_constructed(text, path)


def _parse_yaml_constructed(text: str, path: str = "") -> Any:
    """The same data as `parse_yaml_fast`, through PyYAML's constructor: the path for exotic YAML."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(base):  # type: ignore[misc, valid-type]
        def construct_object(self, node, deep=False):
            if node in self.constructed_objects:
                mark = node.start_mark
                raise YamlSyntaxError("tệp dùng tham chiếu YAML (anchor/alias '*', '&'), không được phép",
                                      path=path, line=mark.line + 1, column=mark.column + 1,
                                      fix="viết đầy đủ nội dung thay cho tham chiếu")
            return super().construct_object(node, deep=deep)

        def construct_mapping(self, node, deep=False):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node.value, str):  # a list or a mapping used as a key
                    raise _complex_key(key_node, path)
                key = key_node.value
                if key in seen:
                    mark = key_node.start_mark
                    raise YamlSyntaxError(
                        f"khóa '{key}' bị lặp (đã có ở dòng {seen[key]})", path=path,
                        line=mark.line + 1, column=mark.column + 1, fix="xóa hoặc gộp một trong hai dòng")
                seen[key] = key_node.start_mark.line + 1
            mapping = super().construct_mapping(node, deep=deep)
            mapping[LINE_KEY] = node.start_mark.line + 1
            return mapping

    # Dates stay text ("2023-07-26"): the model keeps ISO strings, and JSON can cache them.
    _Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    _Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML không hợp lệ: {exc}", path=path) from None


def _complex_key(key_node: Any, path: str) -> YamlSyntaxError:
    """A list or block used as a field name: nearly always a stray ':' after "{…}" or "[…]"."""
    mark = key_node.start_mark
    return YamlSyntaxError("một khối {…} hoặc danh sách […] đứng ở chỗ tên trường (thừa dấu ':' phía sau?)",
                           path=path, line=mark.line + 1, column=mark.column + 1,
                           fix="xóa dấu ':' thừa ở cuối dòng, hoặc viết tên trường là chữ, ví dụ 'title:'")


def _syntax_error(exc: Any, text: str, path: str) -> YamlSyntaxError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    column = mark.column + 1 if mark else 0
    source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    problem = str(exc.problem or exc.context or "")
    if "\t" in source_line[: max(column, 1) + 1] or "tab" in problem:
        return YamlSyntaxError("dòng này thụt lề bằng phím Tab; YAML chỉ cho phép dấu cách",
                               path=path, line=line, column=column, fix="thay Tab bằng dấu cách (2 hoặc 4)")
    meaning = {
        "found character that cannot start any token": "có ký tự không được phép ở đầu giá trị",
        "could not find expected ':'": "thiếu dấu ':' sau tên trường",
        "mapping values are not allowed here": "dấu ':' đặt sai chỗ (giá trị có dấu ':' cần đặt trong ngoặc kép)",
        "found unexpected end of stream": "tệp kết thúc khi còn ngoặc kép hoặc ngoặc chưa đóng",
        "expected <block end>, but found": "thụt lề không khớp với các dòng trên",
        "found undefined alias": "tham chiếu '*' không tồn tại",
        "did not find expected key": "thụt lề hoặc dấu '-' không đúng",
        "found unknown escape character": "ký tự '\\' lạ trong chuỗi ngoặc kép",
        "mapping values are not allowed": "dấu ':' đặt sai chỗ (giá trị có dấu ':' cần đặt trong ngoặc kép)",
        "did not find expected '-' indicator": "thiếu dấu '-' đầu mục hoặc thụt lề không khớp với các dòng trên",
        "did not find expected node content": "thiếu giá trị sau dấu '-' hoặc ':'",
        "did not find expected alphabetic or numeric character": "tên tham chiếu '&'/'*' không hợp lệ",
        "found duplicate key": "có khóa bị lặp trong cùng một khối",
        "expected a single document": "tệp có nhiều phần ngăn bởi '---'; chỉ được một",
        "but found another document": "tệp có nhiều phần ngăn bởi '---'; chỉ được một",
        "found unexpected ':'": "dấu ':' đặt sai chỗ",
        "did not find expected ',' or ']'": "danh sách trong '[ ]' chưa đóng hoặc thiếu dấu ','",
        "did not find expected ',' or '}'": "khối trong '{ }' chưa đóng hoặc thiếu dấu ','",
        "found unexpected end of stream": "tệp kết thúc khi còn ngoặc kép hoặc ngoặc chưa đóng",
        "control characters are not allowed": "tệp chứa ký tự điều khiển không in được",
        "found a tab character": "có ký tự Tab ở chỗ không được phép",
        "found unhashable key": "khóa không hợp lệ (một danh sách hoặc khối dùng làm tên trường)",
        "expected alphabetic or numeric character": "tên tham chiếu '&'/'*' không hợp lệ",
    }
    text_vi = next((vi for en, vi in meaning.items() if en in problem), "")
    if not text_vi:
        text_vi = f"cú pháp YAML sai (chi tiết kỹ thuật: {problem})" if problem else "cú pháp YAML sai"
    quote_line = _unclosed_quote_line(text, line)
    if quote_line:
        text_vi += f"; kiểm tra dấu ngoặc kép mở ở dòng {quote_line} mà chưa đóng"
    return YamlSyntaxError(f"lỗi cú pháp YAML: {text_vi}", path=path, line=line, column=column,
                           fix="so với dòng mẫu bên trên: thụt lề bằng dấu cách, chuỗi có ':' đặt trong ngoặc kép")


def _unclosed_quote_line(text: str, error_line: int) -> int:
    """The line (1-based, at most 30 above the error) whose double quotes do not pair up, or 0.

    An unclosed quote makes the parser fail lines later; pointing at the quote saves a clerk
    the search.
    """
    lines = text.splitlines()
    for number in range(min(error_line, len(lines)), max(error_line - 30, 0), -1):
        body = lines[number - 1].split(" #", 1)[0]
        if body.lstrip().startswith("#"):
            continue
        if (body.count('"') - body.count('\\"')) % 2 == 1:
            return number
    return 0


def cached(raw: bytes, build: Callable[[], Any], *, kind: str = "", version: str = _CACHE_VERSION,
           use_cache: bool = True) -> Any:
    """`build()`'s JSON-able result for a file's bytes, from the cache when the same bytes were read before.

    The cache is keyed by SHA-256, so an edited file is never read stale; `kind` and
    `version` keep different readers' entries apart.
    """
    cache = _cache_dir() if use_cache else None
    cache_file = cache / f"{kind}{hashlib.sha256(raw).hexdigest()[:40]}-{version}.json" if cache else None
    if cache_file is not None:
        try:
            return json.loads(cache_file.read_bytes())
        except (OSError, ValueError):
            pass
    data = build()
    if cache_file is not None:
        try:
            # Not durable: a lost cache file is rebuilt, and fsync would cost more than the parse.
            fileio.atomic_write(cache_file, json.dumps(data, ensure_ascii=False, default=str), lock=False,
                                durable=False)
        except OSError:
            pass  # a read-only home must not stop a read
    return data


def load_data(path: str | os.PathLike, *, use_cache: bool = True) -> Any:
    """The plain data of a YAML file (fast path), from the cache when the bytes are unchanged."""
    raw = fileio.read_bytes(path)
    return cached(raw, lambda: parse_yaml_fast(fileio.decode_bytes(raw, path), str(path)), use_cache=use_cache)


def load_rubric(path: str | os.PathLike) -> Rubric:
    """A rubric from a YAML file, for commands that only read it."""
    return rubric_from_data(load_data(path), str(path))


def file_hash(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, the identity of a frozen version."""
    return hashlib.sha256(fileio.read_bytes(path)).hexdigest()


# --------------------------------------------------------------------------- data → model

def _line_of(data: Any) -> int:
    if isinstance(data, dict):
        line = data.get(LINE_KEY)
        if line:
            return int(line)
        lc = getattr(data, "lc", None)
        if lc is not None and lc.line is not None:
            return lc.line + 1
    return 0


class _Reader:
    """Turns loaded YAML data into a Rubric, raising ValidationError with the line."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, message: str, where: Any, fix: str = "") -> ValidationError:
        return ValidationError(message, path=self.source, line=_line_of(where), fix=fix)

    def text(self, data: dict, key: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(f"thiếu trường '{key}'", data, fix=f"thêm dòng '{key}: …'")
            return ""
        if isinstance(value, (dict, list)):
            raise self.fail(f"trường '{key}' phải là một dòng chữ", data)
        return nfc(str(value))

    def points(self, data: dict, key: str, *, required: bool = False) -> tuple[Decimal | None, str]:
        value = data.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(f"thiếu trường '{key}' (số điểm)", data, fix=f"thêm '{key}: \"1\"'")
            return None, ""
        try:
            number = parse_points(value)
        except PointsError as exc:
            raise self.fail(f"trường '{key}': {exc}", data, fix="viết số điểm như 2, 1,5 hoặc 0,75") from None
        raw = str(value)
        return number, raw if raw != raw.strip() else ""

    def text_list(self, data: dict, key: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [nfc(value)]
        if not isinstance(value, list):
            raise self.fail(f"trường '{key}' phải là danh sách các dòng", data)
        return [nfc(str(v)) for v in value if v is not None]

    def condition(self, data: Any, owner: dict) -> Condition | None:
        if data is None:
            return None
        if not isinstance(data, dict):
            raise self.fail("trường 'when' phải có 'measure' và 'range'", owner)
        measure = str(data.get("measure", ""))
        if measure not in MEASURES:
            raise self.fail(f"'measure: {measure}' không hợp lệ; dùng một trong: {', '.join(MEASURES)}", data)
        low, high, low_closed, high_closed = parse_range(str(data.get("range", "")), self, data)
        return Condition(measure, low, high, low_closed, high_closed, also=self.text(data, "also"))

    def band(self, data: Any, parent: dict) -> Band:
        if not isinstance(data, dict):
            raise self.fail("mỗi mức điểm phải có 'text' và 'points'", parent)
        points, _ = self.points(data, "points", required=True)
        per_unit = None
        if isinstance(data.get("per_unit"), dict):
            pu = data["per_unit"]
            per_unit = PerUnit(unit=self.text(pu, "unit"), points=self.points(pu, "points", required=True)[0])
        return Band(
            text=self.text(data, "text", required=True),
            points=points,  # type: ignore[arg-type]
            condition=self.condition(data.get("when"), data),
            per_unit=per_unit,
            evidence=self.text_list(data, "evidence"),
            deduction=self.points(data, "deduction")[0],
        )

    def node(self, data: Any, parent: Any, kind: str) -> Node:
        if not isinstance(data, dict):
            raise self.fail("mỗi tiêu chí phải là một khối có 'id', 'title', 'max'", parent)
        maximum, max_text = self.points(data, "max")
        scoring = self.text(data, "scoring") or "choice"
        if scoring not in SCORING_KINDS:
            raise self.fail(f"'scoring: {scoring}' không hợp lệ; dùng: {', '.join(SCORING_KINDS)}", data)
        bands = data.get("bands") or []
        children = data.get("children") or []
        if not isinstance(bands, list) or not isinstance(children, list):
            raise self.fail("'bands' và 'children' phải là danh sách", data)
        node = Node(
            id=self.text(data, "id", required=True),
            tt=self.text(data, "tt"),
            title=self.text(data, "title", required=True),
            max=maximum,
            kind=kind,
            evidence=self.text_list(data, "evidence"),
            owner=self.text(data, "owner"),
            bands=[self.band(b, data) for b in bands],
            scoring=scoring,
            per_item=self.points(data, "per_item")[0],
            items=self.text_list(data, "items"),
            line=_line_of(data),
            max_text=max_text,
        )
        node.children = [self.node(c, data, "criterion") for c in children]
        return node

    def rubric(self, data: Any) -> Rubric:
        if not isinstance(data, dict):
            raise ValidationError("tệp không phải bộ tiêu chí (thiếu 'meta' và 'sections')", path=self.source,
                                  line=1, fix="xem mẫu trong docs/format.md")
        fmt = data.get("format")
        if fmt not in (None, FORMAT_TAG):
            raise self.fail(f"định dạng '{fmt}' không được hỗ trợ (cần '{FORMAT_TAG}')", data)
        meta_data = data.get("meta") or {}
        if not isinstance(meta_data, dict):
            raise self.fail("'meta' phải là một khối", data)
        status = self.text(meta_data, "status") or "draft"
        if status not in STATUSES:
            raise self.fail(f"'status: {status}' không hợp lệ; dùng: draft, circulated, final", meta_data)
        year_text = self.text(meta_data, "year")
        if year_text and not year_text.isdigit():
            raise self.fail(f"'year: {year_text}' phải là một năm như 2023", meta_data)
        meta = RubricMeta(
            issuer=self.text(meta_data, "issuer"), year=int(year_text or 0),
            title=self.text(meta_data, "title"), version=self.text(meta_data, "version"), status=status,
            letter=self.text(meta_data, "letter"), letter_date=self.text(meta_data, "letter_date"),
            subtitle=self.text(meta_data, "subtitle"), note=self.text(meta_data, "note"),
        )
        sections = data.get("sections")
        if not isinstance(sections, list) or not sections:
            raise self.fail("thiếu danh sách 'sections'", data, fix="thêm 'sections:' với các mục I, II, III")
        total = data.get("total") or {}
        declared = self.points(total, "declared")[0] if isinstance(total, dict) else None
        return Rubric(
            meta=meta,
            sections=[self.node(s, data, "section") for s in sections],
            declared_total=declared,
            total_label=(self.text(total, "label") if isinstance(total, dict) else "") or "CỘNG ĐIỂM",
            source=self.source,
        )


def parse_range(text: str, reader: _Reader | None = None, where: Any = None) -> tuple[Decimal, Decimal, bool, bool]:
    """"[70, 80)" → (70, 80, closed, open); "(10, inf)" → (10, ∞, open, open)."""
    m = re.match(r"^\s*([\[(])\s*([0-9]+(?:[.][0-9]+)?)\s*,\s*([0-9]+(?:[.][0-9]+)?|inf|∞)\s*([\])])\s*$", text)
    if not m:
        message = f"khoảng '{text}' không hợp lệ; viết như \"[70, 80)\" hoặc \"(10, inf)\""
        if reader is not None:
            raise reader.fail(message, where)
        raise ValidationError(message)
    open_low, low, high, close_high = m.groups()
    high_value = INF if high in ("inf", "∞") else Decimal(high)
    return Decimal(low), high_value, open_low == "[", close_high == "]"


def rubric_from_data(data: Any, source: str = "") -> Rubric:
    """A Rubric from loaded YAML data (plain or round-trip), validated with line numbers."""
    return _Reader(source).rubric(data)


# --------------------------------------------------------------------------- model → data

def _condition_data(cond: Condition) -> dict:
    out: dict[str, Any] = {"measure": cond.measure, "range": cond.range_text}
    if cond.also:
        out["also"] = cond.also
    return out


def band_to_data(band: Band) -> dict:
    """One band as YAML data, keys in the documented order, empty fields left out."""
    out: dict[str, Any] = {"text": band.text, "points": store_points(band.points)}
    if band.condition is not None:
        out["when"] = _condition_data(band.condition)
    if band.per_unit is not None:
        out["per_unit"] = {"unit": band.per_unit.unit, "points": store_points(band.per_unit.points)}
    if band.deduction is not None:
        out["deduction"] = store_points(band.deduction)
    if band.evidence:
        out["evidence"] = list(band.evidence)
    return out


def node_to_data(node: Node) -> dict:
    """One node (and its subtree) as YAML data."""
    out: dict[str, Any] = {"id": node.id, "tt": node.tt, "title": node.title}
    if node.max is not None:
        out["max"] = node.max_text or store_points(node.max)
    if node.owner:
        out["owner"] = node.owner
    if node.evidence:
        out["evidence"] = list(node.evidence)
    if node.scoring != "choice":
        out["scoring"] = node.scoring
    if node.per_item is not None:
        out["per_item"] = store_points(node.per_item)
    if node.items:
        out["items"] = list(node.items)
    if node.bands:
        out["bands"] = [band_to_data(b) for b in node.bands]
    if node.children:
        out["children"] = [node_to_data(c) for c in node.children]
    return out


def rubric_to_data(rubric: Rubric) -> dict:
    """A whole rubric as YAML data in the documented layout."""
    meta = rubric.meta
    meta_out: dict[str, Any] = {}
    for key in ("issuer", "year", "title", "subtitle", "version", "status", "letter", "letter_date", "note"):
        value = getattr(meta, key)
        if value not in ("", 0, None):
            meta_out[key] = value
    out: dict[str, Any] = {"format": FORMAT_TAG, "meta": meta_out}
    total: dict[str, Any] = {"label": rubric.total_label}
    if rubric.declared_total is not None:
        total["declared"] = store_points(rubric.declared_total)
    out["total"] = total
    out["sections"] = [node_to_data(s) for s in rubric.sections]
    return out


def _rt_yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096  # long Vietnamese titles stay on one line: diffs stay one line per change
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_duplicate_keys = False
    return yaml


_FLOW_KEYS = {"when", "per_unit"}
_FLOW_UNSAFE = re.compile(r"[,\[\]{}#:?&*!|>'\"%@`]|^[-\s]|\s$")


def _to_commented(data: Any) -> Any:
    """Plain data → ruamel containers, with points and ids quoted so they never read back as floats."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    quoted = {"points", "max", "declared", "per_item", "deduction", "tt", "id", "range", "version", "letter_date"}
    if isinstance(data, dict):
        out = CommentedMap()
        for key, value in data.items():
            if key == LINE_KEY:
                continue
            if key in quoted and isinstance(value, str):
                out[key] = DoubleQuotedScalarString(value)
            else:
                out[key] = _to_commented(value)
            if key in _FLOW_KEYS and isinstance(out[key], CommentedMap):
                out[key].fa.set_flow_style()  # a condition reads best on one line
                for inner, text in list(out[key].items()):
                    if type(text) is str and _FLOW_UNSAFE.search(text):
                        # ruamel writes e.g. {unit: ? x} in flow style, which no reader accepts
                        out[key][inner] = DoubleQuotedScalarString(text)
        return out
    if isinstance(data, list):
        return CommentedSeq([_to_commented(v) for v in data])
    return text_scalar(data) if isinstance(data, str) else data


def text_scalar(value: str) -> Any:
    """A text value ready for the round-trip dumper: quoted when plain it would not read back as this text.

    ruamel writes YAML 1.2, where `yes`, `on`, `12:30` or `0o12` are text and stay unquoted;
    the fast reader (PyYAML, YAML 1.1) would read them as True, 750 or 10. Quoting them keeps
    a note "yes" or a time "8:30" as written.
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if type(value) is not str:  # already a ruamel scalar string with its own style
        return value
    import yaml

    # NEL and the Unicode line/paragraph separators are line breaks to YAML: ruamel would fold them.
    if (yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str"
            or any(ch in value for ch in "\x85\u2028\u2029")):
        return DoubleQuotedScalarString(value)
    return value


def dump_yaml(data: Any, header: str = "") -> str:
    """YAML text for new files, in the project's layout (round-trip dumper, wide lines)."""
    import io

    stream = io.StringIO()
    if header:
        stream.write("".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()))
    _rt_yaml().dump(_to_commented(data), stream)
    return stream.getvalue()


def save_new_rubric(rubric: Rubric, path: str | os.PathLike, header: str = "") -> None:
    """Write a rubric to a new file (import, new draft), atomically."""
    fileio.atomic_write(path, dump_yaml(rubric_to_data(rubric), header))


# --------------------------------------------------------------------------- editing

def read_round_trip(path: str | os.PathLike) -> tuple[Any, str]:
    """(ruamel round-trip tree, text) of a hand-edited YAML file, with errors in Vietnamese.

    The fast parser runs first: it refuses aliases (alias bombs), duplicate keys and tabs
    with the same messages as the read path, for a tenth of the round-trip loader's time.
    """
    from ruamel.yaml.error import MarkedYAMLError

    text = fileio.read_text(path)
    parse_yaml_fast(text, str(path))
    try:
        tree = _rt_yaml().load(text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, text, str(path)) from None
    except Exception as exc:  # ruamel raises several unrelated types for duplicate keys etc.
        mark = getattr(exc, "problem_mark", None)
        raise YamlSyntaxError(f"YAML không hợp lệ: {getattr(exc, 'problem', exc)}", path=str(path),
                              line=mark.line + 1 if mark else 0) from None
    return tree, text


def dump_round_trip(tree: Any) -> str:
    """YAML text of a round-trip tree: unchanged lines come out byte for byte as they were read."""
    import io

    stream = io.StringIO()
    _rt_yaml().dump(tree, stream)
    return stream.getvalue()


class ConcurrentEditError(CchcError):
    """The file changed on disk after it was opened for editing; saving would lose that change."""


class RubricDocument:
    """An editable rubric file: ruamel's round-trip tree plus edit operations and an atomic save.

    Edits go to the YAML tree, so saving changes only what changed; `rubric`
    rebuilds the model from the tree after each edit.
    """

    def __init__(self, path: str | os.PathLike, tree: Any, text: str):
        self.path = Path(path)
        self.tree = tree
        self.original_text = text

    @classmethod
    def open(cls, path: str | os.PathLike) -> "RubricDocument":
        tree, text = read_round_trip(path)
        doc = cls(path, tree, text)
        rubric_from_data(tree, str(path))  # validate now, so an editor never opens a broken file
        return doc

    @property
    def rubric(self) -> Rubric:
        return rubric_from_data(self.tree, str(self.path))

    @property
    def status(self) -> str:
        return str((self.tree.get("meta") or {}).get("status", "draft"))

    def dumps(self) -> str:
        return dump_round_trip(self.tree)

    @property
    def dirty(self) -> bool:
        return self.dumps() != self.original_text

    def save(self) -> None:
        """Write the edited tree atomically; a circulated or final version is refused."""
        if self.status != "draft":
            raise FrozenVersionError(
                f"phiên bản này đã ở trạng thái '{self.status}', không được sửa trực tiếp",
                path=str(self.path), fix="tạo dự thảo mới: cchc draft new --from <phiên bản>")
        text = self.dumps()
        with fileio.file_lock(self.path):
            # Someone else (another window, another clerk, a command) saved the file since we read
            # it: writing now would silently drop their change.
            if self.path.exists() and fileio.read_text(self.path) != self.original_text:
                raise ConcurrentEditError(
                    "tệp đã được sửa ở nơi khác sau khi mở; lưu bây giờ sẽ xóa mất thay đổi đó",
                    path=str(self.path), fix="mở lại tệp để thấy thay đổi mới, rồi sửa lại và lưu")
            fileio.atomic_write(self.path, text)
        self.original_text = text

    # -- finding things in the tree
    def node_map(self, node_id: str) -> Any:
        """The YAML mapping of a node, by id."""
        found = self._find(node_id)
        if found is None:
            raise KeyError(node_id)
        return found[0]

    def _find(self, node_id: str) -> tuple[Any, Any] | None:
        """(mapping, the list that holds it) for a node id."""
        stack = [(s, self.tree["sections"]) for s in self.tree["sections"]]
        while stack:
            mapping, holder = stack.pop()
            if str(mapping.get("id")) == node_id:
                return mapping, holder
            for child in mapping.get("children") or []:
                stack.append((child, mapping["children"]))
        return None

    # -- edits (each keeps the document valid or raises before changing it)
    def set_field(self, node_id: str, key: str, value: Any) -> None:
        """Set a node field: title, max (points), owner, tt, evidence (list)."""
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        mapping = self.node_map(node_id)
        if key in ("max", "per_item"):
            value = DoubleQuotedScalarString(store_points(parse_points(value)))
        elif key == "evidence":
            value = _to_commented(list(value))
        elif isinstance(value, str):
            value = text_scalar(nfc(value))
        if mapping.get(key) == value:
            return
        mapping[key] = value

    def set_band(self, node_id: str, index: int, *, text: str | None = None, points: Any = None,
                 condition: Condition | None | bool = False) -> None:
        """Change a band's words, points or condition (condition=None removes it)."""
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        band = self.node_map(node_id)["bands"][index]
        if text is not None and band.get("text") != nfc(text):
            band["text"] = text_scalar(nfc(text))
        if points is not None:
            new_points = DoubleQuotedScalarString(store_points(parse_points(points)))
            if str(band.get("points")) != str(new_points):
                band["points"] = new_points
        if condition is not False:
            if condition is None:
                band.pop("when", None)
            else:
                band["when"] = _to_commented({"when": _condition_data(condition)})["when"]

    def add_band(self, node_id: str, band: Band, index: int | None = None) -> None:
        from ruamel.yaml.comments import CommentedSeq

        mapping = self.node_map(node_id)
        if "bands" not in mapping:
            mapping["bands"] = CommentedSeq()
        bands = mapping["bands"]
        bands.insert(len(bands) if index is None else index, _to_commented(band_to_data(band)))

    def remove_band(self, node_id: str, index: int) -> None:
        del self.node_map(node_id)["bands"][index]

    def move_band(self, node_id: str, index: int, offset: int) -> int:
        """Move a band up (-1) or down (+1); returns its new index."""
        bands = self.node_map(node_id)["bands"]
        target = max(0, min(len(bands) - 1, index + offset))
        if target != index:
            bands.insert(target, bands.pop(index))
        return target

    def add_child(self, parent_id: str, node: Node, index: int | None = None) -> None:
        from ruamel.yaml.comments import CommentedSeq

        if self._find(node.id) is not None:
            raise ValidationError(f"mã tiêu chí '{node.id}' đã tồn tại", path=str(self.path))
        mapping = self.node_map(parent_id)
        if "children" not in mapping:
            mapping["children"] = CommentedSeq()
        children = mapping["children"]
        children.insert(len(children) if index is None else index, _to_commented(node_to_data(node)))

    def remove_node(self, node_id: str) -> None:
        found = self._find(node_id)
        if found is None:
            raise KeyError(node_id)
        mapping, holder = found
        holder.remove(mapping)

    def move_node(self, node_id: str, offset: int) -> None:
        """Move a node up (-1) or down (+1) among its siblings."""
        found = self._find(node_id)
        if found is None:
            raise KeyError(node_id)
        mapping, holder = found
        index = holder.index(mapping)
        target = max(0, min(len(holder) - 1, index + offset))
        if target != index:
            holder.insert(target, holder.pop(index))
