"""`cchc announce --number … --date …`: the decision announcing the CCHC index results, ranking attached."""

from __future__ import annotations

import sys

from ..render.escape import OfficeNotes
from ._common import warn_each, workspace_of


def register(sub) -> None:
    p = sub.add_parser(
        "announce", help="in Quyết định công bố kết quả chỉ số CCHC, kèm bảng xếp hạng (.docx, .html, .pdf)",
        description="Quyết định công bố kết quả chỉ số cải cách hành chính theo thể thức Nghị định "
                    "30/2020/NĐ-CP, Phụ lục là bảng xếp hạng theo điểm thẩm định. Từ chối khi còn cơ quan chưa "
                    "thẩm định hoặc phiếu lỗi. Ví dụ: cchc announce --number 130/QĐ-UBND --date NGÀY/THÁNG/NĂM")
    p.add_argument("--number", required=True, metavar="SỐ", help='số quyết định, ví dụ "130/QĐ-UBND" (hoặc "130")')
    p.add_argument("--date", required=True, metavar="NGÀY", help="ngày ký: ngày/tháng/năm hoặc năm-tháng-ngày")
    p.add_argument("--signer", metavar="HỌ_TÊN", help="họ tên người ký (mặc định: theo decision.yaml)")
    p.add_argument("-o", "--output", metavar="THƯ_MỤC", help="thư mục ghi văn bản (mặc định: out/ket-qua)")
    p.add_argument("--no-pdf", action="store_true", help="không chuyển sang PDF")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..score.announce import announce

    notes = OfficeNotes("Quyết định công bố kết quả (Word, PDF)")
    files, note = announce(workspace_of(args), args.number, args.date, signer=args.signer, out_dir=args.output,
                           pdf=not args.no_pdf, notes=notes)
    print("Đã ghi Quyết định công bố kết quả chỉ số CCHC:")
    for kind, path in files.items():
        print(f"  {kind:5s} {path}")
    if note:
        print(f"  ({note})", file=sys.stderr)
    warn_each(notes.lines())
    return 0
