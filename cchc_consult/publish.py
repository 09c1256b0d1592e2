"""Publishing: freeze a version as final and render the Quyết định that issues it (Nghị định 30/2020).

The words of the decision — issuing body, legal bases, articles, recipients,
signer — are data (`decision.yaml` in the workspace, a default in the package)
and the HTML layout is a Jinja2 template a user can override
(`<workspace>/templates/decision.html.j2`); this module only lays them out.
Placeholders in the words ({nam}, {so}, {ngay}, {co_quan}) are replaced by plain
substitution: user text is never evaluated as a template.

`publish` is the whole act: check → render in memory → `versions.finalize` →
write .docx, .html and (when LibreOffice is installed) .pdf.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

from . import fileio
from .errors import CchcError
from .model import Rubric, nfc
from .render.decision import decision_docx_bytes, decision_html
from .render.env import TEMPLATES
from .schema import FieldReader
from .vn import format_date_long, format_date_nd30, parse_date, strip_marks

DECISION_FORMAT = "cchc-decision/1"
DECISION_FILE = "decision.yaml"

_PLACEHOLDER = re.compile(r"\{(nam|so|ngay|co_quan)\}")


class PublishRefused(CchcError):
    """The version has error findings and no reason was given for publishing it anyway."""


@dataclass(slots=True)
class DecisionText:
    """The words of the decision as the user wrote them in decision.yaml (placeholders unreplaced)."""

    issuer_parent: str
    issuer_name: str
    authority: str
    issuer_short: str
    place: str
    number_suffix: str
    subject: str
    legal_bases: list[str]
    proposal: str
    articles: list[str]
    recipients: list[str]
    signer_authority: str
    signer_title: str
    signer_name: str
    appendix_title: str
    appendix_subtitle: str
    source: str = ""


@dataclass(slots=True)
class Decision:
    """Everything printed on the decision, resolved: numbers, dates and punctuation in place."""

    issuer_parent: str
    issuer_name: str
    number_line: str
    motto_country: str
    motto: str
    place_date: str
    title: str
    subject: str
    authority: str
    bases: list[str]
    decides: str
    articles: list[tuple[str, str]]
    recipients_label: str
    recipients: list[str]
    signer_authority: str
    signer_title: str
    signer_name: str
    appendix_heading: str
    appendix_title: str
    appendix_subtitle: str
    appendix_attached: str
    note: str = ""


@dataclass(slots=True)
class PublishResult:
    """What `publish` did: the files written, the history record, and the errors published over."""

    version: str
    number: str
    date: str
    files: dict[str, Path] = field(default_factory=dict)
    error_findings: int = 0
    reason: str = ""
    pdf_note: str = ""


# --------------------------------------------------------------------------- the words

def decision_text_from_data(data: Any, source: str = "") -> DecisionText:
    """DecisionText from loaded YAML data, each missing or malformed field named with its line."""
    read = FieldReader(source)
    data = read.mapping(data, what="tệp lời văn quyết định phải là một khối YAML",
                        fix="xem mẫu cchc_consult/templates/decision.yaml")
    if data.get("format") not in (None, DECISION_FORMAT):
        raise read.fail(f"định dạng '{data.get('format')}' không phải lời văn quyết định ({DECISION_FORMAT})", data)
    issuer, signer, appendix = (read.mapping(data, key) for key in ("issuer", "signer", "appendix"))

    def text(where: dict, key: str, label: str, required: bool = True) -> str:
        return read.text(where, key, required=required, label=label, strip=True)

    def lines(key: str, label: str) -> list[str]:
        return read.text_list(data, key, required=True, label=label, strip=True)

    articles = lines("articles", "các điều")
    if len(articles) < 2:
        raise read.fail("quyết định cần ít nhất hai điều (ban hành; hiệu lực và tổ chức thực hiện)", data)
    return DecisionText(
        issuer_parent=text(issuer, "parent", "cơ quan chủ quản", required=False),
        issuer_name=text(issuer, "name", "tên cơ quan ban hành"),
        authority=text(issuer, "authority", "thẩm quyền ban hành"),
        issuer_short=text(issuer, "short", "tên viết trong câu"),
        place=text(data, "place", "địa danh"),
        number_suffix=text(data, "number_suffix", "ký hiệu", required=False) or "/QĐ-UBND",
        subject=text(data, "subject", "trích yếu"),
        legal_bases=lines("legal_bases", "căn cứ"),
        proposal=text(data, "proposal", "đề nghị của cơ quan trình", required=False),
        articles=articles,
        recipients=lines("recipients", "nơi nhận"),
        signer_authority=text(signer, "authority", "quyền hạn ký (TM./KT.)"),
        signer_title=text(signer, "title", "chức vụ người ký"),
        signer_name=text(signer, "name", "họ tên người ký", required=False),
        appendix_title=text(appendix, "title", "tên phụ lục"),
        appendix_subtitle=text(appendix, "subtitle", "dòng dưới tên phụ lục", required=False),
        source=source,
    )


def load_decision_text(workspace) -> DecisionText:
    """The workspace's decision.yaml, else the package default."""
    from .yamlio import read_yaml

    path = workspace.root / DECISION_FILE
    if not path.is_file():
        path = TEMPLATES / DECISION_FILE
    return decision_text_from_data(read_yaml(path), str(path))


def _ending(text: str, mark: str) -> str:
    """A line with its final punctuation replaced by `mark` (";", ".", "./.")."""
    stripped = text.rstrip().rstrip(";.,:/").rstrip()
    return stripped + mark


def full_number(number: str, suffix: str) -> str:
    """"125" → "125/QĐ-UBND"; a number already with its suffix is kept."""
    number = nfc(number).strip()
    return number if "/" in number else number + suffix


def build_decision(text: DecisionText, rubric: Rubric, number: str, date_iso: str, signer: str | None = None) -> Decision:
    """The resolved decision: placeholders replaced, NĐ 30 punctuation enforced. Pure."""
    day = Date.fromisoformat(date_iso)
    long_date, short_date = format_date_long(day), format_date_nd30(day)
    number = full_number(number, text.number_suffix)
    year = str(rubric.meta.year or day.year)
    values = {"nam": year, "so": number, "ngay": short_date, "co_quan": text.issuer_short}

    def fill(words: str) -> str:
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], words)

    bases = [fill(b) for b in text.legal_bases] + ([fill(text.proposal)] if text.proposal else [])
    bases = [_ending(b, ";") for b in bases[:-1]] + [_ending(bases[-1], ".")]
    articles = [fill(a) for a in text.articles]
    articles = [_ending(a, ".") for a in articles[:-1]] + [_ending(articles[-1], "./.")]
    recipients = [fill(r) for r in text.recipients]
    recipients = [f"- {_ending(r.lstrip('- '), ';')}" for r in recipients[:-1]] + \
                 [f"- {_ending(recipients[-1].lstrip('- '), '.')}"]
    return Decision(
        issuer_parent=text.issuer_parent.upper(), issuer_name=text.issuer_name.upper(),
        number_line=f"Số: {number}",
        motto_country="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto="Độc lập - Tự do - Hạnh phúc",
        place_date=f"{text.place}, {long_date}",
        title="QUYẾT ĐỊNH", subject=fill(text.subject), authority=text.authority.upper(),
        bases=bases, decides="QUYẾT ĐỊNH:",
        articles=[(f"Điều {i}.", a) for i, a in enumerate(articles, 1)],
        recipients_label="Nơi nhận:", recipients=recipients,
        signer_authority=text.signer_authority, signer_title=text.signer_title,
        signer_name=nfc(signer).strip() if signer else text.signer_name,
        appendix_heading="PHỤ LỤC", appendix_title=fill(text.appendix_title),
        appendix_subtitle=fill(text.appendix_subtitle),
        appendix_attached=f"(Kèm theo Quyết định số {number} ngày {short_date} của {text.issuer_short})",
        note=rubric.meta.note,
    )


# --------------------------------------------------------------------------- PDF

def convert_to_pdf(docx_path: Path, out_dir: Path, timeout: int = 180) -> tuple[Path | None, str]:
    """(pdf path, "") via `soffice --headless --convert-to pdf`, or (None, why not) when it cannot run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None, "không có LibreOffice (soffice) trên máy: bỏ qua bản PDF"
    # A private profile: two conversions at once (or an open LibreOffice window) otherwise clash.
    with tempfile.TemporaryDirectory(prefix="cchc-soffice-") as profile:
        try:
            done = subprocess.run(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                 "--outdir", str(out_dir), str(docx_path)],
                capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"LibreOffice không chuyển được sang PDF: {exc}"
    pdf = out_dir / (docx_path.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        return None, f"LibreOffice không chuyển được sang PDF: {(done.stderr or done.stdout).strip()[:300]}"
    return pdf, ""


# --------------------------------------------------------------------------- the act

def output_stem(number: str, version: str) -> str:
    """A file name for the decision: "QD-125-QD-UBND-v2" (ASCII, no '/')."""
    plain = re.sub(r"[^A-Za-z0-9]+", "-", strip_marks(number)).strip("-") or "so"
    return f"QD-{plain}-{version}"


def publish(workspace, version: str, number: str, date: str, *, signer: str | None = None,
            reason: str | None = None, out_dir: str | os.PathLike | None = None, pdf: bool = True) -> PublishResult:
    """Issue a version: refuse on error findings unless `reason` is given, freeze it as final, write the decision.

    The documents are rendered before the version is frozen, so a rendering
    failure never leaves a final version without its decision.
    """
    from .check import check, summary
    from .versions import finalize

    iso = parse_date(date).isoformat()
    name = Path(version).stem if version.endswith((".yaml", ".yml")) else version
    rubric = workspace.rubric(name)
    findings = check(rubric)
    errors, _ = summary(findings)
    reason = (reason or "").strip()
    if errors and not reason:
        first = [f for f in findings if f.severity == "error"][:5]
        listing = "; ".join(f"{f.node}: {f.message}" for f in first)
        raise PublishRefused(
            f"phiên bản {name} còn {errors} lỗi, chưa thể ban hành ({listing}{'; …' if errors > 5 else ''})",
            path=str(workspace.version_path(name)),
            fix=f"sửa các lỗi (cchc check {name}) hoặc ghi lý do vẫn ban hành: --reason \"…\" (được ghi vào lịch sử)")
    from .newround.decision import decision_blanks

    blanks = [key for key, _ in decision_blanks(workspace) if not (signer and key == "signer.name")]
    if blanks:
        raise PublishRefused(f"decision.yaml còn chỗ chưa điền: {', '.join(blanks)}",
                             path=str(workspace.root / "decision.yaml"),
                             fix='điền bằng: cchc decision set KHÓA "…" (xem: cchc decision)')
    text = workspace.decision()
    decision = build_decision(text, rubric, number, iso, signer)
    number_full = full_number(number, text.number_suffix)
    docx_bytes = decision_docx_bytes(decision, rubric)
    html = decision_html(decision, rubric, workspace.root / "templates")
    record = workspace.history().get(name)
    if record is not None and record.status == "final" and record.decision == number_full \
            and record.decision_date == iso:
        pass  # already issued by this very decision: only render again
    else:
        why = reason if not errors else f"ban hành khi còn {errors} lỗi kiểm tra: {reason}"
        finalize(workspace, name, number_full, iso, why or None)
    target = Path(out_dir) if out_dir else workspace.output / "quyet-dinh"
    stem = output_stem(number_full, name)
    result = PublishResult(name, number_full, iso, error_findings=errors, reason=reason)
    result.files["docx"] = target / f"{stem}.docx"
    result.files["html"] = target / f"{stem}.html"
    # no lock file beside the documents: the clerk's folder should hold only what they file
    fileio.atomic_write(result.files["docx"], docx_bytes, lock=False)
    fileio.atomic_write(result.files["html"], html, lock=False)
    if pdf:
        made, note = convert_to_pdf(result.files["docx"], target)
        if made is not None:
            result.files["pdf"] = made
        result.pdf_note = note
    return result
