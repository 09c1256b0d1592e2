"""`cchc export`: a rubric as the appendix table in Word (.docx), HTML or Markdown."""

from __future__ import annotations

from ..render.escape import OfficeNotes

FORMATS = ("docx", "html", "md")
_BY_SUFFIX = {".docx": "docx", ".html": "html", ".htm": "html", ".md": "md"}


def register(sub) -> None:
    p = sub.add_parser("export", help="xuất bộ tiêu chí thành bảng Phụ lục: Word (.docx), HTML hoặc Markdown",
                       description="Bảng TT | Nội dung | Điểm chuẩn | Tài liệu kiểm chứng, dấu phẩy thập phân, "
                                   "mục in đậm, mức điểm thụt lề, dòng tổng cộng cuối bảng; Word: A4 đứng, "
                                   "Times New Roman 13.")
    p.add_argument("rubric", nargs="?", metavar="PHIÊN_BẢN", help="tệp YAML hoặc tên phiên bản (v1); mặc định bản mới nhất")
    p.add_argument("--to", choices=FORMATS, help="định dạng; mặc định theo đuôi tệp -o")
    p.add_argument("-o", "--output", metavar="TỆP",
                   help="tệp sẽ ghi (bắt buộc với docx; với html/md bỏ trống thì in ra màn hình); "
                        "đường dẫn tương đối tính từ thư mục làm việc")
    p.set_defaults(handler=run)


def run(args) -> int:
    import sys
    from pathlib import Path

    from ..errors import CchcError
    from ..fileio import atomic_write
    from ..render import render_rubric
    from ._common import warn_each, workspace_for_file, writable_output, wrote

    fmt = args.to or _BY_SUFFIX.get(Path(args.output or "").suffix.lower())
    if fmt is None:
        raise CchcError("chưa rõ định dạng xuất", fix="thêm --to docx|html|md, hoặc đặt -o tệp đuôi .docx/.html/.md")
    if fmt == "docx" and not args.output:
        raise CchcError("xuất Word cần tên tệp", fix="thêm -o TỆP.docx")
    ws = workspace_for_file(args, args.rubric)
    rubric = ws.rubric_file(args.rubric)
    notes = OfficeNotes("tệp Word")
    data = render_rubric(rubric, fmt, ws.root / "templates", notes)
    if args.output:
        target = writable_output(ws, args.output)
        atomic_write(target, data)
        wrote(target, f"{len(rubric)} mục")
        warn_each(notes.lines())
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0
