"""Rubric-aware differences between two versions: criteria, points and bands, not YAML lines.

`diff_rubrics(a, b)` is a pure function over the model. Nodes are matched by
id first; only the pairs whose content differs, and the nodes left unmatched,
are compared further — never the whole tree (a whole-tree DeepDiff of two
1,000-criterion rubrics takes about a second here; this takes milliseconds).
Unmatched nodes whose content is the same or nearly so are paired as moves, so
a renumbered criterion is not reported as removed and added. Every change
carries `delta`, the points it adds to the sum of all maxima, so the point
arithmetic of a diff always balances (`Totals.all_after - Totals.all_before`).

`diff_as_dict` gives the JSON form and `points_lines` / `counts_text` the
summary rows every view shows; the documents (text, Markdown, HTML) are in
`render.diff`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from .model import INF, ZERO, Band, Condition, Node, Rubric
from .vn import format_points, points_or_dash as _p

#: Every kind of change, in the order a summary lists them, with its Vietnamese label.
KINDS: dict[str, str] = {
    "total-changed": "tổng cộng thay đổi",
    "added": "thêm tiêu chí",
    "removed": "bỏ tiêu chí",
    "moved": "đánh số lại / chuyển chỗ",
    "split": "tách tiêu chí",
    "merged": "gộp tiêu chí",
    "max-changed": "điểm chuẩn thay đổi",
    "title-changed": "sửa nội dung tiêu chí",
    "band-added": "thêm mức điểm",
    "band-removed": "bỏ mức điểm",
    "band-reworded": "sửa lời mức điểm",
    "band-condition-changed": "đổi điều kiện của mức",
    "band-points-changed": "đổi điểm của mức",
    "evidence-changed": "đổi tài liệu kiểm chứng",
    "scoring-changed": "đổi cách chấm",
    "owner-changed": "đổi cơ quan theo dõi",
}

#: Below these, two nodes with different ids are not the same criterion renumbered.
MOVE_TITLE_MIN = 0.6
MOVE_SCORE_MIN = 0.6
#: Above this many candidate pairs, only exact-content moves are looked for (keeps a mass renumbering fast).
MAX_FUZZY_PAIRS = 40_000


@dataclass
class Change:
    """One difference, in rubric terms: what kind, which node (old and new id), and a Vietnamese sentence."""

    kind: str
    old_id: str | None
    new_id: str | None
    message: str
    before: str = ""
    after: str = ""
    detail: dict = field(default_factory=dict)
    #: Points this change adds to the sum of all maxima (B − A for the nodes it concerns); 0 when none.
    delta: Decimal = ZERO

    @property
    def node_id(self) -> str:
        """The id to show: the new one, or the old one for a removal."""
        return self.new_id or self.old_id or ""

    def as_dict(self) -> dict:
        """JSON-ready, with stable English keys and points as Vietnamese strings."""
        return {"kind": self.kind, "old_id": self.old_id, "new_id": self.new_id, "message": self.message,
                "before": self.before, "after": self.after, "delta": format_points(self.delta),
                "detail": self.detail}


@dataclass
class SectionTotal:
    """A section's points before and after: as written, and as its children add up."""

    old_id: str | None
    new_id: str | None
    title: str
    before: Decimal | None
    after: Decimal | None
    children_before: Decimal | None
    children_after: Decimal | None


@dataclass
class Totals:
    """The point arithmetic of a diff: declared and computed grand totals, sections, leaves."""

    declared_before: Decimal | None = None
    declared_after: Decimal | None = None
    computed_before: Decimal = ZERO
    computed_after: Decimal = ZERO
    leaves_before: Decimal = ZERO
    leaves_after: Decimal = ZERO
    #: The sum of every node's maximum at every level, the quantity `Change.delta` accounts for.
    all_before: Decimal = ZERO
    all_after: Decimal = ZERO
    sections: list[SectionTotal] = field(default_factory=list)


@dataclass
class RubricDiff:
    """The differences between two rubrics, and the matching of their nodes."""

    changes: list[Change]
    totals: Totals
    #: old id → new id for every matched node, moves included.
    matches: dict[str, str] = field(default_factory=dict)
    old_name: str = ""
    new_name: str = ""

    def id_map(self) -> dict[str, str]:
        """Old id → new id for every matched node (moves included; removed nodes are absent)."""
        return dict(self.matches)

    def changes_for(self, node_id: str) -> list[Change]:
        """The changes that concern a node, by its old or its new id (parts of a split, merge or subtree too)."""
        return [c for c in self.changes if node_id in (c.old_id, c.new_id) or node_id in c.detail.get("parts", ())
                or node_id in c.detail.get("covers_old", ()) or node_id in c.detail.get("covers_new", ())]

    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        """Number of changes per kind, in the order of KINDS, kinds absent left out."""
        out = {kind: 0 for kind in KINDS}
        for change in self.changes:
            out[change.kind] = out.get(change.kind, 0) + 1
        return {k: v for k, v in out.items() if v}

    def accounted(self) -> bool:
        """Whether the changes' point deltas add up to the difference of all maxima (they always should)."""
        return self.totals.all_before + sum((c.delta for c in self.changes), ZERO) == self.totals.all_after


# --------------------------------------------------------------------------- small helpers

def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + format_points(abs(value))


def _words(text: str) -> list[str]:
    return text.split()


#: Longest middle (after the common start and end are set aside) that difflib compares word by word:
#: its matcher is quadratic, and a 40,000-word title took 25 s. A longer middle counts as replaced whole.
MAX_DIFF_WORDS = 2000


def _common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """(words shared at the start, words shared at the end) of two word lists, not overlapping."""
    start, limit = 0, min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for two word lists, in time bounded on long texts (see `MAX_DIFF_WORDS`)."""
    start, end = _common_ends(a, b)
    mid_a, mid_b = a[start:len(a) - end], b[start:len(b) - end]
    out: list[tuple[str, int, int, int, int]] = [("equal", 0, start, 0, start)] if start else []
    if len(mid_a) + len(mid_b) <= MAX_DIFF_WORDS:
        out += [(op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in
                difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False).get_opcodes()]
    elif mid_a or mid_b:
        out.append(("replace", start, len(a) - end, start, len(b) - end))
    if end:
        out.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return [op for op in out if op[2] > op[1] or op[4] > op[3]]


def _ratio(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    if len(a) + len(b) <= MAX_DIFF_WORDS:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    same = sum(i2 - i1 for op, i1, i2, _, _ in _opcodes(a, b) if op == "equal")
    return 2.0 * same / (len(a) + len(b))


def word_diff(before: str, after: str) -> list[list[str]]:
    """The changed words between two texts: [["=", "Không"], ["+", "ban"], ["=", "hành kế hoạch"]]."""
    a, b = _words(before), _words(after)
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            out.append(["=", " ".join(a[i1:i2])])
            continue
        if i2 > i1:
            out.append(["-", " ".join(a[i1:i2])])
        if j2 > j1:
            out.append(["+", " ".join(b[j1:j2])])
    return out


def _changed_words(segments: list[list[str]]) -> str:
    """The edits of a word diff, each region once: "“trên” → “từ”; thêm “trở lên”"."""
    regions: list[str] = []
    removed = added = ""
    for op, text in [*segments, ["=", ""]]:
        if op == "-":
            removed = text
        elif op == "+":
            added = text
        else:
            if removed and added:
                regions.append(f"“{removed}” → “{added}”")
            elif added:
                regions.append(f"thêm “{added}”")
            elif removed:
                regions.append(f"bỏ “{removed}”")
            removed = added = ""
    return "; ".join(regions)


def _keyed(rubric: Rubric) -> tuple[dict[str, Node], dict[str, str | None]]:
    """Nodes by a unique key (the id; "id#2" for a repeated id) and each key's parent key."""
    nodes: dict[str, Node] = {}
    parents: dict[str, str | None] = {}

    def visit(node: Node, parent: str | None) -> None:
        key = node.id
        n = 2
        while key in nodes:
            key = f"{node.id}#{n}"
            n += 1
        nodes[key] = node
        parents[key] = parent
        for child in node.children:
            visit(child, key)

    for section in rubric.sections:
        visit(section, None)
    return nodes, parents


def _covered(whole: Node, parts: list[Node]) -> bool:
    """Whether the pieces of a split (or merge) between them carry most words of the whole's title."""
    words = {w.lower() for w in _words(whole.title)}
    found = {w.lower() for p in parts for w in _words(p.title)}
    return bool(words) and len(words & found) / len(words) >= 0.7


def _children(parents: dict[str, str | None]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, parent in parents.items():
        if parent is not None:
            out.setdefault(parent, []).append(key)
    return out


def _same_content(a: Node, b: Node) -> bool:
    """Whether two nodes say the same thing themselves (children and id aside): equal means no change."""
    return (a.title == b.title and a.max == b.max and a.bands == b.bands and a.evidence == b.evidence
            and a.kind == b.kind and a.owner == b.owner and a.scoring == b.scoring and a.per_item == b.per_item
            and a.items == b.items and (not a.children) == (not b.children))


def _move_signature(node: Node) -> tuple:
    """What must be identical for an exact move: kind, title and band words."""
    return (node.kind, node.title, tuple(b.text for b in node.bands))


def _aux_words(node: Node) -> list[str]:
    return [w for b in node.bands for w in _words(b.text)] + [w for e in node.evidence for w in _words(e)]


# --------------------------------------------------------------------------- matching

def _match(old: dict[str, Node], new: dict[str, Node]) -> tuple[dict[str, str], set[str]]:
    """(old key → new key, keys matched by id with identical content).

    In phases, each over what the previous left: same id and same content;
    exact moves (same title and band words under another id); near moves and
    edits, scored by word similarity; finally same id whatever else changed.
    """
    pairs: dict[str, str] = {}
    rest_old: list[str] = []
    for key, node in old.items():
        other = new.get(key)
        if other is not None and _same_content(node, other):
            pairs[key] = key
        else:
            rest_old.append(key)
    same = set(pairs)
    rest_new = [k for k in new if k not in same]
    if not rest_old or not rest_new:
        return pairs, same
    used_new = set(same)

    def accept(candidates: list[tuple[float, str, str]]) -> None:
        candidates.sort(key=lambda c: -c[0])
        for _, key, other in candidates:
            if key not in pairs and other not in used_new:
                pairs[key] = other
                used_new.add(other)

    # Exact moves. Ties (two criteria worded alike) go to the same points and evidence, then the nearest place.
    position_old = {k: i for i, k in enumerate(old)}
    position_new = {k: i for i, k in enumerate(new)}
    by_signature: dict[tuple, list[str]] = {}
    for key in rest_new:
        by_signature.setdefault(_move_signature(new[key]), []).append(key)
    exact: list[tuple[float, str, str]] = []
    for key in rest_old:
        a = old[key]
        for other in by_signature.get(_move_signature(a), ()):
            b = new[other]
            exact.append((1 + 0.1 * (key == other) + 0.01 * (a.max == b.max) + 0.01 * (a.evidence == b.evidence)
                          + 0.01 * (a.bands == b.bands) - 1e-7 * abs(position_old[key] - position_new[other]),
                          key, other))
    accept(exact)

    # Near moves and edits, only among the few nodes still unmatched.
    left_old = [k for k in rest_old if k not in pairs]
    left_new = [k for k in rest_new if k not in used_new]
    fuzzy: list[tuple[float, str, str]] = []
    if left_old and left_new and len(left_old) * len(left_new) <= MAX_FUZZY_PAIRS:
        words_new = {k: (_words(new[k].title), _aux_words(new[k])) for k in left_new}
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        for key in left_old:
            a = old[key]
            title_a, aux_a = _words(a.title), _aux_words(a)
            matcher.set_seq2(title_a)
            for other in left_new:
                b = new[other]
                if b.kind != a.kind:
                    continue
                title_b, aux_b = words_new[other]
                matcher.set_seq1(title_b)
                if other != key and (matcher.real_quick_ratio() < MOVE_TITLE_MIN
                                     or matcher.quick_ratio() < MOVE_TITLE_MIN):
                    continue
                t = (1.0 if not (title_a or title_b) else matcher.ratio()
                     if len(title_a) + len(title_b) <= MAX_DIFF_WORDS else _ratio(title_a, title_b))
                # A parent has no bands: compare titles only, or a leaf turned parent would lose its id.
                score = t if not (a.bands and b.bands) else 0.7 * t + 0.3 * _ratio(aux_a, aux_b)
                if other == key or (t >= MOVE_TITLE_MIN and score >= MOVE_SCORE_MIN):
                    fuzzy.append((score + 0.001 * (other == key), key, other))
    # Same id, whatever else changed: the fallback, taken only if neither node found a better partner.
    left_new_set = set(left_new)
    fuzzy.extend((-1.0, key, key) for key in left_old if key in left_new_set)
    accept(fuzzy)
    return pairs, same


# --------------------------------------------------------------------------- comparing a matched pair

def _condition_change(a: Condition | None, b: Condition | None) -> str:
    """What changed in a band's condition, in words: thresholds, open/closed ends, extra requirement."""
    if a is None:
        return f"thêm điều kiện {b.describe()}" if b else ""
    if b is None:
        return f"bỏ điều kiện {a.describe()}"
    if a.measure != b.measure:
        return f"{a.describe()} → {b.describe()}"
    unit = "%" if a.measure == "percent" else " ngày" if a.measure == "days_late" else ""
    parts: list[str] = []
    if a.low != b.low:
        parts.append(f"ngưỡng dưới {_p(a.low)}{unit} → {_p(b.low)}{unit}")
    elif a.low_closed != b.low_closed:
        parts.append(f"{_p(b.low)}{unit} nay {'thuộc' if b.low_closed else 'không còn thuộc'} mức này "
                     f"({'đầu mở → đầu đóng' if b.low_closed else 'đầu đóng → đầu mở'})")
    if a.high != b.high:
        hi_a = "không giới hạn" if a.high == INF else f"{_p(a.high)}{unit}"
        hi_b = "không giới hạn" if b.high == INF else f"{_p(b.high)}{unit}"
        parts.append(f"ngưỡng trên {hi_a} → {hi_b}")
    elif a.high_closed != b.high_closed and b.high != INF:
        parts.append(f"{_p(b.high)}{unit} nay {'thuộc' if b.high_closed else 'không còn thuộc'} mức này "
                     f"({'đầu mở → đầu đóng' if b.high_closed else 'đầu đóng → đầu mở'})")
    if a.also != b.also:
        parts.append(f"điều kiện kèm theo “{a.also or '—'}” → “{b.also or '—'}”")
    return "; ".join(parts) or f"{a.describe()} → {b.describe()}"


def _align_bands(a: list[Band], b: list[Band]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of band indexes (old, new) that are the same band, and the old/new indexes left over."""
    pairs: list[tuple[int, int]] = []
    free_a = list(range(len(a)))
    free_b = list(range(len(b)))
    for i in list(free_a):  # identical words first, in order
        for j in free_b:
            if a[i].text == b[j].text:
                pairs.append((i, j))
                free_a.remove(i)
                free_b.remove(j)
                break
    scored = []
    for i in free_a:
        wa = _words(a[i].text)
        for j in free_b:
            ratio = _ratio(wa, _words(b[j].text))
            same_cond = a[i].condition is not None and b[j].condition is not None \
                and a[i].condition.range_text == b[j].condition.range_text
            same_points = a[i].points == b[j].points
            if ratio >= 0.5 or (same_cond and same_points):
                scored.append((ratio + 0.2 * same_cond + 0.2 * same_points - 0.01 * abs(i - j), i, j))
    scored.sort(key=lambda s: -s[0])
    for _, i, j in scored:
        if i in free_a and j in free_b:
            pairs.append((i, j))
            free_a.remove(i)
            free_b.remove(j)
    pairs.sort(key=lambda p: p[1])
    return pairs, free_a, free_b


def band_map(a: Node, b: Node) -> dict[int, int]:
    """Old band index → new band index (0-based) for the bands of two matched nodes that are the same band.

    The score-impact preview uses it so an answer "band: 2" follows its band's words, not its position.
    """
    pairs, _, _ = _align_bands(a.bands, b.bands)
    return dict(pairs)


def _compare_bands(old_id: str, new_id: str, a: Node, b: Node, out: list[Change]) -> None:
    pairs, removed, added = _align_bands(a.bands, b.bands)
    for i, j in pairs:
        x, y = a.bands[i], b.bands[j]
        where = f"{new_id}, mức {j + 1}"
        detail = {"band": j, "old_band": i}
        cond_a = x.condition.range_text if x.condition else ""
        cond_b = y.condition.range_text if y.condition else ""
        # `also` is read from the words (schema: the wording is the source), so its change is a rewording.
        same_cond = (cond_a, x.condition.measure if x.condition else "") \
            == (cond_b, y.condition.measure if y.condition else "")
        if not same_cond:
            words = word_diff(x.text, y.text) if x.text != y.text else []
            what = _condition_change(x.condition, y.condition)
            out.append(Change("band-condition-changed", old_id, new_id,
                              f"{where}: đổi điều kiện: {what}" + (f" (lời: {_changed_words(words)})" if words else ""),
                              before=x.text, after=y.text,
                              detail={**detail, "words": words, "before_condition": cond_a,
                                      "after_condition": cond_b, "what": what}))
        elif x.text != y.text:
            words = word_diff(x.text, y.text)
            out.append(Change("band-reworded", old_id, new_id, f"{where}: sửa lời {_changed_words(words)}",
                              before=x.text, after=y.text, detail={**detail, "words": words}))
        if x.points != y.points:
            out.append(Change("band-points-changed", old_id, new_id,
                              f"{where}: điểm của mức {_p(x.points)} → {_p(y.points)} (“{y.text}”)",
                              before=_p(x.points), after=_p(y.points), detail=detail))
        if (x.deduction, x.per_unit) != (y.deduction, y.per_unit):
            def rule(band: Band) -> str:
                parts = []
                if band.per_unit:
                    parts.append(f"01 {band.per_unit.unit} = {_p(band.per_unit.points)} điểm")
                if band.deduction is not None:
                    parts.append(f"trừ {_p(band.deduction)} điểm")
                return ", ".join(parts) or "không có"
            out.append(Change("band-points-changed", old_id, new_id,
                              f"{where}: quy tắc tính điểm {rule(x)} → {rule(y)}",
                              before=rule(x), after=rule(y), detail=detail))
        if x.evidence != y.evidence:
            out.append(_evidence_change(old_id, new_id, f"{where}: ", x.evidence, y.evidence, detail))
    for i in removed:
        x = a.bands[i]
        out.append(Change("band-removed", old_id, new_id, f"{new_id}: bỏ mức {i + 1} “{x.text}” ({_p(x.points)} điểm)",
                          before=x.text, detail={"old_band": i, "points": _p(x.points)}))
    for j in added:
        y = b.bands[j]
        out.append(Change("band-added", old_id, new_id, f"{new_id}: thêm mức {j + 1} “{y.text}” ({_p(y.points)} điểm)",
                          after=y.text, detail={"band": j, "points": _p(y.points)}))


def _evidence_change(old_id: str, new_id: str, prefix: str, a: list[str], b: list[str], detail: dict) -> Change:
    gone = [e for e in a if e not in b]
    came = [e for e in b if e not in a]
    bits = [f"bỏ “{e}”" for e in gone] + [f"thêm “{e}”" for e in came]
    return Change("evidence-changed", old_id, new_id,
                  f"{prefix or new_id + ': '}tài liệu kiểm chứng: " + ("; ".join(bits) or "đổi thứ tự"),
                  before="\n".join(a), after="\n".join(b), detail={**detail, "removed": gone, "added": came})


def _scoring_text(node: Node) -> str:
    label = {"choice": "chọn một mức", "deduction": "trừ dần", "checklist": "cộng các nội dung đạt"}
    text = label.get(node.scoring, node.scoring)
    if node.per_item is not None:
        text += f", {_p(node.per_item)} điểm mỗi nội dung"
    if node.items:
        text += f", {len(node.items)} nội dung"
    return text


# --------------------------------------------------------------------------- the diff

class _Differ:
    def __init__(self, a: Rubric, b: Rubric):
        self.a, self.b = a, b
        self.old, self.old_parent = _keyed(a)
        self.new, self.new_parent = _keyed(b)
        self.old_children = _children(self.old_parent)
        self.new_children = _children(self.new_parent)
        self.pairs, self.same = _match(self.old, self.new)
        #: The matched pairs worth a closer look: everything but same id and same content.
        self.changed = [(k, o) for k, o in self.pairs.items() if k not in self.same]
        self.back = {v: k for k, v in self.pairs.items()}
        self.changes: list[Change] = []
        #: Old keys whose new title is explained by a split or merge (no separate title change).
        self.reworded_by_structure: set[str] = set()

    def run(self) -> RubricDiff:
        self._structure()
        for key, other in self.changed:
            self._moved(key, other)
            a, b = self.old[key], self.new[other]
            if not _same_content(a, b):
                self._compare(key, other, a, b)
        for key in self.same:
            if self.old_parent[key] is not None and self.old_parent[key] not in self.same:
                self._moved(key, key)  # same number, but its parent moved
        if self.a.declared_total != self.b.declared_total:
            d, e = self.a.declared_total, self.b.declared_total
            self.changes.append(Change("total-changed", "total", "total",
                                       f"Tổng cộng ghi {_p(d)} → {_p(e)}", before=_p(d), after=_p(e)))
        self._order()
        old_ids = {n.id: n for n in self.old.values()}
        new_ids = {n.id: n for n in self.new.values()}
        for change in self.changes:
            if change.delta:
                node = new_ids.get(change.new_id or "") or old_ids.get(change.old_id or "")
                change.detail.setdefault("leaf", bool(node is not None and node.is_leaf))
        matches = {self.old[k].id: self.new[v].id for k, v in self.pairs.items()}
        return RubricDiff(self.changes, _totals(self.a, self.b, matches, self.old, self.new), matches,
                          self.a.meta.version, self.b.meta.version)

    # -- what was added, removed, split or merged
    def _structure(self) -> None:
        removed = [k for k in self.old if k not in self.pairs]
        added = [k for k in self.new if k not in self.back]
        removed_set, added_set = set(removed), set(added)
        # Only the top of a removed or added subtree is reported; its descendants are its parts.
        removed_roots = [k for k in removed if self.old_parent[k] not in removed_set]
        added_roots = [k for k in added if self.new_parent[k] not in added_set]
        consumed_new: set[str] = set()
        consumed_old: set[str] = set()

        # A leaf that became a parent of new criteria (split in place), and the reverse (merge in place).
        by_new_parent: dict[str, list[str]] = {}
        for k in added_roots:
            if self.new_parent[k] is not None:
                by_new_parent.setdefault(self.new_parent[k], []).append(k)
        by_old_parent: dict[str, list[str]] = {}
        for k in removed_roots:
            if self.old_parent[k] is not None:
                by_old_parent.setdefault(self.old_parent[k], []).append(k)
        for key, other in self.changed:
            a, b = self.old[key], self.new[other]
            if a.is_leaf and not b.is_leaf and set(by_new_parent.get(other, ())) == {c.id for c in b.children} \
                    and len(b.children) >= 2:
                parts = by_new_parent[other]
                self._split(key, [other], parts, delta=self._own_sum("new", parts))
                consumed_new.update(parts)
            elif b.is_leaf and not a.is_leaf and set(by_old_parent.get(key, ())) == {c.id for c in a.children} \
                    and len(a.children) >= 2:
                parts = by_old_parent[key]
                self._merge(parts, key, other, delta=-self._own_sum("old", parts))
                consumed_old.update(parts)
        added_roots = [k for k in added_roots if k not in consumed_new]
        removed_roots = [k for k in removed_roots if k not in consumed_old]

        # A reworded criterion that took in removed siblings (merged) or gave words to added ones (split).
        for key, other in self.changed:
            a, b = self.old[key], self.new[other]
            if a.title == b.title:
                continue
            gained = [k for k in removed_roots if self.old_parent[k] == self.old_parent[key]
                      and self._part_of(b, self.old[k]) and self._brings(a, b, self.old[k])]
            if gained and self._part_of(b, a):
                self._merge([key, *gained], key, other,
                            delta=-self._own_sum("old", gained))
                removed_roots = [k for k in removed_roots if k not in gained]
                self.reworded_by_structure.add(key)
                continue
            given = [n for n in added_roots if self.new_parent[n] == self.new_parent[other]
                     and self._part_of(a, self.new[n]) and self._brings(a, b, self.new[n])]
            if given and self._part_of(a, b):
                self._split(key, [other], [other, *given],
                            delta=self._own_sum("new", given))
                added_roots = [n for n in added_roots if n not in given]
                self.reworded_by_structure.add(key)

        # A removed criterion whose words reappear in several added ones: split (and the reverse: merged).
        for k in list(removed_roots):
            parts = [n for n in added_roots if self._part_of(self.old[k], self.new[n])]
            if len(parts) >= 2 and _covered(self.old[k], [self.new[n] for n in parts]):
                delta = self._own_sum("new", parts) - self._own_sum("old", [k])
                self._split(k, [], parts, delta=delta)
                removed_roots.remove(k)
                added_roots = [n for n in added_roots if n not in parts]
        for n in list(added_roots):
            parts = [k for k in removed_roots if self._part_of(self.new[n], self.old[k])]
            if len(parts) >= 2 and _covered(self.new[n], [self.old[k] for k in parts]):
                delta = self._own_sum("new", [n]) - self._own_sum("old", parts)
                self._merge(parts, None, n, delta=delta)
                added_roots.remove(n)
                removed_roots = [k for k in removed_roots if k not in parts]

        for k in removed_roots:
            node = self.old[k]
            parts = [self.old[p].id for p in self._own("old", [k])][1:]
            total = self._own_sum("old", [k])
            extra = f", gồm {len(parts)} tiêu chí con" if parts else ""
            self.changes.append(Change("removed", node.id, None,
                                       f"{node.id}: bỏ tiêu chí “{node.title}” ({_p(node.max)} điểm{extra})",
                                       before=node.title, delta=-total,
                                       detail={"parts": parts, "max": _p(node.max)}))
        for k in added_roots:
            node = self.new[k]
            parts = [self.new[p].id for p in self._own("new", [k])][1:]
            total = self._own_sum("new", [k])
            extra = f", gồm {len(parts)} tiêu chí con" if parts else ""
            self.changes.append(Change("added", None, node.id,
                                       f"{node.id}: thêm tiêu chí “{node.title}” ({_p(node.max)} điểm{extra})",
                                       after=node.title, delta=total, detail={"parts": parts, "max": _p(node.max)}))

    def _own(self, side: str, keys: list[str]) -> list[str]:
        """These keys and their descendants that are not matched: the nodes whose points go with them."""
        nodes, children = (self.old, self.old_children) if side == "old" else (self.new, self.new_children)
        matched = self.pairs if side == "old" else self.back
        out: list[str] = []
        stack = list(reversed(keys))
        while stack:
            key = stack.pop()
            out.append(key)
            stack.extend(reversed([c for c in children.get(key, ()) if c not in matched]))
        return out

    def _own_sum(self, side: str, keys: list[str]) -> Decimal:
        nodes = self.old if side == "old" else self.new
        return sum((nodes[k].max or ZERO for k in self._own(side, keys) if nodes[k].max is not None), ZERO)

    def _part_of(self, whole: Node, part: Node) -> bool:
        """Whether `part`'s title is mostly words of `whole` (title and bands): a piece of a split/merge."""
        if whole.kind != part.kind:
            return False
        words = set(w.lower() for w in _words(whole.title) + _aux_words(whole))
        title = [w.lower() for w in _words(part.title)]
        return bool(title) and sum(w in words for w in title) / len(title) >= 0.6 \
            and _ratio(_words(whole.title), _words(part.title)) >= 0.4

    @staticmethod
    def _brings(survivor_before: Node, survivor_after: Node, part: Node) -> bool:
        """Whether the words a reworded criterion gained (merge) or lost (split) are those of `part`."""
        before = {w.lower() for w in _words(survivor_before.title)}
        after = {w.lower() for w in _words(survivor_after.title)}
        moved = (after - before) or (before - after)
        own = {w.lower() for w in _words(part.title)} - (before & after)
        return len(own) >= 2 and len(own & moved) / len(own) >= 0.6

    def _split(self, old_key: str, same: list[str], parts: list[str], delta: Decimal) -> None:
        a = self.old[old_key]
        ids = [self.new[p].id for p in parts]
        points = " + ".join(f"{self.new[p].id} ({_p(self.new[p].max)})" for p in parts)
        target = self.new[same[0]].id if same else None
        self.changes.append(Change(
            "split", a.id, target,
            f"{a.id}: tách “{a.title}” ({_p(a.max)} điểm) thành {len(parts)} tiêu chí: {points}",
            before=a.title, after="; ".join(self.new[p].title for p in parts), delta=delta,
            detail={"parts": ids, "max_before": _p(a.max),
                    "max_after": _p(sum((self.new[p].max or ZERO for p in parts), ZERO)),
                    **self._covers(([old_key] if old_key not in self.pairs else []),
                                   [p for p in parts if p not in self.back])}))

    def _merge(self, parts: list[str], old_key: str | None, new_key: str, delta: Decimal) -> None:
        b = self.new[new_key]
        ids = [self.old[p].id for p in parts]
        points = " + ".join(f"{self.old[p].id} ({_p(self.old[p].max)})" for p in parts)
        self.changes.append(Change(
            "merged", self.old[old_key].id if old_key else None, b.id,
            f"{b.id}: gộp {len(parts)} tiêu chí {points} thành “{b.title}” ({_p(b.max)} điểm)",
            before="; ".join(self.old[p].title for p in parts), after=b.title, delta=delta,
            detail={"parts": ids, "max_before": _p(sum((self.old[p].max or ZERO for p in parts), ZERO)),
                    "max_after": _p(b.max),
                    **self._covers([p for p in parts if p not in self.pairs],
                                   [new_key] if new_key not in self.back else [])}))

    def _covers(self, old_keys: list[str], new_keys: list[str]) -> dict:
        """The ids whose points a split or merge carries, old side and new side (descendants included)."""
        return {"covers_old": [self.old[k].id for k in self._own("old", old_keys)],
                "covers_new": [self.new[k].id for k in self._own("new", new_keys)]}

    # -- a matched pair
    def _moved(self, key: str, other: str) -> None:
        old_parent, new_parent = self.old_parent[key], self.new_parent[other]
        if key == other and old_parent == new_parent and (old_parent is None or self.pairs.get(old_parent) == new_parent):
            return  # the common case: same place, same number
        a, b = self.old[key], self.new[other]
        parent_moved = (self.pairs.get(old_parent) if old_parent else None) != new_parent
        expected = a.id
        if old_parent is not None and new_parent is not None and not parent_moved:
            pa, pb = self.old[old_parent].id, self.new[new_parent].id
            if a.id.startswith(pa):
                expected = pb + a.id[len(pa):]  # renumbered only because its parent was
        if not parent_moved and expected == b.id:
            return
        if parent_moved:
            where = f"chuyển từ {self.old[old_parent].id if old_parent else 'gốc'} sang " \
                    f"{self.new[new_parent].id if new_parent else 'gốc'}"
        else:
            where = f"đánh số lại trong {self.new[new_parent].id if new_parent else 'bộ tiêu chí'}"
        self.changes.append(Change("moved", a.id, b.id, f"{a.id} → {b.id}: {where} (“{b.title}”)",
                                   before=a.id, after=b.id,
                                   detail={"tt_before": a.tt, "tt_after": b.tt, "parent_moved": parent_moved}))

    def _compare(self, key: str, other: str, a: Node, b: Node) -> None:
        old_id, new_id = a.id, b.id
        if a.title != b.title and key not in self.reworded_by_structure:
            words = word_diff(a.title, b.title)
            self.changes.append(Change("title-changed", old_id, new_id, f"{new_id}: sửa nội dung {_changed_words(words)}",
                                       before=a.title, after=b.title, detail={"words": words}))
        if a.max != b.max:
            delta = (b.max or ZERO) - (a.max or ZERO)
            self.changes.append(Change("max-changed", old_id, new_id,
                                       f"{new_id}: điểm chuẩn {_p(a.max)} → {_p(b.max)} ({_signed(delta)})"
                                       + self._where_points_went(key, other),
                                       before=_p(a.max), after=_p(b.max), delta=delta))
        if a.evidence != b.evidence:
            self.changes.append(_evidence_change(old_id, new_id, "", a.evidence, b.evidence, {}))
        if a.owner != b.owner:
            self.changes.append(Change("owner-changed", old_id, new_id,
                                       f"{new_id}: cơ quan theo dõi {a.owner or '—'} → {b.owner or '—'}",
                                       before=a.owner, after=b.owner))
        if (a.scoring, a.per_item, a.items) != (b.scoring, b.per_item, b.items):
            self.changes.append(Change("scoring-changed", old_id, new_id,
                                       f"{new_id}: cách chấm {_scoring_text(a)} → {_scoring_text(b)}",
                                       before=_scoring_text(a), after=_scoring_text(b),
                                       detail={"items_removed": [i for i in a.items if i not in b.items],
                                               "items_added": [i for i in b.items if i not in a.items]}))
        if a.is_leaf == b.is_leaf:  # a leaf that became a parent took its bands to its children (split)
            _compare_bands(old_id, new_id, a, b, self.changes)

    def _where_points_went(self, key: str, other: str) -> str:
        """"; II.6: các mục con cộng lại 25 → 23 …": where a maximum's change lands, one level up."""
        b = self.new[other]
        bits = []
        if b.children:
            total = b.children_sum()
            bits.append(f"nay {'bằng' if total == b.max else 'khác'} tổng các mục con ({_p(total)})")
        old_parent, new_parent = self.old_parent[key], self.new_parent[other]
        if new_parent is not None:
            pb = self.new[new_parent]
            pa = self.old[self.back[new_parent]] if new_parent in self.back else None
            sum_a = pa.children_sum() if pa is not None else None
            sum_b = pb.children_sum()
            text = f"{pb.id}: các mục con cộng lại {_p(sum_a)} → {_p(sum_b)}"
            text += f", điểm chuẩn ghi {_p(pb.max)}" if pa is None or pa.max == pb.max \
                else f", điểm chuẩn ghi {_p(pa.max)} → {_p(pb.max)}"
            bits.append(text)
        elif old_parent is None:
            ca, cb = self.a.computed_total(), self.b.computed_total()
            bits.append(f"các phần cộng lại {_p(ca)} → {_p(cb)}, tổng cộng ghi {_p(self.b.declared_total)}")
        return " — " + "; ".join(bits) if bits else ""

    def _order(self) -> None:
        """Changes in the new document's order; a removal where its node stood; totals first."""
        pos_new = {k: i for i, k in enumerate(self.new)}
        id_pos_new = {self.new[k].id: i for k, i in pos_new.items()}
        anchor: dict[str, float] = {}
        last = -1.0
        for k, node in self.old.items():
            if k in self.pairs:
                last = float(pos_new[self.pairs[k]])
            anchor[node.id] = last + 0.5
        rank = list(KINDS)

        def key(change: Change) -> tuple:
            if change.kind == "total-changed":
                return (-2.0, 0, 0)
            if change.new_id is not None and change.new_id in id_pos_new:
                pos = float(id_pos_new[change.new_id])
            else:
                pos = anchor.get(change.old_id or "", -1.0)
            return (pos, rank.index(change.kind) if change.kind in rank else 99, change.detail.get("band", 0))

        self.changes.sort(key=key)


def diff_rubrics(a: Rubric, b: Rubric) -> RubricDiff:
    """What changed from rubric `a` to rubric `b`, in rubric terms (pure; no I/O)."""
    return _Differ(a, b).run()


def _totals(a: Rubric, b: Rubric, matches: dict[str, str], old: dict[str, Node] | None = None,
            new: dict[str, Node] | None = None) -> Totals:
    old = old if old is not None else _keyed(a)[0]
    new = new if new is not None else _keyed(b)[0]
    new_sections = {s.id: s for s in b.sections}
    used: set[str] = set()
    sections: list[SectionTotal] = []
    for s in a.sections:
        t = new_sections.get(matches.get(s.id, ""))
        if t is not None:
            used.add(t.id)
        sections.append(SectionTotal(s.id, t.id if t else None, (t or s).title, s.max, t.max if t else None,
                                     s.children_sum(), t.children_sum() if t else None))
    for t in b.sections:
        if t.id not in used:
            sections.append(SectionTotal(None, t.id, t.title, None, t.max, None, t.children_sum()))

    def sums(nodes: dict[str, Node]) -> tuple[Decimal, Decimal]:
        every = leaves = ZERO
        for n in nodes.values():
            if n.max is not None:
                every += n.max
                if not n.children:
                    leaves += n.max
        return every, leaves

    (all_a, leaves_a), (all_b, leaves_b) = sums(old), sums(new)
    return Totals(a.declared_total, b.declared_total, a.computed_total(), b.computed_total(),
                  leaves_a, leaves_b, all_a, all_b, sections)



# --------------------------------------------------------------------------- rendering

def counts_text(diff: RubricDiff) -> str:
    """The summary line: "5 thay đổi — 2 thêm tiêu chí, …"."""
    counts = diff.counts()
    if not counts:
        return "không có thay đổi nào"
    return f"{len(diff.changes)} thay đổi — " + ", ".join(f"{n} {KINDS.get(k, k)}" for k, n in counts.items())


def _arrow(before: Decimal | None, after: Decimal | None) -> str:
    text = f"{_p(before)} → {_p(after)}"
    if before is not None and after is not None and before != after:
        text += f" ({_signed(after - before)})"
    return text


def points_lines(diff: RubricDiff) -> list[tuple[str, str, str]]:
    """The point arithmetic as (label, before → after, note) rows, for every renderer."""
    t = diff.totals
    rows = [("Tổng cộng ghi", _arrow(t.declared_before, t.declared_after), ""),
            ("Các phần cộng lại", _arrow(t.computed_before, t.computed_after),
             "khớp tổng cộng ghi" if t.declared_after == t.computed_after else
             f"khác tổng cộng ghi ({_p(t.declared_after)})")]
    for s in t.sections:
        label = f"{s.new_id or s.old_id} {s.title}"
        note = ""
        if s.children_before != s.children_after or s.children_after != s.after:
            note = f"các mục con cộng lại {_arrow(s.children_before, s.children_after)}"
        rows.append((label, _arrow(s.before, s.after), note))
    rows.append(("Các tiêu chí lá cộng lại", _arrow(t.leaves_before, t.leaves_after), ""))
    verbs = {"added": " (thêm)", "removed": " (bỏ)", "split": " (tách)", "merged": " (gộp)"}
    for label, leaf in (("Điểm tiêu chí lá thay đổi", True), ("Điểm chuẩn mục cha thay đổi", False)):
        moves = [c for c in diff.changes if c.delta and c.detail.get("leaf", False) == leaf]
        if moves:
            rows.append((label, " · ".join(f"{c.node_id} {_signed(c.delta)}{verbs.get(c.kind, '')}" for c in moves),
                         f"cộng lại {_signed(sum((c.delta for c in moves), ZERO))}"))
    return rows


def diff_as_dict(diff: RubricDiff) -> dict:
    """The diff as JSON-ready data with stable English keys; points as Vietnamese strings ("1,5")."""
    t = diff.totals

    def pair(before: Decimal | None, after: Decimal | None) -> dict:
        return {"before": format_points(before) if before is not None else None,
                "after": format_points(after) if after is not None else None}

    return {
        "format": "cchc-diff/1",
        "old": diff.old_name, "new": diff.new_name,
        "summary": {"changes": len(diff.changes), "counts": diff.counts(), "accounted": diff.accounted()},
        "totals": {
            "declared": pair(t.declared_before, t.declared_after),
            "computed": pair(t.computed_before, t.computed_after),
            "leaves": pair(t.leaves_before, t.leaves_after),
            "all_nodes": pair(t.all_before, t.all_after),
            "sections": [{"old_id": s.old_id, "new_id": s.new_id, "title": s.title, **pair(s.before, s.after),
                          "children": pair(s.children_before, s.children_after)} for s in t.sections],
        },
        "changes": [c.as_dict() for c in diff.changes],
        "id_map": diff.id_map(),
    }
