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
from .errors import CchcError, PublishRefusedError, damage_reason
from .model import Rubric
from .render.decision import decision_docx_bytes, decision_html
from .render.escape import OfficeNotes
from .schema import FieldReader
from .versions import add_event, finalize, natural_key as natural_order
from .vn import format_date_long, format_date_nd30, nfc, parse_date, strip_marks
from .wording import PLACEHOLDER, UNFILLED, fill, listed, wording_path
from .accepted import check_reason, split_accepted
from .check import check
from .newround.decision import decision_blanks
from .yamlio import read_yaml

DECISION_FORMAT = "cchc-decision/1"
DECISION_FILE = "decision.yaml"

#: The placeholders of the decision's wording and what each becomes.
DECISION_PLACEHOLDERS = {
    "nam": "năm của bộ tiêu chí", "so": "số quyết định", "ngay": "ngày ký (ngày/tháng/năm)",
    "co_quan": "cơ quan ban hành viết trong câu", "to_trinh": "số và ngày tờ trình (submission)",
    "thay_the": "“ và thay thế Quyết định số … ngày … của …” (replaces, --replace)"}


#: Kept for callers of the first release; every refusal is a PublishRefusedError.
PublishRefused = PublishRefusedError



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
    submission_number: str = ""
    submission_date: str = ""
    #: Who signs the tờ trình and the Bảng tổng hợp attached to it (submission.signer: title, name).
    submission_signer_title: str = ""
    submission_signer_name: str = ""
    replaces_number: str = ""
    replaces_date: str = ""
    results_subject: str = ""
    results_proposal: str = ""
    #: The tờ trình asking to announce the results (results.submission), cited like the issuing one's.
    results_submission_number: str = ""
    results_submission_date: str = ""
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
    #: The upper line is the issuer's own name (ỦY BAN NHÂN DÂN / HUYỆN …), not a parent body: bold too.
    issuer_parent_bold: bool = False


@dataclass(slots=True)
class PublishResult:
    """What `publish` did: the files written, the history record, and the errors published over."""

    version: str
    number: str
    date: str
    files: dict[str, Path] = field(default_factory=dict)
    accepted_findings: int = 0
    replaced: str = ""
    late_reason: str = ""
    pdf_note: str = ""
    #: One sentence per item whose control characters were replaced in the Word (and PDF) file.
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the words

def decision_text_from_data(data: Any, source: str = "") -> DecisionText:
    """DecisionText from loaded YAML data, each missing or malformed field named with its line."""
    read = FieldReader(source)
    data = read.mapping(data, what="tệp lời văn quyết định phải là một khối YAML",
                        fix="xem mẫu cchc_consult/templates/decision.yaml")
    if data.get("format") not in (None, DECISION_FORMAT):
        raise read.fail(f"định dạng '{data.get('format')}' không phải lời văn quyết định ({DECISION_FORMAT})", data)
    issuer, signer, appendix = (read.mapping(data, key) for key in ("issuer", "signer", "appendix"))
    submission, replaces = read.mapping(data, "submission"), read.mapping(data, "replaces")
    results = read.mapping(data, "results")
    results_submission = read.mapping(results, "submission") if results else {}
    submission_signer = read.mapping(submission, "signer") if submission else {}

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
        submission_number=text(submission, "number", "số tờ trình", required=False),
        submission_date=_iso_or_text(text(submission, "date", "ngày tờ trình", required=False)),
        submission_signer_title=text(submission_signer, "title", "chức vụ người ký tờ trình", required=False),
        submission_signer_name=text(submission_signer, "name", "họ tên người ký tờ trình", required=False),
        replaces_number=text(replaces, "number", "số quyết định được thay thế", required=False),
        replaces_date=_iso_or_text(text(replaces, "date", "ngày quyết định được thay thế", required=False)),
        results_subject=text(results, "subject", "trích yếu quyết định công bố kết quả", required=False),
        results_proposal=text(results, "proposal", "đề nghị trình công bố kết quả", required=False),
        results_submission_number=text(results_submission, "number", "số tờ trình công bố kết quả", required=False),
        results_submission_date=_iso_or_text(text(results_submission, "date", "ngày tờ trình công bố kết quả",
                                                  required=False)),
        source=source,
    )


def _iso_or_text(value: str) -> str:
    """A date field as ISO when it reads as a date; as written otherwise ("…" stays for the gate to name)."""
    try:
        return parse_date(value).isoformat() if value else ""
    except (ValueError, CchcError):
        return value


def unfilled_fields(text: DecisionText, signer: str | None = None) -> list[str]:
    """The fields of decision.yaml still holding a placeholder ("…") or empty where the decision needs them.

    Each entry names the field as it is written in the file ("legal_bases, dòng 3", "signer.name").
    """
    out: list[str] = []
    lists = (("legal_bases", text.legal_bases), ("articles", text.articles), ("recipients", text.recipients))
    for key, lines in lists:
        out += [f"{key}, dòng {i}: “{line}”" for i, line in enumerate(lines, 1) if UNFILLED.search(line)]
    singles = {"subject": text.subject, "proposal": text.proposal, "issuer.name": text.issuer_name,
               "issuer.short": text.issuer_short, "place": text.place, "appendix.title": text.appendix_title,
               "submission.number": text.submission_number, "submission.date": text.submission_date,
               "replaces.number": text.replaces_number, "replaces.date": text.replaces_date}
    out += [f"{key}: “{value}”" for key, value in singles.items() if UNFILLED.search(value)]
    worded = [("subject", text.subject), ("proposal", text.proposal), ("appendix.title", text.appendix_title),
              ("appendix.subtitle", text.appendix_subtitle)] + [
        (f"{key}, dòng {i}", line) for key, lines in lists for i, line in enumerate(lines, 1)]
    for key, value in worded:
        unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(value)} - set(DECISION_PLACEHOLDERS))
        if unknown:
            out.append(f"{key}: chỗ thay thế {', '.join('{' + u + '}' for u in unknown)} không dùng được "
                       f"(dùng: {', '.join('{' + k + '}' for k in DECISION_PLACEHOLDERS)})")
    name = nfc(signer).strip() if signer else text.signer_name
    if not name or UNFILLED.search(name):
        out.append("signer.name: chưa ghi họ tên người ký")
    if "{to_trinh}" in text.proposal and not text.submission_number:
        out.append("submission.number: lời đề nghị trích {to_trinh} nhưng chưa ghi số tờ trình")
    if text.submission_date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.submission_date):
        out.append(f"submission.date: “{text.submission_date}” không phải ngày")
    if bool(text.replaces_number) != bool(text.replaces_date):
        out.append("replaces: cần cả số (number) và ngày (date) của quyết định được thay thế")
    return out


def load_decision_text(workspace) -> DecisionText:
    """The workspace's decision.yaml, else the package default."""
    path = wording_path(workspace.root, DECISION_FILE)
    return decision_text_from_data(read_yaml(path), str(path))


def _ending(text: str, mark: str) -> str:
    """A line with its final punctuation replaced by `mark` (";", ".", "./.")."""
    stripped = text.rstrip().rstrip(";.,:/").rstrip()
    return stripped + mark


def full_number(number: str, suffix: str) -> str:
    """"125" → "125/QĐ-UBND"; a number already with its suffix is kept."""
    number = nfc(number).strip()
    return number if "/" in number else number + suffix


def _cited(number: str, iso: str) -> str:
    """"95/TTr-NV ngày 30 tháng 8 năm 2023": a document as a decision cites it."""
    try:
        return f"{number} {format_date_long(Date.fromisoformat(iso))}"
    except ValueError:
        return f"{number} ngày {iso}"


def build_decision(text: DecisionText, rubric: Rubric, number: str, date_iso: str, signer: str | None = None,
                   replaces: tuple[str, str] | None = None) -> Decision:
    """The resolved decision: placeholders replaced, NĐ 30 punctuation enforced. Pure.

    `replaces` (number, ISO date) is the decision this one replaces (`publish --replace`);
    otherwise decision.yaml's `replaces` (the previous year's rubric), if any. {thay_the}
    in an article becomes " và thay thế Quyết định số … ngày … của …" or nothing.
    """
    day = Date.fromisoformat(date_iso)
    long_date, short_date = format_date_long(day), format_date_nd30(day)
    number = full_number(number, text.number_suffix)
    year = str(rubric.meta.year or day.year)
    old = replaces or ((text.replaces_number, text.replaces_date) if text.replaces_number else None)
    replaced = f" và thay thế Quyết định số {_cited(old[0], old[1])} của {text.issuer_short}" if old else ""
    submission = _cited(text.submission_number, text.submission_date) if text.submission_date \
        else text.submission_number
    values = {"nam": year, "so": number, "ngay": short_date, "co_quan": text.issuer_short,
              "to_trinh": submission, "thay_the": replaced}

    def filled(words: str) -> str:
        return fill(words, values)

    bases = [filled(b) for b in text.legal_bases] + ([filled(text.proposal)] if text.proposal else [])
    bases = [_ending(b, ";") for b in bases[:-1]] + [_ending(bases[-1], ".")]
    articles = [filled(a) for a in text.articles]
    if replaces and not any("{thay_the}" in a for a in text.articles):
        # --replace must say so on the paper even when decision.yaml has no {thay_the}
        articles[1] = _ending(articles[1], "") + f"; Quyết định này thay thế Quyết định số " \
            f"{_cited(replaces[0], replaces[1])} của {text.issuer_short}."
    articles = [_ending(a, ".") for a in articles[:-1]] + [_ending(articles[-1], "./.")]
    recipients = listed([filled(r) for r in text.recipients])
    return Decision(
        issuer_parent=text.issuer_parent.upper(), issuer_name=text.issuer_name.upper(),
        number_line=f"Số: {number}",
        motto_country="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto="Độc lập - Tự do - Hạnh phúc",
        place_date=f"{text.place}, {long_date}",
        title="QUYẾT ĐỊNH", subject=filled(text.subject), authority=text.authority.upper(),
        bases=bases, decides="QUYẾT ĐỊNH:",
        articles=[(f"Điều {i}.", a) for i, a in enumerate(articles, 1)],
        recipients_label="Nơi nhận:", recipients=recipients,
        signer_authority=text.signer_authority, signer_title=text.signer_title,
        signer_name=nfc(signer).strip() if signer else text.signer_name,
        appendix_heading="PHỤ LỤC", appendix_title=filled(text.appendix_title),
        appendix_subtitle=filled(text.appendix_subtitle),
        appendix_attached=f"(Kèm theo Quyết định số {number} ngày {short_date} của {text.issuer_short})",
        note=rubric.meta.note,
        issuer_parent_bold=bool(text.issuer_parent) and
        " ".join(f"{text.issuer_parent} {text.issuer_name}".upper().split()) == " ".join(text.authority.upper().split()),
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
            return None, f"LibreOffice không chuyển được sang PDF: {damage_reason(exc)}"
    pdf = out_dir / (docx_path.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        return None, f"LibreOffice không chuyển được sang PDF: {(done.stderr or done.stdout).strip()[:300]}"
    return pdf, ""


# --------------------------------------------------------------------------- the act

def issued_record(records) -> Any:
    """The version record in force: the final one with the latest decision date (None when none is final)."""
    finals = [r for r in (records.values() if isinstance(records, dict) else records) if r.status == "final"]
    return max(finals, key=lambda r: (r.decision_date or "", natural_order(r.name))) if finals else None


def output_stem(number: str, version: str) -> str:
    """A file name for the decision: "QD-125-QD-UBND-v2" (ASCII, no '/')."""
    plain = re.sub(r"[^A-Za-z0-9]+", "-", strip_marks(number)).strip("-") or "so"
    return f"QD-{plain}-{version}"


def publish(workspace, version: str, number: str, date: str, *, signer: str | None = None,
            replace: str | None = None, late_reason: str | None = None,
            out_dir: str | os.PathLike | None = None, pdf: bool = True) -> PublishResult:
    """Issue a version: pass every gate, freeze it as final, write the decision.

    Gates, each a PublishRefusedError naming the field or node and the fix:
    an error of `check` not accepted one by one (accepted.yaml); a placeholder or
    an empty signer in decision.yaml; another version already final (unless
    `replace` gives the reason: the new decision then replaces the old one); a
    date after round.yaml's decision-due date (unless `late_reason`). The
    documents are rendered before the version is frozen, so a rendering failure
    never leaves a final version without its decision.
    """
    iso = parse_date(date).isoformat()
    name = Path(version).stem if version.endswith((".yaml", ".yml")) else version
    records = workspace.history()
    rubric = workspace.rubric(name, records=records)
    open_findings, kept = split_accepted(name, check(rubric), workspace.accepted())
    errors = [f for f in open_findings if f.severity == "error"]
    if errors:
        listing = "; ".join(f"{f.code} {f.node}: {f.message}" for f in errors[:5])
        raise PublishRefusedError(
            f"phiên bản {name} còn {len(errors)} lỗi kiểm tra chưa sửa, chưa thể ban hành "
            f"({listing}{'; …' if len(errors) > 5 else ''})",
            path=str(workspace.version_path(name)),
            fix=f"sửa từng lỗi (cchc check {name}); lỗi nào cơ quan soạn thảo quyết định giữ lại thì chấp nhận riêng "
                f"từng lỗi, có lý do: cchc check {name} --accept {errors[0].code} {errors[0].node} --reason \"lý do\"")

    blanks = [key for key, _ in decision_blanks(workspace) if not (signer and key == "signer.name")]
    if blanks:
        raise PublishRefusedError(f"decision.yaml còn chỗ chưa điền: {', '.join(blanks)}",
                                  path=str(workspace.root / "decision.yaml"),
                                  fix='điền bằng: cchc decision set KHÓA "giá trị" (xem: cchc decision)')
    text = workspace.decision()
    gaps = unfilled_fields(text, signer)
    if gaps:
        raise PublishRefusedError(
            "lời văn quyết định còn chỗ chưa điền: " + "; ".join(gaps), path=text.source,
            fix=(f"điền các trường trên trong {DECISION_FILE} của thư mục làm việc" if Path(text.source).parent
                 == workspace.root else f"chép mẫu {text.source} thành {workspace.root / DECISION_FILE} rồi điền các "
                 "trường trên") + " (số, ngày văn bản, họ tên người ký; --signer \"Họ Tên\" thay cho signer.name)")
    record = records.get(name)
    again = record is not None and record.status == "final" and record.decision == full_number(
        number, text.number_suffix) and record.decision_date == iso
    if record is not None and record.status == "final" and not again:
        raise PublishRefusedError(
            f"phiên bản {name} đã ban hành theo Quyết định số {record.decision} ngày "
            f"{format_date_nd30(Date.fromisoformat(record.decision_date))}; một phiên bản không ban hành hai lần",
            path=str(workspace.history_file),
            fix=f"muốn sửa thì tạo dự thảo mới (cchc draft new --from {name}) rồi ban hành nó với --replace \"lý do\"")
    finals = [r for n, r in records.items() if r.status == "final" and n != name]
    replaced: tuple[str, str] | None = None
    replace_reason = ""
    if finals and not again:
        current = issued_record(finals)
        if replace is None:
            raise PublishRefusedError(
                f"đã có bản ban hành: {current.name} theo Quyết định số {current.decision} ngày "
                f"{format_date_nd30(Date.fromisoformat(current.decision_date))}; ban hành {name} sẽ là quyết định "
                "thứ hai cho cùng bộ tiêu chí", path=str(workspace.history_file),
                fix=f"nếu {name} thay thế bản đã ban hành, ghi lý do: --replace \"Sửa … theo ý kiến …\" "
                    f"(Quyết định mới ghi rõ thay thế Quyết định số {current.decision})")
        replace_reason = check_reason(replace, "--replace", 'ghi vì sao thay thế: --replace "Sửa … vì …"')
        replaced = (current.decision, current.decision_date)
    late = ""
    due = workspace.round().decision_due if workspace.round_file.exists() else None
    if due is not None and Date.fromisoformat(iso) > due and not again:
        if late_reason is None:
            raise PublishRefusedError(
                f"ngày ký {format_date_nd30(Date.fromisoformat(iso))} sau hạn ban hành {format_date_nd30(due)} "
                f"ghi trong {workspace.round_file.name} (decision_due)", path=str(workspace.round_file),
                fix=f"ký đúng hạn (--date {due.isoformat()} hoặc sớm hơn), hoặc ghi lý do chậm: --late-reason \"…\"")
        late = check_reason(late_reason, "--late-reason", 'ghi vì sao ban hành chậm: --late-reason "Chờ … vì …"')
    decision = build_decision(text, rubric, number, iso, signer, replaces=replaced)
    number_full = full_number(number, text.number_suffix)
    notes = OfficeNotes("Quyết định (tệp Word, PDF)")
    docx_bytes = decision_docx_bytes(decision, rubric, notes=notes)
    html = decision_html(decision, rubric, workspace.root / "templates")
    if not again:
        why = [f"chấp nhận {len(kept)} lỗi kiểm tra (accepted.yaml)"] if kept else []
        if replaced:
            why.append(f"thay thế Quyết định số {replaced[0]}: {replace_reason}")
        if late:
            why.append(f"ban hành sau hạn {due.isoformat()}: {late}")
        finalize(workspace, name, number_full, iso, "; ".join(why) or None)
        if replaced:
            old = next(r for r in finals if r.decision == replaced[0])
            add_event(workspace, old.name, "replaced", f"thay bằng {name} theo Quyết định số {number_full}: "
                                                       f"{replace_reason}")
    target = Path(out_dir) if out_dir else workspace.output / "quyet-dinh"
    stem = output_stem(number_full, name)
    result = PublishResult(name, number_full, iso, accepted_findings=len(kept),
                           replaced=replaced[0] if replaced else "", late_reason=late, warnings=notes.lines())
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
