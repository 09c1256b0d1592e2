"""What each workspace file may say, read by one field reader; the rubric schema both ways.

`FieldReader` turns loaded YAML data (plain from the fast reader, or ruamel's
round-trip tree) into values, raising `ValidationError` that names the file,
the line and a fix the same way for every file type. `rubric_from_data` and
`rubric_to_data` are the rubric's format (docs/format.md) in both directions.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal

from . import fileio
from .errors import PointsError, ValidationError
from .model import (
    INF, MEASURES, SCORING_KINDS, STATUSES, Band, Condition, Node, PerUnit, Rubric, RubricMeta,
    parse_points, store_points,
)
from .vn import date_hint, nfc
from .yamlio import _CACHE_VERSION, LINE_KEY, cached, dump_yaml, hash_bytes, parse_yaml  # noqa: PLC2701 - the cache layer's own version

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up (~4 ms of `cchc check`)
if TYPE_CHECKING:
    from typing import Any, Callable

FORMAT_TAG = "cchc-rubric/1"


# --------------------------------------------------------------------------- the field reader

def line_of(data: Any, default: int = 0) -> int:
    """The 1-based line a mapping starts on, from the fast reader's mark or ruamel's; `default` when unknown."""
    if isinstance(data, dict):
        line = data.get(LINE_KEY)
        if line:
            return int(line)
        lc = getattr(data, "lc", None)
        if lc is not None and lc.line is not None:
            return lc.line + 1
    return default


def fields(data: dict) -> list[tuple[Any, Any]]:
    """A mapping's (key, value) pairs without the reader's line mark."""
    return [(key, value) for key, value in data.items() if key != LINE_KEY]


def _label(label: str) -> str:
    return f" ({label})" if label else ""


class FieldReader:
    """Reads the fields of one file's loaded YAML data; every refusal names file, line and fix the same way.

    `where` / `data` is the mapping the field sits in: its line is the one reported.
    """

    def __init__(self, source: str | os.PathLike = ""):
        self.source = str(source)

    def fail(self, message: str, where: Any = None, fix: str = "", *, line: int | None = None) -> ValidationError:
        """The error to raise (or collect) for a field of the mapping `where` (the file when None).

        `line` when the caller knows the line better (a cell of a workbook, a header line).
        """
        if line is None:
            line = line_of(where, 1 if where is None else 0)
        return ValidationError(message, path=self.source, line=line, fix=fix)

    def mapping(self, data: Any, key: str = "", *, required: bool = False, what: str = "",
                fix: str = "") -> dict:
        """`data[key]` (or `data` itself when no key) as a mapping; {} when absent and not required."""
        value = (data.get(key) if isinstance(data, dict) else None) if key else data
        if value is None or value == "":
            if required or not key:
                raise self.fail(f"thiếu '{key}'" if key else what or "tệp phải là một khối các trường",
                                data if key else None, fix)
            return {}
        if not isinstance(value, dict):
            raise self.fail(what or (f"'{key}' phải là một khối" if key else "tệp phải là một khối các trường"),
                            data if key else None, fix)
        return value

    def sequence(self, data: Any, key: str = "", *, required: bool = False, what: str = "",
                 fix: str = "") -> list:
        """`data[key]` (or `data` itself when no key) as a list; [] when absent and not required."""
        value = (data.get(key) if isinstance(data, dict) else None) if key else data
        if value is None or value == "" or value == []:
            if required:
                raise self.fail(what or f"thiếu danh sách '{key}'", data if key else None, fix)
            return []
        if not isinstance(value, list):
            raise self.fail(what or (f"'{key}' phải là danh sách" if key else "tệp phải là một danh sách"),
                            data if key else None, fix)
        return value

    def text(self, data: dict, key: str, *, required: bool = False, label: str = "", strip: bool = False,
             fix: str = "") -> str:
        """A one-line text field, in NFC (verbatim unless `strip`); "" when absent and not required.

        `label` says in words what the field is, for the message.
        """
        value = data.get(key)
        if isinstance(value, (dict, list)):
            raise self.fail(f"trường '{key}'{_label(label)} phải là một dòng chữ", data, fix)
        text = "" if value is None else nfc(str(value))
        if strip:
            text = text.strip()
        if text == "":
            if required:
                raise self.fail(f"thiếu trường '{key}'{_label(label)}", data, fix=fix or f"thêm dòng '{key}: …'")
            return ""
        return text

    def points(self, data: dict, key: str, *, required: bool = False) -> tuple[Decimal | None, str]:
        """(exact points, the raw text when it was not clean) of a points field; (None, "") when absent."""
        value = data.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(f"thiếu trường '{key}' (số điểm)", data, fix=f"thêm '{key}: \"1\"'")
            return None, ""
        try:
            number = parse_points(value)
        except PointsError as exc:
            raise self.fail(f"trường '{key}': {exc.message}", data, fix="viết số điểm như 2, 1,5 hoặc 0,75") from None
        raw = str(value)
        return number, raw if raw != raw.strip() else ""

    def text_list(self, data: dict, key: str, *, required: bool = False, label: str = "",
                  strip: bool = False) -> list[str]:
        """A list of lines (one text is a list of one), in NFC; [] when absent and not required."""
        value = data.get(key)
        fix = f"viết mỗi dòng sau '- ' dưới '{key}:'"
        if isinstance(value, str):
            value = [value]
        if value is not None and (not isinstance(value, list) or any(isinstance(v, (dict, list)) for v in value)):
            raise self.fail(f"trường '{key}'{_label(label)} phải là danh sách các dòng", data, fix)
        lines = [nfc(str(v)) for v in value or [] if v is not None]
        if strip:
            lines = [line.strip() for line in lines]
        if required and not lines:
            raise self.fail(f"thiếu trường '{key}'{_label(label)}", data, fix)
        return lines

    def choice(self, data: dict, key: str, choices: Any, *, default: str = "") -> str:
        """A text field that must be one of `choices`; `default` when absent."""
        value = self.text(data, key) or default
        if value not in choices:
            raise self.fail(f"'{key}: {value}' không hợp lệ; dùng một trong: {', '.join(choices)}", data)
        return value

    def date(self, data: dict, key: str, parse: Callable[[Any], dt.date], *, required: bool = False,
             fix: str = "") -> dt.date | None:
        """A date field read by `parse` (the project's date parser); None when absent and not required."""
        value = data.get(key)
        if value in (None, ""):
            if required:
                raise self.fail(f"thiếu trường '{key}' (ngày)", data, fix=fix or f"thêm '{key}:' — {date_hint()}")
            return None
        try:
            return parse(value)
        except (ValueError, ValidationError) as exc:
            raise self.fail(f"trường '{key}': {getattr(exc, 'message', exc)}", data,
                            fix=fix or f"{key}: {date_hint()}") from None


# --------------------------------------------------------------------------- the rubric, data → model

#: The keys of a stored condition (`when:` of a band).
_CONDITION_KEYS = frozenset({"measure", "range", "also"})


class RubricReader(FieldReader):
    """Turns loaded YAML data into a Rubric, raising ValidationError with the line."""

    def condition(self, data: Any, owner: dict) -> Condition | None:
        if data is None:
            return None
        if not isinstance(data, dict):
            raise self.fail("trường 'when' phải có 'measure' và 'range'", owner)
        unknown = [str(key) for key in data if key not in _CONDITION_KEYS and key != LINE_KEY]
        if unknown:
            # `{…, also: A, B}` reads "B" as a key: a comma in the words of a flow mapping
            raise self.fail(f"trường 'when' có khóa lạ “{unknown[0][:60]}” (chỉ có measure, range, also)", data,
                            fix="đặt lời của 'also' trong ngoặc kép nếu lời có dấu phẩy: also: \"…, …\"")
        measure = str(data.get("measure", ""))
        if measure not in MEASURES:
            raise self.fail(f"'measure: {measure}' không hợp lệ; dùng một trong: {', '.join(MEASURES)}", data)
        low, high, low_closed, high_closed = parse_range(str(data.get("range", "")), self, data)
        return Condition(measure, low, high, low_closed, high_closed, also=self.text(data, "also"))

    def band(self, data: Any, parent: dict, from_words: Condition | None = None) -> Band:
        """One band; `from_words` is the condition its wording carries (bands.parse_band_conditions).

        The wording is the source: a stored `when` counts only where the words carry no condition
        (an explicit override); one that contradicts them is kept aside for check to warn about.
        """
        if not isinstance(data, dict):
            raise self.fail("mỗi mức điểm phải có 'text' và 'points'", parent)
        points, _ = self.points(data, "points", required=True)
        per_unit = None
        if isinstance(data.get("per_unit"), dict):
            pu = data["per_unit"]
            per_unit = PerUnit(unit=self.text(pu, "unit"), points=self.points(pu, "points", required=True)[0])
        stored = self.condition(data.get("when"), data)
        overridden = None
        if from_words is not None and stored is not None and not same_interval(stored, from_words):
            overridden = stored
        return Band(
            text=self.text(data, "text", required=True),
            points=points,  # type: ignore[arg-type]
            condition=from_words if from_words is not None else stored,
            per_unit=per_unit,
            evidence=self.text_list(data, "evidence"),
            deduction=self.points(data, "deduction")[0],
            min_points=self.points(data, "min_points")[0],
            overridden=overridden,
        )

    def conditions_from_words(self, bands: list) -> list[Condition | None]:
        """What each band's words say, from the parse cache (`rubric_data`) or read from the words now."""
        if bands and all(isinstance(b, dict) and WORDS_KEY in b for b in bands):
            return [self.condition(b[WORDS_KEY], b) for b in bands]
        return conditions_from_words(bands)

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
            bands=[self.band(b, data, cond) for b, cond in zip(bands, self.conditions_from_words(bands))],
            scoring=scoring,
            per_item=self.points(data, "per_item")[0],
            items=self.text_list(data, "items"),
            line=line_of(data),
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


def conditions_from_words(bands: list) -> list[Condition | None]:
    """The condition each band's wording carries, a criterion's bands read together (as import reads them)."""
    if not bands:
        return []
    from .bands import parse_band_conditions  # here: a read from the parse cache needs no parser (~0,3 ms)

    return parse_band_conditions([nfc(str(b.get("text") or "")) if isinstance(b, dict) else "" for b in bands])


def same_interval(a: Condition, b: Condition) -> bool:
    """Whether two conditions measure the same values (their `also` words aside: those are the wording's)."""
    return (a.measure, a.low, a.high, a.low_closed, a.high_closed) == (b.measure, b.low, b.high, b.low_closed,
                                                                          b.high_closed)


def parse_range(text: str, reader: FieldReader | None = None, where: Any = None) -> tuple[Decimal, Decimal, bool, bool]:
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
    return RubricReader(source).rubric(data)


# --------------------------------------------------------------------------- the rubric, model → data

def condition_to_data(cond: Condition) -> dict:
    """A band's condition as YAML data."""
    out: dict[str, Any] = {"measure": cond.measure, "range": cond.range_text}
    if cond.also:
        out["also"] = cond.also
    return out


def band_to_data(band: Band) -> dict:
    """One band as YAML data, keys in the documented order, empty fields left out."""
    out: dict[str, Any] = {"text": band.text, "points": store_points(band.points)}
    if band.min_points is not None:
        out["min_points"] = store_points(band.min_points)
    if band.condition is not None:
        out["when"] = condition_to_data(band.condition)
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

# --------------------------------------------------------------------------- rubric files

#: The key under which `rubric_data` records, in each band, the condition its words carry (None: none).
WORDS_KEY = "__when_from_words__"


def _add_conditions_from_words(data: Any) -> Any:
    """The rubric data with, in every band, the condition its words carry: done once per file's bytes, cached."""
    def visit(node: Any) -> None:
        if not isinstance(node, dict):
            return
        bands, children = node.get("bands"), node.get("children")
        if isinstance(bands, list) and bands:
            for band, cond in zip(bands, conditions_from_words(bands)):
                if isinstance(band, dict):
                    band[WORDS_KEY] = condition_to_data(cond) if cond is not None else None
        if isinstance(children, list):
            for child in children:
                visit(child)

    if isinstance(data, dict) and isinstance(data.get("sections"), list):
        for section in data["sections"]:
            visit(section)
    return data


_words_version = ""


def _cache_version() -> str:
    """The rubric cache entries' version: the band parser's source is part of it, so a changed parser re-reads."""
    global _words_version
    if not _words_version:
        source = fileio.read_bytes(os.path.join(os.path.dirname(__file__), "bands.py"))
        _words_version = f"{_CACHE_VERSION}w{hash_bytes(source)[:12]}"
    return _words_version


def rubric_data(raw: bytes, path: str | os.PathLike = "", *, digest: str = "") -> Any:
    """A rubric file's plain data with each band's condition from its words, from the parse cache when it can."""
    return cached(raw, lambda: _add_conditions_from_words(parse_yaml(raw, path)), kind="rubric-",
                  version=_cache_version(), digest=digest)


def rubric_from_bytes(raw: bytes, path: str | os.PathLike = "", *, digest: str = "") -> Rubric:
    """A rubric from a file's bytes already read (and hashed: `digest`), through the parse cache."""
    return rubric_from_data(rubric_data(raw, path, digest=digest), str(path))


def load_rubric_file(path: str | os.PathLike) -> Rubric:
    """A rubric from any YAML file (an import's output, a file named on the command line), read fast.

    A workspace version goes through the workspace, which checks a frozen version's hash.
    """
    return rubric_from_data(rubric_data(fileio.read_bytes(path), path), str(path))


def save_new_rubric(rubric: Rubric, path: str | os.PathLike, header: str = "") -> None:
    """Write a rubric to a new file (import, new draft), atomically."""
    fileio.atomic_write(path, dump_yaml(rubric_to_data(rubric), header))
