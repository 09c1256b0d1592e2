"""`cchc report feedback`: the "Bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý" in HTML, Markdown or Word."""

from __future__ import annotations

import sys

from ._common import OUTPUT_RULE, workspace_of, writable_output


def register(sub) -> None:
    p = sub.add_parser("report", help="lập báo cáo (bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý)",
                       description="Các báo cáo của đợt lấy ý kiến.")
    s = p.add_subparsers(dest="report_command", metavar="BÁO_CÁO", required=True)
    f = s.add_parser("feedback", help="bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý",
                     description="Tổng hợp: số cơ quan được lấy ý kiến, đúng hạn, quá hạn, không ý kiến (coi như "
                                 "đồng ý); bảng theo tiêu chí (STT | cơ quan góp ý | tiêu chí | nội dung góp ý | "
                                 "ý kiến tiếp thu, giải trình); ý kiến chưa khớp; sổ theo dõi từng cơ quan.")
    f.add_argument("--to", choices=("html", "md", "docx"), default=None,
                   help="định dạng (mặc định theo đuôi tệp -o, không có thì html)")
    f.add_argument("-o", "--output", metavar="TỆP", help="tệp ghi ra (bắt buộc với docx; html/md không có -o "
                                                          f"thì in ra màn hình); {OUTPUT_RULE}")
    f.add_argument("--as-of", metavar="NGÀY", help="tính sổ theo dõi đến ngày (mặc định hôm nay)")
    f.add_argument("--next", metavar="PHIÊN_BẢN", help="đối chiếu với dự thảo mới (như v2) và ghi các phát hiện")
    f.set_defaults(handler=run_feedback)


def run_feedback(args) -> int:
    from ..consult.feedback import build_feedback
    from ..render.feedback import render_feedback_html, render_feedback_markdown
    from ..errors import ValidationError
    from ..fileio import atomic_write
    from .comments import _as_of

    fmt = args.to
    if fmt is None:
        suffix = (args.output or "").rsplit(".", 1)[-1].lower() if args.output and "." in args.output else ""
        fmt = {"md": "md", "markdown": "md", "docx": "docx", "htm": "html", "html": "html"}.get(suffix, "html")
    if fmt == "docx" and not args.output:
        raise ValidationError("báo cáo Word cần tên tệp", fix="thêm -o bang-tong-hop.docx")
    ws = workspace_of(args)
    consultation = ws.consultation()
    findings: list[str] = []
    if args.next:
        from ..consult.loop import close_loop_for

        path = ws.resolve_rubric(args.next)
        new = ws.rubric_file(args.next)
        findings = [f.message for f in close_loop_for(consultation, new, new.meta.version or path.stem)]
    report = build_feedback(consultation, _as_of(args.as_of), findings)
    if fmt == "docx":
        from ..render.feedback_docx import feedback_docx

        target = writable_output(ws, args.output)
        atomic_write(target, feedback_docx(report))
    else:
        render = render_feedback_html if fmt == "html" else render_feedback_markdown
        text = render(report, ws.root / "templates")
        if not args.output:
            sys.stdout.write(text)
            return 0
        target = writable_output(ws, args.output)
        atomic_write(target, text)
    n = report.counts
    print(f"Đã ghi {target.resolve()}: {n['comments']} ý kiến ({n['matched']} khớp tiêu chí, {n['unmatched']} chưa khớp) "
          f"của {n['on_time'] + n['late']} cơ quan; {n['silent']} cơ quan không có ý kiến được coi là đồng ý.",
          file=sys.stderr)
    return 0
