"""Round-trip YAML for the consultation's hand-edited files (round.yaml, dispositions.yaml).

The same ruamel settings as the rubric editor, so a save changes only the lines
that changed and keeps every `#` comment a clerk wrote.
"""

from __future__ import annotations

import io
import os
from typing import Any

from .. import fileio
from ..errors import YamlSyntaxError


def load_round_trip(path: str | os.PathLike) -> Any:
    """A file's ruamel round-trip tree, with syntax errors in Vietnamese."""
    from ruamel.yaml.error import MarkedYAMLError

    from ..store import _rt_yaml, _syntax_error

    text = fileio.read_text(path)
    try:
        tree = _rt_yaml().load(text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, text, str(path)) from None
    except Exception as exc:  # ruamel raises unrelated types for duplicate keys and the like
        mark = getattr(exc, "problem_mark", None)
        raise YamlSyntaxError(f"YAML không hợp lệ: {getattr(exc, 'problem', exc)}", path=str(path),
                              line=mark.line + 1 if mark else 0) from None
    if tree is None:
        from ruamel.yaml.comments import CommentedMap

        tree = CommentedMap()
    return tree


def dump_round_trip(tree: Any) -> str:
    from ..store import _rt_yaml

    stream = io.StringIO()
    _rt_yaml().dump(tree, stream)
    return stream.getvalue()
