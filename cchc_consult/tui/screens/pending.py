"""Which screen to show for comments, diff and scoring, or a notice while its module is not there yet."""

from __future__ import annotations

import importlib.util

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

_NEEDS = {"comments": ("consult", "Góp ý"), "diff": ("diff", "So sánh phiên bản"), "scores": ("score", "Chấm điểm")}


class PendingScreen(Screen):
    """Says which part of the tool this screen is waiting for."""

    def __init__(self, title: str, module: str) -> None:
        super().__init__()
        self.title_text, self.module = title, module

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble((self.title_text, "bold"), "\n\n",
                                   f"Màn hình này cần mô-đun cchc_consult.{self.module}, chưa có trong bản cài đặt này.",
                                   "\nPhím 1: về Bộ tiêu chí."), id="pending")
        yield Footer()


def screen_for(name: str) -> Screen:
    module, title = _NEEDS[name]
    if importlib.util.find_spec(f"cchc_consult.{module}") is None:
        return PendingScreen(title, module)
    if name == "comments":
        from .comments import CommentsScreen

        return CommentsScreen()
    if name == "diff":
        from .diff import DiffScreen

        return DiffScreen()
    from .scoring import ScoringScreen

    return ScoringScreen()
