"""Bringing rubrics in from other formats: page text and text tables, HTML, Word, Excel, PDF.

Every importer reduces its source to `rows.Row`s and calls `rows.build_rubric`;
`import_any(path)` picks the importer by the file's extension. The Word, Excel
and PDF libraries load only when such a file is imported.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CchcError, ImportFormatError
from .rows import ImportResult, Row, build_rubric
from .. import schema

__all__ = ["IMPORTERS", "ImportFormatError", "ImportResult", "Row", "build_rubric", "import_and_save", "import_any"]

#: File extension → "module:function" of its importer.
IMPORTERS = {
    ".txt": "text:import_text",
    ".md": "text:import_text",
    ".tsv": "text:import_text",
    ".html": "html:import_html",
    ".htm": "html:import_html",
    ".docx": "docx:import_docx",
    ".xlsx": "xlsx:import_xlsx",
    ".doc": "office:import_via_libreoffice",
    ".odt": "office:import_via_libreoffice",
    ".pdf": "pdf:import_pdf",
}


def import_any(path: str | Path) -> ImportResult:
    """Import a rubric from text, HTML, Word, Excel, OpenDocument or PDF, chosen by the file's extension."""
    from importlib import import_module

    suffix = Path(path).suffix.lower()
    if suffix not in IMPORTERS:
        hint = {".xls": "Excel 97-2003: mở bằng Excel rồi lưu lại thành .xlsx"}.get(suffix, "")
        raise ImportFormatError(
            f"không nhập được tệp đuôi '{suffix or '(không có)'}'; chỉ nhận {', '.join(IMPORTERS)}",
            path=str(path), fix=hint or "lưu bộ tiêu chí thành tệp .docx, .xlsx hoặc .txt (UTF-8)")
    module_name, function = IMPORTERS[suffix].split(":")
    module = import_module(f"{__name__}.{module_name}")
    return getattr(module, function)(path)


def unplaced_header(source: str | Path, result: ImportResult) -> str:
    """The comment block at the top of an imported YAML file: where it came from and every row not placed."""
    lines = [f"Nhập từ {Path(source).name} bằng lệnh cchc import."]
    if result.unplaced:
        lines += ["", "CÁC DÒNG CHƯA XẾP ĐƯỢC (giữ nguyên văn; hãy chép vào đúng chỗ rồi xóa khỏi đây):"]
        for row in result.unplaced:
            cells = " | ".join([row.tt, row.content, row.points, *row.evidence])
            lines.append(f"- {row.where}: {cells}")
    if result.not_understood:
        lines += ["", "MỨC ĐIỂM CHƯA ĐỌC ĐƯỢC ĐIỀU KIỆN (chấm bằng cách chọn mức, hoặc viết lại lời):"]
        lines += [f"- {line}" for line in result.not_understood]
    for header, values in result.extra_values.items():
        lines += ["", f"CỘT '{header}' CỦA BẢNG GỐC (theo mã tiêu chí):"]
        lines += [f"- {node_id}: {value}" for node_id, value in values.items()]
    return "\n".join(lines)


def import_and_save(source: str | Path, output: str | Path, *, force: bool = False) -> ImportResult:
    """Import a rubric and write it as a new YAML file; refuses to overwrite unless `force`.

    Rows that could not be placed are kept verbatim as comments at the top of
    the file, so nothing read from the source is lost.
    """
    out = Path(output)
    if out.exists() and not force:
        raise CchcError("tệp đích đã có, không ghi đè", path=str(out),
                        fix="chọn tên khác, hoặc thêm --force nếu muốn thay tệp này")
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise CchcError("tệp đích phải có đuôi .yaml", path=str(out), fix="ví dụ: -o rubric/drafts/v2.yaml")
    result = import_any(source)
    if not result.rubric.sections:
        why = "; ".join(result.warnings[:3]) or "không có dòng mục La Mã (I, II, III) nào"
        raise ImportFormatError(f"không nhập được bộ tiêu chí nào: {why}", path=str(source),
                                fix="bảng cần có các dòng mục I, II, III và tiêu chí đánh số 1, 1.1, 1.1.1")
    if not result.rubric.meta.version:
        result.rubric.meta.version = out.stem
    schema.save_new_rubric(result.rubric, out, unplaced_header(source, result))
    return result
