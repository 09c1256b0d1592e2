"""The command palette: every action of the app and of the current screen, by its Vietnamese name.

Clerks often type without diacritics ("so sanh"), so a query that does not
match the label as written is tried again on both with the accents removed.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..vn import strip_marks as fold


class ActionCommands(Provider):
    """Offers each entry of `CchcApp.ACTIONS` plus the bindings of the screen the palette was opened on."""

    def _entries(self) -> list[tuple[str, str, str]]:
        """(label, action to run, help) for everything the user can do from here."""
        app = self.app
        seen = set()
        out = []
        for entry in app.ACTIONS:
            if entry.palette:
                seen.add(entry.id)
                out.append((entry.label, f"app.{entry.action}", entry.help_text or f"phím {entry.keys}"))
        for binding in getattr(self.screen, "BINDINGS", []):
            if getattr(binding, "id", None) and binding.id not in seen and binding.description:
                seen.add(binding.id)
                action = binding.action if binding.action.startswith("app.") else f"screen.{binding.action}"
                keys = binding.key.split(",")[0]
                out.append((binding.description, action, f"phím {keys}"))
        return out

    def _run(self, action: str) -> None:
        self.app.call_later(self.app.run_action, action, self.screen)

    async def discover(self) -> Hits:
        for label, action, help_text in self._entries():
            yield DiscoveryHit(label, partial(self._run, action), help=help_text)

    def _nodes(self, query: str) -> list[tuple[float, str, str]]:
        """(score, id, label) of the criteria a query names: by id ("ii.6", "2.1") first, then by words."""
        wanted = fold(query).strip().lower()
        if not wanted:
            return []
        rubric = self.app.session.rubric
        out = []
        for section in rubric.sections:
            for node in section.walk():
                node_id = node.id.lower()
                tt = (node.tt or "").lower()
                if node_id == wanted or tt == wanted:
                    score = 1.0
                elif node_id.startswith(wanted) or node_id.endswith("." + wanted):
                    score = 0.8
                elif all(word in fold(node.title).lower() for word in wanted.split()):
                    score = 0.5
                else:
                    continue
                out.append((score, node.id, f"Đến {node.id} — {node.title}"))
        out.sort(key=lambda hit: -hit[0])
        return out[:30]

    async def search(self, query: str) -> Hits:
        for score, node_id, label in self._nodes(query):
            yield Hit(score, Text(label, no_wrap=True, overflow="ellipsis"),
                      partial(self.app.call_later, self.app.go_to, node_id), help="đến mục trong cây")
        matcher = self.matcher(query)
        folded = self.matcher(fold(query))
        for label, action, help_text in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._run, action), help=help_text)
                continue
            score = folded.match(fold(label))
            if score > 0:
                yield Hit(score * 0.9, Text(label), partial(self._run, action), help=help_text)
