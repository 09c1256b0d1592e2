"""`cchc submit VERSION`: the tờ trình asking the Chairman to issue a version (Word, PDF)."""

from __future__ import annotations

import sys

from ._common import workspace_of


def register(sub) -> None:
    p = sub.add_parser(
        "submit", help="in tờ trình đề nghị Chủ tịch ban hành một phiên bản (.docx, .html, .pdf)",
        description="Tờ trình của cơ quan soạn thảo: đã lấy ý kiến những cơ quan nào, bao nhiêu cơ quan trả lời, "
                    "tiếp thu bao nhiêu ý kiến, các sửa đổi tự đề xuất, các lỗi kiểm tra được chấp nhận giữ lại "
                    "(accepted.yaml) và đề nghị ban hành. Số, ngày tờ trình lấy từ mục submission của "
                    "decision.yaml; thiếu số, ngày hoặc người ký thì từ chối (--draft: bản nháp để trống). "
                    "Ví dụ: cchc submit v2")
    p.add_argument("version", metavar="PHIÊN_BẢN", help="phiên bản trình ban hành, ví dụ v2")
    p.add_argument("--signer", default="", metavar="HỌ_TÊN",
                   help="họ tên người ký tờ trình (mặc định: submission.signer.name trong decision.yaml, không "
                        "thì người ký bảng tổng hợp, report.signer trong comments/dispositions.yaml)")
    p.add_argument("-o", "--output", metavar="THƯ_MỤC", help="thư mục ghi văn bản (mặc định: out/to-trinh)")
    p.add_argument("--no-pdf", action="store_true", help="không chuyển sang PDF")
    p.add_argument("--draft", action="store_true", help="bản nháp: vẫn in khi thiếu số, ngày tờ trình hoặc người ký "
                                                        "(các dòng đó để trống, có cảnh báo)")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..submission import write_submission

    ws = workspace_of(args)
    ws.rubric(args.version)  # the version must exist (and be intact when frozen)
    files, note, missing = write_submission(ws, args.version, args.output, signer_name=args.signer,
                                            pdf=not args.no_pdf, draft=args.draft)
    if missing:
        print(f"CẢNH BÁO bản nháp: thiếu {'; '.join(missing)} — các dòng đó để trống, chưa trình ký được",
              file=sys.stderr)
    print(f"Đã ghi tờ trình đề nghị ban hành {args.version}:")
    for kind, path in files.items():
        print(f"  {kind:5s} {path}")
    if note:
        print(f"  ({note})", file=sys.stderr)
    return 0
