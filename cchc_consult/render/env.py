"""The one Jinja set-up: an environment per output kind, the workspace's templates first.

HTML is autoescaped; Markdown escapes every `{{ … }}` with the one Markdown
escaper unless a filter already made it safe (`| md` for a cell, lines joined
by <br>); plain text is left as is. Jinja2 is imported on first use.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..errors import CchcError
from ..vn import format_date_short, format_index, format_points, points_or_kps
from .escape import markdown_cell, markdown_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
KINDS = ("html", "md", "text")


def environment(kind: str, workspace_templates: str | Path | None = None):
    """The Jinja environment for one output kind ("html", "md", "text").

    `workspace_templates` is a folder (usually `<workspace>/templates`) whose
    templates override the packaged ones of the same name; a missing folder is ignored.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown output kind {kind!r}; use one of {KINDS}")
    folder = Path(workspace_templates) if workspace_templates is not None else None
    return _environment(kind, str(folder) if folder is not None and folder.is_dir() else "")


@functools.lru_cache(maxsize=16)
def _environment(kind: str, workspace_folder: str):
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    loaders = [FileSystemLoader(str(TEMPLATES))]
    if workspace_folder:
        loaders.insert(0, FileSystemLoader(workspace_folder))
    options = dict(loader=ChoiceLoader(loaders), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                   keep_trailing_newline=True)
    if kind == "html":
        env = Environment(autoescape=True, **options)
    elif kind == "md":
        def finalize(value):
            """Every `{{ … }}` of a Markdown template is escaped unless a filter already made it safe."""
            return value if isinstance(value, Markup) else markdown_text("" if value is None else value)

        env = Environment(autoescape=False, finalize=finalize, **options)
        env.filters["md"] = lambda value: Markup(markdown_cell(value))
    else:
        env = Environment(autoescape=False, **options)
    env.filters["date"] = format_date_short
    env.filters["p"] = format_points
    env.filters["idx"] = format_index
    env.filters["pts"] = points_or_kps
    return env


def render_template(kind: str, name: str, workspace_templates: str | Path | None = None, **context) -> str:
    """One template rendered with the environment of its kind; a broken template is a CchcError naming its file."""
    from jinja2 import TemplateError

    env = environment(kind, workspace_templates)
    template = None
    try:
        template = env.get_template(name)
        return template.render(**context)
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or (template.filename if template is not None else name)
        raise CchcError(f"mẫu {name} không dùng được: {exc.message or exc}", path=where,
                        line=getattr(exc, "lineno", 0) or 0,
                        fix=f"sửa mẫu {name} trong thư mục templates/ của thư mục làm việc, "
                            "hoặc xóa nó để dùng mẫu có sẵn") from None
