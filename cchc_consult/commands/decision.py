"""`cchc decision [set KEY VALUE]`: the blanks of decision.yaml, and filling them without an editor."""

from __future__ import annotations

from ._common import workspace_of, wrote


def register(sub) -> None:
    p = sub.add_parser("decision", help="lời văn Quyết định: xem chỗ còn trống, điền",
                       description="Không có VIỆC: liệt kê các chỗ [CẦN ĐIỀN] trong decision.yaml (publish từ chối "
                                   "khi còn). set KHÓA GIÁ_TRỊ: điền một trường, như signer.name, legal_bases.4, "
                                   "hoặc unit (tên cơ quan ban hành: mọi dòng issuer và place).")
    actions = p.add_subparsers(dest="action", metavar="VIỆC")
    s = actions.add_parser("set", help="điền một trường của decision.yaml")
    s.add_argument("key", metavar="KHÓA", help="trường cần điền, như signer.name hoặc legal_bases.4 (xem: cchc decision)")
    s.add_argument("value", metavar="GIÁ_TRỊ", help="nội dung điền vào trường đó")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..newround.decision import decision_blanks, set_decision_field

    ws = workspace_of(args)
    if getattr(args, "action", None) == "set":
        wrote(set_decision_field(ws, args.key, args.value))
    blanks = decision_blanks(ws)
    if not blanks:
        print("decision.yaml không còn chỗ [CẦN ĐIỀN].")
        return 0
    print(f"decision.yaml còn {len(blanks)} chỗ cần điền:")
    for key, value in blanks:
        print(f'  cchc decision set {key} "…"    ({value})')
    return 1 if getattr(args, "action", None) != "set" else 0
