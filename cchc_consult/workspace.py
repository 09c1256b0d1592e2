"""The only way in to a workspace's named files: `ws.rubric("v1")` (hash-checked), `ws.round()`, `ws.comments()` …

A workspace is a folder with `rubric/drafts/` (the versions), `rubric/history.yaml`,
`comments/` (what offices sent), and optional `offices.yaml`, `round.yaml`,
`decision.yaml`, `scores/`. `cchc init` makes an empty one, `cchc demo` a copy of the
bundled 2023 example (shipped inside the package; in a checkout, the repository's own files).
There is no silent default: a command outside a workspace is told so (`find_workspace`).

Every reader returns parsed domain objects and raises a CchcError naming the
file. A version is read from its bytes once: a circulated or final one is
hashed against the history before anything is parsed, then parsed (or taken
from the cache keyed by the same bytes) from those very bytes. A version file
that is a symbolic link is refused when its target leaves rubric/drafts/, and
always when the version is frozen.

The readers of round, comment, score and decision files are imported inside
their methods: `cchc check` should not pay for consult/ and score/ at start-up.
Those modules see `Workspace` only for typing, so nothing below points back up.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import fileio
from .schema import rubric_data, rubric_from_data
from .yamlio import cached, hash_bytes, read_yaml
from .errors import CchcError, FrozenVersionError, WorkspaceError
from .findings import CheckReport
from .fileio import safe_name
from .model import FrozenRecord, Rubric
from .history import FROZEN_STATUSES, STATUS_LABELS, VersionRecord, history_from_data, natural_key, next_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up (~4 ms of `cchc check`)
if TYPE_CHECKING:
    from typing import Any

    from .accepted import AcceptedFinding
    from .consult.comments import CommentSet
    from .consult.consultation import Consultation
    from .consult.dispositions import Dispositions
    from .consult.round import Round
    from .offices import Office
    from .publish import DecisionText
    from .score.compute import Settings
    from .score.sheet import Sheet

#: What the bundled 2023 example is made of, at the repository root and in the package's example/.
EXAMPLE_ITEMS = ("rubric", "comments", "scores", "offices.yaml", "round.yaml", "decision.yaml")
_PACKAGE = Path(__file__).resolve().parent


class Workspace(FrozenRecord):
    """One workspace: where its files live, and the readers that turn them into domain objects."""

    __slots__ = ("root",)

    def __init__(self, root: Path) -> None:
        self._set(root=root)

    # ------------------------------------------------------------------ paths
    @property
    def drafts(self) -> Path:
        return self.root / "rubric" / "drafts"

    @property
    def history_file(self) -> Path:
        # Beside the drafts folder, not in it: rubric/drafts/ holds only rubric versions.
        return self.root / "rubric" / "history.yaml"

    @property
    def comments_dir(self) -> Path:
        return self.root / "comments"

    @property
    def scores(self) -> Path:
        return self.root / "scores"

    @property
    def offices_file(self) -> Path:
        return self.root / "offices.yaml"

    @property
    def round_file(self) -> Path:
        return self.root / "round.yaml"

    @property
    def accepted_file(self) -> Path:
        return self.root / "accepted.yaml"

    @property
    def output(self) -> Path:
        return self.root / "out"

    def versions(self) -> list[str]:
        """Version names of the drafts on disk, in natural order (v1, v2, …, v10)."""
        if not self.drafts.is_dir():
            return []
        return sorted((p.stem for p in self.drafts.glob("*.yaml")), key=natural_key)

    def newest(self) -> str:
        """The newest version's name; refuses an empty drafts folder."""
        versions = self.versions()
        if not versions:
            raise WorkspaceError(f"không có dự thảo nào trong {self.drafts}",
                                 fix="nhập một bộ tiêu chí: cchc import NGUỒN -o rubric/drafts/v1.yaml")
        return versions[-1]

    def version_path(self, name: str) -> Path:
        """rubric/drafts/NAME.yaml for a version name; refuses names that would leave the folder."""
        return self.drafts / f"{safe_name(name, 'tên phiên bản')}.yaml"

    def resolve_rubric(self, spec: str | os.PathLike | None) -> Path:
        """A path from a version name ("v1"), a file path, or None (the newest version); nothing is read."""
        if spec is None:
            return self.version_path(self.newest())
        text = str(spec)
        candidate = Path(text)
        if candidate.suffix in (".yaml", ".yml") or os.sep in text or "/" in text:
            return candidate
        return self.version_path(text)

    # ------------------------------------------------------------------ versions
    def history(self) -> dict[str, VersionRecord]:
        """The version records of rubric/history.yaml by name ({} when there is no history yet)."""
        path = self.history_file
        if not path.exists():
            return {}
        return history_from_data(read_yaml(path), str(path))

    def rubric(self, name: str | None = None, *, records: dict[str, VersionRecord] | None = None) -> Rubric:
        """A version's rubric by name (None: the newest), a frozen one only if its bytes match the history."""
        path, data = self._read_version(name or self.newest(), records)
        return rubric_from_data(data, str(path))

    def verify(self, name: str, records: dict[str, VersionRecord] | None = None) -> Path:
        """The file of a version after the same checks as `rubric`: for the lifecycle, which rewrites it."""
        return self._read_version(name, records)[0]

    def rubric_file(self, spec: str | os.PathLike | None) -> Rubric:
        """The rubric a `cchc check PATH`-style argument names: a version name, a file path, or None.

        A file in a drafts folder is a version and goes through `rubric` (hash-checked,
        in its own workspace when the path names another one); any other file is read as is.
        """
        return self.rubric_from(self.rubric_bytes(spec))

    def rubric_bytes(self, spec: str | os.PathLike | None) -> "RubricBytes":
        """The bytes of the rubric a `cchc check PATH`-style argument names, read once and hashed, nothing parsed.

        A version's (a file in a drafts folder, of this workspace or another) pass the same checks as
        `rubric`: links, and a frozen version's hash against the history.
        """
        path = self.resolve_rubric(spec)
        owner = self._version_owner(path)
        if owner is not None:
            return owner._version_bytes(path.stem, None)
        raw = fileio.read_bytes(path)
        return RubricBytes(path, raw, hash_bytes(raw))

    def rubric_from(self, source: "RubricBytes") -> Rubric:
        """The rubric of bytes `rubric_bytes` read: parsed (or from the parse cache), then refused or built."""
        return rubric_from_data(_checked_data(source), str(source.path))

    def check_report(self, spec: str | os.PathLike | None) -> CheckReport:
        """`check` of the rubric `spec` names (as `rubric_file`), from the cache when its bytes were checked before.

        The findings are a pure function of the bytes and of the code that reads and checks them, so
        a report is kept under the bytes' hash and a stamp of the package's modules (an edit or a
        reinstall checks afresh). A cached report skips the parse, the model and the checks, most of a
        cold `cchc check`. The verdicts that depend on the history are judged on every run: a frozen
        version's hash before the cache is asked, a file saying "circulated" that the history does not
        know after.
        """
        source = self.rubric_bytes(spec)

        def fresh() -> dict:
            # start-up: only a report not yet cached needs the checks and their patterns
            from .check import check

            rubric = self.rubric_from(source)
            return CheckReport.of(rubric, check(rubric)).as_dict()

        stamp = _code_stamp()
        try:
            report = CheckReport.from_data(cached(source.raw, fresh, kind="check-", version=stamp,
                                                  use_cache=bool(stamp), digest=source.digest))
        except (KeyError, TypeError, AttributeError):  # a cache entry this code did not write: check afresh
            report = CheckReport.from_data(fresh())
        refuse_unrecorded_frozen(source, report.status)
        return report

    def ensure_writable_version(self, target: str | os.PathLike) -> Path:
        """`target` as a path, after refusing it when it is (or links to) a circulated or final version.

        Every command that writes a file it was told to write calls this first, so
        `import --force -o rubric/drafts/v1.yaml` or `export -o rubric/drafts/v1.yaml`
        can never overwrite a frozen version.
        """
        path = Path(target)
        candidates = [path]
        if path.is_symlink():
            candidates.append(_target_of(path))
        for candidate in candidates:
            owner = self._version_owner(candidate)
            if owner is None:
                continue
            name = candidate.stem
            status = owner._recorded_status(name, candidate)
            if status in FROZEN_STATUSES:
                raise FrozenVersionError(
                    f"không ghi đè lên phiên bản {name}: phiên bản này {STATUS_LABELS[status]}, đã đóng băng",
                    path=str(path),
                    fix=f"ghi ra tệp khác (ví dụ -o rubric/drafts/{next_name(owner)}.yaml), hoặc tạo "
                        f"dự thảo mới để sửa: cchc draft new --from {name}")
        return path

    def _recorded_status(self, name: str, path: Path) -> str:
        """A version's status by the history, else by the file's own meta (a file the history does not know)."""
        record = self.history().get(name)
        if record is not None:
            return record.status
        try:
            data = read_yaml(path) if path.is_file() else None
        except CchcError:  # an unreadable file is no frozen version: the write may replace it
            return "draft"
        return _meta_status(data)

    def _version_owner(self, path: Path) -> "Workspace | None":
        """The workspace whose version `path` is, judged by the folder before any symlink in the name is followed."""
        if path.suffix.lower() != ".yaml":  # V1.YAML is v1.yaml on Windows
            return None
        try:
            folder = Path(os.path.abspath(path)).parent.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a loop of links
            return None
        if folder == self.drafts.resolve():
            return self
        if folder.name == "drafts" and folder.parent.name == "rubric":
            return Workspace(folder.parent.parent)
        return None

    def _read_version(self, name: str, records: dict[str, VersionRecord] | None) -> tuple[Path, Any]:
        """(path, data) of a version: links checked, a frozen one hashed before it is parsed."""
        source = self._version_bytes(name, records)
        return source.path, _checked_data(source)

    def _version_bytes(self, name: str, records: dict[str, VersionRecord] | None) -> "RubricBytes":
        """A version's bytes, read once and hashed: links checked, a frozen one's hash against the history."""
        path = self.version_path(name)
        record = (self.history() if records is None else records).get(name)
        frozen = record is not None and record.frozen
        if path.is_symlink():
            target = _target_of(path)
            if frozen:
                raise FrozenVersionError(
                    f"phiên bản {name} {STATUS_LABELS[record.status]} nhưng tệp đã bị thay bằng một liên kết "
                    f"(symlink) tới {target}; không dùng bản này", path=str(path),
                    fix=f"đặt lại tệp thật đúng như lúc {STATUS_LABELS[record.status]} (git checkout, bản sao lưu)")
            if target.parent != self.drafts.resolve():
                raise WorkspaceError(
                    f"tệp phiên bản {name} là liên kết (symlink) trỏ ra ngoài thư mục dự thảo, tới {target}; "
                    "không đọc", path=str(path), fix=f"chép tệp thật vào {self.drafts} thay cho liên kết")
            path = target
        if not path.exists():
            known = ", ".join(self.versions()) or "không có"
            raise WorkspaceError(f"không có phiên bản '{name}' trong {self.drafts} (hiện có: {known})",
                                 path=str(path), fix="xem danh sách: cchc history")
        raw = fileio.read_bytes(path)
        digest = hash_bytes(raw)
        if frozen:
            label = STATUS_LABELS[record.status]
            if not record.sha256:
                raise FrozenVersionError(f"phiên bản {name} {label} nhưng lịch sử không ghi mã băm", path=str(path),
                                         fix=f"khôi phục {self.history_file.name} từ git hoặc bản sao lưu")
            if digest != record.sha256:
                raise FrozenVersionError(
                    f"phiên bản {name} {label} nhưng nội dung tệp đã bị sửa sau khi đóng băng "
                    f"(mã băm không khớp với {self.history_file.name}); không dùng bản này",
                    path=str(path),
                    fix=f"khôi phục tệp đúng như lúc {label} (git checkout, bản sao lưu); muốn sửa thì tạo "
                        f"dự thảo mới: cchc draft new --from {name}")
        return RubricBytes(path, raw, digest, name, record)

    # ------------------------------------------------------------------ the round
    def offices(self) -> list[Office]:
        """offices.yaml, else the district's default list."""
        # start-up: `cchc check` opens a Workspace; each reader loads its module when first asked
        from .consult.round import load_offices

        return load_offices(self)

    def round(self, offices: list[Office] | None = None) -> Round:
        """round.yaml (a round over every office for v1 when there is none)."""
        # start-up: `cchc check` opens a Workspace; each reader loads its module when first asked
        from .consult.round import load_round

        return load_round(self, offices)

    def round_rubric(self, round_: Round | None = None) -> Rubric:
        """The version the round circulated, hash-checked."""
        return self.rubric((round_ or self.round()).version)

    def comments(self, rubric: Rubric | None = None, *, offices: list[Office] | None = None,
                 round_: Round | None = None) -> CommentSet:
        """Every comment file in comments/, matched against `rubric` (default: the circulated version)."""
        # start-up: `cchc check` opens a Workspace; each reader loads its module when first asked
        from .consult.comments import read_comments

        offices = offices if offices is not None else self.offices()
        round_ = round_ or self.round(offices)
        rubric = rubric or self.round_rubric(round_)
        return read_comments(self.comments_dir, rubric, offices, round_, relative_to=self.root)

    def dispositions(self, comments: CommentSet | None = None) -> Dispositions:
        """comments/dispositions.yaml (empty when there is none yet), bound to `comments` when given."""
        # start-up: `cchc check` opens a Workspace; each reader loads its module when first asked
        from .consult.dispositions import load_dispositions

        return load_dispositions(self, comments)

    def consultation(self) -> Consultation:
        """The whole round read together: offices, round, circulated version (hash-checked), comments, answers."""
        # start-up: `cchc check` opens a Workspace; each reader loads its module when first asked
        from .consult.consultation import Consultation

        offices = self.offices()
        round_ = self.round(offices)
        rubric = self.round_rubric(round_)
        comments = self.comments(rubric, offices=offices, round_=round_)
        return Consultation(self, offices, round_, rubric, comments, self.dispositions(comments))

    # ------------------------------------------------------------------ scores and the decision
    def sheets(self, kind: str | None = None) -> list[Sheet]:
        """The score sheets in scores/ ("self" or "appraisal" only when `kind` is given)."""
        # start-up: `cchc check` opens a Workspace; each reader loads its module when first asked
        from .score import load_sheets

        sheets = load_sheets(self.scores)
        return sheets if kind is None else [s for s in sheets if s.kind == kind]

    def settings(self) -> Settings:
        """scores/settings.yaml (classification bands, rounding), with round.yaml's score settings."""
        # start-up: `cchc check` opens a Workspace; each reader loads its module when first asked
        from .score.compute import load_settings

        return load_settings(self.scores, self.round_file)

    def accepted(self) -> list[AcceptedFinding]:
        """accepted.yaml: the check errors Phòng Nội vụ decided to keep, one by one ([] when none)."""
        # start-up: `cchc check` opens a Workspace; each reader loads its module when first asked
        from .accepted import load_accepted

        return load_accepted(self)

    def decision(self) -> DecisionText:
        """decision.yaml, the wording of the Quyết định (the package default when the workspace has none)."""
        # start-up: `cchc check` opens a Workspace; each reader loads its module when first asked
        from .publish import load_decision_text

        return load_decision_text(self)


def _target_of(link: Path) -> Path:
    """Where a symbolic link finally points; a loop of links is refused, naming the link."""
    try:
        return link.resolve()
    except (OSError, RuntimeError):
        raise WorkspaceError(f"liên kết (symlink) {link} trỏ vòng hoặc không đọc được", path=str(link),
                             fix="thay liên kết bằng tệp thật") from None


class RubricBytes(FrozenRecord):
    """A rubric file's bytes as read once, with their SHA-256; for a version, its name and history record.

    What every reading of a rubric file starts from: hashed once, checked against the history
    before anything is parsed, then parsed (or taken from the cache) from these same bytes.
    """

    __slots__ = ("path", "raw", "digest", "version", "record")

    def __init__(self, path: Path, raw: bytes, digest: str, version: str = "",
                 record: VersionRecord | None = None) -> None:
        self._set(path=path, raw=raw, digest=digest, version=version, record=record)


def refuse_unrecorded_frozen(source: RubricBytes, status: str) -> None:
    """Refuse a version whose file says circulated or final when the history has no record to check it by."""
    if source.version and source.record is None and status in FROZEN_STATUSES:
        raise FrozenVersionError(
            f"tệp ghi trạng thái '{status}' nhưng lịch sử không có phiên bản {source.version}: không kiểm tra được "
            "tệp có bị sửa hay không", path=str(source.path),
            fix=f"đặt 'status: draft' rồi đóng băng lại: cchc draft circulate {source.version} --letter … --date …")


def _checked_data(source: RubricBytes) -> Any:
    """Rubric bytes' plain data (conditions from the words), parsed or cached; refused for an unrecorded freeze."""
    data = rubric_data(source.raw, source.path, digest=source.digest)
    refuse_unrecorded_frozen(source, _meta_status(data))
    return data


def _code_stamp() -> str:
    """Which code made a cached check report: the name, size and time of each module of the package's top folder.

    "" when the modules cannot be listed (a frozen or zipped build): then nothing is cached.
    """
    try:
        with os.scandir(os.path.dirname(os.path.abspath(__file__))) as entries:
            parts = sorted(f"{e.name}:{e.stat().st_size}:{e.stat().st_mtime_ns}" for e in entries
                           if e.name.endswith(".py"))
    except OSError:
        return ""
    return hash_bytes("\n".join(parts).encode("utf-8"))[:16] if parts else ""


def _meta_status(data: Any) -> str:
    meta = data.get("meta") if isinstance(data, dict) else None
    return str(meta.get("status", "draft")) if isinstance(meta, dict) else "draft"


def is_workspace(folder: Path) -> bool:
    """Whether a folder holds a workspace (its rubric/drafts/ folder is the mark)."""
    return (folder / "rubric" / "drafts").is_dir()


_HOW_TO_START = ("tạo mới: cchc init THƯ_MỤC --year NĂM; hoặc chép bộ mẫu 2023: cchc demo THƯ_MỤC; "
                 "rồi chạy lệnh trong thư mục đó, hoặc thêm -w THƯ_MỤC")


def find_workspace(explicit: str | os.PathLike | None = None, *, required: bool = True) -> Workspace | None:
    """The workspace to use: the one named (-w), else $CCHC_WORKSPACE, else the current folder.

    Never a silent default: a named folder that does not exist or is no workspace, or a
    current folder that is none, is a WorkspaceError naming `cchc init` and `cchc demo`
    (None instead for the last case when not `required`).
    """
    for candidate, how in ((explicit, "-w"), (os.environ.get("CCHC_WORKSPACE"), "CCHC_WORKSPACE")):
        if not candidate:
            continue
        root = Path(candidate).expanduser().resolve()
        if not root.is_dir():
            raise WorkspaceError(f"thư mục làm việc {root} ({how}) không có", path=str(root), fix=_HOW_TO_START)
        if not is_workspace(root):
            raise WorkspaceError(f"{root} ({how}) không phải thư mục làm việc: thiếu thư mục rubric/drafts/",
                                 path=str(root), fix=_HOW_TO_START)
        return Workspace(root)
    here = Path.cwd().resolve()
    if is_workspace(here):
        return Workspace(here)
    if not required:
        return None
    raise WorkspaceError(f"thư mục hiện tại ({here}) không phải thư mục làm việc và không có -w", fix=_HOW_TO_START)


# --------------------------------------------------------------------------- the bundled example

def example_root() -> Path:
    """Where the bundled 2023 example lives: the package's example/ (a wheel), else the checkout's root."""
    for root in (_PACKAGE / "example", _PACKAGE.parent):
        if is_workspace(root) and all((root / item).exists() for item in EXAMPLE_ITEMS):
            return root
    raise WorkspaceError("bản cài đặt này không có bộ mẫu 2023", path=str(_PACKAGE / "example"),
                         fix="cài lại từ gói đầy đủ (pip install cchc-consult) hoặc từ mã nguồn (pip install .)")


def _not_example_file(folder: str, names: list[str]) -> list[str]:
    # locks (".v1.yaml.lock"), half-written temporaries and caches are no part of the example
    return [n for n in names if n.startswith(".") or n.endswith((".tmp", ".lock", ".pyc")) or n == "__pycache__"]


def copy_example(target: str | os.PathLike, *, force: bool = False) -> Workspace:
    """Write the bundled 2023 example into `target` (made if missing; refused when not empty unless `force`)."""
    import shutil  # here, not at the top: shutil imports bz2 and lzma, ~2 ms that every read-only command would pay

    source = example_root()
    root = Path(target).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} là một tệp, không phải thư mục", path=str(root), fix="chọn tên thư mục khác")
    if root == source or source in root.parents:
        raise WorkspaceError(f"không chép bộ mẫu vào chính nó ({source})", path=str(root),
                             fix="chọn một thư mục ở ngoài, ví dụ: cchc demo ~/cchc-mau")
    if root.is_dir() and any(root.iterdir()):
        if not force:
            raise WorkspaceError(f"thư mục {root} đã có tệp; không ghi đè", path=str(root),
                                 fix="chọn thư mục trống (hoặc chưa có), hoặc thêm --force để thay các tệp của bộ mẫu")
        for item in EXAMPLE_ITEMS:
            old = root / item
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            elif old.exists() or old.is_symlink():
                old.unlink()
    root.mkdir(parents=True, exist_ok=True)
    for item in EXAMPLE_ITEMS:
        if (source / item).is_dir():
            shutil.copytree(source / item, root / item, ignore=_not_example_file)
        else:
            shutil.copyfile(source / item, root / item)
    return Workspace(root)
