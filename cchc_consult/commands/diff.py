"""`cchc diff A B`: what changed between two versions, in rubric terms (text, Markdown, HTML, JSON)."""

from __future__ import annotations

from ._common import workspace_of, write_output


def register(sub) -> None:
    p = sub.add_parser("diff", help="so sánh hai phiên bản theo tiêu chí, điểm và mức điểm",
                       description="Ghép tiêu chí theo mã, nhận ra tiêu chí được đánh số lại/chuyển chỗ, tách, "
                                   "gộp; nêu điểm chuẩn đổi và điểm đi đâu, mức điểm thêm/bỏ/sửa lời/đổi ngưỡng. "
                                   "Thoát 0 khi giống nhau, 1 khi có thay đổi. Ví dụ: cchc diff v1 v2")
    p.add_argument("old", metavar="BẢN_TRƯỚC", help="phiên bản trước (tên như v1, hoặc đường dẫn tệp YAML)")
    p.add_argument("new", metavar="BẢN_SAU", help="phiên bản sau (tên như v2, hoặc đường dẫn tệp YAML)")
    p.add_argument("--format", choices=("text", "json", "html", "md"), default="text", help="định dạng kết quả")
    p.add_argument("-o", "--output", metavar="TỆP", help="ghi ra tệp thay vì in ra màn hình; đường dẫn tương đối tính từ thư mục làm việc")
    p.add_argument("--state", action="store_true",
                   help="so sánh hai thư mục làm việc: round.yaml, offices.yaml, decision.yaml, "
                        "scores/settings.yaml, comments/dispositions.yaml (ví dụ: cchc diff --state THƯ_MỤC_CŨ THƯ_MỤC_MỚI)")
    p.set_defaults(handler=run)


def run(args) -> int:
    import json

    if args.state:
        from ..statediff import changes_text, diff_workspaces

        changes = diff_workspaces(args.old, args.new)
        write_output(changes_text(changes), args.output, workspace_of(args))
        return 1 if changes else 0

    from ..diff import diff_as_dict, diff_rubrics
    from ..render.diff import RENDERERS

    ws = workspace_of(args)
    old = ws.rubric_file(args.old)
    new = ws.rubric_file(args.new)
    result = diff_rubrics(old, new)
    old_label = old.meta.version or args.old
    new_label = new.meta.version or args.new
    if args.format == "json":
        text = json.dumps(diff_as_dict(result), ensure_ascii=False, indent=2)
    else:
        text = RENDERERS[args.format](result, old_label, new_label, ws.root / "templates")
    write_output(text, args.output, ws)
    return 0 if result.is_empty() else 1
