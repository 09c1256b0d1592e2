"""Everything about one round loaded together: offices, round, circulated draft, comments, dispositions.

`load_consultation(ws)` is the one place that reads the round's files; the
report, the commands and the TUI all start from the `Consultation` it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Rubric
from ..offices import Office
from ..workspace import Workspace
from .comments import CommentSet, read_comments
from .dispositions import Dispositions, load_dispositions
from .ledger import LedgerEntry, silence_ledger
from .round import Round, effective_owners, load_offices, load_round


@dataclass(slots=True)
class Consultation:
    """One round with all its files read; pure data from here on."""

    workspace: Workspace
    offices: list[Office]
    round: Round
    rubric: Rubric
    comments: CommentSet
    dispositions: Dispositions

    def office(self, code: str) -> Office:
        return next((o for o in self.offices if o.code == code), Office(code, code, code))

    def ledger(self, as_of: dt.date | None = None) -> list[LedgerEntry]:
        return silence_ledger(self.round, self.offices, self.comments, as_of or dt.date.today())

    def owners(self) -> dict[str, str]:
        """Criterion id → owning office code (confirmed or proposed)."""
        return {k: v.office for k, v in effective_owners(self.round, self.rubric, self.offices).items()}


def load_consultation(ws: Workspace) -> Consultation:
    """Read the round's offices, round file, circulated version, comment files and dispositions."""
    from ..schema import load_rubric_file

    offices = load_offices(ws)
    round_ = load_round(ws, offices)
    rubric = load_rubric_file(ws.version_path(round_.version))
    comments = read_comments(ws.comments, rubric, offices, round_, relative_to=ws.root)
    return Consultation(ws, offices, round_, rubric, comments, load_dispositions(ws))
