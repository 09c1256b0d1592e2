"""Measuring the TUI as a person feels it: first paint, keypress latency, editing-ready and save on a large rubric.

`bench_tui(path)` runs the real app headless and times the app itself: from
building the app to the first frame it renders, from a key event being posted
to the next frame rendered (not Pilot's own ~60 ms settling wait), from
building the app to the moment edits are accepted, and one edit and its save.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from decimal import Decimal
from pathlib import Path

from ..model import Band, Condition, Node, Rubric, RubricMeta
from ..schema import save_new_rubric
from ..workspace import Workspace


def synthetic_rubric(criteria: int = 1000):
    """A valid rubric of about `criteria` nodes in three sections, with percent bands, for measuring."""
    sections = []
    per_section = max(1, criteria // 3)
    for s, numeral in enumerate(("I", "II", "III")):
        groups = []
        made = 0
        g = 0
        while made < per_section:
            g += 1
            leaves = []
            for k in range(1, 10):
                if made >= per_section:
                    break
                node_id = f"{numeral}.{g}.{k}"
                bands = [Band(text="Thực hiện trên 80% kế hoạch", points=Decimal(1),
                              condition=Condition("percent", Decimal(80), Decimal(100), False, True)),
                         Band(text="Thực hiện từ 50% đến 80% kế hoạch", points=Decimal("0.5"),
                              condition=Condition("percent", Decimal(50), Decimal(80), True, True)),
                         Band(text="Thực hiện dưới 50% kế hoạch", points=Decimal(0),
                              condition=Condition("percent", Decimal(0), Decimal(50), True, False))]
                leaves.append(Node(id=node_id, tt=f"{g}.{k}", title=f"Tiêu chí thành phần {node_id} về cải cách hành chính",
                                   max=Decimal(1), evidence=["Báo cáo CCHC của cơ quan năm 2023"], bands=bands))
                made += 1
            groups.append(Node(id=f"{numeral}.{g}", tt=str(g), title=f"Nhóm tiêu chí {numeral}.{g}",
                               max=Decimal(len(leaves)), children=leaves))
        total = sum((n.max for n in groups), Decimal(0))
        sections.append(Node(id=numeral, tt=numeral, title=f"PHẦN {numeral}", max=total, kind="section",
                             children=groups))
    meta = RubricMeta(issuer="UBND huyện Quảng Điền", year=2023, title="BỘ TIÊU CHÍ THỬ HIỆU NĂNG",
                      version="v1", status="draft")
    return Rubric(meta=meta, sections=sections, declared_total=sum((s.max for s in sections), Decimal(0)))


def write_synthetic_workspace(root: str | Path, criteria: int = 1000) -> Path:
    """A workspace folder holding one synthetic rubric as rubric/drafts/v1.yaml; returns the rubric path."""
    path = Path(root) / "rubric" / "drafts" / "v1.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_new_rubric(synthetic_rubric(criteria), path)
    return path


def bench_tui(path: str | Path, *, keys: int = 20, size: tuple[int, int] = (100, 30)) -> dict:
    """First paint and keypress latency (ms) of the TUI on the rubric at `path`.

    first_paint_ms: from building the app (reading the rubric included) to its first rendered frame.
    keypress_ms: median, from posting a key (cursor down in the tree) to the next rendered frame;
    keypress_max_ms: the slowest of those. document_ready_ms: from building the app until the document
    is open for edits (in the background); editing_ready_ms: the later of that and first paint, when
    she can both see the rubric and edit it. edit_ms: one title
    edit through the session; save_ms: writing it (`EditSession.save`, as the save key does);
    save_changed_lines: the lines that differ on disk after the save (2: the old and the new title).
    fallbacks: edits that needed the whole-file round trip. import_ms: importing Textual and the
    app (0 when already imported), to add to first paint for a cold start.
    """
    return asyncio.run(_bench(Path(path), keys, size))


async def _bench(path: Path, keys: int, size: tuple[int, int]) -> dict:
    import_start = time.perf_counter()
    from textual import events

    # heavy: Textual, loaded only when the bench runs
    from .app import CchcApp

    import_ms = (time.perf_counter() - import_start) * 1000

    frames: list[float] = []
    start = time.perf_counter()
    root = path.parent.parent.parent if path.parent.name == "drafts" else path.parent
    app = CchcApp(Workspace(root), path)
    original_display = app._display

    def recording_display(screen, renderable):
        if renderable is not None:
            frames.append(time.perf_counter())
        return original_display(screen, renderable)

    app._display = recording_display  # type: ignore[method-assign]
    ready_at: list[float] = []
    open_document = app.session.open_document

    def timed_open_document():
        doc = open_document()
        ready_at.append(time.perf_counter())
        return doc

    app.session.open_document = timed_open_document  # type: ignore[method-assign]
    latencies: list[float] = []
    async with app.run_test(size=size) as pilot:
        while not frames:
            await asyncio.sleep(0.001)
        first_paint = frames[0] - start
        await pilot.pause()
        # heavy: Textual, loaded only when the bench runs
        from .widgets.rubric_tree import RubricTree

        tree = app.screen.query_one(RubricTree)
        tree.focus()
        # Open the first section so the cursor walks over criteria, as a person would.
        await pilot.press("right")
        await pilot.pause()
        for _ in range(keys):
            seen = len(frames)
            sent = time.perf_counter()
            # Walk down, and back up at the end, so that every key changes the screen.
            key = "up" if tree.cursor_line >= tree.last_line else "down"
            key_event = events.Key(key, None)
            app.post_message(key_event)
            deadline = sent + 2.0
            while len(frames) == seen and time.perf_counter() < deadline:
                await asyncio.sleep(0)
            latencies.append(frames[seen] - sent if len(frames) > seen else 2.0)
            await pilot.pause()
        moved_to = tree.cursor_line
        await app.workers.wait_for_complete()
        while not app.session.ready:
            await asyncio.sleep(0.01)
        ready = ready_at[0] - start
        session = app.session
        before = path.read_text(encoding="utf-8")
        leaf = next(node for node in session.rubric.walk() if not node.children)
        edit_start = time.perf_counter()
        session.set_fields(leaf.id, {"title": leaf.title + " (đã sửa)"})
        edit_ms = (time.perf_counter() - edit_start) * 1000
        save_start = time.perf_counter()
        session.save()
        save_ms = (time.perf_counter() - save_start) * 1000
        after = path.read_text(encoding="utf-8")
        changed = sum(1 for old, new in zip(before.splitlines(), after.splitlines()) if old != new)
        changed += abs(len(before.splitlines()) - len(after.splitlines()))
        session.undo()
        session.save()  # the file as it was
    return {
        "criteria": len(app.session.rubric),
        "import_ms": round(import_ms, 1),
        "first_paint_ms": round(first_paint * 1000, 1),
        "keypress_ms": round(statistics.median(latencies) * 1000, 2),
        "keypress_max_ms": round(max(latencies) * 1000, 2),
        "document_ready_ms": round(ready * 1000, 1),
        # editing is possible once the document is open and she sees the screen
        "editing_ready_ms": round(max(ready, first_paint) * 1000, 1),
        "edit_ms": round(edit_ms, 1),
        "save_ms": round(save_ms, 1),
        "save_changed_lines": changed,
        "fallbacks": session.doc.fallbacks,
        "cursor_line_after": moved_to,
    }


if __name__ == "__main__":  # python -m cchc_consult.tui.bench [RUBRIC.yaml]
    import json
    import sys
    import tempfile

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else write_synthetic_workspace(tempfile.mkdtemp(), 1000)
    print(json.dumps(bench_tui(target), ensure_ascii=False, indent=2))
