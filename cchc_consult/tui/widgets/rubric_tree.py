"""The rubric as a tree: id, points and title per node, marked where findings or comments are.

Children are added when a node is first expanded, so a 10,000-criterion
rubric opens as fast as a small one (MEASURED.md: filling a whole tree of
10,000 nodes costs ~0.5 s).
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...model import Node, Rubric
from ...vn import fold, format_points

ERROR_MARK = ("●", "bold red")
WARNING_MARK = ("▲", "yellow")
#: A node whose own text is fine but something below it is not (seen while it is collapsed).
BELOW_ERROR_MARK = ("·", "bold red")
BELOW_WARNING_MARK = ("·", "yellow")
COMMENT_MARK = ("✉", "cyan")


class RubricTree(Tree[str]):
    """Tree of sections and criteria; each tree node's data is the criterion id."""

    BINDINGS = [
        Binding("right", "expand_here", "Mở", show=False, id="tree.expand"),
        Binding("left", "collapse_here", "Đóng", show=False, id="tree.collapse"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__("Bộ tiêu chí", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.rubric: Rubric | None = None
        self.severity: dict[str, str] = {}
        self.below: dict[str, str] = {}
        self.comments: dict[str, int] = {}
        self._by_id: dict[str, Node] = {}
        self._tree_nodes: dict[str, TreeNode[str]] = {}
        self.filter_words: list[str] = []
        #: Ids that match the filter, and those shown (the matches and their ancestors); None without a filter.
        self.matched: set[str] | None = None
        self.shown_ids: set[str] = set()
        self.match_parents: set[str] = set()

    # -- building
    def show(self, rubric: Rubric, *, keep_state: bool = True) -> None:
        """Display a rubric, keeping which nodes were open and where the cursor was (and the filter)."""
        expanded = {nid for nid, tn in self._tree_nodes.items() if tn.is_expanded} if keep_state else set()
        cursor = self.cursor_node.data if keep_state and self.cursor_node is not None else None
        scroll_y = self.scroll_y
        self.rubric = rubric
        self._by_id = rubric.index()
        self.below = self._worst_below()
        if not keep_state:
            self.filter_words = []
        self._match_filter()
        self._tree_nodes = {}
        self.clear()
        for section in rubric.sections:
            if self._shown(section):
                self._add(self.root, section)
        if self.matched is not None:
            expanded |= self.match_parents  # the way down to every match is open
        for nid in self._by_id:  # parents before children: opening one adds the children to open next
            if nid in expanded and nid in self._tree_nodes:
                self.expand(self._tree_nodes[nid])
        if cursor and self.select_id(cursor, highlight_only=True, scroll=False):
            self.call_after_refresh(self.scroll_to, y=scroll_y, animate=False)

    # -- the filter: words of the id or title, with or without diacritics
    def set_filter(self, text: str) -> int:
        """Show only the criteria whose id or title holds every word (accents ignored); returns how many match."""
        self.filter_words = fold(text).split()
        if self.rubric is not None:
            self.show(self.rubric)
        return len(self.matched or ())

    def _match_filter(self) -> None:
        if not self.filter_words or self.rubric is None:
            self.matched, self.shown_ids, self.match_parents = None, set(), set()
            return
        parents = self.rubric.parents()
        matched, shown_ids, match_parents = set(), set(), set()
        for node in self.rubric.walk():
            haystack = fold(f"{node.id} {node.title}")
            if all(word in haystack for word in self.filter_words):
                matched.add(node.id)
                current = node.id
                shown_ids.add(current)
                while current in parents and current not in match_parents:
                    current = parents[current].id
                    match_parents.add(current)
                    shown_ids.add(current)
        self.matched, self.shown_ids, self.match_parents = matched, shown_ids, match_parents

    def _shown(self, node: Node, parent: Node | None = None) -> bool:
        return self.matched is None or node.id in self.shown_ids or (parent is not None and parent.id in self.matched)

    def _children(self, node: Node) -> list[Node]:
        return [child for child in node.children if self._shown(child, node)]

    def _add(self, parent: TreeNode[str], node: Node) -> TreeNode[str]:
        tree_node = parent.add(self.label_for(node), data=node.id, allow_expand=bool(self._children(node)))
        self._tree_nodes.setdefault(node.id, tree_node)
        return tree_node

    def _fill(self, tree_node: TreeNode[str]) -> None:
        node = self._by_id.get(tree_node.data or "")
        if node is None or tree_node.children or not node.children:
            return
        for child in self._children(node):
            self._add(tree_node, child)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        self._fill(event.node)

    def expand(self, tree_node: TreeNode[str]) -> None:
        self._fill(tree_node)
        tree_node.expand()

    def action_expand_here(self) -> None:
        if self.cursor_node is not None and self.cursor_node.allow_expand:
            self.expand(self.cursor_node)

    def action_collapse_here(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and not node.parent.is_root:
            self.move_cursor(node.parent)

    # -- labels and marks
    def label_for(self, node: Node) -> Text:
        label = Text(no_wrap=True, overflow="ellipsis")
        severity = self.severity.get(node.id)
        below = self.below.get(node.id)
        mark = (ERROR_MARK if severity == "error" else WARNING_MARK if severity == "warning"
                else BELOW_ERROR_MARK if below == "error" else BELOW_WARNING_MARK if below == "warning" else (" ", ""))
        label.append(mark[0], style=mark[1])
        label.append(f" {node.id}", style="bold" if node.kind == "section" else "")
        points = format_points(node.max) if node.max is not None else "?"
        label.append(f" [{points}] ", style="green" if node.max is not None else "red")
        if self.comments.get(node.id, 0):
            label.append(f"{COMMENT_MARK[0]} ", style=COMMENT_MARK[1])
        label.append(node.title)
        return label

    def _label_room(self, tree_node: TreeNode[str]) -> int:
        """The cells a node's line has after its guides (0 before the tree has a size)."""
        depth, parent = 0, tree_node.parent
        while parent is not None and not parent.is_root:
            depth, parent = depth + 1, parent.parent
        # The vertical scrollbar's column is left out even while it is hidden: a label measured before it
        # appeared would otherwise be 2 cells too wide and bring a sideways scrollbar.
        width = self.content_region.width - self.styles.scrollbar_size_vertical
        return max(0, width - depth * self.guide_depth)

    def render_label(self, node: TreeNode[str], base_style, style) -> Text:
        """The label cut with "…" where the panel ends (the tree would otherwise cut it without a mark)."""
        text = super().render_label(node, base_style, style)
        room = self._label_room(node)
        if room and text.cell_len > room:
            text.truncate(room, overflow="ellipsis")
        return text

    def get_label_width(self, node: TreeNode[str]) -> int:
        room = self._label_room(node)
        width = super().get_label_width(node)
        return min(width, room) if room else width  # no sideways scrolling: the ends are "…"

    def _worst_below(self) -> dict[str, str]:
        """For each node, the worst severity among its descendants."""
        out: dict[str, str] = {}
        rank = {"error": 2, "warning": 1}

        def visit(node: Node) -> int:
            worst = 0
            for child in node.children:
                worst = max(worst, visit(child), rank.get(self.severity.get(child.id, ""), 0))
            if worst:
                out[node.id] = "error" if worst == 2 else "warning"
            return worst

        for section in self.rubric.sections if self.rubric else []:
            visit(section)
        return out

    def set_marks(self, severity: dict[str, str], comments: dict[str, int] | None = None) -> None:
        """New finding/comment marks; relabels only the nodes already in the tree."""
        self.severity = severity
        self.below = self._worst_below()
        if comments is not None:
            self.comments = comments
        for nid, tree_node in self._tree_nodes.items():
            node = self._by_id.get(nid)
            if node is not None:
                tree_node.set_label(self.label_for(node))

    # -- moving the cursor
    def select_id(self, node_id: str, *, highlight_only: bool = False, scroll: bool = True) -> bool:
        """Open the ancestors of a node and put the cursor on it (False when it is not shown)."""
        if self.rubric is None or node_id not in self._by_id:
            return False
        chain = []
        parents = self.rubric.parents()
        current = node_id
        while current in parents:
            current = parents[current].id
            chain.append(current)
        for ancestor in reversed(chain):
            tn = self._tree_nodes.get(ancestor)
            if tn is not None:
                self.expand(tn)
        target = self._tree_nodes.get(node_id)
        if target is None:
            return False
        self._tree_lines  # noqa: B018 - lays the lines out now, so target.line is known
        self.move_cursor(target)
        if scroll:
            self.call_after_refresh(self.scroll_to_node, target, animate=False)
        return True
