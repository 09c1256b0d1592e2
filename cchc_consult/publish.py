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

import io
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
from .schema import FieldReader

DECISION_FORMAT = "cchc-decision/1"
DECISION_FILE = "decision.yaml"
TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT = "Times New Roman"
BODY_PT = 14
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


def vietnamese_date(iso: str) -> tuple[str, str]:
    """("ngày 05 tháng 9 năm 2023", "05/9/2023"): NĐ 30 writes days below 10 and months 1, 2 with a 0."""
    day = Date.fromisoformat(iso)
    d = f"{day.day:02d}"
    m = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}", f"{d}/{m}/{day.year}"


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
    long_date, short_date = vietnamese_date(date_iso)
    number = full_number(number, text.number_suffix)
    year = str(rubric.meta.year or Date.fromisoformat(date_iso).year)
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


# --------------------------------------------------------------------------- Word

def _run(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False,
         size: float = BODY_PT) -> Any:
    from .render.docx_table import set_font_everywhere
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    run.font.underline = underline or None
    set_font_everywhere(run._element, FONT)
    return run


def _para(container: Any, text: str = "", *, align: str = "center", bold: bool = False, italic: bool = False,
          underline: bool = False, size: float = BODY_PT, before: float = 0, after: float = 0,
          first_line_mm: float = 0, reuse_first: bool = False) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    paragraph = container.paragraphs[0] if reuse_first else container.add_paragraph()
    paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                           "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if first_line_mm:
        fmt.first_line_indent = Mm(first_line_mm)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, underline=underline, size=size)
    return paragraph


def _short_rule(container: Any, inset_mm: float) -> None:
    """The short solid line NĐ 30 draws under the issuer's name and under the subject line."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(inset_mm)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _borderless_table(document: Any, widths_mm: tuple[float, float]) -> Any:
    """A two-column layout table with no borders: header and signature blocks."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for cell, width in zip(table.rows[0].cells, widths_mm):
        cell.width = Mm(width)
    return table


def decision_docx(decision: Decision, rubric: Rubric) -> Any:
    """The decision as a python-docx Document: A4, Times New Roman, NĐ 30 layout, the rubric as Phụ lục."""
    from .render.docx_table import add_rubric_table, new_a4_document

    document = new_a4_document()
    section = document.sections[0]
    from docx.shared import Mm

    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    # header: issuer left, national motto right
    header = _borderless_table(document, (62, 103))
    left, right = header.rows[0].cells
    _para(left, decision.issuer_parent, size=13, reuse_first=True)
    _para(left, decision.issuer_name, bold=True, size=13)
    _short_rule(left, 19)
    _para(left, decision.number_line, size=13, before=6)
    _para(right, decision.motto_country, bold=True, size=12.5, reuse_first=True)
    _para(right, decision.motto, bold=True, underline=True, size=13.5)
    _para(right, decision.place_date, italic=True, size=14, before=8)
    # title, subject, authority
    _para(document, decision.title, bold=True, before=18)
    _para(document, decision.subject, bold=True)
    _short_rule(document, 60)
    _para(document, decision.authority, bold=True, before=12, after=6)
    for line in decision.bases:
        _para(document, line, align="justify", italic=True, first_line_mm=12.7, after=4)
    _para(document, decision.decides, bold=True, before=6, after=6)
    for label, words in decision.articles:
        paragraph = _para(document, align="justify", first_line_mm=12.7, after=6)
        _run(paragraph, label + " ", bold=True)
        _run(paragraph, words)
    # Nơi nhận left (small), signer right
    sign = _borderless_table(document, (80, 85))
    cell_left, cell_right = sign.rows[0].cells
    _para(cell_left, decision.recipients_label, align="left", bold=True, italic=True, size=12, before=12,
          reuse_first=True)
    for line in decision.recipients:
        _para(cell_left, line, align="left", size=11)
    _para(cell_right, decision.signer_authority, bold=True, before=12, reuse_first=True)
    _para(cell_right, decision.signer_title, bold=True)
    for _ in range(4):
        _para(cell_right, "")
    if decision.signer_name:
        _para(cell_right, decision.signer_name, bold=True)
    # appendix on its own page
    # page_break_before rather than a break run: a full first page would otherwise leave a blank one
    _para(document, decision.appendix_heading, bold=True).paragraph_format.page_break_before = True
    _para(document, decision.appendix_title, bold=True)
    if decision.appendix_subtitle:
        _para(document, decision.appendix_subtitle, bold=True)
    _para(document, decision.appendix_attached, italic=True, after=10)
    add_rubric_table(document, rubric)
    if decision.note:
        _para(document, decision.note, align="justify", italic=True, size=13, before=6)
    return document


def decision_docx_bytes(decision: Decision, rubric: Rubric) -> bytes:
    stream = io.BytesIO()
    decision_docx(decision, rubric).save(stream)
    return stream.getvalue()


# --------------------------------------------------------------------------- HTML

def decision_html(decision: Decision, rubric: Rubric, workspace_root: Path | None = None) -> str:
    """The decision as one HTML page (autoescaped), from templates/decision.html.j2.

    A `templates/decision.html.j2` in the workspace takes precedence over the packaged one.
    """
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

    from .render.appendix import HEADERS, appendix_rows

    loaders = [FileSystemLoader(str(TEMPLATES))]
    if workspace_root is not None and (workspace_root / "templates").is_dir():
        loaders.insert(0, FileSystemLoader(str(workspace_root / "templates")))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("decision.html.j2").render(d=decision, headers=HEADERS, rows=appendix_rows(rubric))


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
    import unicodedata

    plain = unicodedata.normalize("NFKD", number.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-") or "so"
    return f"QD-{plain}-{version}"


def publish(workspace, version: str, number: str, date: str, *, signer: str | None = None,
            reason: str | None = None, out_dir: str | os.PathLike | None = None, pdf: bool = True) -> PublishResult:
    """Issue a version: refuse on error findings unless `reason` is given, freeze it as final, write the decision.

    The documents are rendered before the version is frozen, so a rendering
    failure never leaves a final version without its decision.
    """
    from .check import check, summary
    from .versions import finalize, parse_date

    iso = parse_date(date)
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
    text = workspace.decision()
    decision = build_decision(text, rubric, number, iso, signer)
    number_full = full_number(number, text.number_suffix)
    docx_bytes = decision_docx_bytes(decision, rubric)
    html = decision_html(decision, rubric, workspace.root)
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
