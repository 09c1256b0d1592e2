"""The consultation round: offices, round, comment files, silence as acceptance, dispositions, the report.

Modules: `round` (offices.yaml, round.yaml, deadline, owners), `comments`
(reading and checking comment files), `template` (the blank form), `ledger`
(silence and late replies), `dispositions` (Nội vụ's answers), `loop`
(closing the loop against the next draft), `feedback` (the consolidated
table), `consultation` (all of it loaded together).
"""

from .comments import WHOLE, Comment, CommentFile, CommentSet, points_impact, read_comments
from .consultation import Consultation
from .dispositions import (
    ACCEPTED, PARTLY, REJECTED, Disposition, Dispositions, Initiative, add_initiative, load_dispositions,
    set_disposition,
)
from .ledger import LedgerEntry, criterion_acceptance, reviewer_gaps, silence_ledger
from ..vn import parse_date
from .round import Round, confirm_owners, effective_owners, load_offices, load_round

__all__ = [
    "WHOLE", "Comment", "CommentFile", "CommentSet", "points_impact", "read_comments", "Consultation",
    "ACCEPTED", "PARTLY", "REJECTED", "Disposition", "Dispositions", "Initiative", "add_initiative",
    "load_dispositions", "set_disposition", "LedgerEntry", "criterion_acceptance", "reviewer_gaps",
    "silence_ledger", "Round", "confirm_owners", "effective_owners", "load_offices", "load_round", "parse_date",
]
