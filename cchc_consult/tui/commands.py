"""The command palette: every action of the app, found by typing a few letters of its Vietnamese name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ActionCommands(Provider):
    """Offers each entry of `CchcApp.ACTIONS` (label, action, key) in the palette."""

    def _entries(self):
        app = self.app
        for entry in app.ACTIONS:
            if entry.palette:
                yield entry

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(entry.label, partial(self.app.run_action, entry.action), help=entry.help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.label)
            if score > 0:
                yield Hit(score, matcher.highlight(entry.label), partial(self.app.run_action, entry.action),
                          help=entry.help_text)
