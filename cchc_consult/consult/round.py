"""The consultation round: which offices, which version, which letter, which deadline, who reviews what.

Two small data files at the workspace root, both optional:

* `offices.yaml` — the district's offices (code, full name, short name); the
  default is `offices.DEFAULT_OFFICES`.
* `round.yaml` — the version circulated, the letter and its date, the deadline,
  the date the decision is due, the offices consulted, the five assigned
  reviewers and the criteria each reviews, and the owner of each criterion
  (proposed from the evidence column, confirmed by Phòng Nội vụ).

"Trước ngày 18/8/2023" is read literally: a reply dated 18/8/2023 is late.
`deadline_rule: on_or_before` in round.yaml changes that for a letter that says
"đến hết ngày".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError, WorkspaceError
from ..fileio import atomic_write, file_lock, safe_name
from ..model import Rubric
from ..offices import DEFAULT_OFFICES, Office, propose_owner
from ..schema import FieldReader, fields, line_of
from ..vn import format_date_short, parse_date
from ..yamlio import read_yaml, text_scalar
from .yamledit import dump_round_trip, load_round_trip

if TYPE_CHECKING:
    from ..workspace import Workspace

ROUND_FORMAT = "cchc-round/1"
#: The deadline rules a round file may name: "before" = strictly before the deadline day ("trước ngày").
DEADLINE_RULES = ("before", "on_or_before")


# --------------------------------------------------------------------------- offices

def offices_from_data(data: Any, source: str = "") -> list[Office]:
    """Offices from the data of an offices.yaml: a list under `offices:` (or a bare list)."""
    read = FieldReader(source)
    items = read.sequence(data.get("offices") if isinstance(data, dict) else data, required=True,
                          what="tệp danh sách cơ quan phải có 'offices:' là một danh sách",
                          fix="mỗi cơ quan một khối: - {code: MÃ, name: Tên đầy đủ, short: Tên ngắn}")
    out: list[Office] = []
    seen: dict[str, int] = {}
    for item in items:
        fix = "thêm code: (mã không dấu, như TCKH) và name: (tên đầy đủ)"
        item = read.mapping(item, what="mỗi cơ quan cần có 'code' và 'name'", fix=fix)
        code = read.text(item, "code", required=True, strip=True, label="mã cơ quan", fix=fix)
        name = read.text(item, "name", required=True, label="tên cơ quan", fix=fix)
        line = line_of(item)
        try:
            safe_name(code)
        except WorkspaceError as exc:
            raise read.fail(exc.message, item, exc.fix) from None
        if code in seen:
            raise read.fail(f"mã cơ quan '{code}' bị lặp (đã có ở dòng {seen[code]})", item, "mỗi cơ quan một mã riêng")
        seen[code] = line
        out.append(Office(code, name, read.text(item, "short") or name, read.text_list(item, "aliases")))
    return out


def load_offices(ws: Workspace) -> list[Office]:
    """The workspace's offices: offices.yaml if present, else the district's default list."""
    if ws.offices_file.exists():
        return offices_from_data(read_yaml(ws.offices_file), str(ws.offices_file))
    return list(DEFAULT_OFFICES)


def offices_to_data(offices: list[Office]) -> dict:
    """Offices as the data of an offices.yaml."""
    out = []
    for office in offices:
        item: dict[str, Any] = {"code": office.code, "name": office.name, "short": office.short}
        if office.aliases:
            item["aliases"] = list(office.aliases)
        out.append(item)
    return {"offices": out}


# --------------------------------------------------------------------------- round

@dataclass(slots=True)
class OwnerAssignment:
    """Which office owns (monitors, appraises) a criterion, and whether Phòng Nội vụ has confirmed it."""

    criterion: str
    office: str
    confirmed: bool = False
    #: "round.yaml" when written there, "rubric" when read from the draft's `owner`, "evidence" when proposed now.
    source: str = "round.yaml"


@dataclass(slots=True)
class Round:
    """One consultation round, as written in round.yaml (or defaulted from the circulated draft)."""

    version: str = "v1"
    letter: str = ""
    letter_date: dt.date | None = None
    deadline: dt.date | None = None
    deadline_rule: str = "before"
    decision_due: dt.date | None = None
    drafter: str = ""
    #: Office codes asked for comments (default: every office except the drafter).
    consulted: list[str] = field(default_factory=list)
    #: Assigned reviewer → the criterion ids it reviews (an id covers its whole subtree).
    reviewers: dict[str, list[str]] = field(default_factory=dict)
    owners: dict[str, OwnerAssignment] = field(default_factory=dict)
    source: str = ""

    def is_late(self, day: dt.date | None) -> bool:
        """Whether a reply dated `day` missed the deadline ("trước ngày 18/8": 18/8 itself is late)."""
        if day is None or self.deadline is None:
            return False
        return day >= self.deadline if self.deadline_rule == "before" else day > self.deadline

    @property
    def deadline_text(self) -> str:
        """The deadline as the letter words it."""
        if self.deadline is None:
            return "không ghi hạn"
        word = "trước ngày" if self.deadline_rule == "before" else "đến hết ngày"
        return f"{word} {format_date_short(self.deadline)}"

    @property
    def silence_date(self) -> dt.date | None:
        """The day from which an office that has not replied is deemed to agree."""
        if self.deadline is None:
            return None
        return self.deadline if self.deadline_rule == "before" else self.deadline + dt.timedelta(days=1)

    def deadline_passed(self, as_of: dt.date) -> bool:
        return self.silence_date is not None and as_of >= self.silence_date

    def countdown_text(self, today: dt.date) -> str:
        """The deadline seen from `today`, agreeing with `is_late` ("" when the round names no deadline).

        Under "trước ngày 18/8" a reply dated 18/8 is late, so on that day the deadline has passed.
        """
        if self.deadline is None:
            return ""
        shown = format_date_short(self.deadline)
        days = (self.deadline - today).days
        if self.is_late(today):
            return f"đã quá hạn góp ý {shown}"
        if days == 0:
            return f"hôm nay là hạn góp ý {shown}"
        return f"còn {days} ngày đến hạn góp ý {shown}"


def round_from_data(data: Any, offices: list[Office], source: str = "") -> Round:
    """A Round from round.yaml data, every office code checked against the office list."""
    read = FieldReader(source)
    data = read.mapping(data, what="tệp đợt lấy ý kiến phải là một khối các trường (version, letter, deadline, …)",
                        fix="xem mẫu trong docs/consultation.md")
    codes = {o.code for o in offices}

    def office_code(code: Any, where: Any) -> str:
        text = str(code or "").strip()
        if text not in codes:
            raise read.fail(f"mã cơ quan '{text}' không có trong danh sách cơ quan", where,
                            fix=f"dùng một trong: {', '.join(sorted(codes))}")
        return text

    rule = read.text(data, "deadline_rule") or "before"
    if rule not in DEADLINE_RULES:
        raise read.fail(f"'deadline_rule: {rule}' không hợp lệ", data,
                        fix="before (trước ngày hạn: ngày hạn là trễ) hoặc on_or_before (đến hết ngày hạn)")
    drafter = read.text(data, "drafter")
    if drafter:
        office_code(drafter, data)
    consulted_raw = data.get("consulted")
    if consulted_raw in (None, "", "all"):
        consulted = [o.code for o in offices if o.code != drafter]
    else:
        consulted = [office_code(c, data) for c in read.sequence(
            data, "consulted", what="'consulted' phải là danh sách mã cơ quan hoặc 'all'")]
    reviewers: dict[str, list[str]] = {}
    raw_reviewers = read.mapping(data, "reviewers", what="'reviewers' phải là một khối: MÃ_CƠ_QUAN: [các tiêu chí]")
    for code, ids in fields(raw_reviewers):
        code = office_code(code, raw_reviewers)
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list):
            raise read.fail(f"tiêu chí giao {code} thẩm định phải là danh sách mã", raw_reviewers)
        reviewers[code] = [str(i) for i in ids]
    owners: dict[str, OwnerAssignment] = {}
    raw_owners = read.mapping(data, "owners", what="'owners' phải là một khối: MÃ_TIÊU_CHÍ: {office: …, confirmed: …}")
    for criterion, value in fields(raw_owners):
        if isinstance(value, dict):
            office, confirmed, where = value.get("office"), bool(value.get("confirmed", False)), value
        else:
            office, confirmed, where = value, False, raw_owners
        owners[str(criterion)] = OwnerAssignment(str(criterion), office_code(office, where), confirmed)
    return Round(
        version=read.text(data, "version") or "v1",
        letter=read.text(data, "letter"),
        letter_date=read.date(data, "letter_date", parse_date),
        deadline=read.date(data, "deadline", parse_date),
        deadline_rule=rule,
        decision_due=read.date(data, "decision_due", parse_date),
        drafter=drafter,
        consulted=consulted,
        reviewers=reviewers,
        owners=owners,
        source=source,
    )


def load_round(ws: Workspace, offices: list[Office] | None = None) -> Round:
    """The workspace's round: round.yaml if present, else a round over every office for v1."""
    offices = offices if offices is not None else load_offices(ws)
    if ws.round_file.exists():
        return round_from_data(read_yaml(ws.round_file), offices, str(ws.round_file))
    return round_from_data({}, offices, "")


def record_circulation(ws: Workspace, version: str, letter: str, letter_date: dt.date,
                       deadline: dt.date | None = None, decision_due: dt.date | None = None) -> Path:
    """Write the circulation into round.yaml (version, letter and its date, deadline, decision due).

    Only those keys change (round-trip, under the file's lock): reviewers, owners and the
    clerk's comments stay. A deadline or decision date not given keeps what the file says,
    unless the file was about another version (then it is cleared: it was that round's).
    Returns the file written.
    """
    with file_lock(ws.round_file):
        tree = load_round_trip(ws.round_file) if ws.round_file.exists() else None
        if tree is None or not isinstance(tree, dict):
            from ruamel.yaml.comments import CommentedMap

            tree = CommentedMap()
        if "format" not in tree:
            tree.insert(0, "format", ROUND_FORMAT)
        same_version = str(tree.get("version") or "") == version
        values: dict[str, Any] = {"version": version, "letter": letter, "letter_date": letter_date.isoformat()}
        for key, day in (("deadline", deadline), ("decision_due", decision_due)):
            if day is not None:
                values[key] = day.isoformat()
            elif not same_version:
                values[key] = ""
        for key, value in values.items():
            if tree.get(key) != value:
                tree[key] = text_scalar(value) if value else ""
        atomic_write(ws.round_file, dump_round_trip(tree), lock=False)
    return ws.round_file


# --------------------------------------------------------------------------- owners

def proposed_owners(rubric: Rubric, offices: list[Office]) -> dict[str, OwnerAssignment]:
    """Owners as the draft suggests them: its `owner` field, else the office its evidence names."""
    out: dict[str, OwnerAssignment] = {}
    for node in rubric.walk():
        if node.owner:
            out[node.id] = OwnerAssignment(node.id, node.owner, False, "rubric")
        else:
            code = propose_owner(node.evidence, offices)
            if code:
                out[node.id] = OwnerAssignment(node.id, code, False, "evidence")
    return out


def effective_owners(round_: Round, rubric: Rubric, offices: list[Office]) -> dict[str, OwnerAssignment]:
    """Proposed owners, overridden by what round.yaml says (confirmed or corrected)."""
    out = proposed_owners(rubric, offices)
    out.update(round_.owners)
    return out


def confirm_owners(ws: Workspace, rubric: Rubric, criteria: list[str] | None = None,
                   office: str | None = None) -> list[OwnerAssignment]:
    """Mark owners as confirmed in round.yaml (all proposals when `criteria` is None); `office` overrides.

    Edits round.yaml in place with ruamel's round-trip parser, so only the lines
    of the confirmed owners change, and saves it atomically.
    """
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString


    offices = load_offices(ws)
    round_ = load_round(ws, offices)
    proposals = effective_owners(round_, rubric, offices)
    index = rubric.index()
    order = {node_id: i for i, node_id in enumerate(index)}
    targets = list(criteria) if criteria else sorted(proposals, key=lambda k: order.get(k, len(order)))
    codes = {o.code for o in offices}
    if office is not None and office not in codes:
        raise ValidationError(f"mã cơ quan '{office}' không có trong danh sách cơ quan",
                              fix=f"dùng một trong: {', '.join(sorted(codes))}")
    for criterion in targets:
        if criterion not in index:
            raise ValidationError(f"không có tiêu chí '{criterion}' trong {round_.version}",
                                  fix="xem mã tiêu chí bằng: cchc check --format json")
        if office is None and criterion not in proposals:
            raise ValidationError(f"tiêu chí {criterion} chưa có cơ quan sở hữu được đề xuất",
                                  fix=f"chỉ rõ cơ quan: cchc comments owners --confirm {criterion} --office MÃ")
    with file_lock(ws.round_file):
        tree = load_round_trip(ws.round_file) if ws.round_file.exists() else CommentedMap()
        owners = tree.get("owners")
        if not isinstance(owners, CommentedMap):
            owners = CommentedMap()
            tree["owners"] = owners
        done: list[OwnerAssignment] = []
        for criterion in targets:
            code = office or proposals[criterion].office
            entry = owners.get(criterion)
            if not isinstance(entry, CommentedMap):
                entry = CommentedMap()
                entry.fa.set_flow_style()
                owners[DoubleQuotedScalarString(criterion)] = entry
            if entry.get("office") != code:
                entry["office"] = code
            if entry.get("confirmed") is not True:
                entry["confirmed"] = True
            done.append(OwnerAssignment(criterion, code, True))
        atomic_write(ws.round_file, dump_round_trip(tree), lock=False)
    return done


def reviewed_by(round_: Round, rubric: Rubric, office: str) -> list[str]:
    """The criterion ids an assigned reviewer reviews, each id expanded to its subtree, in rubric order."""
    wanted = round_.reviewers.get(office, [])
    out = []
    for node in rubric.walk():
        if any(node.id == w or node.id.startswith(w + ".") for w in wanted):
            out.append(node.id)
    return out


def workspace_path(ws: Workspace, path: str | Path) -> str:
    """A path shown relative to the workspace when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(ws.root.resolve()))
    except ValueError:
        return str(path)
