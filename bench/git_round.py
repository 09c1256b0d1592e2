"""A province round on git: 30 units, 5 reviewers, 300 comments, 3 clones syncing in turns (issue 18).

    python3 bench/git_round.py [UNITS] [COMMENTS_PER_UNIT] [CLONES]

Builds, in a temporary folder, a shared bare remote and three clerks' clones of the bundled
example with UNITS more units in offices.yaml. In each turn every clone, in order: saves the
comment files that reached it (one commit each), answers the comments assigned to it through
`set_disposition` (what `cchc comments answer` does; one commit each), lets its reviewer edit a
criterion of v2 only that reviewer owns (one commit), then runs `sync`. After the last turn one
more round of syncs; then every clone must hold every comment and every answer, with no open
conflict. Prints the time per sync (and per commit), for docs/benchmarks.md.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cchc_consult.consult.dispositions import set_disposition  # noqa: E402
from cchc_consult.vcs.hook import record  # noqa: E402
from cchc_consult.vcs.repo import commit, init, init_empty  # noqa: E402
from cchc_consult.vcs.sync import open_conflicts, sync  # noqa: E402
from cchc_consult.workspace import Workspace, copy_example  # noqa: E402
from cchc_consult.yamlio import read_yaml  # noqa: E402

REVIEWERS = 5


def leaf_ids(ws: Workspace) -> list[str]:
    return [n.id for n in ws.rubric("v1").walk() if not n.children]


def add_units(ws: Workspace, units: int) -> list[str]:
    codes = [f"DV{k:02d}" for k in range(1, units + 1)]
    text = ws.offices_file.read_text(encoding="utf-8").rstrip() + "\n"
    text += "".join(f"  - code: {c}\n    name: Đơn vị thử {c}\n    short: {c}\n" for c in codes)
    ws.offices_file.write_text(text, encoding="utf-8")
    return codes


def comment_file(code: str, per_unit: int, leaves: list[str], day: int) -> str:
    lines = ["format: cchc-comments/1", f'office: "{code}"', 'version: "v1"', f'date_sent: "2023-08-{day:02d}"',
             "agree_all: false", "comments:"]
    for k in range(per_unit):
        lines += [f'  - criterion: "{leaves[(hash(code) + 7 * k) % len(leaves)]}"', '    kind: "nội dung"',
                  f'    comment: "Ý kiến {k + 1} của {code}: đề nghị ghi rõ cách chấm."']
    return "\n".join(lines) + "\n"


def bundled_commit_cost(root: Path) -> None:
    """init + first commit of the bundled example, then 15 commits of one changed file (the median)."""
    ws = copy_example(root / "mau")
    t = time.perf_counter()
    init(ws.root, by="x")
    first = time.perf_counter() - t
    times = []
    for i in range(15):
        path = ws.comments_dir / "dispositions.yaml"
        path.write_text(path.read_text(encoding="utf-8") + f"\n# {i}\n", encoding="utf-8")
        t = time.perf_counter()
        commit(ws.root, "m", by="x")
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    commit(ws.root, "m", by="x")
    nothing = time.perf_counter() - t
    print(f"bundled example: init + first commit {first * 1000:.0f} ms; a commit of one changed file median "
          f"{statistics.median(times) * 1000:.0f} ms; nothing to commit {nothing * 1000:.0f} ms")


def main(units: int = 30, per_unit: int = 10, clones: int = 3) -> int:
    root = Path(tempfile.mkdtemp(prefix="cchc-git-round-"))
    bundled_commit_cost(root)
    remote = str(root / "chung.git")
    first = copy_example(root / "clerk1")
    codes = add_units(first, units)
    leaves = leaf_ids(first)
    init(first.root, by="Thư ký 1")
    sync_times: list[float] = []
    commit_times: list[float] = []

    def timed_sync(ws: Workspace, who: str) -> None:
        t = time.perf_counter()
        result = sync(ws, remote if not (ws.root / ".git" / "config").read_text().count("origin") else None, by=who)
        sync_times.append(time.perf_counter() - t)
        if result.new_conflicts:
            raise SystemExit(f"unexpected conflicts: {[c.id for c in result.new_conflicts]}")

    timed_sync(first, "Thư ký 1")
    clerks = [first]
    for k in range(2, clones + 1):
        ws = Workspace(root / f"clerk{k}")
        init_empty(ws.root)
        (ws.root / "rubric" / "drafts").mkdir(parents=True)
        t = time.perf_counter()
        sync(ws, remote, by=f"Thư ký {k}")
        sync_times.append(time.perf_counter() - t)
        clerks.append(ws)

    # Units reach the clones in turns; comments of unit u are answered by clone u % clones.
    arrivals = {k: codes[k::clones] for k in range(clones)}
    turns = max(len(v) for v in arrivals.values())
    reviewer_leaves = {k: leaves[k * 3] for k in range(REVIEWERS)}
    for turn in range(turns):
        for k, ws in enumerate(clerks):
            who = f"Thư ký {k + 1}"
            if turn < len(arrivals[k]):
                code = arrivals[k][turn]
                (ws.comments_dir / f"{code}-2023-08-{10 + turn % 8:02d}.yaml").write_text(
                    comment_file(code, per_unit, leaves, 10 + turn % 8), encoding="utf-8")
                t = time.perf_counter()
                record(ws, f"Nhận góp ý của {code}", by=who)
                commit_times.append(time.perf_counter() - t)
            answered = {c for c in (read_yaml(ws.comments_dir / "dispositions.yaml").get("dispositions") or {})}
            present = [p.name.split("-")[0] for p in ws.comments_dir.glob("DV*.yaml")]
            for code in present:
                if codes.index(code) % clones != k:
                    continue
                for n in range(1, per_unit + 1):
                    cid = f"{code}-{n}"
                    if cid in answered:
                        continue
                    status = "tiếp thu" if n % 2 else "không tiếp thu"
                    set_disposition(ws, cid, status, "" if n % 2 else "Giữ như dự thảo", "v2" if n % 2 else "", by=who)
                    t = time.perf_counter()
                    record(ws, f"Trả lời ý kiến {cid}: {status}", by=who)
                    commit_times.append(time.perf_counter() - t)
            reviewer = (turn * clones + k) % REVIEWERS
            if turn < 2:  # a reviewer touches only the criterion it owns: never a clash
                path = ws.drafts / "v2.yaml"
                leaf = reviewer_leaves[reviewer]
                text = path.read_text(encoding="utf-8")
                marker = f'id: "{leaf}"'
                if marker in text and f"(rà soát {reviewer})" not in text:
                    head, tail = text.split(marker, 1)
                    tail = tail.replace("\n", f"\n            # rà soát {reviewer}\n", 1)
                    path.write_text(head + marker + tail, encoding="utf-8")
                    record(ws, f"Cơ quan rà soát {reviewer} sửa {leaf}", by=who)
            timed_sync(ws, who)
    for ws in clerks:  # everyone takes the last changes
        timed_sync(ws, "cuối")
    for ws in clerks[:-1]:
        timed_sync(ws, "cuối")

    expected = {f"{c}-{n}" for c in codes for n in range(1, per_unit + 1)}
    for k, ws in enumerate(clerks):
        comments = {c.id for c in ws.comments().comments if c.office in codes}
        answers = set(read_yaml(ws.comments_dir / "dispositions.yaml")["dispositions"]) & expected
        assert comments == expected, f"clone {k + 1}: {len(expected - comments)} comments missing"
        assert answers == expected, f"clone {k + 1}: {len(expected - answers)} answers missing"
        assert not open_conflicts(ws), f"clone {k + 1}: open conflicts"
    shutil.rmtree(root, ignore_errors=True)
    print(f"{units} units, {REVIEWERS} reviewers, {len(expected)} comments, {clones} clones: "
          f"every comment and answer in every clone, no conflict")
    print(f"syncs: {len(sync_times)}; per sync median {statistics.median(sync_times) * 1000:.0f} ms, "
          f"mean {statistics.mean(sync_times) * 1000:.0f} ms, max {max(sync_times) * 1000:.0f} ms; "
          f"last {sync_times[-1] * 1000:.0f} ms")
    print(f"commits: {len(commit_times)}; per commit median {statistics.median(commit_times) * 1000:.0f} ms, "
          f"max {max(commit_times) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:4])))
