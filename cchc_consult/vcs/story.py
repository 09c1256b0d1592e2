"""`cchc demo --git`: the bundled 2023 example as a repository whose log tells the round commit by commit.

Import of v1 (a draft), circulation by Công văn 1632/UBND on 26/7/2023 (tag), each office's
reply on the date of its file, v2 on 21/8/2023, the answers office by office, the tờ trình,
the decision (tag) and the score sheets on their dates — each commit dated as in the story
(Vietnam time). The lifecycle steps run through `versions` as a clerk's commands would. The
decision number 125/QĐ-UBND is illustrative, as the example's other numbers are; it is signed
two days after the tờ trình (1/9/2023, before the round's decision-due date).
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .. import fileio
from ..history import VersionEvent, VersionRecord, write_history
from ..versions import circulate, finalize
from ..workspace import Workspace, copy_example
from ..yamlio import dump_round_trip, read_round_trip, read_yaml
from .hook import day_text, ensure_tags
from .repo import GITIGNORE, commit, init_empty

VIETNAM = timezone(timedelta(hours=7))
DECISION_NUMBER = "125/QĐ-UBND"
#: Days from the tờ trình to the decision in the story.
DECISION_AFTER = timedelta(days=2)
_DATED = re.compile(r"^(?P<office>[A-Z]+)-(?P<date>\d{4}-\d{2}-\d{2})\.")


def _at(day: str, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=VIETNAM)


def write_story(target: str | Path, *, by: str | None = None) -> Workspace:
    """Write the example into `target` (new or empty) as a git workspace, one commit per step of the story."""
    source_dir = Path(tempfile.mkdtemp(prefix="cchc-mau-"))
    try:
        src = copy_example(source_dir / "ws").root
        ws = Workspace(copy_example(target).root)  # refuses a folder that is not empty, as `cchc demo` does
        for item in ("rubric", "comments", "scores", "offices.yaml", "round.yaml", "decision.yaml"):
            path = ws.root / item
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        init_empty(ws.root)
        _tell(ws, src, by or _drafter_clerk(src))
        return ws
    finally:
        shutil.rmtree(source_dir, ignore_errors=True)


def _copy(src: Path, ws: Workspace, rel: str) -> None:
    (ws.root / rel).parent.mkdir(parents=True, exist_ok=True)
    fileio.atomic_write(ws.root / rel, (src / rel).read_bytes(), lock=False)  # a new folder: no other writer


def _step(ws: Workspace, message: str, when: datetime, by: str) -> None:
    commit(ws.root, message, by=by, when=when)
    ensure_tags(ws, by=by, when=when)


def _tell(ws: Workspace, src: Path, by: str) -> None:
    round_ = read_yaml(src / "round.yaml")
    letter, sent = str(round_["letter"]), str(round_["letter_date"])
    names = {str(o["code"]): str(o["name"]) for o in read_yaml(src / "offices.yaml")["offices"]}

    # 1. v1 imported as a draft, with the offices and the scoring settings.
    ws.drafts.mkdir(parents=True, exist_ok=True)
    tree, _ = read_round_trip(src / "rubric" / "drafts" / "v1.yaml")
    # Only the status goes back to draft: the letter lines stay where they are, so circulating it
    # again gives the bundled v1 byte for byte (and the hash in the bundled history).
    tree["meta"]["status"] = "draft"
    fileio.atomic_write(ws.drafts / "v1.yaml", dump_round_trip(tree))
    write_history(ws, {"v1": VersionRecord("v1", events=[VersionEvent("imported", _at(sent, 7).replace(tzinfo=None).isoformat())])})
    for rel in ("offices.yaml", "scores/settings.yaml"):
        _copy(src, ws, rel)
    (ws.root / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    ws.comments_dir.mkdir(exist_ok=True)
    _step(ws, "Nhập dự thảo v1 Bộ tiêu chí chấm điểm chỉ số CCHC năm 2023", _at(sent, 7), by)

    # 2. Circulated by the letter (the round file with its deadlines), tagged.
    _copy(src, ws, "round.yaml")
    circulate(ws, "v1", letter, sent, deadline=str(round_.get("deadline") or "") or None,
              decision_due=str(round_.get("decision_due") or "") or None, when=_at(sent).replace(tzinfo=None).isoformat())
    _step(ws, f"Gửi lấy ý kiến v1 theo Công văn {letter} ngày {day_text(sent)}", _at(sent), by)

    # 3. Each office's reply on the date of its file.
    deadline = str(round_.get("deadline") or "")
    on_the_day_is_late = str(round_.get("deadline_rule") or "before") == "before"
    replies = sorted((m["date"], m["office"], p.name) for p in (src / "comments").iterdir()
                     if (m := _DATED.match(p.name)))
    for k, (day, office, name) in enumerate(replies):
        _copy(src, ws, f"comments/{name}")
        late = " — quá hạn" if deadline and (day > deadline or day == deadline and on_the_day_is_late) else ""
        _step(ws, f"Nhận góp ý của {names.get(office, office)} ({name}){late}", _at(day, 16, k % 50), by)

    # 4. v2 from v1, taking in the comments.
    v2 = next((r for r in _history(src).values() if r.name == "v2"), None)
    created = (v2.events[0].when if v2 and v2.events else (replies[-1][0] if replies else sent))[:10]
    _copy(src, ws, "rubric/drafts/v2.yaml")
    records = ws.history()
    if v2 is not None:
        records["v2"] = v2
    write_history(ws, records)
    _step(ws, f"Tạo dự thảo v2 từ v1: {v2.events[0].reason if v2 and v2.events else 'tiếp thu ý kiến'}",
          _at(created), by)

    # 5. The answers, office by office in the order the replies came, then the drafter's own changes.
    full, _ = read_round_trip(src / "comments" / "dispositions.yaml")
    answers = full.get("dispositions") or {}
    initiatives = list(full.get("initiatives") or [])
    offices = list(dict.fromkeys(office for _, office, _ in replies))
    done: set[str] = set()
    for k, office in enumerate(offices):
        mine = [cid for cid in answers if str(cid).split("-")[0] == office]
        if not mine:
            continue
        done.update(mine)
        _write_dispositions(ws, full, answers, done, [])
        _step(ws, f"Tiếp thu, giải trình {len(mine)} ý kiến của {names.get(office, office)}",
              _at(created, 9 + k // 6, (k % 6) * 10), by)
    if initiatives:
        _write_dispositions(ws, full, answers, set(answers), initiatives)
        _step(ws, f"Ghi {len(initiatives)} sửa đổi do {names.get(str(round_.get('drafter')), 'cơ quan soạn thảo')} "
                  "tự đề xuất", _at(created, 11), by)
    _copy(src, ws, "comments/dispositions.yaml")
    commit(ws.root, "Bảng tiếp thu, giải trình đầy đủ", by=by, when=_at(created, 11, 30))

    # 6. The tờ trình (decision.yaml holds its number and date), then the decision: v2 final, tagged.
    decision = read_yaml(src / "decision.yaml")
    proposal = decision.get("submission") or {}
    _copy(src, ws, "decision.yaml")
    day = str(proposal.get("date") or created)
    _step(ws, f"Lập tờ trình {proposal.get('number', '')} đề nghị ban hành v2".replace("  ", " "), _at(day, 10), by)
    number, signed = DECISION_NUMBER, (datetime.fromisoformat(day) + DECISION_AFTER).date().isoformat()
    finalize(ws, "v2", number, signed, when=_at(signed).replace(tzinfo=None).isoformat())
    _step(ws, f"Ban hành v2 theo Quyết định số {number} ngày {day_text(signed)}", _at(signed), by)

    # 7. The score sheets, each on its date: self-assessments, then appraisals.
    sheets = []
    for kind in ("self", "appraisal"):
        for path in sorted((src / "scores" / kind).glob("*.yaml")):
            sheets.append((str(read_yaml(path).get("date") or signed), kind, path.stem))
    for k, (day, kind, office) in enumerate(sorted(sheets)):
        _copy(src, ws, f"scores/{kind}/{office}.yaml")
        what = "phiếu tự chấm" if kind == "self" else "kết quả thẩm định"
        _step(ws, f"Nhận {what} của {names.get(office, office)}", _at(day, 15, k % 50), by)


def _drafter_clerk(src: Path) -> str:
    """"Chuyên viên" of the round's drafting office, named as offices.yaml names it."""
    code = str(read_yaml(src / "round.yaml").get("drafter") or "")
    names = {str(o["code"]): str(o["name"]) for o in read_yaml(src / "offices.yaml")["offices"]}
    return f"Chuyên viên {names.get(code, code)}".strip()


def _history(src: Path) -> dict[str, VersionRecord]:
    return Workspace(src).history()


def _write_dispositions(ws: Workspace, full, answers, keep: set[str], initiatives: list) -> None:
    tree = copy.deepcopy(full)
    for cid in [c for c in tree["dispositions"] if c not in keep]:
        del tree["dispositions"][cid]
    tree["initiatives"] = initiatives
    fileio.atomic_write(ws.comments_dir / "dispositions.yaml", dump_round_trip(tree))
