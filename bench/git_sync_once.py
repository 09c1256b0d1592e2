"""One `sync` with a merge on the bundled example: two clerks answer different comments (issue 18, wave 2).

    python3 bench/git_sync_once.py [REPEATS]

Each repeat builds, in a temporary folder, a shared bare remote and two clones of the bundled
example; clerk A answers TCKH-3 and syncs, clerk B answers TCKH-4 and syncs (fetch, merge of
comments/dispositions.yaml, merge commit, push): that second sync is timed. Prints the median
and the spread (wall clock) and the median CPU time, for docs/benchmarks.md (Git section).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cchc_consult.consult.dispositions import set_disposition  # noqa: E402
from cchc_consult.vcs.repo import commit, init, init_empty  # noqa: E402
from cchc_consult.vcs.sync import sync  # noqa: E402
from cchc_consult.workspace import Workspace, copy_example  # noqa: E402


def one(root: Path) -> tuple[float, float]:
    remote = str(root / "chung.git")
    a = copy_example(root / "A")
    init(a.root, by="Lan")
    sync(a, remote, by="Lan")
    init_empty(root / "B")
    (root / "B" / "rubric" / "drafts").mkdir(parents=True)
    b = Workspace(root / "B")
    sync(b, remote, by="Bình")
    b = Workspace(root / "B")
    set_disposition(a, "TCKH-3", "tiếp thu", replace=True)
    commit(a.root, "Trả lời TCKH-3", by="Lan")
    sync(a, by="Lan")
    set_disposition(b, "TCKH-4", "không tiếp thu", reason="Giữ nguyên", replace=True)
    commit(b.root, "Trả lời TCKH-4", by="Bình")
    start, cpu = time.perf_counter(), time.process_time()
    result = sync(b, by="Bình")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert result.merged and not result.new_conflicts, result
    return elapsed, cpu


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            times.append(one(Path(tmp)))
    ms = sorted(t * 1000 for t, _ in times)
    cpu = statistics.median(c * 1000 for _, c in times)
    print(f"sync có hợp nhất, bộ mẫu 2023: {repeats} lần, trung vị {statistics.median(ms):.0f} ms, "
          f"nhỏ nhất {ms[0]:.0f} ms, lớn nhất {ms[-1]:.0f} ms; CPU trung vị {cpu:.0f} ms")


if __name__ == "__main__":
    main()
