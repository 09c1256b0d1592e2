"""Three-way merges of workspace files in domain terms: never a conflict marker in a YAML file.

`merge_file(path, base, mine, theirs)` gives the merged bytes and the conflicts left for
the clerk. A conflict keeps MY version in the file and THEIR version in the conflict,
until `cchc sync --choose` picks one:

- a rubric version (rubric/drafts/*.yaml) merges criterion by criterion: a criterion
  changed on one side only takes that side (added, removed or edited); the same
  criterion changed differently on both sides is a conflict on that criterion;
- any other YAML file merges mapping key by mapping key (dispositions by comment id,
  owners by criterion, round fields…), lists of mappings by their id (initiatives by
  criterion, offices by code), lists without ids (legal_bases) item by item by value; the same
  key or list item changed differently on both sides is a conflict;
- an office's comment file, a spreadsheet, or YAML that does not parse: the whole file.

Mine is kept as a round-trip tree, so comments and layout of the file survive the merge;
what theirs brings in is written as the project writes new YAML (`yamlio.to_round_trip`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from fnmatch import fnmatch
from typing import Any

from ..statediff import fingerprint
from ..yamlio import LINE_KEY, dump_round_trip, parse_yaml, round_trip_from_text, to_round_trip

#: The id field of the items of a list of mappings that merge item by item.
LIST_KEYS = ("id", "code", "criterion", "name")
#: Places merged as one unit (one answer is one decision: never half mine, half theirs), by file.
ATOMIC = {"comments/dispositions.yaml": ("dispositions/*", "initiatives/*")}
#: The children of a rubric node (sections hold criteria, criteria hold sub-criteria).
CHILDREN = "children"
_MISSING = object()


@dataclass
class Conflict:
    """The same thing changed differently on both sides: where, and both versions (plain data, or bytes)."""

    path: str
    #: A criterion id (rubric), a key path "dispositions/TCKH-3" (other YAML), or "" for the whole file.
    key: str = ""
    #: "criterion", "key" or "file".
    kind: str = "file"
    mine: Any = None
    theirs: Any = None

    @property
    def id(self) -> str:
        return f"{self.path}#{self.key}" if self.key else self.path


@dataclass
class Merged:
    content: bytes | None
    conflicts: list[Conflict] = field(default_factory=list)


def plain(data: Any) -> Any:
    """Round-trip or read-path data as plain dicts, lists and values (for comparing, and for storing)."""
    if isinstance(data, dict):
        return {str(k): plain(v) for k, v in data.items() if k != LINE_KEY}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if isinstance(data, str):
        return str(data)
    return data


def is_rubric(path: str) -> bool:
    return path.startswith("rubric/drafts/") and path.endswith((".yaml", ".yml"))


def is_comment_file(path: str) -> bool:
    return path.startswith("comments/") and not path.endswith("dispositions.yaml")


def merge_file(path: str, base: bytes | None, mine: bytes | None, theirs: bytes | None) -> Merged:
    """The three-way merge of one file (None: absent on that side)."""
    if mine == theirs or theirs == base:
        return Merged(mine)
    if mine == base:
        return Merged(theirs)
    if mine is None or theirs is None or base is None or is_comment_file(path) \
            or not path.endswith((".yaml", ".yml")):
        return Merged(mine, [Conflict(path, mine=mine, theirs=theirs)])
    try:
        texts = [b.decode("utf-8") for b in (base, mine, theirs)]
        base_data, theirs_data = (parse_yaml(t, path) for t in (texts[0], texts[2]))
        tree = round_trip_from_text(texts[1], path)
        # Theirs from the fast reader, written the project's way: a second round-trip parse doubled
        # the cost of a merge (~1 s for a 300-answer dispositions file); only #-comments inside
        # what theirs added are lost, never a value.
        theirs_tree = to_round_trip(theirs_data)
    except Exception:  # text that does not parse on one side: compared as a whole file
        return Merged(mine, [Conflict(path, mine=mine, theirs=theirs)])
    conflicts: list[Conflict] = []
    if is_rubric(path) and isinstance(tree, dict):
        _merge_rubric(path, plain(base_data), tree, theirs_tree, conflicts)
    else:
        tree = _merge_value(path, "", plain(base_data), tree, theirs_tree, conflicts)
    return Merged(dump_round_trip(tree).encode("utf-8"), conflicts)


def _merge_value(path: str, key: str, base: Any, mine: Any, theirs: Any, conflicts: list[Conflict]) -> Any:
    """The merged value at one place; `mine`/`theirs` are round-trip nodes (or _MISSING), base plain."""
    b, m, t = (plain(x) if x is not _MISSING else _MISSING for x in (base, mine, theirs))
    if m == t or t == b:
        return mine
    both_maps = isinstance(mine, dict) and isinstance(theirs, dict) and isinstance(base, dict)
    if m == b and not both_maps:
        return theirs
    atomic = any(fnmatch(key, pattern) for pattern in ATOMIC.get(path, ()))
    # Walked key by key even when only theirs changed: mine's unchanged lines keep their layout.
    if both_maps and (not atomic or m == b):
        for k in [*theirs, *(k for k in mine if k not in theirs)]:
            if k == LINE_KEY:
                continue
            merged = _merge_value(path, f"{key}/{k}".lstrip("/"), base.get(k, _MISSING),
                                  mine.get(k, _MISSING), theirs.get(k, _MISSING), conflicts)
            if merged is _MISSING:
                mine.pop(k, None)
            elif k not in mine:
                _insert_like(mine, theirs, k, merged)
            elif merged is not mine[k]:
                mine[k] = merged
        return mine
    list_key = "" if atomic else _list_key(base, mine, theirs)
    if list_key:
        return _merge_keyed_list(path, key, list_key, base, mine, theirs, conflicts)
    if not atomic and all(isinstance(x, list) for x in (base, mine, theirs)) \
            and _merge_list_by_value(base, mine, theirs):
        return mine
    conflicts.append(Conflict(path, key or "(toàn tệp)", "key", None if m is _MISSING else m,
                              None if t is _MISSING else t))
    return mine


def _insert_like(mine: dict, theirs: dict, key: Any, value: Any) -> None:
    """Put a key theirs added at its place in theirs' order (after the key before it)."""
    keys = list(theirs)
    position = len(mine)
    for before in reversed(keys[:keys.index(key)]):
        if before in mine:
            position = list(mine).index(before) + 1
            break
    if hasattr(mine, "insert"):
        mine.insert(position, key, value)
    else:
        mine[key] = value


def _list_key(*lists: Any) -> str:
    """The id field shared by every item of these lists of mappings; "" when they are not such lists."""
    if not all(isinstance(x, list) for x in lists):
        return ""
    for name in LIST_KEYS:
        if all(isinstance(i, dict) and i.get(name) not in (None, "") for x in lists for i in x):
            if all(len({str(i[name]) for i in x}) == len(x) for x in lists):
                return name
    return ""


def _merge_keyed_list(path, key, name, base, mine, theirs, conflicts) -> Any:
    by = {side: {str(i[name]): i for i in items} for side, items in (("b", base), ("m", mine), ("t", theirs))}
    order = [str(i[name]) for i in mine] + [str(i[name]) for i in theirs if str(i[name]) not in by["m"]]
    out = []
    for ident in order:
        merged = _merge_value(path, f"{key}/{ident}", by["b"].get(ident, _MISSING), by["m"].get(ident, _MISSING),
                              by["t"].get(ident, _MISSING), conflicts)
        if merged is not _MISSING:
            out.append(merged)
    mine[:] = out
    return mine


def _value_key(item: Any) -> str:
    return fingerprint(plain(item))


def _merge_list_by_value(base: list, mine: Any, theirs: Any) -> bool:
    """Merge a list without ids (decision.yaml `legal_bases`) item by item, by value, into `mine`.

    What one side added, removed or edited is taken as long as the other side left those items
    alone (both adding, or both removing, is fine); False, `mine` untouched, when both changed the
    same item (or one added items inside a run the other edited): then the whole list clashes.
    """
    keys = [_value_key(x) for x in base]
    sides = []
    for nodes in (mine, theirs):
        matcher = SequenceMatcher(None, keys, [_value_key(x) for x in nodes], autojunk=False)
        sides.append((nodes, [op for op in matcher.get_opcodes() if op[0] != "equal"]))
    (_, mine_hunks), (_, their_hunks) = sides
    skipped = set()
    for k, (_, ti1, ti2, tj1, tj2) in enumerate(their_hunks):
        for _, mi1, mi2, mj1, mj2 in mine_hunks:
            if (mi1, mi2) == (ti1, ti2) and [_value_key(x) for x in mine[mj1:mj2]] == \
                    [_value_key(x) for x in theirs[tj1:tj2]]:
                skipped.add(k)  # the same change on both sides
            elif max(mi1, ti1) < min(mi2, ti2):
                if mj1 != mj2 or tj1 != tj2:
                    return False  # the same item edited on both sides, or edited on one and removed on the other
            elif mi1 < ti1 < mi2 and ti1 == ti2 or ti1 < mi1 < ti2 and mi1 == mi2:
                return False  # added in the middle of what the other side edited or removed
    removed: set[int] = set()
    added: dict[int, list] = {}
    mine_added = {_value_key(x) for _, i1, i2, j1, j2 in mine_hunks for x in mine[j1:j2] if i1 == i2}
    for nodes, hunks, skip in ((mine, mine_hunks, set()), (theirs, their_hunks, skipped)):
        for k, (_, i1, i2, j1, j2) in enumerate(hunks):
            if k in skip:
                continue
            removed.update(range(i1, i2))
            new = [x for x in nodes[j1:j2] if nodes is mine or i1 != i2 or _value_key(x) not in mine_added]
            added.setdefault(i1, []).extend(new)
    kept = {}  # base index → mine's node (its layout and comments)
    matcher = SequenceMatcher(None, keys, [_value_key(x) for x in mine], autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            kept.update({i1 + d: mine[j1 + d] for d in range(i2 - i1)})
    out = []
    for i in range(len(base) + 1):
        out.extend(added.get(i, ()))
        if i < len(base) and i not in removed:
            out.append(kept[i])
    mine[:] = out
    return True


# ------------------------------------------------------------------------------------------ rubrics

def _nodes(sections: Any, parent: str = "") -> dict[str, tuple[str, Any]]:
    """Criterion id → (parent id, node) over a rubric's tree."""
    out: dict[str, tuple[str, Any]] = {}
    for node in sections if isinstance(sections, list) else []:
        if isinstance(node, dict) and node.get("id") not in (None, ""):
            out[str(node["id"])] = (parent, node)
            out.update(_nodes(node.get(CHILDREN), str(node["id"])))
    return out


def own(node: Any) -> Any:
    """A criterion's own content, without its children (plain data); _MISSING when absent."""
    if node is _MISSING or node is None:
        return _MISSING
    return {k: plain(v) for k, v in node.items() if k not in (CHILDREN, LINE_KEY)}


def _merge_rubric(path: str, base: dict, mine: Any, theirs: Any, conflicts: list[Conflict]) -> None:
    for k in [*theirs, *(k for k in mine if k not in theirs)]:  # format, meta, total… as any YAML
        if k == "sections":
            continue
        merged = _merge_value(path, k, base.get(k, _MISSING), mine.get(k, _MISSING), theirs.get(k, _MISSING),
                              conflicts)
        if merged is _MISSING:
            mine.pop(k, None)
        elif k not in mine:
            _insert_like(mine, theirs, k, merged)
        else:
            mine[k] = merged
    b_nodes, t_nodes = _nodes(base.get("sections")), _nodes(theirs.get("sections"))
    for ident in [*t_nodes, *(i for i in b_nodes if i not in t_nodes)]:  # parents before their children
        m_nodes = _nodes(mine.get("sections"))
        b, m, t = (own(nodes[ident][1]) if ident in nodes else _MISSING for nodes in (b_nodes, m_nodes, t_nodes))
        if m == t or t == b:
            continue
        if m == b or (m is _MISSING and b is _MISSING):
            if t is _MISSING:
                _remove(mine, m_nodes, ident)
            elif m is _MISSING:
                _add(mine, m_nodes, t_nodes, ident)
            else:
                _set_own(m_nodes[ident][1], t_nodes[ident][1])
            continue
        conflicts.append(Conflict(path, ident, "criterion", None if m is _MISSING else m,
                                  None if t is _MISSING else t))


def _siblings(tree: Any, nodes: dict[str, tuple[str, Any]], parent: str) -> Any:
    if not parent:
        return tree["sections"]
    node = nodes[parent][1]
    if node.get(CHILDREN) is None:
        node[CHILDREN] = []
    return node[CHILDREN]


def _remove(tree: Any, nodes: dict[str, tuple[str, Any]], ident: str) -> None:
    if ident in nodes:
        siblings = _siblings(tree, nodes, nodes[ident][0])
        siblings[:] = [n for n in siblings if n is not nodes[ident][1]]


def _add(tree: Any, nodes: dict[str, tuple[str, Any]], their_nodes: dict[str, tuple[str, Any]], ident: str) -> None:
    """Insert a criterion theirs added (with its children) under the same parent, after the same sibling."""
    parent, node = their_nodes[ident]
    if parent and parent not in nodes:
        return  # the parent itself is new: it came in whole with its children
    siblings = _siblings(tree, nodes, parent)
    their_siblings = [str(n.get("id")) for n in (_siblings_of(their_nodes, parent) or [])]
    position = 0
    for before in reversed(their_siblings[:their_siblings.index(ident)]):
        found = [k for k, n in enumerate(siblings) if str(n.get("id")) == before]
        if found:
            position = found[0] + 1
            break
    siblings.insert(position, node)


def _siblings_of(their_nodes, parent):
    if not parent:
        return [n for p, n in their_nodes.values() if p == ""]
    return their_nodes[parent][1].get(CHILDREN) or []


def _set_own(target: Any, source: Any) -> None:
    """Give `target` the own content of `source` (an edited criterion), keeping target's children."""
    for k in [k for k in target if k not in source and k != CHILDREN]:
        del target[k]
    for k, v in source.items():
        if k != CHILDREN and plain(target.get(k, _MISSING)) != plain(v):
            target[k] = v


def set_own_data(target: Any, data: dict) -> None:
    """Give a criterion node the own content of plain data (a choice of theirs)."""
    _set_own(target, to_round_trip(data))


def find_node(tree: Any, ident: str) -> tuple[Any, Any] | None:
    """(siblings list, node) of a criterion in a round-trip rubric tree; None when absent."""
    nodes = _nodes(tree.get("sections"))
    if ident not in nodes:
        return None
    return _siblings(tree, nodes, nodes[ident][0]), nodes[ident][1]
