"""Vietnamese domain facts: NFC and folding, dates in and out, points and index with a decimal comma.

Pure and standard-library only, so every layer can import it at no cost. One
home for each convention: a date is read in every form a clerk writes and shown
as "18/8/2023" (no leading zeros) or, on a decision, in the NĐ 30/2020 style;
points are shown as "1,5"; the index is rounded half-up to 2 decimals ("87,63").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from .errors import ValidationError
from .lazyre import LazyPattern

# --------------------------------------------------------------------------- text


def nfc(text: str | None) -> str:
    """Vietnamese text in Unicode NFC, the one form we store and compare."""
    return unicodedata.normalize("NFC", text) if text else ""


def strip_marks(text: str | None) -> str:
    """Vietnamese without diacritics, case kept, one character for one: "Đổi mức" → "Doi muc"."""
    out = []
    for char in nfc(text):
        if char in "đĐ":
            out.append("d" if char == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", char)
        out.append("".join(c for c in base if not unicodedata.combining(c))[:1] or char)
    return "".join(out)


def fold(text: str | None) -> str:
    """Text for matching regardless of accents and case: "Quảng Điền" → "quang dien" (đ → d)."""
    return strip_marks(text).lower()


# --------------------------------------------------------------------------- dates

_YMD = LazyPattern(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.+\-Z]*)?$")
_DMY = LazyPattern(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_WORDS = LazyPattern(r"^(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s+năm\s+(\d{4})$", re.IGNORECASE)
#: ISO 8601 week dates ("2023W303", "2023-W30-3") and ordinal dates ("2023-213", "2023213"): Python's
#: `date.fromisoformat` reads them (2023W303 is 26/7/2023), a clerk never means them; refused by name.
_ISO_WEEK = LazyPattern(r"^\d{4}-?W\d{2}(?:-?\d)?$", re.IGNORECASE)
_ISO_ORDINAL = LazyPattern(r"^\d{4}-?\d{3}$")
#: Day 0 of Excel's date serials (1900 system, its leap-year bug included).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date_hint(today: dt.date | None = None) -> str:
    """How to write a date, with an example from today (hints must not keep naming one round's year)."""
    day = today or dt.date.today()
    return (f"viết ngày dạng ngày/tháng/năm, năm-tháng-ngày hoặc bằng chữ, như {format_date_short(day)}, "
            f"{day.isoformat()} hoặc \"{format_date_long(day)}\"")


def parse_date(value: object) -> dt.date:
    """A date from every form users write; a ValidationError (in Vietnamese) for anything else.

    Accepts 2023-08-18, 18/8/2023, 18/08/2023, 18-8-2023, 18.8.2023, "ngày 18
    tháng 8 năm 2023", a date or datetime, and an Excel date serial (45156).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValidationError(f"ngày '{value}' không hợp lệ", fix=date_hint())
    text = " ".join(nfc(str(value if value is not None else "")).split())
    parts: tuple[int, int, int] | None = None
    if m := _YMD.match(text):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := _DMY.match(text):
        parts = (int(m[4]), int(m[3]), int(m[1]))
    elif m := _WORDS.match(text):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif _ISO_WEEK.match(text) or _ISO_ORDINAL.match(text):
        kind = "số tuần trong năm" if "w" in text.lower() else "số thứ tự ngày trong năm"
        raise ValidationError(f"ngày '{text}' viết theo {kind} (ISO 8601), không dùng được: dễ đọc nhầm ngày",
                              fix=date_hint())
    if parts is not None:
        try:
            return dt.date(*parts)
        except ValueError:
            raise ValidationError(f"ngày '{text}' không hợp lệ: không có trên lịch", fix=date_hint()) from None
    raise ValidationError(f"ngày '{text}' không hợp lệ" if text else "thiếu ngày", fix=date_hint())


def format_date_short(day: dt.date | None) -> str:
    """The project's short form, on screen and on paper: 18/8/2023, 5/9/2023 ("" for no date)."""
    return f"{day.day}/{day.month}/{day.year}" if day else ""


def _nd30_parts(day: dt.date) -> tuple[str, str]:
    # NĐ 30/2020 writes a day below 10 and the months 1 and 2 with a leading 0 ("ngày 05 tháng 02").
    return f"{day.day:02d}", (f"{day.month:02d}" if day.month <= 2 else str(day.month))


def format_date_long(day: dt.date) -> str:
    """A date as a decision writes it (NĐ 30/2020): "ngày 05 tháng 9 năm 2023"."""
    d, m = _nd30_parts(day)
    return f"ngày {d} tháng {m} năm {day.year}"


def format_date_nd30(day: dt.date) -> str:
    """The numeric NĐ 30/2020 form used inside a decision ("Kèm theo Quyết định … ngày 05/9/2023")."""
    d, m = _nd30_parts(day)
    return f"{d}/{m}/{day.year}"


# --------------------------------------------------------------------------- numbers

_INF = Decimal("Infinity")
_HUNDREDTH = Decimal("0.01")


def format_points(value: Decimal | None) -> str:
    """Points the Vietnamese way: 2, 1,5, 0,75 (decimal comma, no trailing zeros)."""
    if value is None:
        return ""
    if value == _INF:
        return "∞"
    text = format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
    return text.replace(".", ",")


def points_or_dash(value: Decimal | None) -> str:
    """Points for a table cell, "—" when there are none."""
    return format_points(value) if value is not None else "—"


def points_or_kps(value: Decimal | None) -> str:
    """Points of a score table: "1,5", or "KPS" (không phát sinh) for a task that did not arise."""
    return "KPS" if value is None else format_points(value)


def round_index(index: Decimal) -> Decimal:
    """The one rounding rule for the index: half-up to 2 decimals (87,625 → 87,63)."""
    return index.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def index_plain(index: Decimal | None) -> str:
    """The rounded index with a dot, for JSON and spreadsheets: "87.63" ("" when nothing was scored)."""
    return "" if index is None else str(round_index(index))


def format_index(index: Decimal | None) -> str:
    """The index for people: 2 decimals, decimal comma ("87,63"); "—" when nothing was scored."""
    return index_plain(index).replace(".", ",") if index is not None else "—"
