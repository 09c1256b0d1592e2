"""Waiting for the TUI in Pilot tests: the round-trip document opens and checks run in workers."""

from __future__ import annotations


async def settled_workers(app) -> None:
    """Wait for the workers; a check cancelled by a newer edit is expected, not a failure."""
    from textual.worker import WorkerCancelled

    while True:
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def wait_until_ready(pilot) -> None:
    """Wait until the document is open for editing (or known to be frozen) and the checks have finished."""
    app = pilot.app
    await pilot.pause()
    for _ in range(200):
        await settled_workers(app)
        if app.session.ready or app.session.frozen:
            break
        await pilot.pause(0.05)
    await settled_workers(app)
    await pilot.pause()
