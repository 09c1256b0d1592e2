"""The shape of the code: no import cycle, no hard-coded round data, the Textual boundary, no unused dependency.

Every test here reads the package's source with `ast` (or imports it in a
fresh interpreter), so a new module is covered without editing this file.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "cchc_consult"


@cache
def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, from its __init__.py)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


@cache
def _tree(name: str) -> ast.Module:
    path = _modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _typing_only_nodes(tree: ast.Module) -> set[int]:
    """Ids of the nodes under `if TYPE_CHECKING:`: imports for annotations only, never run."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out |= {id(n) for child in node.body for n in ast.walk(child)}
    return out


def _imports(name: str) -> list[tuple[str, int]]:
    """(imported name, line) for every import in a module, at any depth: absolute dotted names."""
    modules = _modules()
    package = name.split(".") if modules[name].name == "__init__.py" else name.split(".")[:-1]
    out = []
    typing_only = _typing_only_nodes(_tree(name))
    for node in ast.walk(_tree(name)):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                # `from . import compute` names a submodule; `from .model import Rubric` names the module
                out.append((f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source, node.lineno))
    return out


def _project_module(name: str) -> str | None:
    """The package module an imported name lands in (its nearest enclosing module), or None."""
    modules = _modules()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


@cache
def _import_graph() -> dict[str, dict[str, int]]:
    """module → {module it imports: line of the first such import}, module-level and function-level alike."""
    graph: dict[str, dict[str, int]] = {}
    for name in _modules():
        edges = graph.setdefault(name, {})
        for imported, line in _imports(name):
            target = _project_module(imported)
            if target and target != name:
                edges.setdefault(target, line)
    return graph


def _strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that can reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _shortest_cycle(graph: dict[str, dict[str, int]], start: str, members: set[str]) -> list[str]:
    """The shortest path start → … → start inside one strongly connected group."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node]):
            if nxt == start:
                return paths[node] + [start]
            if nxt in members and nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return [start]


def test_no_module_is_part_of_an_import_cycle():
    """A cycle among the package's modules, through module-level or function-level imports alike.

    A lazy import inside a function does not hide a cycle: it only moves the
    moment the partly initialised module is seen. Dynamic `import_module(...)`
    of a computed name is not followed.
    """
    graph = _import_graph()
    cycles = []
    for group in _strongly_connected(graph):
        if len(group) < 2:
            continue
        path = _shortest_cycle(graph, group[0], set(group))
        arrows = " → ".join(f"{a} (dòng {graph[a][b]})" for a, b in zip(path, path[1:])) + f" → {path[-1]}"
        cycles.append(f"{', '.join(group)}\n    e.g. {arrows}")
    assert not cycles, "import cycles:\n  " + "\n  ".join(cycles)


def test_the_cycle_finder_finds_a_cycle_and_names_its_path():
    graph = {"a": {"b": 3}, "b": {"c": 5}, "c": {"a": 7, "d": 1}, "d": {}}
    groups = [g for g in _strongly_connected(graph) if len(g) > 1]
    assert groups == [["a", "b", "c"]]
    assert _shortest_cycle(graph, "a", set(groups[0])) == ["a", "b", "c", "a"]


def test_relative_imports_resolve_to_the_modules_they_name():
    graph = _import_graph()
    assert "cchc_consult.model" in graph["cchc_consult.check"]  # from .model import …
    assert "cchc_consult.errors" in graph["cchc_consult.consult.round"]  # from ..errors import …
    assert "cchc_consult.tui.app" in graph["cchc_consult.commands.tui"]  # a lazy import inside the handler


# --------------------------------------------------------------------------- round data in code

_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/(?:19|20)\d\d\b"        # 18/8/2023
                   r"|\b(?:19|20)\d\d-\d{1,2}-\d{1,2}\b"        # 2023-08-18
                   r"|\btháng \d{1,2} năm (?:19|20)\d\d\b")     # ngày 26 tháng 7 năm 2023
_DATE_CALLS = {"date", "datetime"}


def _docstrings(tree: ast.Module) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _default_office_list(tree: ast.Module) -> set[int]:
    """The string constants of offices.DEFAULT_OFFICES (the district's list: data, allowed)."""
    out = set()
    for node in tree.body:
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        if any(isinstance(t, ast.Name) and t.id == "DEFAULT_OFFICES" for t in targets):
            out |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Constant)}
    return out


def _office_words() -> tuple[re.Pattern, set[str]]:
    from cchc_consult.offices import DEFAULT_OFFICES

    names = {unicodedata.normalize("NFC", n) for o in DEFAULT_OFFICES for n in (o.name, *o.aliases)}
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return pattern, {o.code for o in DEFAULT_OFFICES}


def _round_data_in_code() -> list[str]:
    names, codes = _office_words()
    hits = []
    for module, path in _modules().items():
        tree = _tree(module)
        allowed = _docstrings(tree) | (_default_office_list(tree) if module == "cchc_consult.offices" else set())
        where = path.relative_to(REPO)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in _DATE_CALLS
                    and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in range(1900, 2100)):
                hits.append(f"{where}:{node.lineno}: a date in code: {ast.unparse(node)}")
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in allowed:
                continue
            text = unicodedata.normalize("NFC", node.value)
            hits += [f"{where}:{node.lineno}: a date: {m.group(0)!r}" for m in _DATE.finditer(text)]
            hits += [f"{where}:{node.lineno}: an office name: {m.group(0)!r}" for m in names.finditer(text)]
            if text in codes:
                hits.append(f"{where}:{node.lineno}: an office code as a value: {text!r}")
    return sorted(set(hits))


def test_no_date_deadline_or_office_name_is_hard_coded():
    """The round's facts come from the workspace (round.yaml, offices.yaml), never from the code.

    The rule, over every string literal and call in cchc_consult/**/*.py:
    - a calendar date (18/8/2023, 2023-08-18, "tháng 8 năm 2023") or `date(2023, …)` is refused —
      help texts and error hints included: an example date there must be year-neutral
      ("ngày/tháng/năm") or derived from today (issue 12), so hints do not keep saying 2023;
    - a full office name or alias of the district list ("Phòng Tư pháp", "Phòng TC-KH") is refused:
      names come from the workspace's offices.yaml, a role from the round ("cơ quan soạn thảo");
    - a string that is exactly an office code ("NV", "TCKH") is refused: a default office is data.
      A code inside a sentence ("mã cơ quan, như TCKH") is a format example and allowed.
    Allowed: offices.DEFAULT_OFFICES (the default list is data), docstrings and comments (they may
    cite the 2023 example as the source of a rule), and every non-Python file (templates, the
    bundled example's YAML).
    """
    hits = _round_data_in_code()
    assert not hits, f"{len(hits)} hard-coded round facts:\n  " + "\n  ".join(hits)


def test_the_default_office_list_has_a_single_reader():
    """Only one module besides offices.py reads DEFAULT_OFFICES: the loader of the workspace's offices.

    Everything else labels offices from the workspace (issue 11: the score report named offices
    from the built-in list, not from offices.yaml).
    """
    readers = sorted(name for name in _modules() if name != "cchc_consult.offices"
                     and any(isinstance(n, ast.Name) and n.id == "DEFAULT_OFFICES"
                             or isinstance(n, ast.alias) and n.name == "DEFAULT_OFFICES"
                             for n in ast.walk(_tree(name))))
    assert len(readers) <= 1, f"DEFAULT_OFFICES is read by {readers}; read the workspace's offices instead"


# --------------------------------------------------------------------------- the Textual boundary

def _is_tui(name: str) -> bool:
    return name == "cchc_consult.tui" or name.startswith("cchc_consult.tui.")


def test_only_the_tui_package_imports_textual():
    """Outside cchc_consult.tui, no module imports Textual, even inside a function; and only the
    `cchc tui` command handler reaches into the tui package."""
    bad = []
    for name in _modules():
        if _is_tui(name):
            continue
        for imported, line in _imports(name):
            if imported == "textual" or imported.startswith("textual."):
                bad.append(f"{name} (dòng {line}) imports {imported}")
            elif _is_tui(imported) and name != "cchc_consult.commands.tui":
                bad.append(f"{name} (dòng {line}) imports {imported}")
    assert not bad, "\n".join(bad)


def test_the_core_never_loads_textual():
    """Importing any module outside cchc_consult.tui, in a fresh interpreter, never loads Textual."""
    core = [name for name in _modules() if not _is_tui(name) and not name.endswith(".__main__")]  # runs the CLI
    code = ("import importlib, sys\n"
            f"for name in {core!r}:\n"
            "    importlib.import_module(name)\n"
            "    if 'textual' in sys.modules:\n"
            "        sys.exit('textual loaded by ' + name)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(core) > 40  # the list is read from the source tree, not written here


# --------------------------------------------------------------------------- dependencies

def _declared_dependencies() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [re.match(r"[A-Za-z0-9._-]+", spec).group(0) for spec in project["dependencies"]]


def _modules_of(distribution: str) -> set[str]:
    """The dotted module names a distribution installs (from its RECORD)."""
    out = set()
    for file in importlib.metadata.files(distribution) or []:
        if file.suffix in (".py", ".so", ".pyd") and ".dist-info" not in str(file):
            parts = list(file.with_suffix("").parts)
            parts[-1] = parts[-1].split(".")[0]  # _ruamel_yaml.cpython-311-x86_64-linux-gnu
            if parts[-1] == "__init__":
                parts.pop()
            if parts:
                out.add(".".join(parts))
    return out


def test_every_declared_dependency_is_imported_somewhere():
    """Never keep a dependency that nothing uses: each one provides a module the package imports."""
    imported = {name for module in _modules() for name, _ in _imports(module)}
    unused = []
    for distribution in _declared_dependencies():
        provided = _modules_of(distribution)
        assert provided, f"{distribution} is declared but not installed"
        if not any(name in provided for name in imported):
            unused.append(distribution)
    assert not unused, f"declared in pyproject.toml, imported nowhere in cchc_consult: {unused}"
