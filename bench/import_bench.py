"""Import speed at 1,000 criteria in every layout, against the page-text import of the same rows.

    python3 bench/import_bench.py                      # this checkout
    python3 bench/import_bench.py --baseline ../main   # also the page-text import of another checkout

The same rubric (10 sections × 100 criteria × 3 bands = 4,011 table rows) is
written in each layout the importer reads (tests/fixtures/rubrics/make_fixtures.py
writes them; PDF and .odt are left out: their time is LibreOffice's and
pdfplumber's, not ours). Target (issue 15): every layout within 2× the
page-text import of the same rows as it was before issue 15 (`--baseline`).
Best of three runs, in process, start-up excluded.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "rubrics"))

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def spec(sections: int = 10, per_section: int = 100) -> dict:
    """A rubric in the corpus's row form, with a non-breaking space in every empty cell (the seed's page)."""
    rows = []
    for s in ROMAN[:sections]:
        rows.append([s, f"MỤC {s} CỦA BỘ TIÊU CHÍ THỬ", str(per_section), ""])
        for i in range(1, per_section + 1):
            rows.append([str(i), f"Tiêu chí số {i} của mục {s}", "1", "Báo cáo của cơ quan"])
            rows += [["", "Thực hiện trên 80% kế hoạch", "1", ""], ["", "Từ 50% đến 80% kế hoạch", "0,5", ""],
                     ["", "Dưới 50% kế hoạch", "0", ""]]
    rows.append(["", "Tổng cộng", str(sections * per_section), ""])
    return {"title": ["BỘ TIÊU CHÍ THỬ ĐO TỐC ĐỘ NHẬP NĂM 2024"], "header": ["TT", "Nội dung", "Điểm chuẩn",
                                                                         "Tài liệu kiểm chứng"], "rows": rows}


def page_text(data: dict) -> str:
    """The seed's layout: a blank line between cells, a non-breaking space for an empty one."""
    cells = data["title"] + data["header"]
    for row in data["rows"]:
        cells += [c or "\u00a0" for c in row]
    return "\n\n".join(cells) + "\n"


def best(path: Path, runs: int = 3) -> tuple[float, int]:
    from cchc_consult.importers import import_any

    times, nodes = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        result = import_any(path)
        times.append(time.perf_counter() - started)
        nodes = len(result.rubric)
    return min(times), nodes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", help="another checkout whose page-text import is the reference")
    args = parser.parse_args()
    import make_fixtures as w

    data = spec()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-import-bench-"))
    files = {"trang web (ô cách dòng trống, ô rỗng NBSP)": ("page.txt", page_text(data)),
             "mỗi ô một dòng, ô rỗng là dòng trống": ("blank.txt", w.one_line_a_cell_blank_empty(data)),
             "ô cách dòng trống, bỏ hẳn ô rỗng": ("absent.txt", w.blank_separated_absent_empty(data)),
             "dòng chỉ có dấu \\|": ("bars.txt", w.bar_lines(data)),
             "hàng 'ô \\| ô \\|'": ("pipe.txt", w.pipe_rows(data)),
             "Markdown": ("table.md", w.markdown(data)),
             "tab": ("table.tsv", w.tab_separated(data)),
             "HTML": ("page.html", w.html_page(data))}
    print("| bố cục | thời gian (s) | số mục |\n|---|---|---|")
    for label, (name, text) in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
        seconds, nodes = best(tmp / name)
        print(f"| {label} | {seconds:.3f} | {nodes} |")
    if args.baseline:
        code = (f"import sys, time; sys.path.insert(0, {str(Path(args.baseline).resolve())!r}); "
                "from cchc_consult.importers import import_any; t = []\n"
                "for _ in range(3):\n s = time.perf_counter(); r = import_any(sys.argv[1]); "
                "t.append(time.perf_counter() - s)\nprint(f'{min(t):.3f} {len(r.rubric)}')")
        out = subprocess.run([sys.executable, "-c", code, str(tmp / "page.txt")], capture_output=True, text=True,
                             env={"PYTHONPATH": str(Path(args.baseline).resolve()), "PATH": "/usr/bin:/bin"})
        print(f"| trang web, bản {args.baseline} (mốc so sánh) | {out.stdout.split()[0] if out.stdout else out.stderr[-200:]} "
              f"| {out.stdout.split()[1] if out.stdout else ''} |")


if __name__ == "__main__":
    main()
