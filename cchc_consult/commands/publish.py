"""`cchc publish VERSION --number … --date …`: issue the rubric by a Quyết định (docx, html, pdf)."""

from __future__ import annotations

import sys

from ._common import OUTPUT_RULE, output_path, workspace_of


def register(sub) -> None:
    p = sub.add_parser(
        "publish", help="ban hành một phiên bản: đóng băng 'final' và in Quyết định kèm Phụ lục",
        description="Kiểm tra phiên bản (từ chối khi còn lỗi, trừ khi ghi --reason), đóng băng trạng thái "
                    "'final' trong lịch sử, rồi in Quyết định theo thể thức Nghị định 30/2020/NĐ-CP ra "
                    ".docx, .html và .pdf (khi có LibreOffice). Lời văn lấy từ decision.yaml. "
                    "Ví dụ: cchc publish v2 --number 125/QĐ-UBND --date NGÀY/THÁNG/NĂM")
    p.add_argument("version", help="tên phiên bản, ví dụ v2")
    p.add_argument("--number", required=True, help='số quyết định, ví dụ "125/QĐ-UBND" (hoặc "125")')
    p.add_argument("--date", required=True, help="ngày ký: ngày/tháng/năm hoặc năm-tháng-ngày")
    p.add_argument("--signer", help="họ tên người ký (mặc định: theo decision.yaml)")
    p.add_argument("--reason", help="lý do ban hành dù còn lỗi kiểm tra; được ghi vào lịch sử")
    p.add_argument("-o", "--output", help=f"thư mục ghi văn bản (mặc định: out/quyet-dinh); {OUTPUT_RULE}")
    p.add_argument("--no-pdf", action="store_true", help="không chuyển sang PDF")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..publish import publish

    from ..versions import decision_due_warning

    ws = workspace_of(args)
    result = publish(ws, args.version, args.number, args.date, signer=args.signer, reason=args.reason,
                     out_dir=output_path(ws, args.output) if args.output else None, pdf=not args.no_pdf)
    year, month, day = (int(part) for part in str(result.date).split("-"))
    print(f"Đã ban hành {result.version} theo Quyết định số {result.number} ngày {day:02d}/{month}/{year} "
          f"(trạng thái: đã ban hành, ghi trong lịch sử).")
    if result.error_findings:
        print(f"Lưu ý: ban hành khi còn {result.error_findings} lỗi kiểm tra; lý do đã ghi: {result.reason}")
    for kind, path in result.files.items():
        print(f"  {kind:5s} {path.resolve()}")
    warning = decision_due_warning(ws, result.date)
    if warning:
        print(f"Cảnh báo: {warning}", file=sys.stderr)
    if result.pdf_note:
        print(f"  ({result.pdf_note})", file=sys.stderr)
    return 0
