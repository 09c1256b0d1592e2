"""`cchc init THƯ_MỤC --year NĂM`: a complete empty workspace for a new round."""

from __future__ import annotations

from ..errors import ValidationError


def register(sub) -> None:
    p = sub.add_parser("init", help="tạo thư mục làm việc mới cho một năm (đợt lấy ý kiến mới)",
                       description="Tạo rubric/drafts/, comments/, scores/, offices.yaml, round.yaml, decision.yaml, "
                                   "scores/settings.yaml và một tệp hướng dẫn từng bước. Với --from: v1 là bản "
                                   "sao bản ban hành (hoặc bản mới nhất) của năm trước, năm được đổi và liệt kê.")
    p.add_argument("folder", metavar="THƯ_MỤC", help="thư mục mới (chưa có hoặc trống)")
    p.add_argument("--year", type=int, required=True, metavar="NĂM", help="năm của bộ tiêu chí")
    p.add_argument("--unit", default="", metavar="CƠ_QUAN", help='cơ quan ban hành, như "UBND huyện TÊN"')
    p.add_argument("--from", dest="source", metavar="THƯ_MỤC_CŨ", help="thư mục làm việc năm trước")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..newround import init_workspace
    from ._common import wrote

    if not 2000 <= args.year <= 2100:
        raise ValidationError(f"--year {args.year}: không phải năm của một bộ tiêu chí", fix="viết đủ bốn chữ số, như --year 2024")

    ws, changes = init_workspace(args.folder, args.year, args.unit, args.source)
    print(f"Đã tạo thư mục làm việc năm {args.year}: {ws.root}")
    for path in sorted(p for p in ws.root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        wrote(path)
    if changes:
        print(f"Sao từ năm trước; {len(changes)} chỗ đã đổi hoặc cần xem lại — hãy kiểm tra:")
        for change in changes:
            print(f"  {change}")
    print(f"Bước tiếp theo: xem {ws.root / 'README.txt'}")
    return 0
