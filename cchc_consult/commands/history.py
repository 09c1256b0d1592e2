"""`cchc history`: the versions of the rubric with their status, dates, totals and findings."""

from __future__ import annotations

import json
import sys

from ..vcs import is_git
from ._common import workspace_of
from ..history import STATUS_LABELS
from ..vn import format_date_short, format_points, parse_date


def register(sub) -> None:
    p = sub.add_parser("history", help="liệt kê các phiên bản: trạng thái, ngày, tổng điểm, số lỗi",
                       description="Mỗi phiên bản trong rubric/drafts/: trạng thái, công văn/quyết định và ngày, "
                                   "tổng cộng ghi và tổng các phần cộng lại, số lỗi/cảnh báo của cchc check. "
                                   "Phiên bản đã đóng băng mà tệp bị sửa được đánh dấu.")
    p.add_argument("--format", choices=("text", "json"), default="text", help="định dạng kết quả")
    p.add_argument("--repair", action="store_true",
                   help="sửa những chỗ tệp và lịch sử không khớp mà có thể chứng minh cách sửa "
                        "(lệnh gửi/ban hành/tạo dự thảo bị ngắt giữa chừng, dự thảo mồ côi)")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..versions import history

    ws = workspace_of(args)
    if args.repair:
        from ..versions import repair

        fixes = repair(ws)
        for line in fixes:
            print(f"Đã sửa {line}", file=sys.stderr)
        if not fixes:
            print("Không có chỗ nào cần sửa (hoặc không chứng minh được cách sửa).", file=sys.stderr)
    infos = history(ws)
    if args.format == "json":
        print(json.dumps([as_dict(i) for i in infos], ensure_ascii=False, indent=2))
    else:
        print(render_text(infos))
    # A frozen version changed on disk is refused like everywhere else: listed, never read, exit 2.
    broken = [i for i in infos if i.intact is False]
    for info in broken:
        if not info.remedy:  # a cut-short freeze is reported below, with its repair
            print(f"Lỗi: {info.refusal}", file=sys.stderr)
    # A change cut short (file and history disagree) is a finding: exit 1, with the fix when it is provable.
    for info in infos:
        if info.orphan and not info.disagreement:
            print(f"GHI CHÚ {info.name}: dự thảo mồ côi, chưa có trong lịch sử → cchc history --repair "
                  "để ghi vào lịch sử", file=sys.stderr)
    disagreeing = [i for i in infos if i.disagreement]
    for info in disagreeing:
        how = (f" → chạy: cchc history --repair ({info.remedy})" if info.remedy
               else " → không tự sửa được: đối chiếu tệp với bản sao lưu")
        print(f"KHÔNG KHỚP {info.name}: {info.disagreement}{how}", file=sys.stderr)
    tampered = False
    if is_git(ws.root):  # only a git workspace pays for the git library
        from ..vcs.tamper import git_history_lines, print_tampering

        if args.format == "text":
            lines = git_history_lines(ws)
            if lines:
                print("\nTrong lịch sử git (cchc log để xem từng lần ghi):")
                print("\n".join(f"  {line}" for line in lines))
        tampered = print_tampering(ws)
    return 2 if tampered or [i for i in broken if not i.remedy] else 1 if disagreeing else 0


def as_dict(info) -> dict:

    r = info.record
    return {
        "name": r.name, "status": r.status, "path": str(info.path), "exists": info.exists, "intact": info.intact,
        "sha256": r.sha256, "letter": r.letter, "letter_date": r.letter_date, "decision": r.decision,
        "decision_date": r.decision_date, "created_from": r.created_from,
        "declared_total": format_points(info.declared_total) if info.declared_total is not None else None,
        "computed_total": format_points(info.computed_total) if info.computed_total is not None else None,
        "errors": info.errors, "warnings": info.warnings, "problem": info.problem,
        "disagreement": info.disagreement, "remedy": info.remedy, "orphan": info.orphan,
        "events": [{"what": e.what, "when": e.when, "reason": e.reason} for e in r.events],
    }


def render_text(infos) -> str:

    if not infos:
        return "Chưa có phiên bản nào trong rubric/drafts/."
    header = ("Phiên bản", "Trạng thái", "Văn bản", "Ngày", "Tổng ghi", "Cộng lại", "Lỗi", "Cảnh báo", "Từ")
    rows = []
    for i in infos:
        r = i.record
        paper, day = (r.decision, r.decision_date) if r.status == "final" else (r.letter, r.letter_date)
        status = STATUS_LABELS.get(r.status, r.status)
        if i.intact is False:
            status += " (TỆP BỊ SỬA)"
        rows.append((r.name, status, paper or "—", format_date_short(parse_date(day)) if day else "—",
                     format_points(i.declared_total) if i.declared_total is not None else "—",
                     format_points(i.computed_total) if i.computed_total is not None else "—",
                     str(i.errors) if i.exists and not i.problem else "—",
                     str(i.warnings) if i.exists and not i.problem else "—", r.created_from or "—"))
    widths = [max(len(str(row[k])) for row in [header, *rows]) for k in range(len(header))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("─" * w for w in widths))
    for i in infos:
        if i.problem:
            lines.append(f"! {i.name}: {i.problem}")
    return "\n".join(lines)
