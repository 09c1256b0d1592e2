"""Widgets of the TUI: the rubric tree, the node detail, the findings panel, the status line."""
