"""Regular expressions compiled on first use, for the patterns most commands never run.

CPython compiles a pattern in Python, 0,05–0,5 ms each: a cold `cchc check` compiled ~60 at
import, many of them for dates, file names, Markdown or argparse errors it never meets. A
`LazyPattern` answers `match`, `sub`, `findall`… like the compiled pattern, compiling it the
first time one is called. Patterns that run on every text of a command stay `re.compile`d.
"""

from __future__ import annotations

import re


class LazyPattern:
    """`re.compile(pattern, flags)`, done on the first use of any of its methods."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0):
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def __getattr__(self, name: str):
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._pattern!r}, {self._flags!r})"
