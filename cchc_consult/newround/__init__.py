"""A new round from zero: `cchc init` makes an empty workspace from the templates in this folder.

The decision wording's blanks are marked "[CẦN ĐIỀN: …]"; publish refuses them until
`cchc decision set KEY VALUE` fills them (one home for the marker: BLANK).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from string import Template

from ..errors import WorkspaceError
from ..fileio import atomic_write
from ..workspace import Workspace, find_workspace
from ..yamlio import dump_round_trip, read_round_trip, text_scalar

from .decision import BLANK, unit_fields as _unit_fields

TEMPLATES = Path(__file__).resolve().parent


def init_workspace(target: str | Path, year: int, unit: str = "", source: str | Path | None = None
                   ) -> tuple[Workspace, list[str]]:
    """Create an empty workspace for `year`; with `source`, v1 is its final (else newest) version, years moved on.

    Returns the workspace and the year changes made in v1 (one line each, for the clerk to confirm).
    """
    root = Path(target).expanduser().resolve()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise WorkspaceError(f"thư mục {root} đã có tệp; không ghi vào", path=str(root),
                             fix="chọn một thư mục trống hoặc chưa có")
    old = find_workspace(source) if source else None
    if unit:
        fields = _unit_fields(unit)
    else:
        blank = '"[CẦN ĐIỀN: tên cơ quan — cchc decision set unit \\"UBND huyện …\\"]"'
        fields = dict.fromkeys(("parent", "name", "authority", "short", "place"), blank)
    ws = Workspace(root)
    for folder in (ws.drafts, ws.comments_dir, ws.scores / "self", ws.scores / "appraisal"):
        folder.mkdir(parents=True, exist_ok=True)
    # start-up: commands/draft imports newround.decision, so this __init__ runs on every --help
    from ..consult.round import offices_to_data

    offices = old.offices() if old else ws.offices()  # no offices.yaml yet: the district's default list
    old_round = old.round(offices) if old else None
    values = {"year": str(year), "unit": unit or "(chưa ghi tên cơ quan)", "root": str(root), **fields}

    def fill(name: str) -> str:
        return Template((TEMPLATES / name).read_text(encoding="utf-8")).safe_substitute(values)

    atomic_write(ws.offices_file, "# Các cơ quan được lấy ý kiến; sửa khi cơ quan được sắp xếp lại.\n"
                 + dump_round_trip(offices_to_data(offices)), lock=False)
    atomic_write(ws.round_file, fill("round.yaml"), lock=False)
    changes: list[str] = []
    if old_round is not None:
        _carry_round(ws, old_round.drafter, old_round.reviewers)
        if old_round.reviewers:
            changes.append(f"round.yaml: giữ các cơ quan rà soát của năm trước ({', '.join(old_round.reviewers)})")
    decision = old.root / "decision.yaml" if old and (old.root / "decision.yaml").is_file() and not unit else None
    if decision is not None:
        changes += _carry_decision(old, decision, fill("decision.yaml"), ws.root / "decision.yaml")
    else:
        atomic_write(ws.root / "decision.yaml", fill("decision.yaml"), lock=False)
    atomic_write(ws.scores / "settings.yaml", fill("settings.yaml"), lock=False)
    atomic_write(ws.root / "README.txt", fill("README.txt"), lock=False)
    if old is not None:
        changes = _copy_previous(old, ws, year) + changes
    return ws, changes


def _carry_round(ws: Workspace, drafter: str, reviewers: dict[str, list[str]]) -> None:
    """Last year's drafting office (not consulted, so not in the ledger) and the offices assigned to review
    their fields, which they do every year."""
    tree, _ = read_round_trip(ws.round_file)
    if drafter:
        tree["drafter"] = drafter
    else:
        del tree["drafter"]
    tree["reviewers"] = {code: list(ids) for code, ids in reviewers.items()}
    atomic_write(ws.round_file, dump_round_trip(tree), lock=False)


def _carry_decision(old: Workspace, source: Path, template: str, target: Path) -> list[str]:
    """Last year's decision wording under this year's header comments; its tờ trình numbers blanked, the
    decision it replaces set to last year's issuing one. The changes listed."""
    header = template[:template.index("\nformat:") + 1]
    body = source.read_text(encoding="utf-8")
    at = body.find("\nformat:")
    atomic_write(target, header + (body[at + 1:] if at >= 0 else body), lock=False)
    tree, _ = read_round_trip(target)
    changes: list[str] = []
    blank = {"number": text_scalar(f"{BLANK}: số tờ trình]"), "date": text_scalar(f"{BLANK}: ngày tờ trình]")}
    if "submission" in tree:
        tree["submission"] = dict(blank)
        changes.append("decision.yaml: submission (tờ trình năm trước) để trống [CẦN ĐIỀN] — "
                       "cchc decision set submission.number …")
    results = tree.get("results")
    if isinstance(results, dict) and "submission" in results:
        results["submission"] = dict(blank)
        changes.append("decision.yaml: results.submission để trống [CẦN ĐIỀN]")
    finals = [r for r in old.history().values() if r.status == "final" and r.decision]
    if finals:
        tree["replaces"] = {"number": text_scalar(finals[-1].decision),
                            "date": text_scalar(finals[-1].decision_date)}
        changes.append(f"decision.yaml: replaces = Quyết định {finals[-1].decision} ngày "
                       f"{finals[-1].decision_date} (bản ban hành năm trước)")
    elif "replaces" in tree:
        del tree["replaces"]
        changes.append("decision.yaml: bỏ replaces của năm trước (năm trước chưa có bản ban hành)")
    signer = tree.get("signer")
    if isinstance(signer, dict) and signer.get("name"):
        changes.append(f"decision.yaml: người ký giữ như năm trước ({signer['name']}) — kiểm tra: "
                       "cchc decision set signer.name …")
    atomic_write(target, dump_round_trip(tree), lock=False)
    return changes


_COMMENT = re.compile(r"\s#")


def shift_years(text: str, old_year: int, new_year: int) -> tuple[str, list[str]]:
    """Move every bare `old_year` in a YAML text's values to `new_year` (comments untouched); the changes listed.

    A year inside a document's number ("Quyết định 12/2023/QĐ-UBND") names that document and is kept.
    """
    pattern = re.compile(rf"(?<!\d){old_year}(?!\d)(?!/[^\W\d])")
    out, changes = [], []
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        if line.lstrip().startswith("#"):
            out.append(line)
            continue
        cut = _COMMENT.search(line)
        value, rest = (line[:cut.start()], line[cut.start():]) if cut else (line, "")
        moved = pattern.sub(str(new_year), value)
        if moved != value:
            changes.append(f"dòng {number}: {value.strip()[:90]}  →  {moved.strip()[:90]}")
        out.append(moved + rest)
    return "".join(out), changes


def _copy_previous(old: Workspace, ws: Workspace, year: int) -> list[str]:
    # start-up: commands/draft imports newround.decision, so this __init__ runs on every --help
    from ..document import RubricDocument
    from ..history import VersionEvent, VersionRecord, write_history

    records = old.history()
    finals = [n for n, r in records.items() if r.status == "final"]
    name = finals[-1] if finals else old.newest()
    path = old.verify(name, records)
    rubric = old.rubric(name, records=records)
    old_year = rubric.meta.year or year - 1
    text, changes = shift_years(path.read_text(encoding="utf-8"), int(old_year), year)
    target = ws.version_path("v1")
    atomic_write(target, text)
    doc = RubricDocument.open(target)
    meta = doc.tree["meta"]
    meta["version"] = "v1"
    meta["status"] = "draft"
    for key in ("letter", "letter_date", "decision", "decision_date"):
        meta.pop(key, None)
    atomic_write(target, doc.dumps())
    reason = (f"sao từ {old.root}/{name} (năm {old_year}); đổi năm {old_year} → {year} ở {len(changes)} chỗ: "
              + "; ".join(changes))
    write_history(ws, {"v1": VersionRecord(name="v1", created_from=f"{old.root.name}:{name}",
                                           events=[VersionEvent("created", datetime.now().isoformat(
                                               timespec="seconds"), reason)])})
    return changes + _earlier_years(text, int(old_year) - 1)


def _earlier_years(text: str, year: int) -> list[str]:
    """Lines still naming the year before the old one ("báo cáo năm 2022"): a report of the previous year
    moves on with the round, a dated guidance document does not — left for the clerk, each listed."""
    pattern = re.compile(rf"(?<!\d){year}(?!\d)")
    return [f"dòng {number}: còn ghi năm {year}, chưa đổi — kiểm tra: {line.strip()[:90]}"
            for number, line in enumerate(text.splitlines(), 1)
            if not line.lstrip().startswith("#") and pattern.search(_COMMENT.split(line, 1)[0])]
