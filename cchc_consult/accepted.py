"""Findings Phòng Nội vụ decided to keep: each error of `check` accepted one by one, with its reason.

`accepted.yaml` in the workspace:

    format: cchc-accepted/1
    accepted:
      - {version: "v2", code: coverage-gap, node: "I.7", reason: "…", when: "2023-08-30T10:00:00"}

An accepted finding is still shown by `check` ("đã chấp nhận"), no longer blocks
`publish`, and is listed in the tờ trình. There is no blanket acceptance: one
code on one node of one version per entry, each with its own reason.
"""

from __future__ import annotations

from datetime import datetime

from .errors import ValidationError
from .lazyre import LazyPattern
from .model import FrozenRecord
from .schema import FieldReader, line_of
from .vn import nfc
from .fileio import atomic_write, file_lock
from .yamlio import read_yaml, text_scalar

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up (~4 ms of `cchc check`)
if TYPE_CHECKING:
    from typing import Any

    from .findings import Finding
    from .workspace import Workspace

ACCEPTED_FORMAT = "cchc-accepted/1"
ACCEPTED_FILE = "accepted.yaml"

#: A reason must say something: not "…", "x", "ok" or a copy of the README's example.
_MIN_REASON_WORDS = 3
_ONLY_DOTS = LazyPattern(r"^[\s.…\-_?!]*$")

_NEW_FILE = """# Các lỗi kiểm tra cơ quan soạn thảo quyết định giữ lại khi ban hành, từng lỗi một, mỗi lỗi một lý do.
# Do lệnh ghi: cchc check PHIÊN_BẢN --accept MÃ_LỖI MÃ_TIÊU_CHÍ --reason "…"; được liệt kê trong tờ trình.
format: cchc-accepted/1
accepted: []
"""


class AcceptedFinding(FrozenRecord):
    """One finding kept on purpose: which version, which code on which node, and why."""

    __slots__ = ("version", "code", "node", "reason", "when", "line")

    def __init__(self, version: str, code: str, node: str, reason: str, when: str = "", line: int = 0) -> None:
        self._set(version=version, code=code, node=node, reason=reason, when=when, line=line)

    def matches(self, version: str, finding: Finding) -> bool:
        return self.version == version and self.code == finding.code and self.node == finding.node


def accepted_from_data(data: Any, source: str = "") -> list[AcceptedFinding]:
    """The entries of accepted.yaml, each malformed one named with its line."""
    if data is None:
        return []
    read = FieldReader(source)
    data = read.mapping(data, what="tệp lỗi đã chấp nhận phải có 'accepted:'")
    if data.get("format") not in (None, ACCEPTED_FORMAT):
        raise read.fail(f"định dạng '{data.get('format')}' không phải tệp lỗi đã chấp nhận ({ACCEPTED_FORMAT})", data)
    out = []
    for item in read.sequence(data, "accepted"):
        if not isinstance(item, dict):
            raise read.fail("mỗi lỗi đã chấp nhận là một khối {version, code, node, reason}", data)
        fields = {key: read.text(item, key, required=True, strip=True) for key in ("version", "code", "node", "reason")}
        out.append(AcceptedFinding(**fields, when=read.text(item, "when", strip=True), line=line_of(item)))
    return out


def load_accepted(ws: Workspace) -> list[AcceptedFinding]:
    """accepted.yaml of the workspace ([] when there is none)."""
    path = ws.accepted_file
    if not path.exists():
        return []
    return accepted_from_data(read_yaml(path), str(path))


def split_accepted(version: str, findings: list[Finding], accepted: list[AcceptedFinding]
                   ) -> tuple[list[Finding], list[tuple[Finding, AcceptedFinding]]]:
    """(findings still open, findings accepted with their entry) for one version. Pure."""
    open_, kept = [], []
    for finding in findings:
        entry = next((a for a in accepted if a.matches(version, finding)), None)
        if entry is None:
            open_.append(finding)
        else:
            kept.append((finding, entry))
    return open_, kept


def check_reason(reason: str | None, what: str, fix: str) -> str:
    """The reason in NFC, refused when it says nothing ("…", "ok", a word or two)."""
    reason = nfc(reason or "").strip()
    if _ONLY_DOTS.match(reason) or len(reason.split()) < _MIN_REASON_WORDS:
        raise ValidationError(f"{what}: lý do '{reason}' chưa nói gì (cần ít nhất {_MIN_REASON_WORDS} từ, "
                              "nói vì sao)", fix=fix)
    return reason


def accept_finding(ws: Workspace, version: str, code: str, node: str, reason: str | None,
                   findings: list[Finding]) -> AcceptedFinding:
    """Record that the finding `code` on `node` of `version` is kept, with its own reason.

    Refuses a finding `check` does not report for that version (a typo would
    otherwise accept nothing) and an empty or placeholder reason. Accepting the
    same finding again replaces its reason.
    """
    # start-up: `cchc check` loads this module; yamledit (and ruamel) is not on its path
    from .consult.yamledit import dump_round_trip, load_round_trip

    code, node = nfc(code).strip(), nfc(node).strip()
    if not any(f.code == code and f.node == node for f in findings):
        here = [f"{f.code} {f.node}" for f in findings if f.severity == "error"]
        raise ValidationError(
            f"phiên bản {version} không có phát hiện '{code}' ở '{node}' để chấp nhận",
            fix="chép đúng mã lỗi và mã tiêu chí từ kết quả cchc check"
                + (f" (các lỗi hiện có: {', '.join(here[:8])}{', …' if len(here) > 8 else ''})" if here else ""))
    reason = check_reason(reason, f"chấp nhận {code} ở {node}",
                          'ghi rõ vì sao giữ lại lỗi này: --reason "Giữ mức … vì …"')
    entry = AcceptedFinding(version, code, node, reason, datetime.now().replace(microsecond=0).isoformat())
    path = ws.accepted_file
    with file_lock(path):
        if not path.exists():
            atomic_write(path, _NEW_FILE, lock=False)
        tree = load_round_trip(path)
        from ruamel.yaml.comments import CommentedMap, CommentedSeq
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        if not isinstance(tree.get("accepted"), CommentedSeq):
            tree["accepted"] = CommentedSeq()
        items = tree["accepted"]
        for i in reversed(range(len(items))):
            item = items[i]
            if isinstance(item, dict) and (str(item.get("version")), str(item.get("code")),
                                           str(item.get("node"))) == (version, code, node):
                del items[i]
        row = CommentedMap()
        row["version"] = DoubleQuotedScalarString(version)
        row["code"] = code
        row["node"] = DoubleQuotedScalarString(node)
        row["reason"] = text_scalar(reason)
        row["when"] = DoubleQuotedScalarString(entry.when)
        items.append(row)
        atomic_write(path, dump_round_trip(tree), lock=False)
    return entry
