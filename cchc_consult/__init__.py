"""cchc-consult: draft, consult on, publish and apply a CCHC scoring rubric.

The public surface for Python users; the `cchc` command is a thin layer over it.
"""

from .model import Band, Condition, Node, Rubric, RubricMeta, parse_points
from .vn import format_points

__all__ = ["Band", "Condition", "Node", "Rubric", "RubricMeta", "format_points", "parse_points",
           "load_rubric", "check"]
__version__ = "0.1.0"


def load_rubric(path):
    """A rubric from a YAML file; a version in a drafts folder is hash-checked against its workspace's history."""
    # start-up: `import cchc_consult` runs for every command and --help
    from .workspace import find_workspace

    return find_workspace().rubric_file(path)


def check(rubric):
    """Consistency findings of a rubric."""
    # start-up: `import cchc_consult` runs for every command and --help
    from .check import check as _check

    return _check(rubric)
