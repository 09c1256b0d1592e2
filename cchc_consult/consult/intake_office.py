"""Old and other office formats (.doc, .odt, .rtf, .xls, .ods) converted by LibreOffice when it is installed.

`soffice --headless --convert-to docx|xlsx` in a temporary folder, with its own
profile so that an open LibreOffice window does not block it. Without
LibreOffice the file is refused with the fix a clerk can do in Word or Excel.
The environment variable CCHC_SOFFICE names the program (empty: do not use it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import FileReadError, damage_reason

#: What each format is converted to, and how a clerk saves it by hand.
TARGET = {".doc": "docx", ".odt": "docx", ".rtf": "docx", ".xls": "xlsx", ".ods": "xlsx"}
SAVE_AS = {"docx": "mở bằng Word và lưu lại dưới dạng .docx (Word Document)",
           "xlsx": "mở bằng Excel và lưu lại dưới dạng .xlsx (Excel Workbook)"}
#: The first bytes of a genuine file: Office 97–2003 (OLE2) and OpenDocument (zip); RTF is text.
_MAGIC = {".doc": (b"\xd0\xcf\x11\xe0",), ".xls": (b"\xd0\xcf\x11\xe0",), ".odt": (b"PK",), ".ods": (b"PK",),
          ".rtf": (b"{\\rtf",)}
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_TIMEOUT_SECONDS = 120


def soffice_program() -> str:
    """The LibreOffice program to convert with, or "" when none is installed (or CCHC_SOFFICE is empty)."""
    if "CCHC_SOFFICE" in os.environ:
        named = os.environ["CCHC_SOFFICE"]
        return (shutil.which(named) or (named if Path(named).is_file() else "")) if named else ""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _WINDOWS_PLACES if os.name == "nt" and Path(p).is_file()), "")


def convert(data: bytes, path: str | Path) -> bytes:
    """The file's bytes converted to .docx or .xlsx; a FileReadError with the fix when that cannot be done."""
    suffix = Path(path).suffix.lower()
    target = TARGET[suffix]
    fix = SAVE_AS[target]
    if not data.startswith(_MAGIC[suffix]):
        raise FileReadError(f"tệp có đuôi {suffix} nhưng không phải tệp {suffix} thật (có thể bị hỏng hoặc "
                            "đặt sai đuôi)", path=str(path), fix=fix)
    program = soffice_program()
    if not program:
        raise FileReadError(f"tệp {suffix} cần LibreOffice để đọc, máy này chưa cài", path=str(path),
                            fix=f"{fix}, hoặc cài LibreOffice")
    with tempfile.TemporaryDirectory(prefix="cchc-soffice-") as folder:
        source = Path(folder) / f"reply{suffix}"
        source.write_bytes(data)
        profile = Path(folder, "profile").as_uri()
        try:
            subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
                            "--outdir", folder, str(source)],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=_TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise FileReadError(f"LibreOffice không chuyển được tệp: {damage_reason(exc)}", path=str(path),
                                fix=fix) from exc
        out = Path(folder) / f"reply.{target}"
        if not out.is_file():
            raise FileReadError(f"LibreOffice không chuyển được tệp {suffix} sang .{target}", path=str(path),
                                fix=fix)
        return out.read_bytes()
