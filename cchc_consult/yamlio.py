"""The YAML layer: a fast read with line marks, a cache keyed by the bytes' hash, round-trip text.

Two paths, chosen by measurement (see README "Hiệu năng"):

* `read_yaml` / `read_yaml_bytes` are for reading. They parse with PyYAML's
  C-backed loader (about 10× faster than ruamel's round-trip loader), record
  each mapping's line under `LINE_KEY` for messages, refuse duplicate keys and
  YAML aliases, and keep a cache keyed by the bytes' SHA-256, so a second
  read of unchanged bytes costs a `marshal.loads`. This path never imports ruamel.
* `read_round_trip` / `dump_round_trip` are for editing: ruamel.yaml's
  round-trip tree, so a save changes only the lines that changed and keeps
  comments and key order.

Every YAML syntax error leaves here as a `YamlSyntaxError` in Vietnamese, with line and column.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from . import fileio
from .errors import YamlSyntaxError

try:
    # CPython's own SHA-256: `hashlib` loads OpenSSL's libcrypto before anything is hashed, ~2 ms of every
    # command's start-up, for files of a few kilobytes (52 KB hash in 0,16 ms here, 0,03 ms with OpenSSL).
    from _sha256 import sha256 as _sha256  # CPython 3.11 (built in on Windows)
except ImportError:  # the module was renamed in CPython 3.12
    try:
        from _sha2 import sha256 as _sha256
    except ImportError:
        from hashlib import sha256 as _sha256

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up (~4 ms of `cchc check`)
if TYPE_CHECKING:
    from typing import Any, Callable

#: The key under which the fast reader records each mapping's line (1-based).
LINE_KEY = "__line__"
_CACHE_VERSION = "3"
#: Deepest nesting of lists and blocks a file may have: a rubric needs about ten levels, a hostile
#: file has a thousand (Python's own builder would end in RecursionError). libyaml stops at 1000.
MAX_DEPTH = 100

@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading.

    Loading builds many small dicts and lists that are never cyclic garbage; the
    collector's repeated passes over them cost about half the load (MEASURED.md).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _cache_dir() -> Path | None:
    if os.environ.get("CCHC_NO_CACHE"):
        return None
    base = os.environ.get("CCHC_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "cchc-consult"


_YAML = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_YAML + "str", _YAML + "timestamp"}  # kept as text: dates stay ISO strings


class _Exotic(Exception):
    """YAML the quick builder leaves to PyYAML's constructor (merge keys `<<`, explicit !!tags)."""


def parse_yaml(text_or_bytes: str | bytes, path: str | os.PathLike = "") -> Any:
    """Plain data from YAML text (or a file's bytes) via the C loader, with `LINE_KEY` on every mapping.

    Refuses duplicate keys, anchors/aliases (no alias-expansion bombs) and tabs
    used for indentation, each with the line and column.

    The C parser's events are built straight into dicts, lists and scalars
    (`_built_from_events`, about 1.5× faster than composing nodes first). What
    that builder does not take on — anything it would refuse, anchors, explicit
    tags, merge keys, several documents, a syntax error — goes through the node
    path (`_parse_composed`), which words every refusal with its line and column.
    """
    import yaml  # imported here: a cache hit never pays for it

    path = str(path)
    text = fileio.decode_bytes(text_or_bytes, path) if isinstance(text_or_bytes, bytes) else text_or_bytes
    try:
        with paused_gc():
            return _built_from_events(yaml, text)
    except Exception:  # noqa: BLE001 - anything unusual is the node path's to accept or word
        return _parse_composed(yaml, text, path)


def _built_from_events(yaml: Any, text: str) -> Any:
    """`_parse_composed`'s result for plain YAML, from the C parser's events, without building nodes.

    Scalars are typed by the loader's own resolver (PyYAML's YAML 1.1 rules) and
    constructors, exactly as composing and building would. Raises (`_Exotic` or the
    parser's error) for whatever it leaves to `_parse_composed`: it never words an error itself.
    """
    from yaml.events import (
        DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
        SequenceStartEvent, StreamEndEvent, StreamStartEvent,
    )
    from yaml.nodes import ScalarNode

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        if loader.yaml_path_resolvers:  # tags that depend on a node's place: only composing knows them
            raise _Exotic
        next_event, resolve = loader.get_event, loader.resolve
        scalar_makers = yaml.constructor.SafeConstructor.yaml_constructors
        if next_event().__class__ is not StreamStartEvent:
            raise _Exotic
        event = next_event()
        if event.__class__ is StreamEndEvent:
            return None
        if event.__class__ is not DocumentStartEvent:
            raise _Exotic
        # A plain scalar's text → its resolved tag, None for text (keys repeat hundreds of times).
        plain_tags: dict[str, str | None] = {}
        stack: list[Any] = []  # the open collections, innermost last: a list or an `_OpenMapping`
        while True:
            event = next_event()
            kind = event.__class__
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Exotic
                raw = value = event.value
                if event.implicit[0]:
                    tag = plain_tags.get(raw, _UNSEEN)
                    if tag is _UNSEEN:
                        tag = resolve(ScalarNode, raw, event.implicit)
                        tag = plain_tags[raw] = None if tag in _PLAIN_TAGS else tag
                    if tag is not None:
                        make = scalar_makers.get(tag)
                        if make is None or tag == _MERGE_TAG:
                            raise _Exotic
                        value = make(loader, ScalarNode(tag, raw, event.start_mark, event.end_mark, event.style))
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                # At MAX_DEPTH, a collection's items would be too deep: the node path says so (or takes it, empty).
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _Exotic
                if stack and stack[-1].__class__ is _OpenMapping and stack[-1].key is _KEY_NEXT:
                    raise _Exotic  # a list or a mapping as a key
                stack.append([] if kind is SequenceStartEvent else _OpenMapping(event.start_mark.line + 1))
                continue
            elif kind is MappingEndEvent:
                mapping = stack.pop()
                value = mapping.data
                value[LINE_KEY] = mapping.line
            elif kind is SequenceEndEvent:
                value = stack.pop()
            else:  # an alias, or anything unforeseen
                raise _Exotic
            if not stack:
                break
            parent = stack[-1]
            if parent.__class__ is list:
                parent.append(value)
            elif parent.key is _KEY_NEXT:
                if raw in parent.lines:  # a duplicate key
                    raise _Exotic
                parent.lines[raw] = event.start_mark.line + 1
                parent.key = value
            else:
                parent.data[parent.key] = value
                parent.key = _KEY_NEXT
        if next_event().__class__ is not DocumentEndEvent or next_event().__class__ is not StreamEndEvent:
            raise _Exotic  # several documents: composing words the refusal
        return value
    finally:
        loader.dispose()


_KEY_NEXT = object()  # an open mapping's `key` while the next scalar is a key
_UNSEEN = object()


class _OpenMapping:
    """A mapping being built from events: its data, its keys' lines, the key waiting for its value."""

    __slots__ = ("data", "lines", "key", "line")

    def __init__(self, line: int):
        self.data: dict[Any, Any] = {}
        self.lines: dict[str, int] = {}  # each key's text → its line, for the duplicate test
        self.key: Any = _KEY_NEXT
        self.line = line
_MERGE_TAG = _YAML + "merge"


def _parse_composed(yaml: Any, text: str, path: str) -> Any:
    """`parse_yaml` through the composed node tree: every refusal worded with its line and column."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with paused_gc():
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

    def build(node: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise _too_deep(node, path)
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
            return [build(item, depth + 1) for item in node.value]
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
            key = build(key_node, depth + 1)
            try:
                out[key] = build(value_node, depth + 1)
            except TypeError:
                raise _Exotic from None  # an unhashable key: let the constructor word the error
        out[LINE_KEY] = node.start_mark.line + 1
        return out

    try:
        with paused_gc():
            return build(root)
    except _Exotic:
        return _parse_yaml_constructed(text, path)
    except (yaml.MarkedYAMLError, ValueError) as exc:  # a scalar that does not construct (bad !!binary…)
        if isinstance(exc, yaml.MarkedYAMLError):
            raise _syntax_error(exc, text, path) from None
        return _parse_yaml_constructed(text, path)


def _parse_yaml_constructed(text: str, path: str = "") -> Any:
    """The same data as `parse_yaml`, through PyYAML's constructor: the path for exotic YAML."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_depth(yaml.compose(text, Loader=base), path)  # PyYAML's constructor recurses on depth
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML không hợp lệ: {exc}", path=path) from None

    class _Loader(base):  # type: ignore[misc, valid-type]
        def construct_object(self, node, deep=False):
            if node in self.constructed_objects:
                mark = node.start_mark
                raise YamlSyntaxError("tệp dùng tham chiếu YAML (anchor/alias '*', '&'), không được phép",
                                      path=path, line=mark.line + 1, column=mark.column + 1,
                                      fix="viết đầy đủ nội dung thay cho tham chiếu")
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, OverflowError):  # "0b_", "0x_": YAML 1.1 calls them numbers, int() refuses them
                if not isinstance(node.value, str):
                    raise
                mark = node.start_mark
                raise YamlSyntaxError(f"giá trị '{node.value}' có dạng một số nhưng không đọc được thành số",
                                      path=path, line=mark.line + 1, column=mark.column + 1,
                                      fix="sửa lại con số, hoặc đặt giá trị trong ngoặc kép nếu đó là chữ") from None

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

    # Dates stay text ("2023-07-26"): the model keeps ISO strings.
    _Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    _Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML không hợp lệ: {exc}", path=path) from None


def _too_deep(node: Any, path: str) -> YamlSyntaxError:
    mark = node.start_mark
    return YamlSyntaxError(f"tệp lồng các khối/danh sách quá sâu (hơn {MAX_DEPTH} cấp)", path=path,
                           line=mark.line + 1, column=mark.column + 1,
                           fix="kiểm tra dấu '-', '[' hoặc '{' lặp lại; tệp của công cụ này chỉ lồng vài cấp")


def _check_depth(root: Any, path: str) -> None:
    """Refuse a composed node tree deeper than `MAX_DEPTH`, walking it without recursion."""
    from yaml.nodes import CollectionNode, MappingNode

    stack = [(root, 0)] if root is not None else []
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(node, path)
        if id(node) in seen or not isinstance(node, CollectionNode):
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        else:
            stack.extend((item, depth + 1) for item in node.value)


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
        "could not determine a constructor": "tệp dùng nhãn kiểu YAML lạ (như '!!python/…'), không được phép",
        "exceeded maximum nesting depth": f"tệp lồng các khối/danh sách quá sâu (hơn {MAX_DEPTH} cấp)",
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
           use_cache: bool = True, digest: str = "") -> Any:
    """`build()`'s result for a file's bytes, from the cache when the same bytes were read before.

    The cache is keyed by SHA-256, so an edited file is never read stale; `kind` and
    `version` keep different readers' entries apart; `digest` is `hash_bytes(raw)` when the
    caller has it already (a frozen version's check), so the bytes are hashed once.
    Entries are `marshal` data: v1's loads in 0,17 ms (JSON: 0,26 ms) and need no `json` import.
    An entry that is absent, damaged or not this key's is rebuilt without a word.
    """
    cache = _cache_dir() if use_cache else None
    if cache is None:
        return build()
    key = digest or hash_bytes(raw)
    cache_file = cache / f"{kind}{key[:40]}-{version}{_CACHE_FORMAT}"
    try:
        with paused_gc():
            entry = marshal.loads(cache_file.read_bytes())
        if type(entry) is tuple and len(entry) == 2 and entry[0] == key:
            return entry[1]
    except (OSError, ValueError, EOFError, TypeError):
        pass
    data = build()
    try:
        payload = marshal.dumps((key, data))
    except ValueError:  # a value marshal does not store (a workbook's time of day…): kept as text, as JSON did
        import json

        payload = marshal.dumps((key, json.loads(json.dumps(data, ensure_ascii=False, default=str))))
    try:
        # Not durable: a lost cache file is rebuilt, and fsync would cost more than the parse.
        fileio.atomic_write(cache_file, payload, lock=False, durable=False)
        _prune_now_and_then(cache)
    except OSError:
        pass  # a read-only home must not stop a read
    return data


#: The cache keeps its most recently written entries up to this size: years of drafts, replies and
#: score sheets must not fill a clerk's disk (v1's entry is ~45 KB, a 1,000-criterion rubric's ~0,7 MB).
CACHE_LIMIT_BYTES = 256 * 1024 * 1024
#: How often (seconds) a new entry makes the cache look at its size: listing it is ~1 ms a thousand entries.
PRUNE_EVERY_SECONDS = 24 * 3600
_PRUNE_MARK = ".last-pruned"


def prune_cache(cache: Path, limit: int | None = None) -> int:
    """Remove the least recently written entries until they hold at most `limit` bytes; how many went.

    The newest entry (the one just written) always stays; files that are no entry are left alone. `limit`: `CACHE_LIMIT_BYTES` when not given.
    """
    limit = CACHE_LIMIT_BYTES if limit is None else limit
    entries = []
    with os.scandir(cache) as found:
        for entry in found:
            # entries only (this format's and the JSON of older versions), never a crash report kept beside them
            if entry.name.endswith((".marshal", ".json")) and entry.is_file(follow_symlinks=False):
                info = entry.stat(follow_symlinks=False)
                entries.append((info.st_mtime, info.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    removed = 0
    for _, size, path in sorted(entries)[:-1]:
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:  # another process removed or holds it: the next prune tries again
            continue
        total -= size
        removed += 1
    return removed


def _prune_now_and_then(cache: Path) -> None:
    """`prune_cache` at most once in `PRUNE_EVERY_SECONDS`, told by the time of a mark file in the cache."""
    mark = cache / _PRUNE_MARK
    try:
        if time.time() - mark.stat().st_mtime < PRUNE_EVERY_SECONDS:
            return
    except FileNotFoundError:
        pass
    mark.touch()
    prune_cache(cache)


#: marshal's format changes with Python's version: an entry is read only by the Python that wrote it.
_CACHE_FORMAT = f"-m{marshal.version}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def hash_bytes(raw: bytes) -> str:
    """SHA-256 of bytes, hex: the cache key, and the identity of a frozen version."""
    return _sha256(raw).hexdigest()


def file_hash(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, the identity of a frozen version."""
    return hash_bytes(fileio.read_bytes(path))


def read_yaml_bytes(raw: bytes, path: str | os.PathLike = "", *, use_cache: bool = True, digest: str = "") -> Any:
    """The plain data of a YAML file's bytes already read, from the cache when the same bytes were parsed before.

    For a caller that reads a file once, hashes the bytes and parses them: pass the hash as `digest`.
    """
    return cached(raw, lambda: parse_yaml(raw, path), use_cache=use_cache, digest=digest)


def read_yaml(path: str | os.PathLike, *, use_cache: bool = True) -> Any:
    """The plain data of a YAML file (fast path), from the cache when the bytes are unchanged."""
    return read_yaml_bytes(fileio.read_bytes(path), path, use_cache=use_cache)


# --------------------------------------------------------------------------- round trip

#: The project's indentation (mapping, sequence, dash offset), as ruamel's `indent()` takes it.
PROJECT_INDENT = (2, 4, 2)


def _rt_yaml(indent: tuple[int, int, int] = PROJECT_INDENT):
    """ruamel.yaml set up the one way this project writes YAML (another indentation for a hand-laid file)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096  # long Vietnamese titles stay on one line: diffs stay one line per change
    yaml.preserve_quotes = True
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    yaml.allow_duplicate_keys = False
    return yaml


_FLOW_KEYS = {"when", "per_unit"}
_FLOW_UNSAFE = re.compile(r"[,\[\]{}#:?&*!|>'\"%@`]|^[-\s]|\s$")


def to_round_trip(data: Any) -> Any:
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
                out[key] = to_round_trip(value)
            if key in _FLOW_KEYS and isinstance(out[key], CommentedMap):
                out[key].fa.set_flow_style()  # a condition reads best on one line
                for inner, text in list(out[key].items()):
                    if type(text) is str and _FLOW_UNSAFE.search(text):
                        # ruamel writes e.g. {unit: ? x} in flow style, which no reader accepts
                        out[key][inner] = DoubleQuotedScalarString(text)
        return out
    if isinstance(data, list):
        return CommentedSeq([to_round_trip(v) for v in data])
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
    _rt_yaml().dump(to_round_trip(data), stream)
    return stream.getvalue()


def read_round_trip(path: str | os.PathLike) -> tuple[Any, str]:
    """(ruamel round-trip tree, text) of a hand-edited YAML file, with errors in Vietnamese.

    The fast parser runs first: it refuses aliases (alias bombs), duplicate keys and tabs
    with the same messages as the read path, for a tenth of the round-trip loader's time.
    """
    text = fileio.read_text(path)
    parse_yaml(text, str(path))
    return round_trip_tree(text, path), text


def round_trip_tree(text: str, path: str | os.PathLike = "") -> Any:
    """ruamel's round-trip tree of YAML text already checked by `parse_yaml`, with errors in Vietnamese."""
    from ruamel.yaml.error import MarkedYAMLError

    try:
        return _rt_yaml().load(text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, text, str(path)) from None
    except Exception as exc:  # ruamel raises several unrelated types for duplicate keys etc.
        mark = getattr(exc, "problem_mark", None)
        raise YamlSyntaxError(f"YAML không hợp lệ: {getattr(exc, 'problem', exc)}", path=str(path),
                              line=mark.line + 1 if mark else 0) from None


def round_trip_from_text(text: str, path: str | os.PathLike = "") -> Any:
    """The round-trip tree of YAML text that is not a file on disk (a version read from git), checked as a file is."""
    parse_yaml(text, str(path))
    return _rt_yaml().load(text)


def dump_round_trip(tree: Any, indent: tuple[int, int, int] = PROJECT_INDENT) -> str:
    """YAML text of a round-trip tree: unchanged lines come out byte for byte as they were read.

    `indent` is the file's own indentation when it is not the project's.
    """
    import io

    stream = io.StringIO()
    _rt_yaml(indent).dump(tree, stream)
    return stream.getvalue()
