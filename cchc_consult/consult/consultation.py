"""Everything about one round loaded together: offices, round, circulated draft, comments, dispositions.

`Workspace.consultation()` reads the round's files (the circulated version
hash-checked); the report, the commands and the TUI all start from the
`Consultation` it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Rubric
from ..offices import Office
from .comments import CommentSet
from .dispositions import Dispositions
from .ledger import LedgerEntry, silence_ledger
from .round import Round, effective_owners

if TYPE_CHECKING:
    from ..workspace import Workspace


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
        return silence_ledger(self.round, self.offices, self.comments, as_of or dt.date.today(),
                              self.dispositions.resolved_files)

    def owners(self) -> dict[str, str]:
        """Criterion id → owning office code (confirmed or proposed)."""
        return {k: v.office for k, v in effective_owners(self.round, self.rubric, self.offices).items()}

