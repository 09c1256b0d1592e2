"""Import .doc (Word 97-2003) and .odt (OpenDocument) files: LibreOffice, when installed, converts them to .docx."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ImportFormatError, damage_reason
from .rows import ImportResult
from .docx import import_docx

#: Seconds LibreOffice may take to convert one file.
CONVERT_TIMEOUT = 180


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"):
        if Path(candidate).exists():
            return candidate
    return None


def import_via_libreoffice(path: str | Path) -> ImportResult:
    """Convert a .doc / .odt to .docx in a temporary folder with LibreOffice, then import that."""
    source = Path(path)
    program = soffice()
    if program is None:
        raise ImportFormatError(f"cần LibreOffice để đọc tệp {source.suffix} nhưng máy chưa cài", path=str(path),
                                fix="cài LibreOffice, hoặc mở tệp bằng Word rồi Lưu thành… kiểu Word (.docx)")
    if not source.is_file():
        raise ImportFormatError("không tìm thấy tệp", path=str(path), fix="kiểm tra lại đường dẫn tệp")
    with tempfile.TemporaryDirectory(prefix="cchc-import-") as tmp:
        profile = Path(tmp, "profile").as_uri()  # its own profile: works while LibreOffice is open elsewhere
        try:
            done = subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                                   "docx", "--outdir", tmp, str(source)], capture_output=True,
                                  timeout=CONVERT_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ImportFormatError(f"LibreOffice không chuyển được tệp: {damage_reason(exc)}", path=str(path),
                                    fix="mở tệp bằng Word hoặc LibreOffice rồi Lưu thành… kiểu Word (.docx)") from exc
        converted = Path(tmp, source.stem + ".docx")
        if done.returncode != 0 or not converted.exists():
            raise ImportFormatError("LibreOffice không chuyển được tệp (tệp hỏng hoặc không phải văn bản)",
                                    path=str(path), fix="mở tệp bằng Word hoặc LibreOffice rồi Lưu thành… "
                                                        "kiểu Word (.docx)")
        result = import_docx(converted)
    result.rubric.source = str(path)
    label = converted.name
    result.notes = [n.replace(label, source.name) for n in result.notes]
    result.warnings = [w.replace(label, source.name) for w in result.warnings]
    for row in result.unplaced:
        row.where = row.where.replace(label, source.name)
    return result
