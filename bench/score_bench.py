"""Batch scoring cost against the floor of just parsing the sheets (issue 6).

    python3 bench/score_bench.py [N_SHEETS] [N_LEAVES]

Builds a synthetic rubric and N sheets in a temporary folder, then times:
  parse      yaml.load(CSafeLoader) of every sheet, nothing else (the floor);
  cold       cchc_consult.score end to end (read + check + score + rank), empty cache;
  warm       the same again, every sheet from the SHA-256-keyed parse cache (marshal).
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import time
from pathlib import Path


def build(root: Path, n_sheets: int, n_leaves: int) -> Path:
    sections = []
    per_section = n_leaves // 4
    for s in range(4):
        numeral = ["I", "II", "III", "IV"][s]
        leaves = []
        for i in range(1, per_section + 1):
            leaves.append(f"""      - id: "{numeral}.{i}"
        tt: "{i}"
        title: Tiêu chí {numeral}.{i}
        max: "2"
        bands:
          - {{text: Trên 80%, points: "2", when: {{measure: percent, range: "(80, 100]"}}}}
          - {{text: Từ 50% đến 80%, points: "1", when: {{measure: percent, range: "[50, 80]"}}}}
          - {{text: Dưới 50%, points: "0", when: {{measure: percent, range: "[0, 50)"}}}}""")
        sections.append(f"""  - id: "{numeral}"
    tt: "{numeral}"
    title: MỤC {numeral}
    max: "{2 * per_section}"
    children:
""" + "\n".join(leaves))
    drafts = root / "rubric" / "drafts"
    drafts.mkdir(parents=True)
    (drafts / "v1.yaml").write_text("format: cchc-rubric/1\nmeta: {version: \"v1\", year: 2023}\nsections:\n"
                                    + "\n".join(sections) + "\n", encoding="utf-8")
    ids = [f"{n}.{i}" for n in ["I", "II", "III", "IV"] for i in range(1, per_section + 1)]
    scores = root / "scores" / "self"
    scores.mkdir(parents=True)
    for k in range(n_sheets):
        lines = [f"format: cchc-score/1\noffice: O{k}\nrubric: \"v1\"\nkind: self\ndate: \"2023-10-20\"\nscores:"]
        for j, node_id in enumerate(ids):
            value = (k * 7 + j * 13) % 101
            lines.append(f'  - {{id: "{node_id}", value: "{value}%", evidence: ["Báo cáo số {j}/BC"], '
                         f'note: "Ghi chú tiêu chí {node_id}"}}')
        (scores / f"O{k}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def main() -> None:
    n_sheets = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_leaves = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    import yaml

    from cchc_consult.score import score_workspace, sheet_files
    from cchc_consult.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = build(Path(tmp) / "ws", n_sheets, n_leaves)
        os.environ["CCHC_CACHE_DIR"] = str(Path(tmp) / "cache")
        files = sheet_files(root / "scores")
        size = sum(f.stat().st_size for f in files)

        def parse_only():
            for f in files:
                yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)

        def parse_only_gc_paused():
            gc.disable()
            try:
                parse_only()
            finally:
                gc.enable()

        def timed(fn):
            # CPU time of this process as well as wall time: on a shared machine wall time is mostly noise
            start, cpu = time.perf_counter(), time.process_time()
            result = fn()
            timed.cpu = time.process_time() - cpu
            return time.perf_counter() - start, result

        t_parse, _ = timed(parse_only)
        c_parse = timed.cpu
        t_parse_nogc, _ = timed(parse_only_gc_paused)
        c_parse_nogc = timed.cpu
        t_cold, report = timed(lambda: score_workspace(Workspace(root)))
        c_cold = timed.cpu
        t_warm, report2 = timed(lambda: score_workspace(Workspace(root)))
        c_warm = timed.cpu
        assert len(report.offices) == n_sheets and not report.failures
        assert [o.appraised.total for o in report.offices] == [o.appraised.total for o in report2.offices]
        print(f"{n_sheets} sheets × {n_leaves} entries, {size / 1e6:.1f} MB")
        print("                                      wall        cpu   cpu ÷ floor")
        for label, wall, cpu in (("parse only, CSafeLoader (floor)", t_parse, c_parse),
                                 ("parse only, CSafeLoader, gc off", t_parse_nogc, c_parse_nogc),
                                 ("score end to end, cold cache", t_cold, c_cold),
                                 ("score end to end, warm cache", t_warm, c_warm)):
            print(f"  {label:32s} {wall * 1000:7.0f} ms {cpu * 1000:7.0f} ms   ×{cpu / c_parse:.2f}")


if __name__ == "__main__":
    main()
