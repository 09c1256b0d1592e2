"""Control characters in user text, made visible or removed: the one table every output uses.

A comment, a title or a file name can carry bytes a terminal obeys (ESC starts a
colour, a screen clear or a window title; CR moves back over a line) or that Word
and Excel refuse (python-docx raises ValueError, openpyxl IllegalCharacterError
on C0 controls). `visible` shows each as a Unicode control picture ("␛", "␍"),
so a reader sees that it is there; `xml_safe` replaces what XML 1.0 cannot hold.
The per-output functions live in `render/escape.py`; this module imports nothing of the project but `lazyre`.
"""

from __future__ import annotations

import re

from .lazyre import LazyPattern

# The patterns compile on the first text that holds such a character: nearly every text holds none,
# which `str.isprintable` tells at C speed, and compiling these three sets of wide characters cost
# ~1 ms of every command's start-up.
#: C0 controls, DEL, C1 controls; bidi overrides and isolates (they reorder what a terminal shows).
_CONTROL = LazyPattern(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Lone surrogates: bytes of a non-UTF-8 file name (surrogateescape) or broken UTF-16.
_SURROGATE = LazyPattern(r"[\ud800-\udfff]")
#: What XML 1.0 (Word, Excel) cannot hold: C0 controls but tab, newline and CR; FFFE/FFFF; lone surrogates.
_NOT_XML = LazyPattern(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _printable_but(text: str, allowed: str) -> bool:
    """True when `text` holds no character outside `str.isprintable` but those in `allowed`.

    Every character of the three patterns above is a control (Cc), a format mark (Cf), a surrogate
    (Cs) or a non-character (Cn), none of which is printable: a True here means no pattern can match.
    """
    if text.isprintable():
        return True
    for char in allowed:
        text = text.replace(char, "")
    return bool(allowed) and text.isprintable()


def _picture(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (␛ for ESC, ␍ for CR, ␊ for LF)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"  # C1 controls and bidi marks have no picture


def _surrogate(match: re.Match) -> str:
    code = ord(match.group())
    # surrogateescape keeps byte 0x80–0xFF of an undecodable name as U+DC80–U+DCFF
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def has_controls(text: str) -> bool:
    """True when `text` holds a character `visible` would change (besides newline and tab)."""
    if _printable_but(text, "\n\t"):
        return False
    return bool(_CONTROL.search(text.replace("\n", "").replace("\t", "")) or _SURROGATE.search(text))


def visible(text: object, *, keep: str = "\n\t") -> str:
    """Text with every control character shown as its picture ("\\x1b" → "␛"), except those in `keep`.

    Lone surrogates (an undecodable byte in a file name) become "\\xNN", so printing never fails.
    With `keep=""` a newline is shown as "␊" too: for a file name, whose newline must not start a line.
    """
    text = str(text)
    if _printable_but(text, keep):
        return text
    if keep:
        text = _CONTROL.sub(lambda m: m.group() if m.group() in keep else _picture(m), text)
    else:
        text = _CONTROL.sub(_picture, text)
    return _SURROGATE.sub(_surrogate, text)


def xml_refused(text: str) -> list[str]:
    """Every character of `text` Word and Excel refuse (what `xml_safe` replaces), in order."""
    return [] if _printable_but(text, "\t\n\r") else _NOT_XML.findall(text)


def escaped(char: str) -> str:
    """A character written the way a programmer types it: "\\x0b", "\\ufffe" (an undecodable byte as "\\xNN")."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_safe(text: str) -> tuple[str, bool]:
    """(text Word and Excel accept, whether something was replaced): a refused control shows as its picture."""
    def replace(match: re.Match) -> str:
        ch = match.group()
        if "\ud800" <= ch <= "\udfff":
            return _surrogate(match)
        return _picture(match) if ch < "\x20" else "\ufffd"

    if _printable_but(text, "\t\n\r"):
        return text, False
    cleaned = _NOT_XML.sub(replace, text)
    return cleaned, cleaned != text
