"""`cchc draft circulate|new`: freeze a draft for comments, or start the next draft from a version."""

from __future__ import annotations

from ..errors import ValidationError, WorkspaceError
from ..newround.decision import decision_blanks
from ..render.escape import OfficeNotes
from ..vn import format_date_short, parse_date
from ._common import warn_each, workspace_of, wrote

#: The fields of decision.yaml the circulation letter prints: its letterhead, place and signer.
_LETTER_FIELDS = ("issuer.", "place", "signer.")


def register(sub) -> None:
    p = sub.add_parser("draft", help="đóng băng dự thảo để gửi lấy ý kiến, in lại công văn, hoặc tạo dự thảo mới",
                       description="Vòng đời phiên bản: dự thảo (sửa được) → đã gửi lấy ý kiến (đóng băng) → "
                                   "đã ban hành. Phiên bản đã đóng băng được ghi mã băm vào "
                                   "rubric/history.yaml; tệp bị sửa sau đó sẽ bị từ chối.")
    actions = p.add_subparsers(dest="action", metavar="VIỆC", required=True)
    c = actions.add_parser("circulate", help="đóng băng một dự thảo: đã gửi lấy ý kiến theo công văn",
                           description="Ghi trạng thái đã gửi lấy ý kiến (status: circulated) vào tệp, ghi mã băm, số và ngày công văn "
                                       "vào lịch sử, ghi đợt lấy ý kiến (phiên bản, công văn, hạn góp ý, hạn "
                                       "ban hành) vào round.yaml và in công văn. Ví dụ: cchc draft circulate v1 --letter SỐ/UBND "
                                       "--date NGÀY/THÁNG/NĂM --deadline NGÀY/THÁNG/NĂM "
                                       "--decision-due NGÀY/THÁNG/NĂM")
    c.add_argument("version", metavar="PHIÊN_BẢN", help="tên phiên bản, ví dụ v1")
    c.add_argument("--letter", required=True, metavar="SỐ_CÔNG_VĂN", help='số công văn gửi lấy ý kiến, ví dụ "1632/UBND"')
    c.add_argument("--date", required=True, metavar="NGÀY", help="ngày công văn: ngày/tháng/năm hoặc năm-tháng-ngày")
    c.add_argument("--deadline", metavar="NGÀY", help="hạn gửi ý kiến góp ý (công văn ghi \"trước ngày …\"); ghi vào round.yaml")
    c.add_argument("--decision-due", dest="decision_due", metavar="NGÀY",
                   help="hạn ban hành quyết định (ban hành trước ngày …); ghi vào round.yaml")
    c.add_argument("--reason", default="", metavar="GHI_CHÚ", help="ghi chú thêm vào lịch sử")
    c.add_argument("--other-year", action="store_true",
                   help="ngày trước năm của bộ tiêu chí là đúng (ví dụ dự thảo năm 2025 gửi từ tháng 12/2024)")
    c.add_argument("--no-pdf", action="store_true", help="công văn chỉ in ra Word, không chuyển sang PDF")
    c.set_defaults(handler=run_circulate)
    letter = actions.add_parser("letter", help="in lại công văn gửi lấy ý kiến của một phiên bản đã gửi",
                                description="In lại Công văn gửi lấy ý kiến kèm Phụ lục dự thảo (out/cong-van/) "
                                            "theo số, ngày công văn ghi trong lịch sử — sau khi điền decision.yaml "
                                            "(tên cơ quan, người ký). Phiên bản không thay đổi. "
                                            "Ví dụ: cchc draft letter v1")
    letter.add_argument("version", metavar="PHIÊN_BẢN", help="phiên bản đã gửi lấy ý kiến, ví dụ v1")
    letter.add_argument("--no-pdf", action="store_true", help="chỉ in ra Word và HTML, không chuyển sang PDF")
    letter.set_defaults(handler=run_letter)
    n = actions.add_parser("new", help="tạo dự thảo mới bằng cách sao một phiên bản",
                           description="Sao phiên bản nguồn (giữ nguyên chú thích) thành vN kế tiếp, trạng thái "
                                       "dự thảo. Ví dụ: cchc draft new --from v1")
    n.add_argument("--from", dest="source", required=True, metavar="PHIÊN_BẢN", help="phiên bản nguồn, ví dụ v1")
    n.add_argument("--name", metavar="TÊN", help="tên phiên bản mới (mặc định: vN kế tiếp)")
    n.add_argument("--reason", default="", metavar="GHI_CHÚ", help="ghi chú vào lịch sử")
    n.set_defaults(handler=run_new)


def run_circulate(args) -> int:
    import sys

    from ..check import check
    from ..findings import summary
    from ..circulation import letter_wording, letter_written
    from ..versions import circulate

    ws = workspace_of(args)
    _refuse_dates_of_another_year(ws, args)
    letter_wording(ws.root)  # the letter's words are checked before the draft is frozen
    before = ws.history().get(args.version)
    again = before is not None and before.status == "circulated"  # a re-run finishing what a failed run left
    record = circulate(ws, args.version, args.letter, args.date, reason=args.reason,
                       deadline=args.deadline, decision_due=args.decision_due,
                       unfinished=not letter_written(ws, args.version, args.letter))
    errors, _ = summary(check(ws.rubric(record.name)))
    print(f"{'Đã đóng băng từ trước' if again else 'Đã đóng băng'} {record.name}: đã gửi lấy ý kiến theo Công văn "
          f"{record.letter} ngày {format_date_short(parse_date(record.letter_date))}"
          + ("; ghi nốt phần lần chạy trước chưa ghi được." if again else "."))
    print(f"Mã băm SHA-256: {record.sha256}")
    _print_letter(ws, record, pdf=not args.no_pdf)
    round_ = ws.round()
    print(f"Hạn góp ý: {round_.deadline_text}"
          + (f"; hạn ban hành quyết định: trước ngày {format_date_short(round_.decision_due)}"
             if round_.decision_due else ""))
    wrote(ws.history_file)
    wrote(ws.round_file)
    if errors:
        print(f"Cảnh báo: {record.name} được gửi khi còn {errors} lỗi kiểm tra; xem: cchc check {record.name}",
              file=sys.stderr)
    if round_.deadline is None:
        print("Cảnh báo: đợt lấy ý kiến chưa có hạn góp ý; ghi hạn bằng --deadline NGÀY khi gửi, "
              "hoặc điền 'deadline:' trong round.yaml", file=sys.stderr)
    print(f"Muốn sửa tiếp: cchc draft new --from {record.name}")
    return 0


def _refuse_dates_of_another_year(ws, args) -> None:
    """Freezing is for good: a letter dated before the rubric's year (last year's command typed again) is
    refused before anything is written, unless --other-year says it is meant."""
    dates = [(option, value, parse_date(value)) for option, value in
             (("--date", args.date), ("--deadline", args.deadline), ("--decision-due", args.decision_due)) if value]
    if args.other_year:
        return
    year = ws.rubric(args.version).meta.year
    for option, value, day in dates:
        if year and day.year < year:
            raise ValidationError(f"{option} {value}: trước năm {year} của bộ tiêu chí {args.version}; "
                                  f"chưa đóng băng, chưa ghi gì", path=str(ws.version_path(args.version)),
                                  fix=f"ghi ngày của năm {year} (ví dụ {option} 26/7/{year}); nếu đúng là gửi từ năm "
                                      f"trước, thêm --other-year; nếu năm của bộ tiêu chí sai, sửa 'year:' trong tệp này")


def _print_letter(ws, record, pdf: bool) -> None:
    """Write the circulation letter of a circulated version; warn about every blank it printed."""
    import sys

    # start-up: command modules are imported for every --help
    from ..circulation import write_letter

    notes = OfficeNotes("công văn (tệp Word, PDF)")
    files, note = write_letter(ws, record.name, record.letter, record.letter_date, pdf=pdf, notes=notes)
    print("Công văn gửi lấy ý kiến (kèm Phụ lục dự thảo): " + ", ".join(str(p) for p in files.values()))
    if note:
        print(f"  ({note})", file=sys.stderr)
    warn_each(notes.lines())
    blanks = [key for key, _ in decision_blanks(ws) if key.startswith(_LETTER_FIELDS)]
    decision = ws.root / "decision.yaml"
    if any(not key.startswith("signer.") for key in blanks):
        print(f"Cảnh báo: công văn in còn chỗ [CẦN ĐIỀN] ở tên cơ quan ({decision}: "
              f"{', '.join(k for k in blanks if not k.startswith('signer.'))}); điền: "
              f'cchc decision set unit "UBND huyện …", rồi in lại: cchc draft letter {record.name}', file=sys.stderr)
    for key in (k for k in blanks if k.startswith("signer.")):
        print(f"Cảnh báo: công văn in còn chỗ [CẦN ĐIỀN] ở {key} ({decision}); điền: "
              f'cchc decision set {key} "…", rồi in lại: cchc draft letter {record.name}', file=sys.stderr)


def run_letter(args) -> int:
    ws = workspace_of(args)
    record = ws.history().get(args.version)
    if record is None or not record.letter or not record.letter_date:
        raise WorkspaceError(f"phiên bản {args.version} chưa được gửi lấy ý kiến (lịch sử không có công văn)",
                             path=str(ws.history_file),
                             fix=f"gửi trước: cchc draft circulate {args.version} --letter SỐ/UBND --date NGÀY")
    _print_letter(ws, record, pdf=not args.no_pdf)
    return 0


def run_new(args) -> int:
    from ..versions import new_draft

    ws = workspace_of(args)
    path = new_draft(ws, args.source, args.name, reason=args.reason)
    print(f"Đã tạo dự thảo {path.stem} từ {args.source}: {path.resolve()}")
    return 0

