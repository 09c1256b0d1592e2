"""`cchc check`: the consistency findings of a rubric, as text or JSON."""

from __future__ import annotations

from ..findings import CODES, CheckReport, summary
from ..history import STATUS_LABELS
from ..vcs import is_git
from ._common import workspace_for_file


def register(sub) -> None:
    p = sub.add_parser("check", help="kiểm tra tính nhất quán của một bộ tiêu chí",
                       description="Kiểm tra tổng điểm, mức điểm, khoảng bao phủ, điểm trừ… "
                                   "Thoát 0 khi không có lỗi, 1 khi có lỗi, 2 khi không đọc được tệp.")
    p.add_argument("rubric", nargs="?", metavar="PHIÊN_BẢN", help="đường dẫn tệp YAML hoặc tên phiên bản (v1); mặc định bản mới nhất")
    p.add_argument("--format", choices=("text", "json"), default="text", help="định dạng kết quả")
    p.add_argument("--codes", action="store_true",
                   help="ghi mã của từng phát hiện và, cuối danh sách, ý nghĩa các mã")
    p.add_argument("--accept", nargs=2, metavar=("MÃ_LỖI", "MÃ_TIÊU_CHÍ"),
                   help="chấp nhận giữ lại một lỗi khi ban hành (từng lỗi một, ghi vào accepted.yaml), "
                        'cần --reason, ví dụ: --accept coverage-gap I.7 --reason "lý do giữ lại"')
    p.add_argument("--reason", metavar="LÝ_DO", help="lý do chấp nhận lỗi (đi kèm --accept; được liệt kê trong tờ trình)")
    p.set_defaults(handler=run)


def run(args) -> int:
    # A version name goes through the frozen-hash check: a changed circulated file is refused, not checked.
    ws = workspace_for_file(args, args.rubric)
    if is_git(ws.root):  # only a git workspace pays for the git library
        from ..vcs.tamper import print_tampering

        if print_tampering(ws):
            return 2
    report = ws.check_report(args.rubric)
    path = ws.resolve_rubric(args.rubric)
    findings = report.findings
    version = path.stem
    if args.accept:
        from ..accepted import accept_finding

        entry = accept_finding(ws, version, args.accept[0], args.accept[1], args.reason, findings)
        print(f"Đã chấp nhận {entry.code} ở {entry.node} của {version}: {entry.reason} (ghi vào {ws.accepted_file.name})")
        return 0
    from ..accepted import split_accepted

    open_findings, kept = split_accepted(version, findings, ws.accepted())
    accepted_ids = {id(f): entry.reason for f, entry in kept}
    errors, warnings = summary(open_findings)
    if args.format == "json":
        import json

        payload = {
            "rubric": {
                "path": str(path), "title": report.title, "year": report.year, "version": report.version,
                "status": report.status, "letter": report.letter, "letter_date": report.letter_date,
                "declared_total": report.declared_total, "computed_total": report.computed_total,
                "nodes": report.nodes, "errors": errors, "warnings": warnings,
            },
            "findings": [f.as_dict() | {"accepted": id(f) in accepted_ids} for f in findings],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(render_text(report, str(path), accepted_ids, codes=args.codes))
    return 1 if errors else 0


def render_text(report: CheckReport, path: str, accepted_ids: dict[int, str] | None = None, *,
                codes: bool = False) -> str:
    """The findings as a clerk reads them; `codes` adds each finding's code and, at the end, what the codes mean."""
    accepted_ids = accepted_ids or {}
    findings = report.findings
    state = ", ".join(part for part in (report.version, STATUS_LABELS.get(report.status, report.status)) if part)
    lines = [f"{path} — {report.title or 'Bộ tiêu chí'}" + (f" ({state})" if report.version else ""),
             f"Tổng cộng ghi {report.declared_total if report.declared_total is not None else '—'}"
             f" · các phần cộng lại {report.computed_total} · {report.nodes} mục", ""]
    code_width = max((len(f.code) for f in findings), default=0) + 1 if codes else 0
    indent = 9 + code_width + 10
    for f in findings:
        label = "LỖI     " if f.severity == "error" else "CẢNH BÁO"
        if id(f) in accepted_ids:
            label = "ĐÃ CHẤP NHẬN"
        code = f"{f.code:{code_width - 1}s} " if codes else ""
        node = "tổng" if f.node == "total" else f.node  # the grand total's finding has no criterion id
        lines.append(f"{label} {code}{node:9s} {f.message}")
        if f.fix:
            lines.append(f"{'':{indent}s}→ {f.fix}")
        if id(f) in accepted_ids:
            lines.append(f"{'':{indent}s}lý do chấp nhận: {accepted_ids[id(f)]}")
    errors, warnings = summary([f for f in findings if id(f) not in accepted_ids])
    lines += ["", f"Kết quả: {errors} lỗi, {warnings} cảnh báo" if findings else "Kết quả: không có lỗi nào."]
    if accepted_ids:
        lines[-1] += f", {len(accepted_ids)} lỗi đã chấp nhận (accepted.yaml)"
    if codes and findings:
        lines += ["", "Ý nghĩa các mã:"]
        lines += [f"  {code:{code_width}s}{CODES[code][1]}" for code in dict.fromkeys(f.code for f in findings)
                  if code in CODES]
    return "\n".join(lines)
