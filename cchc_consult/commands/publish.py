"""`cchc publish VERSION --number … --date …`: issue the rubric by a Quyết định (docx, html, pdf)."""

from __future__ import annotations

import argparse
import sys

from ._common import OUTPUT_RULE, output_path, warn_each, workspace_of


def register(sub) -> None:
    p = sub.add_parser(
        "publish", help="ban hành một phiên bản: đóng băng ở trạng thái đã ban hành và in Quyết định kèm Phụ lục",
        description="Kiểm tra phiên bản (từ chối khi còn lỗi, trừ khi ghi --reason), đóng băng trạng thái "
                    "đã ban hành (final) trong lịch sử, rồi in Quyết định theo thể thức Nghị định 30/2020/NĐ-CP ra "
                    ".docx, .html và .pdf (khi có LibreOffice). Lời văn lấy từ decision.yaml. "
                    "Ví dụ: cchc publish v2 --number 125/QĐ-UBND --date NGÀY/THÁNG/NĂM")
    p.add_argument("version", metavar="PHIÊN_BẢN", help="tên phiên bản, ví dụ v2")
    p.add_argument("--number", required=True, metavar="SỐ", help='số quyết định, ví dụ "125/QĐ-UBND" (hoặc "125")')
    p.add_argument("--date", required=True, metavar="NGÀY", help="ngày ký: ngày/tháng/năm hoặc năm-tháng-ngày")
    p.add_argument("--signer", metavar="HỌ_TÊN", help="họ tên người ký (mặc định: theo decision.yaml)")
    p.add_argument("--replace", metavar="LÝ_DO",
                   help="ban hành thay thế bản đã ban hành trước, với lý do; Quyết định mới ghi rõ thay thế")
    p.add_argument("--late-reason", metavar="LÝ_DO", help="lý do ký sau hạn ban hành ghi trong round.yaml")
    p.add_argument("--reason", metavar="LÝ_DO", help=argparse.SUPPRESS)  # refused, pointing to check --accept
    p.add_argument("-o", "--output", metavar="THƯ_MỤC", help=f"thư mục ghi văn bản (mặc định: out/quyet-dinh); {OUTPUT_RULE}")
    p.add_argument("--no-pdf", action="store_true", help="không chuyển sang PDF")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..errors import PublishRefusedError
    from ..publish import publish

    if args.reason is not None:
        raise PublishRefusedError(
            "không còn ban hành khi còn lỗi bằng một lý do chung (--reason)",
            fix=f"chấp nhận riêng từng lỗi muốn giữ lại, mỗi lỗi một lý do: cchc check {args.version} "
                "--accept MÃ_LỖI MÃ_TIÊU_CHÍ --reason \"lý do\", rồi chạy lại cchc publish")
    ws = workspace_of(args)
    result = publish(ws, args.version, args.number, args.date, signer=args.signer, replace=args.replace,
                     late_reason=args.late_reason, out_dir=output_path(ws, args.output) if args.output else None,
                     pdf=not args.no_pdf)
    year, month, day = (int(part) for part in str(result.date).split("-"))
    print(f"Đã ban hành {result.version} theo Quyết định số {result.number} ngày {day:02d}/{month}/{year} "
          f"(trạng thái: đã ban hành, ghi trong lịch sử).")
    if result.accepted_findings:
        print(f"Lưu ý: giữ lại {result.accepted_findings} lỗi kiểm tra đã chấp nhận từng lỗi (accepted.yaml).")
    if result.replaced:
        print(f"Quyết định này thay thế Quyết định số {result.replaced}.")
    if result.late_reason:
        print(f"Ban hành sau hạn; lý do đã ghi: {result.late_reason}")
    for kind, path in result.files.items():
        print(f"  {kind:5s} {path.resolve()}")
    if result.pdf_note:
        print(f"  ({result.pdf_note})", file=sys.stderr)
    warn_each(result.warnings)
    return 0
