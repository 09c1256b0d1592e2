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
from ..workspace import Workspace, find_workspace

from .decision import unit_fields as _unit_fields

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
    from ..fileio import atomic_write

    ws = Workspace(root)
    for folder in (ws.drafts, ws.comments_dir, ws.scores / "self", ws.scores / "appraisal"):
        folder.mkdir(parents=True, exist_ok=True)
    values = {"year": str(year), "unit": unit or "(chưa ghi tên cơ quan)", "root": str(root), **fields}

    def fill(name: str) -> str:
        return Template((TEMPLATES / name).read_text(encoding="utf-8")).safe_substitute(values)

    from ..consult.round import offices_to_data
    from ..yamlio import dump_round_trip

    offices = old.offices() if old else ws.offices()  # no offices.yaml yet: the district's default list
    atomic_write(ws.offices_file, "# Các cơ quan được lấy ý kiến; sửa khi cơ quan được sắp xếp lại.\n"
                 + dump_round_trip(offices_to_data(offices)), lock=False)
    atomic_write(ws.round_file, fill("round.yaml"), lock=False)
    decision = old.root / "decision.yaml" if old and (old.root / "decision.yaml").is_file() and not unit else None
    atomic_write(ws.root / "decision.yaml", decision.read_bytes() if decision else fill("decision.yaml"), lock=False)
    atomic_write(ws.scores / "settings.yaml", fill("settings.yaml"), lock=False)
    atomic_write(ws.root / "README.txt", fill("README.txt"), lock=False)
    changes: list[str] = []
    if old is not None:
        changes = _copy_previous(old, ws, year)
    return ws, changes


_COMMENT = re.compile(r"\s#")


def shift_years(text: str, old_year: int, new_year: int) -> tuple[str, list[str]]:
    """Move every bare `old_year` in a YAML text's values to `new_year` (comments untouched); the changes listed."""
    pattern = re.compile(rf"(?<!\d){old_year}(?!\d)")
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
    from ..document import RubricDocument
    from ..fileio import atomic_write
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
    return changes
