"""decision.yaml's blanks ("[CẦN ĐIỀN: …]"): found for publish, filled by `cchc decision set`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CchcError, ValidationError, WorkspaceError
from ..vn import parse_date
from ..fileio import atomic_write, file_lock
from ..yamlio import dump_round_trip, read_round_trip, read_yaml, text_scalar

if TYPE_CHECKING:
    from ..workspace import Workspace

BLANK = "[CẦN ĐIỀN"
#: Fields a decision.yaml may lack (a new round's has no tờ trình yet): `decision set` adds them.
OPTIONAL_FIELDS = ("submission.number", "submission.date", "submission.signer.title", "submission.signer.name",
                   "replaces.number", "replaces.date",
                   "results.subject", "results.proposal", "results.submission.number", "results.submission.date")


def unit_fields(unit: str) -> dict[str, str]:
    """Issuer lines from "UBND huyện Quảng Điền": parent, name, authority, short, place."""
    unit = " ".join(unit.split())
    match = re.match(r"(?i)(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(.+)", unit)
    if not match:
        raise ValidationError(f"không hiểu tên cơ quan '{unit}'", fix='viết dạng "UBND huyện TÊN"')
    rest = match.group(2)
    place = re.sub(r"(?i)^(huyện|thị xã|thành phố|quận)\s+", "", rest)
    return {"parent": "ỦY BAN NHÂN DÂN", "name": rest.upper(), "authority": f"ỦY BAN NHÂN DÂN {rest.upper()}",
            "short": f"UBND {rest}", "place": place}



def decision_blanks(ws: Workspace) -> list[tuple[str, str]]:
    """(key, value) of every field of decision.yaml still marked "[CẦN ĐIỀN" (keys as `decision set` takes them)."""
    path = ws.root / "decision.yaml"
    if not path.is_file():
        return []
    out: list[tuple[str, str]] = []

    def walk(value, key):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{key}.{k}" if key else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value, 1):
                walk(v, f"{key}.{i}")
        elif isinstance(value, str) and BLANK in value:
            out.append((key, value))

    walk(read_yaml(path), "")
    return out


def set_decision_field(ws: Workspace, key: str, value: str) -> Path:
    """Set one field of decision.yaml (dotted key, list items from 1; "unit" sets every issuer line)."""
    pairs = ([("issuer." + k, v) for k, v in unit_fields(value).items() if k != "place"]
             + [("place", unit_fields(value)["place"])]) if key == "unit" else [(key, value)]
    return set_decision_fields(ws, pairs)


def set_decision_fields(ws: Workspace, pairs: list[tuple[str, str]]) -> Path:
    """Set several fields of decision.yaml in one atomic write: all of them, or none when one is refused."""
    path = ws.root / "decision.yaml"
    if not path.is_file():
        raise WorkspaceError(f"không có {path}", path=str(path), fix="tạo thư mục làm việc bằng cchc init")
    with file_lock(path):
        tree, _ = read_round_trip(path)
        for dotted, text in pairs:
            *parents, last = dotted.split(".")
            if last == "date" and text.strip():
                try:  # one way to write a date in the file; a bad one refused before anything is written
                    text = parse_date(text).isoformat()
                except CchcError as error:
                    raise ValidationError(f"{dotted}: {error.message}", path=str(path), fix=error.fix) from None
            node = tree
            try:
                for part in parents:
                    if dotted in OPTIONAL_FIELDS and isinstance(node, dict) and not isinstance(node.get(part), dict):
                        node[part] = {}
                    node = node[int(part) - 1] if isinstance(node, list) else node[part]
                if dotted in OPTIONAL_FIELDS and last not in node:
                    node[last] = ""
                if isinstance(node, list):
                    node[int(last) - 1] = text_scalar(text)
                else:
                    if last not in node:
                        raise KeyError(last)
                    node[last] = text_scalar(text)
            except (KeyError, IndexError, ValueError, TypeError):
                raise ValidationError(f"decision.yaml không có trường '{dotted}'", path=str(path),
                                      fix="xem các trường còn trống: cchc decision") from None
        atomic_write(path, dump_round_trip(tree), lock=False)
    return path
