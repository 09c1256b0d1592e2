"""Where a consultation's files live, and how names map to paths.

A workspace is a folder with `rubric/drafts/` (the versions), `comments/`
(what offices sent), and optional `offices.yaml`, `round.yaml`, `scores/`.
The repository itself is the bundled 2023 workspace.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import WorkspaceError
from .fileio import safe_name

BUNDLED = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Workspace:
    """Paths of one workspace; no file is read here."""

    root: Path

    @property
    def drafts(self) -> Path:
        return self.root / "rubric" / "drafts"

    @property
    def history_file(self) -> Path:
        # Beside the drafts folder, not in it: rubric/drafts/ holds only rubric versions.
        return self.root / "rubric" / "history.yaml"

    @property
    def comments(self) -> Path:
        return self.root / "comments"

    @property
    def scores(self) -> Path:
        return self.root / "scores"

    @property
    def offices_file(self) -> Path:
        return self.root / "offices.yaml"

    @property
    def round_file(self) -> Path:
        return self.root / "round.yaml"

    @property
    def output(self) -> Path:
        return self.root / "out"

    def versions(self) -> list[str]:
        """Version names of the drafts on disk, in natural order (v1, v2, …, v10)."""
        if not self.drafts.is_dir():
            return []
        names = [p.stem for p in self.drafts.glob("*.yaml")]
        return sorted(names, key=_natural_key)

    def version_path(self, name: str) -> Path:
        """rubric/drafts/NAME.yaml for a version name; refuses names that would leave the folder."""
        return self.drafts / f"{safe_name(name, 'tên phiên bản')}.yaml"

    def resolve_rubric(self, spec: str | None) -> Path:
        """A path from a version name ("v1"), a file path, or None (the newest version)."""
        if spec is None:
            versions = self.versions()
            if not versions:
                raise WorkspaceError(f"không có dự thảo nào trong {self.drafts}",
                                     fix="nhập một bộ tiêu chí: cchc import NGUỒN -o rubric/drafts/v1.yaml")
            return self.version_path(versions[-1])
        candidate = Path(spec)
        if candidate.suffix in (".yaml", ".yml") or os.sep in spec:
            return candidate
        return self.version_path(spec)


def _natural_key(name: str) -> tuple:
    import re

    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def find_workspace(explicit: str | os.PathLike | None = None) -> Workspace:
    """The workspace to use: the one named, else $CCHC_WORKSPACE, else the current folder if it
    has rubric/drafts, else the bundled 2023 workspace."""
    for candidate in (explicit, os.environ.get("CCHC_WORKSPACE")):
        if candidate:
            return Workspace(Path(candidate).resolve())
    here = Path.cwd()
    if (here / "rubric" / "drafts").is_dir():
        return Workspace(here)
    return Workspace(BUNDLED)
