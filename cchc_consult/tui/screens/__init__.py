"""Screens of the TUI: the rubric (main), comments, diff, scoring, and the dialogs they open."""
