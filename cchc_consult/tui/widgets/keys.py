"""The keys every main screen shows first and last in its footer, and the footer itself.

Textual's footer lists the focused widget's keys, then the screen's, then the
app's, and cuts what does not fit: "Thoát" (an app key) was the first to go.
Each screen therefore starts its bindings with Thoát and Lưu and ends them
with Trợ giúp and Lệnh; the screen numbers (app keys) come last and are the
ones a narrow window drops.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Footer

#: Same ids as the app's bindings: one action, one id, wherever its key is shown.
LEADING_KEYS = [Binding("q", "app.quit_app", "Thoát", id="app.quit"),
                Binding("ctrl+s", "app.save", "Lưu", id="app.save")]
TRAILING_KEYS = [Binding("question_mark,f1", "app.help", "Trợ giúp", id="app.help"),
                 Binding("ctrl+p", "app.command_palette", "Lệnh", id="app.palette", priority=True)]


def after_queued(widget, callback) -> None:
    """Call back once the keys already sent to `widget` have been handled, bindings included.

    A key goes to the focused widget, then bubbles up to the app, which runs the binding it names
    on whatever has the focus then: the call back follows it through the same queues, widget to app.
    """
    _follow(list(widget.ancestors_with_self), callback)


def _follow(nodes, callback) -> None:
    if not nodes:
        callback()
        return
    nodes[0].call_later(_follow, nodes[1:], callback)


def screen_bindings(*own: Binding) -> list[Binding]:
    """A main screen's bindings: Thoát and Lưu, its own keys, then Trợ giúp and Lệnh."""
    return [*LEADING_KEYS, *own, *TRAILING_KEYS]


def app_footer() -> Footer:
    """The compact footer (the palette key in line, not docked right over the last keys)."""
    return Footer(compact=True, show_command_palette=False)
