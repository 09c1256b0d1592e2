"""The terminal UI (Textual). The only package that imports Textual; the core never imports it.

`create_app(workspace, version)` builds the app for `cchc tui` and for the tests.
"""

from __future__ import annotations


def create_app(*args, **kwargs):
    """See `cchc_consult.tui.app.create_app` (imported lazily: Textual costs ~200 ms)."""
    # heavy: the app pulls in Textual
    from .app import create_app as factory

    return factory(*args, **kwargs)
