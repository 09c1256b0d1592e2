"""`cchc check`: the consistency findings of a rubric, as text or JSON."""

from __future__ import annotations

import json

from ._common import workspace_for_file


def register(sub) -> None:
    p = sub.add_parser("check", help="kiểm tra tính nhất quán của một bộ tiêu chí",
                       description="Kiểm tra tổng điểm, mức điểm, khoảng bao phủ, điểm trừ… "
                                   "Thoát 0 khi không có lỗi, 1 khi có lỗi, 2 khi không đọc được tệp.")
    p.add_argument("rubric", nargs="?", help="đường dẫn tệp YAML hoặc tên phiên bản (v1); mặc định bản mới nhất")
    p.add_argument("--format", choices=("text", "json"), default="text", help="định dạng kết quả")
    p.add_argument("--codes", action="store_true", help="liệt kê các mã phát hiện và ý nghĩa")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..check import CODES, check, summary
    from ..model import format_points

    if args.codes:
        for code, (severity, meaning) in CODES.items():
            print(f"{code:22s} {'lỗi' if severity == 'error' else 'cảnh báo':9s} {meaning}")
        return 0
    # A version name goes through the frozen-hash check: a changed circulated file is refused, not checked.
    ws = workspace_for_file(args, args.rubric)
    rubric = ws.rubric_file(args.rubric)
    path = ws.resolve_rubric(args.rubric)
    findings = check(rubric)
    errors, warnings = summary(findings)
    if args.format == "json":
        meta = rubric.meta
        payload = {
            "rubric": {
                "path": str(path), "title": meta.title, "year": meta.year, "version": meta.version,
                "status": meta.status, "letter": meta.letter, "letter_date": meta.letter_date,
                "declared_total": format_points(rubric.declared_total) if rubric.declared_total is not None else None,
                "computed_total": format_points(rubric.computed_total()),
                "nodes": len(rubric), "errors": errors, "warnings": warnings,
            },
            "findings": [f.as_dict() for f in findings],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(render_text(rubric, findings, str(path)))
    return 1 if errors else 0


def render_text(rubric, findings, path: str) -> str:
    from ..check import summary
    from ..model import format_points

    meta = rubric.meta
    lines = [f"{path} — {meta.title or 'Bộ tiêu chí'}"
             + (f" ({meta.version}, {meta.status})" if meta.version else ""),
             f"Tổng cộng ghi {format_points(rubric.declared_total) if rubric.declared_total is not None else '—'}"
             f" · các phần cộng lại {format_points(rubric.computed_total())} · {len(rubric)} mục", ""]
    for f in findings:
        label = "LỖI     " if f.severity == "error" else "CẢNH BÁO"
        lines.append(f"{label} {f.code:20s} {f.node:9s} {f.message}")
        if f.fix:
            lines.append(f"{'':39s}→ {f.fix}")
    errors, warnings = summary(findings)
    lines += ["", f"Kết quả: {errors} lỗi, {warnings} cảnh báo" if findings else "Kết quả: không có lỗi nào."]
    return "\n".join(lines)
