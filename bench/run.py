"""The benchmark suite: one command, one Markdown table, each figure beside its reference.

    python3 bench/run.py            # everything (about two minutes on 2 cores; most of it generating)
    python3 bench/run.py --quick    # without the 10,000-criterion rubric

It generates the inputs into a temporary folder (bench/generate.py: rubrics of
100, 1,000 and 10,000 criteria, 12 and 1,000 score sheets), then measures each
operation and, in the same run, the reference it is judged against — so the
ratio holds even when the machine is busy (absolute numbers vary 10–30 %
between runs, the ratios much less). Medians of several runs, in CPU time (a
busy machine's waits are not the code's); in-process figures exclude interpreter
start-up, cold-start figures are whole processes (the child's user + system time).

Targets (issue 8): reading 1,000 criteria ≤ 1.2× PyYAML's C safe loader on the
same file; check and diff of 1,000 criteria < 30 ms beyond loading; scoring
1,000 sheets end to end ≤ 1.2× just parsing them with the C loader;
`cchc check` cold ≤ 1.2× `python -c "import ruamel.yaml"` with the parse cache warm and
≤ 1.5× on a file not yet cached (issue 11); TUI first paint
< 1 s and a keypress < 50 ms at 1,000 criteria.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


@dataclass
class Row:
    """One line of the table."""

    what: str
    value_ms: float | None
    reference: str = ""
    reference_ms: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> str:
        if self.value_ms is None or not self.reference_ms:
            return ""
        return f"{self.value_ms / self.reference_ms:.2f}×".replace(".", ",")


#: In-process figures are CPU time of this process: on a machine shared with other jobs, the time spent
#: waiting for a core is not the code's (at load 5, wall time varied 3x between runs; CPU time 10-20 %).
_clock = time.process_time


def median_ms(function, repeat: int = 5, setup=None) -> float:
    """Median CPU time of `function()` in milliseconds (setup() before each run is not timed)."""
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        gc.collect()
        start = _clock()
        function()
        times.append((_clock() - start) * 1000)
    return statistics.median(times)


def paired_ms(first, second, repeat: int = 5) -> tuple[float, float]:
    """Medians of two functions timed in alternation, so a busy moment of the machine hits both."""
    a, b = [], []
    for _ in range(repeat):
        for function, out in ((first, a), (second, b)):
            gc.collect()
            start = _clock()
            function()
            out.append((_clock() - start) * 1000)
    return statistics.median(a), statistics.median(b)


def child_cpu_ms(argv: list[str], env: dict | None = None, cwd: Path = REPO) -> float:
    """CPU time (user + system) of one whole process, in milliseconds; wall time where wait4 is missing."""
    if not hasattr(os, "wait4"):  # Windows
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return (time.perf_counter() - start) * 1000
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return (usage.ru_utime + usage.ru_stime) * 1000


def process_ms(argv: list[str], repeat: int, env: dict | None = None, cwd: Path = REPO) -> float:
    """Median CPU time of a whole process, in milliseconds."""
    return statistics.median(child_cpu_ms(argv, env, cwd) for _ in range(repeat))


def n(count: int) -> str:
    """1000 → "1.000", the Vietnamese way."""
    return f"{count:,}".replace(",", ".")


def interleaved_process_ms(runs: list[tuple[list[str], dict]], repeat: int) -> list[float]:
    """Median CPU time (ms) of each (argv, env), the processes run in turn, `repeat` rounds."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for i, (argv, env) in enumerate(runs):
            times[i].append(child_cpu_ms(argv, env))
    return [statistics.median(t) for t in times]


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1000:
        return f"{value / 1000:.2f} s".replace(".", ",")
    return (f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms").replace(".", ",")


def _no_cache(function, *args):
    os.environ["CCHC_NO_CACHE"] = "1"
    try:
        return function(*args)
    finally:
        del os.environ["CCHC_NO_CACHE"]


def _yaml_reference(path: Path):
    import yaml

    def parse():
        with open(path, "rb") as handle:
            return yaml.load(handle, Loader=yaml.CSafeLoader)  # noqa: S506 - the C safe loader
    return parse


# --------------------------------------------------------------------------- measurements

def bench_read(rows: list[Row], path: Path, criteria: int, cache_dir: Path, repeat: int) -> None:
    from cchc_consult import schema

    reference, cold = paired_ms(_yaml_reference(path), lambda: _no_cache(schema.load_rubric_file, path), repeat)
    os.environ["CCHC_CACHE_DIR"] = str(cache_dir)
    schema.load_rubric_file(path)  # fill the cache
    warm = median_ms(lambda: schema.load_rubric_file(path), repeat)
    size = f"{path.stat().st_size / 1e6:.2f} MB".replace(".", ",")
    target = "≤ 1,2×" if criteria == 1000 else ""
    rows.append(Row(f"Đọc bộ {n(criteria)} tiêu chí ({size}), không cache", cold,
                    "PyYAML CSafeLoader cùng tệp", reference, target,
                    cold <= 1.2 * reference if target else None))
    rows.append(Row(f"Đọc bộ {n(criteria)} tiêu chí, cache ấm", warm,
                    "PyYAML CSafeLoader cùng tệp", reference, target, warm <= 1.2 * reference if target else None))


def bench_check(rows: list[Row], path: Path, criteria: int, repeat: int) -> None:
    from cchc_consult import schema
    from cchc_consult.check import check

    rubric = schema.load_rubric_file(path)
    value = median_ms(lambda: check(rubric), repeat)
    target = "< 30 ms" if criteria == 1000 else ""
    rows.append(Row(f"check {n(criteria)} tiêu chí (sau khi đọc)", value, "", None, target,
                    value < 30 if target else None))


def bench_diff(rows: list[Row], path: Path, other: Path, repeat: int) -> None:
    try:
        from cchc_consult.diff import diff_rubrics
    except ImportError:
        rows.append(Row("diff 1.000 tiêu chí", None, note="chưa có cchc_consult/diff.py"))
        return
    from cchc_consult import schema

    a, b = schema.load_rubric_file(path), schema.load_rubric_file(other)
    value = median_ms(lambda: diff_rubrics(a, b), repeat)
    changes = len(diff_rubrics(a, b).changes)
    rows.append(Row(f"diff 1.000 tiêu chí, 20 chỗ sửa ({changes} thay đổi, sau khi đọc)", value, "", None,
                    "< 30 ms", value < 30))


def bench_score(rows: list[Row], rubric_path: Path, sheets_dir: Path, cache_dir: Path, repeat: int,
                with_target: bool = True) -> None:
    try:
        from cchc_consult.score import load_sheets, score_sheets
    except ImportError:
        rows.append(Row("chấm 1.000 phiếu", None, note="chưa có cchc_consult/score"))
        return
    import yaml

    from cchc_consult import schema

    files = sorted(sheets_dir.glob("*.yaml"))

    def parse_only():
        for f in files:
            with open(f, "rb") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)  # noqa: S506

    def end_to_end():
        report = score_sheets(schema.load_rubric_file(rubric_path), load_sheets(sheets_dir))
        assert not report.failures, report.failures[:1]

    reference, cold = paired_ms(parse_only, lambda: _no_cache(end_to_end), repeat)
    os.environ["CCHC_CACHE_DIR"] = str(cache_dir)
    end_to_end()
    warm = median_ms(end_to_end, repeat)
    size = sum(f.stat().st_size for f in files) / 1e6
    size_text = f"{size:.1f}".replace(".", ",")
    rows.append(Row(f"Chấm {n(len(files))} phiếu ({size_text} MB) từ đầu đến cuối, không cache",
                    cold, "chỉ phân tích các phiếu bằng CSafeLoader", reference, "≤ 1,2×" if with_target else "",
                    cold <= 1.2 * reference if with_target else None))
    rows.append(Row(f"Chấm {n(len(files))} phiếu, cache ấm", warm,
                    "chỉ phân tích các phiếu bằng CSafeLoader", reference, "≤ 1,2×" if with_target else "",
                    warm <= 1.2 * reference if with_target else None))


def bench_render(rows: list[Row], rubric_path: Path, score_rubric_path: Path, sheets_dir: Path,
                 repeat: int) -> None:
    import jinja2

    from cchc_consult import schema

    rubric = schema.load_rubric_file(rubric_path)
    nodes = list(rubric.walk())
    bare = jinja2.Environment(autoescape=True).from_string(
        "<table>{% for n in rows %}<tr><td>{{ n.id }}</td><td>{{ n.title }}</td><td>{{ n.max }}</td>"
        "<td>{% for b in n.bands %}{{ b.text }} {{ b.points }}<br>{% endfor %}</td>"
        "<td>{{ n.evidence|join('<br>') }}</td></tr>{% endfor %}</table>")
    reference = median_ms(lambda: bare.render(rows=nodes), repeat)
    try:
        from cchc_consult.render.rubric import rubric_to_html

        value = median_ms(lambda: rubric_to_html(rubric), repeat)
        rows.append(Row(f"HTML bộ tiêu chí {n(len(nodes))} hàng", value,
                        "mẫu Jinja2 tối giản cùng số hàng", reference, "", None))
    except ImportError:
        rows.append(Row("HTML bộ tiêu chí", None, note="chưa có render/rubric.py"))
    try:
        from cchc_consult.score import load_sheets, score_sheets
        from cchc_consult.render.score import render_html

        report = score_sheets(schema.load_rubric_file(score_rubric_path), load_sheets(sheets_dir))
        value = median_ms(lambda: render_html(report), max(3, repeat // 2))
        rows.append(Row(f"HTML báo cáo chấm điểm {n(len(report.offices))} cơ quan (cả báo cáo: xếp hạng, "
                        "điều chỉnh thẩm định, tiêu chí mất điểm)", value, "", None, "", None))
    except (ImportError, AttributeError) as exc:
        rows.append(Row("HTML báo cáo chấm điểm", None, note=f"không đo được: {exc}"))


#: What pip writes as the `cchc` console script (setuptools' entry point), run by the installed copy's Python.
_CONSOLE_SCRIPT = """import re
import sys
from cchc_consult.cli import main
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit(main())
"""


def installed_copy(work: Path) -> tuple[str, str, str]:
    """(python, console script, what it is) of this checkout installed the way `pip install .` leaves it.

    A development checkout is usually installed editable (`pip install -e`), whose import hook runs
    at the start of every process — the reference's too — and imports pathlib, re and importlib.util
    before anything is measured: both sides look cheaper than a user's, and the ratio kinder. So the
    cold start is measured on a venv of its own holding a built copy of the package; the libraries
    come from this Python's site-packages through a .pth line (their own .pth hooks do not run).
    Falls back to the current install when the copy cannot be built (no setuptools, no disk).
    """
    import sysconfig

    venv = work / "venv-cold"
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
        python = venv / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")
        site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   check=True, capture_output=True, text=True).stdout.strip())
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--target", str(site), str(REPO)], check=True, capture_output=True)
        libraries = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
        (site / "_bench_libraries.pth").write_text("\n".join(libraries) + "\n", encoding="utf-8")
        script = venv / "cchc-bench"
        script.write_text(_CONSOLE_SCRIPT, encoding="utf-8")
        return str(python), str(script), "bản cài thường (pip install .) trong venv riêng"
    except (OSError, subprocess.CalledProcessError):
        beside = Path(sys.executable).parent / "cchc"
        return sys.executable, str(beside), "bản cài hiện có (có thể là bản cài -e: tỷ lệ dễ hơn thực tế)"


def bench_cold_start(rows: list[Row], repeat: int, big: Path | None, work: Path) -> None:
    python, script, installed = installed_copy(work)
    cache = Path(tempfile.mkdtemp(prefix="cchc-bench-cache-"))
    # As installed for a user: with compiled bytecode. (A development shell may set
    # PYTHONDONTWRITEBYTECODE, which makes every start compile ~25 modules: +100 ms.) The .pyc
    # files go to a temporary prefix, not into the source tree.
    env = {**os.environ, "CCHC_CACHE_DIR": str(cache), "PYTHONPYCACHEPREFIX": str(cache / "pyc")}
    for name in ("CCHC_NO_CACHE", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"):
        env.pop(name, None)
    no_cache = {**env, "CCHC_NO_CACHE": "1"}
    v1 = "rubric/drafts/v1.yaml"
    command = [python, script]
    runs = [([python, "-c", "pass"], env), ([python, "-c", "import ruamel.yaml"], env), (command + ["check", v1], env),
            (command + ["check", v1], no_cache)]
    for argv, run_env in runs:
        process_ms(argv, 2, run_env)  # bytecode, cache and OS file cache in place for all
    # Interleaved, so a busy moment of the machine hits every command alike.
    base, reference, warm, cold = interleaved_process_ms(runs, repeat)
    ref = 'python -c "import ruamel.yaml"'
    rows.append(Row(f"`cchc check {v1}` khởi động nguội, cache ấm", warm, ref, reference, "≤ 1,2×",
                    warm <= 1.2 * reference, f"`python -c pass`: {fmt_ms(base)}; {installed}"))
    rows.append(Row(f"`cchc check {v1}` khởi động nguội, không cache", cold, ref, reference, "≤ 1,5×",
                    cold <= 1.5 * reference))
    if big is not None:
        process_ms(command + ["check", str(big)], 1, env)
        value = process_ms(command + ["check", str(big)], max(3, repeat // 3), env)
        rows.append(Row("`cchc check` bộ 10.000 tiêu chí, cache ấm", value, ref, reference, "", None))
        value = process_ms(command + ["check", str(big)], 3, no_cache)
        rows.append(Row("`cchc check` bộ 10.000 tiêu chí, không cache", value, ref, reference, "", None))
    shutil.rmtree(cache, ignore_errors=True)


def bench_tui(rows: list[Row], path: Path) -> None:
    try:
        import cchc_consult.tui.bench  # noqa: F401
    except ImportError:
        rows.append(Row("TUI khung hình đầu, 1.000 tiêu chí", None, note="chưa có cchc_consult/tui/bench.py"))
        return
    code = ("import json, sys; from cchc_consult.tui.bench import bench_tui; "
            "print(json.dumps(bench_tui(sys.argv[1])))")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=REPO,
                         timeout=300)
    try:
        result = json.loads(run.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        rows.append(Row("TUI 1.000 tiêu chí", None, note=f"lỗi: {run.stderr.strip()[-200:]}"))
        return
    rows.append(Row(f"TUI khung hình đầu, {n(result.get('criteria', 1000))} mục",
                    result["first_paint_ms"], "", None, "< 1 s", result["first_paint_ms"] < 1000,
                    f"sẵn sàng sửa sau {fmt_ms(result.get('document_ready_ms'))}"))
    rows.append(Row("TUI một phím (↓), trung vị", result["keypress_ms"], "", None, "< 50 ms",
                    result["keypress_ms"] < 50, f"chậm nhất {fmt_ms(result.get('keypress_max_ms'))}"))
    if "editing_ready_ms" in result:
        rows.append(Row("TUI sẵn sàng sửa (từ lúc khởi tạo ứng dụng)", result["editing_ready_ms"], "", None,
                        "≤ 0,5 s", result["editing_ready_ms"] <= 500))
        rows.append(Row("TUI lưu một chỗ sửa (Ctrl+S)", result["save_ms"], "", None, "≤ 0,3 s",
                        result["save_ms"] <= 300,
                        f"{result['save_changed_lines']} dòng khác trên đĩa, sửa mất {fmt_ms(result['edit_ms'])}"))


# --------------------------------------------------------------------------- table

def markdown(rows: list[Row], header: str) -> str:
    out = [header, "",
           "| Phép đo | Kết quả | Tham chiếu (cùng lần chạy) | Tỷ lệ | Mục tiêu | Đạt |",
           "|---|---:|---|---:|---|:-:|"]
    for r in rows:
        ref = f"{r.reference}: {fmt_ms(r.reference_ms)}" if r.reference_ms is not None else r.reference
        ok = "" if r.ok is None else ("✅" if r.ok else "❌")
        value = fmt_ms(r.value_ms) if r.value_ms is not None else r.note
        note = f" ({r.note})" if r.note and r.value_ms is not None else ""
        out.append(f"| {r.what}{note} | {value} | {ref} | {r.ratio} | {r.target} | {ok} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo hiệu năng cchc-consult, in bảng Markdown.")
    parser.add_argument("--quick", action="store_true", help="bỏ bộ 10.000 tiêu chí")
    parser.add_argument("--repeat", type=int, default=7, help="số lần đo mỗi phép (lấy trung vị)")
    parser.add_argument("--keep", help="giữ dữ liệu sinh ra trong thư mục này")
    parser.add_argument("--json", help="ghi kết quả dạng JSON vào tệp này")
    args = parser.parse_args(argv)

    work = Path(args.keep or tempfile.mkdtemp(prefix="cchc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sizes = [100, 1000] if args.quick else [100, 1000, 10000]
    paths: dict[int, Path] = {}
    for size in sizes:
        paths[size] = generate.write_rubric(generate.generate_rubric(size), work / f"rubric-{size}.yaml")
    edited = generate.write_rubric(generate.edited_copy(generate.generate_rubric(1000)), work / "rubric-1000-v2.yaml")
    sheet_rubric = generate.generate_rubric(100)
    sheet_rubric_path = generate.write_rubric(sheet_rubric, work / "sheets-rubric-100.yaml")
    sheets = {n: work / f"sheets-{n}" for n in (12, 1000)}
    for count, folder in sheets.items():
        generate.write_sheets(sheet_rubric, count, folder)
    tui_path = work / "ws" / "rubric" / "drafts" / "v1.yaml"
    tui_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(paths[1000], tui_path)
    generated = time.perf_counter() - started

    rows: list[Row] = []
    cache_dir = work / "cache"
    for size in sizes:
        bench_read(rows, paths[size], size, cache_dir, args.repeat if size < 10000 else 3)
    for size in sizes:
        bench_check(rows, paths[size], size, args.repeat if size < 10000 else 3)
    bench_diff(rows, paths[1000], edited, args.repeat)
    bench_score(rows, sheet_rubric_path, sheets[12], cache_dir, args.repeat, with_target=False)
    bench_score(rows, sheet_rubric_path, sheets[1000], cache_dir, max(3, args.repeat // 2))
    bench_render(rows, paths[1000], sheet_rubric_path, sheets[1000], args.repeat)
    bench_cold_start(rows, max(10, args.repeat), None if args.quick else paths[10000], work)
    bench_tui(rows, tui_path)

    import platform

    header = (f"Python {platform.python_version()}, {os.cpu_count()} lõi, "
              f"tải máy lúc đo {os.getloadavg()[0]:.1f}; dữ liệu sinh trong {generated:.0f} s "
              f"(bench/generate.py, tất định); thời gian CPU, trung vị của {args.repeat} lần (khởi động nguội: "
              f"{max(10, args.repeat)} lần).")
    print(markdown(rows, header))
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
