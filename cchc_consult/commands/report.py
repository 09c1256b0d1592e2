"""`cchc report feedback`: the "Bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý" in HTML, Markdown or Word."""

from __future__ import annotations

import sys

from ..render.escape import OfficeNotes
from ._common import OUTPUT_RULE, warn_each, workspace_of, writable_output
from ..history import natural_key
from ..vn import nfc


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
    f.add_argument("--date", "--as-of", dest="date", metavar="NGÀY",
                   help="ngày lập bảng (sổ theo dõi tính đến ngày này); mặc định report.date trong "
                        "comments/dispositions.yaml — không bao giờ lấy ngày của máy tính")
    f.add_argument("--next", metavar="PHIÊN_BẢN", help="dự thảo sau tiếp thu để nêu rõ đã sửa gì, ở đâu "
                                                       "(mặc định: bản mới nhất sau bản gửi lấy ý kiến)")
    f.add_argument("--submission", metavar="SỐ", help="số Tờ trình kèm theo, như 95/TTr-NV (lưu vào submission.number "
                                                       "của decision.yaml, nơi cchc submit và publish đọc)")
    f.add_argument("--submission-date", metavar="NGÀY", help="ngày Tờ trình (lưu vào submission.date của decision.yaml)")
    f.add_argument("--signer", metavar="HỌ_TÊN", help="họ tên người ký tờ trình và bảng (lưu vào submission.signer.name "
                                                      "của decision.yaml; mặc định report.signer.name)")
    f.add_argument("--signer-title", metavar="CHỨC_VỤ", help="chức vụ người ký, như TRƯỞNG PHÒNG "
                                                             "(lưu vào submission.signer.title của decision.yaml)")
    f.add_argument("--draft", action="store_true", help="bản nháp: vẫn lập khi thiếu số, ngày tờ trình hoặc "
                                                        "người ký (các dòng đó được bỏ trống, có cảnh báo)")
    f.set_defaults(handler=run_feedback)


def _next_rubric(ws, consultation, spec):
    """The draft that followed the circulated one: the one named, else the newest after it (None: none yet)."""
    circulated = consultation.round.version
    if spec is None:
        later = [v for v in ws.versions() if natural_key(v) > natural_key(circulated)]
        if not later:
            return None
        spec = later[-1]
    return ws.rubric_file(spec)


#: The command line's tờ trình fields and where decision.yaml keeps them (`submit` and `publish` read them there).
SAVED_FIELDS = (("submission", "submission.number", "số"), ("submission_date", "submission.date", "ngày"),
                ("signer", "submission.signer.name", "người ký"), ("signer_title", "submission.signer.title",
                                                                    "chức vụ người ký"))


def _save_submission(ws, args) -> None:
    """Store the tờ trình fields given on the command line in decision.yaml `submission:`, all in one write."""
    # start-up: command modules are imported for every --help
    from ..newround.decision import set_decision_fields

    given = [(key, nfc(getattr(args, attr)).strip(), what) for attr, key, what in SAVED_FIELDS
             if getattr(args, attr) and nfc(getattr(args, attr)).strip()]
    if not given:
        return
    path = set_decision_fields(ws, [(key, value) for key, value, _ in given])
    print(f"Đã lưu vào {path.resolve()} (submission:): "
          + "; ".join(f"{what} {value} ({key})" for key, value, what in given)
          + " — cchc submit và cchc publish dùng các giá trị này.", file=sys.stderr)


def run_feedback(args) -> int:
    from ..consult.feedback import build_feedback, paper_data
    from ..consult.loop import close_loop_for
    from ..errors import ValidationError
    from ..fileio import atomic_write
    from ..render.feedback import render_feedback_html, render_feedback_markdown
    from .comments import _as_of

    fmt = args.to
    if fmt is None:
        suffix = (args.output or "").rsplit(".", 1)[-1].lower() if args.output and "." in args.output else ""
        fmt = {"md": "md", "markdown": "md", "docx": "docx", "htm": "html", "html": "html"}.get(suffix, "html")
    if fmt == "docx" and not args.output:
        raise ValidationError("báo cáo Word cần tên tệp", fix="thêm -o bang-tong-hop.docx")
    ws = workspace_of(args)
    consultation = ws.consultation()
    new = _next_rubric(ws, consultation, args.next)
    findings = []
    if new is not None:
        findings = [f"đối chiếu với {new.meta.version or args.next}: {f.message}"
                    for f in close_loop_for(consultation, new, new.meta.version or "")]
    date = _as_of(args.date) if args.date else None
    _save_submission(ws, args)  # before the paper: a refusal below must not lose what was typed
    try:
        decision = ws.decision()
    except Exception:  # a broken decision.yaml is publish's business; the table then names no place
        decision = None
    place = decision.place if decision is not None else ""
    data, warnings = paper_data(consultation.dispositions.report, decision)
    for warning in warnings:
        print(f"CẢNH BÁO {warning}", file=sys.stderr)
    report = build_feedback(consultation, date, findings, next_rubric=new, place=place, data=data)
    for problem in report.problems:
        print(f"CẢNH BÁO {problem}", file=sys.stderr)
    if report.missing:
        what = "; ".join(report.missing)
        if not args.draft:
            raise ValidationError(f"bảng tổng hợp chưa đủ thông tin để trình ký: thiếu {what}",
                                  path=str(consultation.dispositions.source),
                                  fix="thêm --submission SỐ --submission-date NGÀY --signer \"HỌ TÊN\" (được lưu "
                                      "vào 'submission:' của decision.yaml), --date NGÀY hoặc report.date trong "
                                      "comments/dispositions.yaml cho ngày lập bảng (xem docs/consultation.md); "
                                      "hoặc lập bản nháp với --draft")
        print(f"CẢNH BÁO bản nháp: thiếu {what} — các dòng đó được bỏ trống", file=sys.stderr)
    notes = OfficeNotes("tệp Word")
    if fmt == "docx":
        from ..render.feedback_docx import feedback_docx

        target = writable_output(ws, args.output)
        atomic_write(target, feedback_docx(report, notes))
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
    warn_each(notes.lines())
    return 0
