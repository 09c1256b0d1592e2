"""Round-trip YAML for the consultation's hand-edited files (round.yaml, dispositions.yaml, score sheets).

The YAML layer's round-trip reader and writer, so a save changes only the lines that
changed and keeps every `#` comment a clerk wrote; here an empty file is an
empty mapping, ready to receive its first entry.
"""

from __future__ import annotations

import os
from typing import Any

from ..yamlio import dump_round_trip, read_round_trip

__all__ = ["dump_round_trip", "load_round_trip"]


def load_round_trip(path: str | os.PathLike) -> Any:
    """A file's ruamel round-trip tree (an empty mapping for an empty file), errors in Vietnamese."""
    tree, _ = read_round_trip(path)
    if tree is None:
        from ruamel.yaml.comments import CommentedMap

        tree = CommentedMap()
    return tree
