"""Make the legacy-encoding files of the bad-input corpus from real Vietnamese text.

Run from the repository root: ``python3 tests/bad_inputs/make_legacy.py``. The
files it writes are committed; the tests read them and also re-run this
script's functions to check the bytes have not drifted.

Why these three: offices still send files typed with the old fonts.
* TCVN3 (ABC, ".VnTime" fonts): one byte per precomposed lower-case letter.
  Upper-case toned letters do not exist in it (the ".VnTimeH" font draws the
  lower-case codes as capitals), so the sample text keeps capitals plain.
* VNI-Windows ("VNI-Times"): an ASCII base letter followed by one byte that the
  font draws as the accents; ơ, ư, đ and the toned i/ỵ have a byte of their own.
* Windows-1258 (cp1258): a Python codec, but it has few precomposed letters,
  so the tone is a separate combining byte after the vowel (as Word writes it).

TCVN3 and VNI are not Python codecs: the two small tables below cover the
letters of Vietnamese (TCVN3 lower case + the seven base capitals; VNI by rule
from the Unicode decomposition). They are checked against well-known mojibake:
"Céng hoµ x· héi chñ nghÜa ViÖt Nam" (TCVN3) and
"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam" (VNI).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The sample: a small but complete rubric, values in Vietnamese (no toned capitals: TCVN3 has none).
SAMPLE = """\
format: cchc-rubric/1
meta:
  issuer: UBND huyện Quảng Điền
  year: 2023
  title: Hướng dẫn tự đánh giá, chấm điểm chỉ số cải cách hành chính
  version: "v1"
  status: draft
total:
  label: Cộng điểm
  declared: "2"
sections:
  - id: "I"
    tt: "I"
    title: Công tác chỉ đạo, điều hành cải cách hành chính
    max: "2"
    children:
      - id: "I.1"
        tt: "1"
        title: Ban hành kế hoạch cải cách hành chính hằng năm
        max: "2"
        evidence:
          - Kế hoạch cải cách hành chính của cơ quan năm 2023
        bands:
          - text: Trước và đúng thời gian quy định
            points: "2"
          - text: Chậm dưới 10 ngày so với thời gian quy định
            points: "1"
          - text: Không ban hành hoặc ban hành chậm từ 10 ngày trở lên; mỗi việc thiếu trừ điểm
            points: "0"
"""

# TCVN3 (TCVN 5712:1993, VN3): precomposed letter → byte.
_TCVN3_LETTERS = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}


def encode_tcvn3(text: str) -> bytes:
    """Text as a TCVN3 (ABC) file holds it; ASCII passes through."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 128:
            out.append(ord(ch))
        elif ch in _TCVN3_LETTERS:
            out.append(_TCVN3_LETTERS[ch])
        else:
            raise ValueError(f"TCVN3 has no code for {ch!r} (toned capitals do not exist in it)")
    return bytes(out)


# Combining marks of the Unicode decomposition.
_TONES = {"\u0301": "acute", "\u0300": "grave", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}
_SHAPES = {"\u0302": "circ", "\u0306": "breve", "\u031b": "horn"}

# VNI-Windows: the accent bytes (as Latin-1 characters), lower and upper case.
_VNI_TONE = {"acute": "ùÙ", "grave": "øØ", "hook": "ûÛ", "tilde": "õÕ", "dot": "ïÏ"}
_VNI_CIRC = {None: "âÂ", "acute": "áÁ", "grave": "àÀ", "hook": "åÅ", "tilde": "ãÃ", "dot": "äÄ"}
_VNI_BREVE = {None: "êÊ", "acute": "éÉ", "grave": "èÈ", "hook": "úÚ", "tilde": "üÜ", "dot": "ëË"}
_VNI_I = {"acute": "íÍ", "grave": "ìÌ", "hook": "æÆ", "tilde": "óÓ", "dot": "òÒ"}


def _parts(ch: str) -> tuple[str, str | None, str | None]:
    """(base letter, shape: circ/breve/horn or None, tone or None) of a Vietnamese letter."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    shape = next((_SHAPES[m] for m in marks if m in _SHAPES), None)
    tone = next((_TONES[m] for m in marks if m in _TONES), None)
    if len(marks) != (shape is not None) + (tone is not None):
        raise ValueError(f"not a Vietnamese letter: {ch!r}")
    return base, shape, tone


def encode_vni(text: str) -> bytes:
    """Text as a VNI-Windows file holds it: base letter + accent byte(s)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 128:
            out.append(ch)
            continue
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        base, shape, tone = _parts(ch)
        up = int(base.isupper())
        if base in "iI" and tone:
            out.append(_VNI_I[tone][up])
        elif base in "yY" and tone == "dot":
            out.append("îÎ"[up])
        elif shape == "circ":
            out.append(base + _VNI_CIRC[tone][up])
        elif shape == "breve":
            out.append(base + _VNI_BREVE[tone][up])
        elif shape == "horn":
            out.append(("ôÔ" if base in "oO" else "öÖ")[up] + (_VNI_TONE[tone][up] if tone else ""))
        else:
            out.append(base + _VNI_TONE[tone][up])
    return "".join(out).encode("latin-1")


def encode_cp1258(text: str) -> bytes:
    """Text as Windows-1258 holds it: â ă ê ô ơ ư đ precomposed, the tone as a combining byte."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in decomposed[1:] if m in _TONES)
        rest = "".join(m for m in decomposed if m not in _TONES)
        out.append(unicodedata.normalize("NFC", rest) + tones)
    return "".join(out).encode("cp1258")


def files() -> dict[str, bytes]:
    """Every generated file of the corpus, by name."""
    return {
        "legacy_tcvn3.yaml": encode_tcvn3(SAMPLE),
        "legacy_vni.yaml": encode_vni(SAMPLE),
        "legacy_cp1258.yaml": encode_cp1258(SAMPLE),
        # The TCVN3 file after someone opened it as Western (cp1252) and saved it as UTF-8: mojibake in UTF-8.
        "legacy_tcvn3_saved_as_utf8.yaml": encode_tcvn3(SAMPLE).decode("cp1252", errors="replace").encode("utf-8"),
        "legacy_vni_saved_as_utf8.yaml": encode_vni(SAMPLE).decode("cp1252", errors="replace").encode("utf-8"),
        # Accepted: UTF-8 with a BOM (Notepad, Excel "CSV UTF-8") and UTF-16 LE with a BOM (Notepad "Unicode").
        "utf8_bom.yaml": b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        "utf16le_bom.yaml": b"\xff\xfe" + SAMPLE.replace("\n", "\r\n").encode("utf-16-le"),
    }


def main() -> None:
    for name, data in files().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
