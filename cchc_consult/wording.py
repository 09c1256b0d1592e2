"""The words of the papers as data: the decision (decision.yaml), the công văn (cong-van.yaml), the tờ trình
(to-trinh.yaml).

One mechanism for all three: the workspace's own file (`<workspace>/NAME`) is used first, else the
package's default (`cchc_consult/templates/NAME`); placeholders such as `{nam}` are replaced by
plain substitution — user text is never run as a template; what a clerk leaves for later ("…",
"...", "xxx") and a placeholder the paper does not know are refused before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .render.env import TEMPLATES
from .schema import FieldReader
from .yamlio import read_yaml

WORDING_FORMAT = "cchc-wording/1"

#: What a clerk leaves for later: "…", "...", "xxx".
UNFILLED = re.compile(r"…|\.\.\.|\bx{3,}\b", re.IGNORECASE)
#: A placeholder: "{nam}", "{co_quan}".
PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def wording_path(root: str | Path, name: str) -> Path:
    """The workspace's own wording file `name` when there is one, else the package's default."""
    own = Path(root) / name
    return own if own.is_file() else TEMPLATES / name


def fill(words: str, values: dict[str, str]) -> str:
    """`words` with each known placeholder replaced by its value (plain substitution, nothing evaluated)."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1)] if m.group(1) in values else m.group(0), words)


def has_placeholder(value: str) -> bool:
    """Whether a field still holds what a clerk leaves for later ("…", "...", "xxx")."""
    return bool(UNFILLED.search(value))


def listed(lines: list[str]) -> list[str]:
    """Lines of a "Nơi nhận" list as NĐ 30 ends them: "- Như trên;" … "- Lưu: VT."."""
    bare = [line.strip().lstrip("-").strip().rstrip(";.,:/").rstrip() for line in lines if line.strip()]
    return [f"- {line};" for line in bare[:-1]] + [f"- {line}." for line in bare[-1:]]


@dataclass(slots=True)
class Wording:
    """The texts of one wording file by key (a text or a list of texts), placeholders unreplaced."""

    source: str
    texts: dict[str, str | list[str]] = field(default_factory=dict)

    def text(self, key: str, values: dict[str, str]) -> str:
        value = self.texts.get(key, "")
        return fill(value if isinstance(value, str) else " ".join(value), values)

    def lines(self, key: str, values: dict[str, str]) -> list[str]:
        value = self.texts.get(key, [])
        return [fill(line, values) for line in ([value] if isinstance(value, str) else value) if line]


def load_wording(root: str | Path, name: str, placeholders: dict[str, str], required: tuple[str, ...],
                 optional: tuple[str, ...] = ()) -> Wording:
    """The wording file `name` (workspace first), every field read and checked before anything is written.

    `placeholders` maps each placeholder the paper fills to what it means (for the message);
    a field with a placeholder not among them, or with "…" left, is refused naming the file,
    the line and the field.
    """
    path = wording_path(root, name)
    read = FieldReader(str(path))
    fix = (f"sửa {path}" if path.parent != TEMPLATES else f"chép {path} vào thư mục làm việc rồi sửa") + \
        " (xem docs/publishing.md)"
    data = read.mapping(read_yaml(path), what=f"tệp lời văn {name} phải là một khối các trường", fix=fix)
    if data.get("format") not in (None, WORDING_FORMAT):
        raise read.fail(f"định dạng '{data.get('format')}' không phải tệp lời văn ({WORDING_FORMAT})", data, fix)
    wording = Wording(source=str(path))
    for key in required + optional:
        value = data.get(key)
        texts = read.text_list(data, key, required=key in required, strip=True) if isinstance(value, list) \
            else read.text(data, key, required=key in required, strip=True)
        for text in [texts] if isinstance(texts, str) else texts:
            unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(text)} - set(placeholders))
            if unknown:
                known = "; ".join(f"{{{k}}} {meaning}" for k, meaning in placeholders.items())
                raise read.fail(f"trường '{key}' có chỗ thay thế không dùng được ở văn bản này: "
                                f"{', '.join('{' + u + '}' for u in unknown)}", data,
                                f"dùng một trong: {known}", line=_key_line(path, key))
            if UNFILLED.search(text):
                raise read.fail(f"trường '{key}' còn chỗ chưa điền (“{UNFILLED.search(text).group()}”): “{text}”",
                                data, fix, line=_key_line(path, key))
        wording.texts[key] = texts
    return wording


def _key_line(path: Path, key: str) -> int | None:
    """The line a top-level key is written on (for the message), None when not found."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:")), None)
