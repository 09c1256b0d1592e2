"""`cchc score`: score and rank the offices from their sheets; `cchc score template OFFICE`: a blank sheet."""

from __future__ import annotations

import sys

from ..render.escape import OfficeNotes
from ..vn import parse_date
from ._common import OUTPUT_RULE, warn_each, workspace_of, writable_output, write_output, wrote


def register(sub) -> None:
    p = sub.add_parser(
        "score", help="chấm điểm, thẩm định và xếp hạng các cơ quan từ phiếu chấm",
        description="Đọc mọi phiếu trong scores/ (tự chấm và thẩm định), tính điểm, chỉ số, xếp loại và "
                    "xếp hạng. Với --rubric là phiên bản khác phiên bản của phiếu: xem trước ảnh hưởng đến "
                    "điểm và hạng. Thoát 0 khi mọi phiếu hợp lệ, 1 khi có phiếu lỗi (không được chấm).")
    p.add_argument("--rubric", metavar="PHIÊN_BẢN", help="phiên bản bộ tiêu chí (mặc định: phiên bản ghi trong phiếu)")
    p.add_argument("--format", choices=("text", "json", "html", "xlsx"), default="text", help="định dạng kết quả")
    p.add_argument("-o", "--output", metavar="TỆP", help=f"ghi ra tệp thay vì màn hình (bắt buộc với xlsx); {OUTPUT_RULE}")
    actions = p.add_subparsers(dest="action", metavar="[template MÃ_CƠ_QUAN]")
    t = actions.add_parser("template", help="tạo phiếu tự chấm mẫu cho một cơ quan",
                           description="Phiếu liệt kê mọi tiêu chí lá với các mức điểm và điều kiện.")
    t.add_argument("office", metavar="MÃ_CƠ_QUAN", help="mã cơ quan (TP, VHTT, TCKH…)")
    t.add_argument("--rubric", dest="template_rubric", metavar="PHIÊN_BẢN", help="phiên bản bộ tiêu chí (mặc định: bản mới nhất)")
    t.add_argument("--to", choices=("yaml", "xlsx"), default="yaml", help="định dạng phiếu")
    t.add_argument("--kind", choices=("self", "appraisal"), default="self", help="phiếu tự chấm hay thẩm định")
    t.add_argument("--date", dest="template_date", metavar="NGÀY", help="ngày ghi sẵn trên phiếu (mặc định: để trống "
                                                                       "cho cơ quan điền; không lấy ngày của máy tính)")
    t.add_argument("-o", "--output", dest="template_output", metavar="TỆP", help=f"tệp ghi ra (mặc định: màn hình với yaml); {OUTPUT_RULE}")
    p.set_defaults(handler=run)


def run(args) -> int:
    if args.action == "template":
        return run_template(args)
    from ..score import score_sheets, sheets_version
    from ..render.score import render_html, render_impact_text, render_text, render_xlsx

    ws = workspace_of(args)
    sheets = ws.sheets()
    if not sheets:
        print(f"Chưa có phiếu chấm nào trong {ws.scores}. Tạo phiếu mẫu: cchc score template TP "
              f"-o {ws.scores}/self/TP.yaml", file=sys.stderr)
        return 1
    own_version = sheets_version(sheets)
    settings = ws.settings()
    from ..publish import issued_record

    issued = issued_record(ws.history())
    notice = ""
    if issued is not None and args.rubric is None and own_version != issued.name:
        args.rubric = issued.name  # the issued rubric is the default: preview the sheets on it
    if issued is not None and own_version == issued.name and args.rubric and args.rubric != issued.name:
        # the ranking stays on the issued rubric; only the preview is on the other version
        notice = (f"Lưu ý: bộ tiêu chí đang có hiệu lực là {issued.name} (Quyết định số {issued.decision}); "
                  f"bảng xếp hạng tính theo {issued.name}, phần xem trước bên dưới tính theo {args.rubric}, "
                  "không phải bản đã ban hành.")
    elif issued is not None and (args.rubric or own_version) != issued.name:
        notice = (f"Lưu ý: bộ tiêu chí đang có hiệu lực là {issued.name} (Quyết định số {issued.decision}); "
                  f"bảng điểm này tính theo {args.rubric or own_version}, không phải bản đã ban hành.")
    elif issued is not None and own_version and own_version != issued.name:
        notice = (f"Lưu ý: phiếu chấm ghi theo {own_version}; bộ tiêu chí đã ban hành là {issued.name} "
                  f"(Quyết định số {issued.decision}): điểm theo {issued.name} ở phần xem trước bên dưới.")
    if notice and (args.format != "text" or args.output):
        print(notice, file=sys.stderr)  # the text report carries it on its first line
    base_rubric = ws.rubric_file(own_version or args.rubric)  # frozen versions: hash checked
    report = score_sheets(base_rubric, sheets, settings)
    names = {o.code: o.name for o in ws.offices()}
    impact = None
    if args.rubric and own_version and args.rubric != own_version:
        from ..score.impact import impact_preview

        impact = impact_preview(report, ws.rubric_file(args.rubric), sheets)
    if args.format == "xlsx":
        if not args.output:
            print("Lỗi: định dạng xlsx cần -o TỆP.xlsx", file=sys.stderr)
            return 2
        from ..fileio import atomic_write

        target = writable_output(ws, args.output)
        notes = OfficeNotes("tệp Excel")
        atomic_write(target, render_xlsx(report, names, notice, notes))
        wrote(target)
        warn_each(notes.lines())
    elif args.format == "json":
        import json

        from ..score.report import report_to_json

        payload = report_to_json(report)
        if impact is not None:
            from ..score.compute import display_index

            payload["impact"] = {"rubric": impact.new_rubric.meta.version, "offices": [
                {"office": r.office, "index_before": display_index(r.before.appraised.index),
                 "index_after": display_index(r.after.appraised.index), "rank_before": r.before.rank,
                 "rank_after": r.after.rank, "class_after": r.after.klass,
                 "dropped": [{"id": i, "why": w} for i, w in r.dropped]} for r in impact.rows]}
        write_output(json.dumps(payload, ensure_ascii=False, indent=2), args.output, ws)
    elif args.format == "html":
        write_output(render_html(report, impact, names, ws.root / "templates", notice), args.output, ws)
    else:
        text = (notice + "\n\n" if notice else "") + render_text(report, names)
        if impact is not None:
            text += "\n" + render_impact_text(impact)
        write_output(text, args.output, ws)
    return 1 if report.failures else 0


def run_template(args) -> int:
    from ..fileio import atomic_write, safe_name
    from ..score.template import sheet_template_xlsx, sheet_template_yaml

    ws = workspace_of(args)
    office = safe_name(args.office)
    rubric = ws.rubric_file(args.template_rubric)
    dated = parse_date(args.template_date).isoformat() if args.template_date else None
    if args.to == "xlsx":
        target = writable_output(ws, args.template_output or f"{office}.xlsx")
        notes = OfficeNotes("tệp Excel")
        atomic_write(target, sheet_template_xlsx(rubric, office, args.kind, dated, notes=notes))
        wrote(target)
        warn_each(notes.lines())
        return 0
    write_output(sheet_template_yaml(rubric, office, args.kind, dated), args.template_output, ws)
    return 0
