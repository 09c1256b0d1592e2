"""`cchc comments …`: the consultation round — comment forms, reading replies, silence, answers, owners, loop."""

from __future__ import annotations

import json
import sys

from ..render.escape import OfficeNotes
from ._common import OUTPUT_RULE, warn_each, workspace_of, writable_output, wrote
from ..errors import ValidationError
from ..vn import format_points, parse_date


def register(sub) -> None:
    p = sub.add_parser("comments", help="lấy ý kiến góp ý: phiếu góp ý, đọc ý kiến, sổ theo dõi, tiếp thu",
                       description="Đợt lấy ý kiến dự thảo: tạo phiếu góp ý cho từng cơ quan, đọc và kiểm tra "
                                   "các tệp góp ý trong comments/, sổ theo dõi (cơ quan không có ý kiến được coi "
                                   "là đồng ý), ghi ý kiến tiếp thu, giải trình và đối chiếu với dự thảo mới.")
    s = p.add_subparsers(dest="comments_command", metavar="VIỆC", required=True)

    t = s.add_parser("template", help="tạo phiếu góp ý (YAML, Excel hoặc Word) cho một cơ quan",
                     description="Phiếu góp ý điền sẵn mọi tiêu chí (mã, nội dung, điểm) của bản gửi lấy ý kiến, "
                                 "đầu phiếu ghi cơ quan, phiên bản và hạn gửi; có ô 'đồng ý toàn bộ'.")
    t.add_argument("office", metavar="MÃ_CƠ_QUAN", help="mã cơ quan trong offices.yaml, như TCKH")
    t.add_argument("--to", choices=("yaml", "xlsx", "docx"), default=None,
                   help="định dạng (mặc định theo đuôi -o, không có -o thì yaml)")
    t.add_argument("-o", "--output", metavar="TỆP", help="tệp ghi ra (mặc định: in ra màn hình với yaml, "
                                                          "out/phieu-gop-y-MÃ.xlsx hoặc .docx với xlsx, docx); "
                                                          f"{OUTPUT_RULE}")
    t.set_defaults(handler=run_template)

    ls = s.add_parser("list", help="đọc và kiểm tra mọi tệp góp ý; thoát 1 khi có lỗi",
                      description="Liệt kê mọi ý kiến (khớp và chưa khớp), mọi tệp không đọc được hoặc là phiếu "
                                  "chưa điền, và mọi lỗi trong các tệp góp ý, mỗi lỗi ghi tệp và dòng. "
                                  "Thoát 0 khi không có lỗi, 1 khi có lỗi.")
    ls.add_argument("--office", metavar="MÃ", help="chỉ ý kiến của một cơ quan")
    ls.add_argument("--format", choices=("text", "json"), default="text", help="định dạng kết quả")
    ls.set_defaults(handler=run_list)

    lg = s.add_parser("ledger", help="sổ theo dõi: đúng hạn, quá hạn, không ý kiến (coi như đồng ý)",
                      description="Mỗi cơ quan được lấy ý kiến và tình trạng: có ý kiến đúng hạn, quá hạn, hoặc "
                                  "không có ý kiến — được ghi là đồng ý kể từ ngày hết hạn.")
    lg.add_argument("--as-of", metavar="NGÀY", help="tính đến ngày (mặc định hôm nay): ngày/tháng/năm hoặc năm-tháng-ngày")
    lg.set_defaults(handler=run_ledger)

    a = s.add_parser("answer", help="ghi ý kiến tiếp thu, giải trình cho một ý kiến góp ý",
                     description="Ghi vào comments/dispositions.yaml (chỉ các dòng của ý kiến này thay đổi). "
                                 "Ý kiến đã có câu trả lời: cần --replace; câu trả lời cũ (ai, lúc nào, nội "
                                 "dung, phiên bản) được giữ trong 'history'. Rút lại: cchc comments undo.")
    a.add_argument("comment_id", metavar="MÃ_Ý_KIẾN", help="như TCKH-1 (xem: cchc comments list)")
    a.add_argument("status", metavar="TRẠNG_THÁI", help="'tiếp thu', 'tiếp thu một phần' hoặc 'không tiếp thu'")
    a.add_argument("--reason", default="", metavar="LÝ_DO", help="lý do (bắt buộc trừ khi tiếp thu)")
    a.add_argument("--version", default="", metavar="PHIÊN_BẢN", help="dự thảo đã sửa theo ý kiến, như v2")
    a.add_argument("--replace", action="store_true", help="thay câu trả lời đã có (câu cũ giữ trong lịch sử)")
    a.add_argument("--by", metavar="TÊN", help="người trả lời (mặc định: tên đăng nhập máy tính)")
    a.set_defaults(handler=run_answer)

    u = s.add_parser("undo", help="rút lại câu trả lời cuối cùng (khôi phục câu trước đó)",
                     description="Rút lại câu trả lời mới nhất (hoặc của MÃ_Ý_KIẾN): câu trả lời trước đó được "
                                 "khôi phục, không còn câu nào thì ý kiến trở lại 'chưa trả lời'. Việc rút lại "
                                 "cũng được ghi vào 'history'.")
    u.add_argument("comment_id", nargs="?", metavar="MÃ_Ý_KIẾN", help="chỉ rút lại câu trả lời của ý kiến này")
    u.add_argument("--by", metavar="TÊN", help="người rút lại (mặc định: tên đăng nhập máy tính)")
    u.set_defaults(handler=run_undo)

    r = s.add_parser("resolve", help="ghi cơ quan soạn thảo đã xử lý một tệp không đọc được hoặc ghi sai cơ quan",
                     description="Tệp không đọc được (ảnh chụp, .doc khi chưa có LibreOffice…) giữ cơ quan ở "
                                 "tình trạng 'đã gửi, chưa đọc được' — không bao giờ được coi là đồng ý. Sau khi "
                                 "nhập nội dung vào phiếu (hoặc xác định tệp không phải ý kiến góp ý), ghi lại "
                                 "cách xử lý vào 'files' của comments/dispositions.yaml bằng lệnh này.")
    r.add_argument("file", metavar="TỆP", help="đường dẫn tệp trong comments/, như TCKH/cong-van.pdf")
    r.add_argument("--note", required=True, metavar="GHI_CHÚ",
                   help="đã xử lý thế nào, như 'Đã nhập nội dung vào phiếu TCKH.yaml'")
    r.add_argument("--by", metavar="TÊN", help="người xử lý (mặc định: tên đăng nhập máy tính)")
    r.set_defaults(handler=run_resolve)

    i = s.add_parser("initiative", help="ghi một sửa đổi là đề xuất của chính cơ quan soạn thảo",
                     description="Sửa đổi không xuất phát từ ý kiến góp ý nào (ghi vào initiatives trong "
                                 "dispositions.yaml), để khi đối chiếu không bị coi là thiếu căn cứ.")
    i.add_argument("criterion", metavar="MÃ_TIÊU_CHÍ", help="tiêu chí được sửa, như II.6.3")
    i.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do sửa đổi")
    i.set_defaults(handler=run_initiative)

    o = s.add_parser("owners", help="cơ quan sở hữu từng tiêu chí: xem đề xuất, xác nhận",
                     description="Cơ quan theo dõi/thẩm định từng tiêu chí, đề xuất từ cột tài liệu kiểm chứng. "
                                 "--confirm ghi xác nhận vào round.yaml.")
    o.add_argument("--confirm", nargs="*", metavar="MÃ_TIÊU_CHÍ", help="xác nhận các tiêu chí này "
                                                                       "(không ghi mã: xác nhận tất cả đề xuất)")
    o.add_argument("--office", metavar="MÃ", help="đặt cơ quan sở hữu khác với đề xuất (dùng với --confirm)")
    o.set_defaults(handler=run_owners)

    lp = s.add_parser("loop", help="đối chiếu ý kiến tiếp thu với dự thảo mới; thoát 1 khi có phát hiện",
                      description="So bản gửi lấy ý kiến với dự thảo mới: ý kiến đã tiếp thu mà tiêu chí không "
                                  "đổi, ý kiến không tiếp thu mà tiêu chí đã đổi, thay đổi không có căn cứ.")
    lp.add_argument("next", nargs="?", metavar="PHIÊN_BẢN", help="dự thảo mới (mặc định: bản mới nhất)")
    lp.set_defaults(handler=run_loop)


def run_template(args) -> int:

    from ..consult.template import check_office, comment_template_docx, comment_template_xlsx, comment_template_yaml
    from ..fileio import atomic_write

    ws = workspace_of(args)
    offices = ws.offices()
    office = check_office(args.office, offices)
    round_ = ws.round(offices)
    rubric = ws.round_rubric(round_)  # the circulated version, hash-checked: offices comment on what was sent
    suffix = args.output.rsplit(".", 1)[-1].lower() if args.output and "." in args.output else ""
    fmt = args.to or (suffix if suffix in ("xlsx", "docx") else "yaml")
    if fmt in ("xlsx", "docx"):
        make = comment_template_xlsx if fmt == "xlsx" else comment_template_docx
        target = writable_output(ws, args.output or ws.output / f"phieu-gop-y-{office.code}.{fmt}")
        notes = OfficeNotes("tệp Excel" if fmt == "xlsx" else "tệp Word")
        atomic_write(target, make(rubric, round_, office, notes))
        wrote(target)
        warn_each(notes.lines())
        return 0
    text = comment_template_yaml(rubric, round_, office)
    if args.output:
        target = writable_output(ws, args.output)
        atomic_write(target, text)
        wrote(target)
    else:
        sys.stdout.write(text)
    return 0


def _comment_dict(c, answer) -> dict:

    return {"id": c.id, "key": c.key, "office": c.office, "criterion": c.criterion,
            "criterion_written": c.criterion_written, "file": c.source, "kind": c.kind, "comment": c.text,
            "proposal": c.proposal,
            "proposed_points": format_points(c.proposed_points) if c.proposed_points is not None else
            (c.proposed_points_text or None),
            "received": c.received.isoformat() if c.received else None, "late": c.late,
            "matched": c.matched, "errors": c.errors, "superseded_by": c.superseded_by or None,
            "impact": c.impact or None, "source": c.source, "line": c.line,
            "extra": [{"column": label, "text": text} for label, text in c.extra],
            "status": answer.status if answer is not None else ("thay bằng ý kiến sau" if c.superseded_by
                                                                 else "chưa trả lời"),
            "reason": answer.reason if answer is not None else ""}


def _file_dict(f) -> dict:
    """One reply file as data: whose it is, whether it was read, blank or counted, and why not."""
    state = ("không đọc được" if not f.readable else "phiếu chưa điền" if f.blank
             else "cần kiểm tra" if not f.addressed else "đã đọc")
    return {"file": f.path, "office": f.office, "filename_office": f.filename_office,
            "declared_office": f.declared_office, "state": state, "readable": f.readable, "blank": f.blank,
            "addressed": f.addressed, "agree_all": f.agree_all,
            "date_sent": f.reply_date.isoformat() if f.reply_date else None, "late": f.late,
            "comments": len(f.comments) if f.readable else 0,
            "reason": str(f.reason) if f.reason is not None else ""}


def run_list(args) -> int:
    from ..vn import format_date_short

    ws = workspace_of(args)
    office = None
    if args.office:
        from ..consult.template import check_office

        office = check_office(args.office, ws.offices()).code  # an unknown code is an error, not "0 ý kiến"
    cs = ws.consultation()
    comments = [c for c in cs.comments.comments if office is None or c.office == office]
    errors = cs.comments.errors + cs.dispositions.errors
    answers = cs.dispositions.items
    files = [f for f in cs.comments.files if office is None or office in (f.office, f.filename_office)]
    if args.format == "json":
        print(json.dumps({"comments": [_comment_dict(c, answers.get(c.id)) for c in comments],
                          "files": [_file_dict(f) for f in files],
                          "errors": [str(e) for e in errors],
                          "warnings": [str(w) for w in cs.comments.warnings]}, ensure_ascii=False, indent=2))
        return 1 if errors else 0
    for c in comments:
        flags = []
        if not c.matched:
            flags.append("CHƯA KHỚP")
        if c.late:
            flags.append("QUÁ HẠN")
        if c.superseded_by:
            flags.append(f"thay bằng {c.superseded_by}")
        d = answers.get(c.id)
        if d is not None or not c.superseded_by:
            flags.append(d.status if d else "chưa trả lời")
        text = c.text or f"(để trống) đề xuất: {c.proposal or '—'}"
        print(f"{c.id:10s} {c.criterion_label:16s} {c.kind:9s} {format_date_short(c.received):10s} "
              f"[{'; '.join(flags)}]  {text}")
        if c.impact:
            print(f"{'':12s}→ điểm: {c.impact}")
        for label, extra in c.extra:  # the office's own extra columns, as it wrote them
            print(f"{'':12s}{label}: {extra}")
    for f in files:
        if not f.readable:
            reason = f.reason.message + (f" → Cách sửa: {f.reason.fix}" if f.reason.fix else "") if f.reason else ""
            print(f"KHÔNG ĐỌC ĐƯỢC {f.path} ({f.office or 'không rõ cơ quan'}): {reason} — cơ quan chưa được "
                  "coi là đồng ý; đã xử lý thì ghi: cchc comments resolve TỆP --note \"…\"")
        elif f.blank and f.addressed:
            print(f"PHIẾU CHƯA ĐIỀN {f.path} ({f.office}): không có ý kiến, không ghi đồng ý toàn bộ — chưa "
                  "phải là ý kiến trả lời")
    for w in cs.comments.warnings:
        print(f"CẢNH BÁO {w}")
    for e in errors:
        print(f"LỖI     {e}")
    print(f"\n{len(comments)} ý kiến trong {len(cs.comments.files)} tệp; "
          f"{sum(1 for c in comments if not c.matched)} chưa khớp; {len(errors)} lỗi.")
    return 1 if errors else 0


def _as_of(text):
    import datetime as dt


    if not text:
        return dt.date.today()
    try:
        return parse_date(text)
    except ValidationError as exc:
        raise ValidationError(f"--as-of: {exc.message}", fix=exc.fix) from None


def run_ledger(args) -> int:
    from ..vn import format_date_short

    cs = workspace_of(args).consultation()
    as_of = _as_of(args.as_of)
    print(f"Hạn góp ý: {cs.round.deadline_text}; tính đến ngày {format_date_short(as_of)}")
    for entry in cs.ledger(as_of):
        print(f"- {entry.describe()}" + (f" — {entry.comments} ý kiến" if entry.comments else ""))
        for note in entry.notes:
            print(f"    {note}")
    return 0


def run_answer(args) -> int:
    from ..consult.dispositions import set_disposition

    ws = workspace_of(args)
    d = set_disposition(ws, args.comment_id, args.status, args.reason, args.version, replace=args.replace,
                        by=args.by)
    from ..consult.dispositions import dispositions_path

    print(f"Đã ghi: {d.comment_id} — {d.describe()}")
    wrote(dispositions_path(ws))
    return 0


def run_undo(args) -> int:
    from ..consult.dispositions import undo_disposition

    done = undo_disposition(workspace_of(args), args.comment_id, by=args.by)
    print(f"Đã rút lại: {done.comment_id} — {done.taken_back.describe()}")
    print(f"Khôi phục: {done.restored.describe()}" if done.restored else
          f"{done.comment_id} trở lại chưa có ý kiến xử lý.")
    return 0


def run_resolve(args) -> int:
    from ..consult.dispositions import dispositions_path, resolve_file

    ws = workspace_of(args)
    name = resolve_file(ws, args.file, args.note, by=args.by)
    print(f"Đã ghi cách xử lý tệp {name}: {args.note.strip()}")
    wrote(dispositions_path(ws))
    return 0


def run_initiative(args) -> int:
    from ..consult.dispositions import add_initiative

    from ..consult.dispositions import dispositions_path

    ws = workspace_of(args)
    item = add_initiative(ws, args.criterion, args.reason)
    print(f"Đã ghi đề xuất của cơ quan soạn thảo: {item.criterion} — {item.reason}")
    wrote(dispositions_path(ws))
    return 0


def run_owners(args) -> int:
    from ..consult.round import confirm_owners, effective_owners

    ws = workspace_of(args)
    offices = ws.offices()
    round_ = ws.round(offices)
    rubric = ws.round_rubric(round_)
    if args.confirm is not None:
        done = confirm_owners(ws, rubric, args.confirm or None, args.office)
        print(f"Đã xác nhận {len(done)} tiêu chí trong {ws.round_file}")
        return 0
    names = {o.code: o.name for o in offices}
    owners = effective_owners(round_, rubric, offices)
    for node in rubric.walk():
        o = owners.get(node.id)
        if o:
            state = "đã xác nhận" if o.confirmed else "đề xuất, chờ xác nhận"
            print(f"{node.id:10s} {o.office:7s} {names.get(o.office, o.office)} ({state})")
    return 0


def run_loop(args) -> int:
    from ..consult.loop import close_loop_for

    ws = workspace_of(args)
    cs = ws.consultation()
    path = ws.resolve_rubric(args.next)
    new = ws.rubric_file(args.next)
    name = new.meta.version or path.stem
    if name == cs.round.version:
        print(f"{name} là bản gửi lấy ý kiến; hãy chỉ ra dự thảo mới (như v2)", file=sys.stderr)
        return 2
    findings = close_loop_for(cs, new, name)
    for f in findings:
        print(f"{f.code:20s} {f.message}")
    print(f"\nĐối chiếu {cs.round.version} → {name}: {len(findings)} phát hiện." if findings
          else f"Đối chiếu {cs.round.version} → {name}: khớp, không có phát hiện nào.")
    return 1 if findings else 0
