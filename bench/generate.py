"""Deterministic synthetic rubrics and score sheets for the benchmarks (and the fault tests).

    python3 bench/generate.py OUTDIR              # rubrics of 100, 1,000, 10,000 criteria, 12 and 1,000 sheets
    python3 bench/generate.py OUTDIR --sizes 1000 --sheets 12

The rubrics look like the real one: sections I, II, III…, criteria on two or
three levels, leaves with percent bands ("Thực hiện trên 80% kế hoạch"),
days-late bands ("Chậm dưới 10 ngày…"), qualitative choices and deductions,
evidence lines and owner offices; every parent's maximum is the sum of its
children's and the declared total the sum of the sections, so `check` finds
nothing arithmetic to report. Same arguments, same bytes: a seeded
`random.Random`, never the global one.
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cchc_consult.model import INF, ZERO, Band, Condition, Node, Rubric, RubricMeta, format_points  # noqa: E402

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
OFFICES = ["VP", "NV", "TP", "TCKH", "TNMT", "LDTBXH", "VHTT", "GDDT", "YT", "TTR", "KTHT", "NNPTNT"]
SECTION_TITLES = ["CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "KẾT QUẢ THỰC HIỆN CẢI CÁCH HÀNH CHÍNH",
                  "TÁC ĐỘNG CỦA CẢI CÁCH HÀNH CHÍNH ĐẾN NGƯỜI DÂN, TỔ CHỨC", "CẢI CÁCH THỂ CHẾ",
                  "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "CẢI CÁCH TỔ CHỨC BỘ MÁY", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ",
                  "CẢI CÁCH TÀI CHÍNH CÔNG"]
ACTIONS = ["Ban hành", "Tổ chức thực hiện", "Kiểm tra, đánh giá", "Tuyên truyền, phổ biến", "Rà soát, cập nhật",
           "Báo cáo kết quả", "Triển khai", "Theo dõi, đôn đốc"]
OBJECTS = ["kế hoạch cải cách hành chính", "thủ tục hành chính", "văn bản quy phạm pháp luật",
           "hồ sơ giải quyết theo cơ chế một cửa", "dịch vụ công trực tuyến toàn trình",
           "chế độ báo cáo định kỳ", "quy chế làm việc của cơ quan", "kết quả đánh giá công chức",
           "hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", "phần mềm quản lý văn bản và điều hành",
           "sáng kiến cải cách hành chính", "chữ ký số chuyên dùng"]
QUALIFIERS = ["hằng năm", "trong lĩnh vực đất đai", "theo Kế hoạch CCHC của huyện", "đúng quy định",
              "trên địa bàn huyện", "thuộc thẩm quyền giải quyết của cơ quan", "năm 2023", "của cơ quan, đơn vị"]
EVIDENCE = ["Kế hoạch CCHC của cơ quan năm 2023", "Báo cáo CCHC Quý I, 6 tháng, Quý III năm 2023",
            "Bảng tổng hợp tiến độ thực hiện các nhiệm vụ CCHC đã được đề ra tại kế hoạch CCHC của cơ quan",
            "Quyết định công bố thủ tục hành chính", "Văn bản triển khai, hướng dẫn thực hiện",
            "Số liệu trích xuất từ Hệ thống thông tin giải quyết TTHC của tỉnh",
            "Biên bản kiểm tra công tác CCHC năm 2023"]
MAXIMA = [Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3)]


def _title(rng: random.Random) -> str:
    return f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}"


def _bands(rng: random.Random, maximum: Decimal) -> tuple[list[Band], str, Decimal | None, list[str]]:
    """(bands, scoring, per_item, items) of one leaf, as the real rubric words them."""
    half = maximum / 2
    kind = rng.choices(["percent", "days", "choice", "deduction"], weights=[4, 3, 2, 1])[0]
    if kind == "percent":
        return [Band("Thực hiện trên 80% kế hoạch", maximum,
                     Condition("percent", Decimal(80), Decimal(100), False, True)),
                Band("Thực hiện từ 50% đến 80% kế hoạch", half,
                     Condition("percent", Decimal(50), Decimal(80), True, True)),
                Band("Thực hiện dưới 50% kế hoạch", ZERO, Condition("percent", ZERO, Decimal(50), True, False))], \
            "choice", None, []
    if kind == "days":
        return [Band("Trước và đúng thời gian quy định", maximum, Condition("days_late", ZERO, ZERO, True, True)),
                Band("Chậm dưới 10 ngày so với thời gian quy định", half,
                     Condition("days_late", ZERO, Decimal(10), False, False)),
                Band("Không ban hành hoặc ban hành chậm từ 10 ngày trở lên", ZERO,
                     Condition("days_late", Decimal(10), INF, True, False))], "choice", None, []
    if kind == "choice":
        return [Band("Thực hiện đầy đủ, đúng quy định", maximum),
                Band("Thực hiện nhưng chưa đầy đủ", half),
                Band("Không thực hiện", ZERO)], "choice", None, []
    per_item = maximum / 4
    items = [f"Nội dung {i}: {rng.choice(OBJECTS)}" for i in range(1, 5)]
    return [Band(f"Mỗi tiêu chí không đạt yêu cầu trừ {format_points(per_item)} điểm", maximum,
                 deduction=per_item)], "deduction", per_item, items


def _leaf(rng: random.Random, node_id: str, tt: str) -> Node:
    maximum = rng.choice(MAXIMA)
    bands, scoring, per_item, items = _bands(rng, maximum)
    return Node(id=node_id, tt=tt, title=_title(rng), max=maximum,
                evidence=rng.sample(EVIDENCE, rng.choice([1, 1, 2])), owner=rng.choice(OFFICES + [""] * 4),
                bands=bands, scoring=scoring, per_item=per_item, items=items)


def _sum_up(node: Node) -> Decimal:
    if node.children:
        node.max = sum((_sum_up(c) for c in node.children), ZERO)
    return node.max or ZERO


def generate_rubric(criteria: int, seed: int = 2023) -> Rubric:
    """A rubric with exactly `criteria` nodes below the sections, sums consistent."""
    rng = random.Random(seed * 100003 + criteria)
    n_sections = min(3 + criteria // 2000, len(SECTION_TITLES))
    sections = [Node(id=ROMAN[s], tt=ROMAN[s], title=SECTION_TITLES[s], max=ZERO, kind="section")
                for s in range(n_sections)]
    made = 0
    number = [0] * n_sections
    while made < criteria:
        s = rng.randrange(n_sections)
        section = sections[s]
        number[s] += 1
        tt = str(number[s])
        node_id = f"{section.id}.{tt}"
        room = criteria - made - 1
        n_children = min(room, rng.choice([0, 0, 2, 3, 4]))
        made += 1
        if n_children < 2:
            section.children.append(_leaf(rng, node_id, tt))
            continue
        group = Node(id=node_id, tt=tt, title=_title(rng), max=ZERO, evidence=[])
        for c in range(1, n_children + 1):
            room = criteria - made - 1
            if room >= 2 and rng.random() < 0.2:
                grand = Node(id=f"{node_id}.{c}", tt=f"{tt}.{c}", title=_title(rng), max=ZERO)
                made += 1
                n_grand = min(room, rng.choice([2, 3]))
                grand.children = [_leaf(rng, f"{node_id}.{c}.{g}", f"{tt}.{c}.{g}") for g in range(1, n_grand + 1)]
                made += n_grand
                group.children.append(grand)
            else:
                group.children.append(_leaf(rng, f"{node_id}.{c}", f"{tt}.{c}"))
                made += 1
        section.children.append(group)
    sections = [s for s in sections if s.children]
    for section in sections:
        _sum_up(section)
    meta = RubricMeta(issuer="UBND huyện Quảng Điền", year=2023, version="v1", status="draft",
                      title=f"BỘ TIÊU CHÍ TỔNG HỢP ({criteria} TIÊU CHÍ, DỮ LIỆU THỬ HIỆU NĂNG)",
                      letter="1632/UBND", letter_date="2023-07-26")
    return Rubric(meta=meta, sections=sections, declared_total=sum((s.max for s in sections), ZERO),
                  total_label="CỘNG ĐIỂM")


def edited_copy(rubric: Rubric, edits: int = 20, seed: int = 7) -> Rubric:
    """The same rubric with `edits` changes (titles, points, a band's words), version v2: input for diff."""
    import copy

    rng = random.Random(seed)
    other = copy.deepcopy(rubric)
    other.meta.version = "v2"
    leaves = [n for n in other.walk() if n.is_leaf and n.kind != "section"]
    for node in rng.sample(leaves, min(edits, len(leaves))):
        what = rng.choice(["title", "band", "evidence"])
        if what == "title":
            node.title += " (sửa theo góp ý)"
        elif what == "band":
            node.bands[-1].text += "; không có báo cáo"
        else:
            node.evidence.append("Báo cáo bổ sung theo góp ý của các cơ quan")
    return other


def write_rubric(rubric: Rubric, path: Path) -> Path:
    """Write through the project's own writer (`yamlio.dump_yaml`), atomically."""
    from cchc_consult import fileio
    from cchc_consult.schema import rubric_to_data
    from cchc_consult.yamlio import dump_yaml

    fileio.atomic_write(path, dump_yaml(rubric_to_data(rubric), "Bộ tiêu chí thử hiệu năng — bench/generate.py"))
    return path


def _entry(rng: random.Random, node: Node) -> str:
    measures = {b.condition.measure for b in node.bands if b.condition is not None}
    extra = ""
    if rng.random() < 0.3 and node.evidence:
        extra = f', evidence: ["{node.evidence[0]}"]'
    if rng.random() < 0.03:
        answer = "khong_phat_sinh: true"
        extra = ""
    elif node.scoring == "deduction":
        count = len(node.items)
        failed = sorted(rng.sample(range(1, count + 1), rng.choice([0, 0, 1, 2])))
        answer = f"failed: [{', '.join(str(i) for i in failed)}]"
    elif "percent" in measures:
        answer = f'value: "{rng.choice([100, 100, 95, 88, 80, 72, 60, 45])}%"'
    elif "days_late" in measures:
        answer = f"days_late: {rng.choice([0, 0, 0, 3, 8, 12])}"
    else:
        answer = f"band: {rng.randint(1, len(node.bands))}"
    return f'  - {{id: "{node.id}", {answer}{extra}}}\n'


def sheet_text(rubric: Rubric, office: str, seed: int, kind: str = "self") -> str:
    """One office's self-assessment sheet (`cchc-score/1`, docs/scoring.md) answering every leaf."""
    rng = random.Random(seed)
    head = (f"# Phiếu tự chấm điểm chỉ số CCHC năm 2023 — {office} (dữ liệu thử hiệu năng)\n"
            f"format: cchc-score/1\noffice: {office}\nrubric: \"{rubric.meta.version}\"\nkind: {kind}\n"
            f"date: \"2023-10-20\"\nassessor: \"Cơ quan {office}\"\nscores:\n")
    return head + "".join(_entry(rng, leaf) for leaf in rubric.leaves())


def write_sheets(rubric: Rubric, count: int, folder: Path) -> list[Path]:
    """`count` self-assessment sheets (one office each) in `folder`."""
    from cchc_consult import fileio

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        office = OFFICES[i] if count <= len(OFFICES) else f"CQ{i:04d}"
        path = folder / f"{office}.yaml"
        fileio.atomic_write(path, sheet_text(rubric, office, seed=i), lock=False)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sinh bộ tiêu chí và phiếu chấm thử hiệu năng (tất định).")
    parser.add_argument("outdir")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--sheets", type=int, nargs="*", default=[12, 1000])
    parser.add_argument("--sheet-rubric", type=int, default=100, help="criteria of the rubric the sheets answer")
    args = parser.parse_args(argv)
    out = Path(args.outdir)
    for size in args.sizes:
        path = write_rubric(generate_rubric(size), out / f"rubric-{size}.yaml")
        print(f"{path}: {path.stat().st_size / 1e6:.2f} MB")
    if args.sheets:
        rubric = generate_rubric(args.sheet_rubric)
        write_rubric(rubric, out / f"sheets-rubric-{args.sheet_rubric}.yaml")
        for count in args.sheets:
            paths = write_sheets(rubric, count, out / f"sheets-{count}")
            size = sum(p.stat().st_size for p in paths)
            print(f"{out / f'sheets-{count}'}: {count} phiếu, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
