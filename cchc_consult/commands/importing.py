"""`cchc import`: bring a rubric in from text, HTML, Word, Excel or PDF, save it as YAML, and check it at once."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("import", help="nhập bộ tiêu chí từ tệp .txt/.md/.tsv, .html, .docx, .xlsx, .doc/.odt hoặc .pdf",
                       description="Đọc bảng TT | Nội dung | Điểm chuẩn | Tài liệu kiểm chứng (các cột nhận theo dòng tiêu đề; "
                                   "văn bản mỗi ô một dòng, bảng |, Markdown, tab), ghi thành tệp YAML "
                                   "và kiểm tra ngay. Dòng không xếp được được báo và giữ nguyên văn trong tệp. "
                                   "Thoát 0 khi sạch, 1 khi có dòng không xếp được hoặc lỗi kiểm tra, "
                                   "2 khi không đọc được tệp nguồn.")
    p.add_argument("source", metavar="NGUỒN", help="tệp nguồn: .txt, .md, .tsv, .html, .docx, .xlsx, .doc, .odt, .pdf")
    p.add_argument("-o", "--output", required=True, metavar="TỆP",
                   help="tệp YAML sẽ ghi, ví dụ rubric/drafts/v1.yaml; đường dẫn tương đối tính từ thư mục "
                        "làm việc (NGUỒN thì tính từ thư mục hiện tại)")
    p.add_argument("--force", action="store_true", help="ghi đè nếu tệp đích đã có")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..check import check
    from ..findings import CheckReport, summary
    from ..importers import import_and_save
    from ._common import workspace_of, writable_output
    from .check import render_text

    # Refused before the source is read: --force overwrites a draft, never a circulated or final version.
    target = writable_output(workspace_of(args), args.output)
    result = import_and_save(args.source, target, force=args.force)
    for note in result.notes:
        print(f"Ghi chú: {note}", file=sys.stderr)
    for warning in result.warnings:
        print(f"Cảnh báo: {warning}", file=sys.stderr)
    for line in result.not_understood:
        print(f"Chưa hiểu: {line}", file=sys.stderr)
    rubric = result.rubric
    print(f"Đã nhập {len(rubric)} mục từ {args.source} → {target.resolve()}"
          + (f" ({len(result.unplaced)} dòng chưa xếp được, giữ ở đầu tệp YAML)" if result.unplaced else ""))
    findings = check(rubric)
    print(render_text(CheckReport.of(rubric, findings), str(target)))
    errors, _ = summary(findings)
    return 1 if errors or result.warnings else 0
