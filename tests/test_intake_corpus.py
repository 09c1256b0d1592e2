"""Issue 13's corpus: every kind of reply an office sends, read through the real commands.

The bundled 2023 workspace gets, in comments/: a filled Word form, a free-form
Word letter in a subfolder, an .xls (made by LibreOffice; skipped without it),
a PDF with a text layer and a scanned one, YAML with unknown keys, an Excel
form with a second sheet, a blank form and a file pinning another office's id.
Each reply's words are written here, so the checks do not come from the code.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cchc_consult.cli import main
from cchc_consult.consult.intake_office import soffice_program
from cchc_consult.consult.template import comment_template_docx, comment_template_xlsx, check_office
from cchc_consult.workspace import Workspace

AS_OF = "30/8/2023"
#: The .xls is made when LibreOffice is on the machine, and read when the reader may use it (CCHC_SOFFICE).
MAKES_XLS = shutil.which("soffice") is not None
READS_XLS = MAKES_XLS and bool(soffice_program())
FORM_DOCX = "Đề nghị ghi rõ kỳ báo cáo là 6 tháng và năm trong hệ thống báo cáo cấp tỉnh."
FORM_DOCX_PROPOSAL = "Ghi “báo cáo định kỳ 6 tháng, năm”."
LETTER_CITED = "Mục II.4.2: đề nghị bổ sung mức điểm khi vị trí việc làm chưa được phê duyệt."
LETTER_BARE = "Tiêu chí 1.3: mức độ hoàn thành kế hoạch cần ghi rõ kế hoạch năm nào."
LETTER_PLAIN = "Đề nghị Phòng Nội vụ tổ chức tập huấn cách chấm điểm cho công chức phụ trách."
PDF_LINES = ["Muc II.2.1.1: de nghi ghi ro thoi han ban hanh ke hoach kiem soat TTHC.",
             "De nghi gui du thao kem bang so sanh voi nam 2022."]
YAML_UNKNOWN_KEY = "Nên bỏ yêu cầu nộp bản giấy kèm bản điện tử."
YAML_CAPITAL_KEY = "Phần II.6 dài, đề nghị tách thành hai mục."
YAML_LIST = ["Thứ nhất: đồng ý với cách chấm.", "Thứ hai: đề nghị thêm ví dụ tính tỷ lệ."]
SHEET2 = "Đề nghị tiêu chí này tính cả hồ sơ trực tuyến một phần."
RIGHT_OF_TABLE = "Ghi chú thêm ngoài bảng: số liệu lấy đến 30/9."
XLS_COMMENT = "Tiêu chí chưa ghi rõ cơ quan nào thẩm định số liệu kê khai tài sản."
FOREIGN_PIN = "Báo cáo ISO nên cho phép nộp qua hệ thống điện tử."
BACKDATED = "Đề nghị ghi rõ mức điểm khi công khai tài chính chậm dưới 5 ngày."


def cchc(ws: Path, *args: str, capsys) -> tuple[int, str, str]:
    code = main(["-w", str(ws), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _docx(paragraphs: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _fill_word_form(data: bytes, date: str, rows: dict[str, tuple[str, str, str]]) -> bytes:
    """The Word form as a clerk fills it in Word: the date after "Ngày gửi:", words in the criteria's rows."""
    from docx import Document

    document = Document(io.BytesIO(data))
    for p in document.paragraphs:
        if p.text.startswith("Ngày gửi:"):
            for run in p.runs[1:]:
                run.text = ""
            p.runs[0].text = f"Ngày gửi: {date}"
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Tiêu chí")
    filled = set()
    for row in table.rows[1:]:
        criterion = row.cells[0].text.split(". ", 1)[0]
        if criterion in rows:
            for cell, text in zip(row.cells[2:], rows[criterion]):
                cell.paragraphs[0].text = text
            filled.add(criterion)
    assert filled == set(rows), "the form lists every criterion"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines` (ASCII, Helvetica); no lines: a page with no text, as a scan."""
    content = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(
        "(" + line.replace("\\", r"\\").replace("(", r"\(").replace(")", r"\)") + ") Tj T*" for line in lines
    ) + " ET" if lines else "0 0 m 10 10 l S"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _excel_form(ws: Workspace, office: str, date: str, rows: dict[str, str]):
    """The Excel form of an office with its date and comments filled in, as an openpyxl workbook."""
    from openpyxl import load_workbook

    offices = ws.offices()
    round_ = ws.round(offices)
    book = load_workbook(io.BytesIO(comment_template_xlsx(ws.round_rubric(round_), round_,
                                                          check_office(office, offices))))
    sheet = book.active
    for i in range(1, sheet.max_row + 1):
        label = sheet.cell(i, 1).value
        if label == "Ngày gửi":
            sheet.cell(i, 2).value = date
        elif label in rows:
            sheet.cell(i, 5).value = rows[label]
    return book


def _save(book, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


@pytest.fixture
def corpus(workspace: Path) -> Path:
    ws = Workspace(workspace)
    offices = ws.offices()
    round_ = ws.round(offices)
    rubric = ws.round_rubric(round_)
    folder = ws.comments_dir
    # TNMT: the Word form, filled; and a scanned PDF (no text layer) beside it
    form = comment_template_docx(rubric, round_, check_office("TNMT", offices))
    (folder / "TNMT-2023-08-15.docx").write_bytes(
        _fill_word_form(form, "15/8/2023", {"II.6.3": (FORM_DOCX, FORM_DOCX_PROPOSAL, "2")}))
    (folder / "TNMT-scan.pdf").write_bytes(_pdf([]))
    # YT: a free-form letter in a subfolder, its office only in the heading
    (folder / "cong-van").mkdir()
    (folder / "cong-van" / "gop-y-du-thao.docx").write_bytes(_docx([
        "UBND HUYỆN QUẢNG ĐIỀN", "PHÒNG Y TẾ", "Số: 45/YT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Quảng Điền, ngày 16 tháng 8 năm 2023", "Kính gửi: Phòng Nội vụ",
        "Thực hiện Công văn số 1632/UBND ngày 26/7/2023 của UBND huyện, Phòng Y tế góp ý như sau:",
        LETTER_CITED, LETTER_BARE, LETTER_PLAIN,
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TRƯỞNG PHÒNG", "Lê Thị Bình",
    ]))
    # TP: a second reply, as a PDF with a text layer
    (folder / "TP-2023-08-16.pdf").write_bytes(_pdf(PDF_LINES))
    # GDDT: YAML with keys the reader does not know and a comment written as a list
    (folder / "GDDT-2023-08-16.yaml").write_text(
        "format: cchc-comments/1\noffice: GDDT\nversion: v1\ndate_sent: 16/8/2023\ncomments:\n"
        f"  - criterion: II.2.4\n    y_kien: \"{YAML_UNKNOWN_KEY}\"\n"
        f"  - criterion: II.6\n    Comment: \"{YAML_CAPITAL_KEY}\"\n"
        "  - criterion: II.4.1\n    comment:\n" + "".join(f"      - \"{t}\"\n" for t in YAML_LIST),
        encoding="utf-8")
    # VHTT: the Excel form with a second sheet and a note to the right of the table
    book = _excel_form(ws, "VHTT", "16/8/2023", {})
    sheet = book.active
    header = next(i for i in range(1, sheet.max_row + 1) if sheet.cell(i, 1).value == "Mã tiêu chí")
    sheet.cell(header + 3, 12).value = RIGHT_OF_TABLE
    extra = book.create_sheet("Ý kiến thêm")
    extra.append(["Mã tiêu chí", "Nội dung góp ý"])
    extra.append(["II.6.5.2", SHEET2])
    _save(book, folder / "VHTT-2023-08-16.xlsx")
    # NNPTNT: the Excel form saved unchanged but for its date
    _save(_excel_form(ws, "NNPTNT", "12/8/2023", {}), folder / "NNPTNT-2023-08-12.xlsx")
    # KTHT: a file pinning an id of TCKH
    (folder / "KTHT-2023-08-12.yaml").write_text(
        "format: cchc-comments/1\noffice: KTHT\nversion: v1\ndate_sent: 12/8/2023\ncomments:\n"
        f"  - id: TCKH-1\n    criterion: II.6.6.1\n    comment: \"{FOREIGN_PIN}\"\n", encoding="utf-8")
    # TTR: an Excel 97-2003 file (.xls), made by LibreOffice when it is installed
    if MAKES_XLS:
        (folder / "TTR-2023-08-14.xls").write_bytes(_xls(ws, folder.parent / "out"))
    return workspace


_XLS: list[bytes] = []  # LibreOffice takes seconds to start: the .xls is made once for the whole file


def _xls(ws: Workspace, work: Path) -> bytes:
    if not _XLS:
        source = work / "TTR-2023-08-14.xlsx"
        _save(_excel_form(ws, "TTR", "14/8/2023", {"I.5": XLS_COMMENT}), source)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{work / 'lo-profile'}", "--headless",
                        "--convert-to", "xls", "--outdir", str(work), str(source)],
                       check=True, capture_output=True, timeout=180)
        _XLS.append((work / "TTR-2023-08-14.xls").read_bytes())
    return _XLS[0]


def _listed(ws: Path, capsys) -> dict:
    code, out, _ = cchc(ws, "comments", "list", "--format", "json", capsys=capsys)
    assert code in (0, 1)
    return json.loads(out)


def test_every_comment_text_appears_once(corpus, capsys):
    listed = _listed(corpus, capsys)
    texts = [c["comment"] for c in listed["comments"]]
    expected = [FORM_DOCX, LETTER_CITED, LETTER_BARE, LETTER_PLAIN, *PDF_LINES, YAML_UNKNOWN_KEY,
                YAML_CAPITAL_KEY, *YAML_LIST, SHEET2, RIGHT_OF_TABLE, FOREIGN_PIN]
    if READS_XLS:
        expected.append(XLS_COMMENT)
    for text in expected:
        assert sum(text in t for t in texts) == 1, (text, texts)
    keys = [c["key"] for c in listed["comments"]]
    assert len(keys) == len(set(keys)) and all(keys)
    by_text = {c["comment"]: c for c in listed["comments"]}
    form = by_text[FORM_DOCX]
    assert (form["office"], form["criterion"], form["proposal"], form["proposed_points"], form["matched"]) == \
        ("TNMT", "II.6.3", FORM_DOCX_PROPOSAL, "2", True)
    assert form["file"] == "comments/TNMT-2023-08-15.docx" and form["status"] == "chưa trả lời"
    cited = by_text[LETTER_CITED]
    assert (cited["office"], cited["criterion"], cited["matched"], cited["received"]) == \
        ("YT", "II.4.2", True, "2023-08-16")
    assert cited["file"] == "comments/cong-van/gop-y-du-thao.docx"
    assert not by_text[LETTER_PLAIN]["matched"] and by_text[LETTER_PLAIN]["office"] == "YT"
    pdf = next(c for c in listed["comments"] if PDF_LINES[0] in c["comment"])
    assert (pdf["office"], pdf["criterion"], pdf["matched"]) == ("TP", "II.2.1.1", True)
    sheet2 = by_text[SHEET2]
    assert (sheet2["office"], sheet2["criterion"], sheet2["matched"]) == ("VHTT", "II.6.5.2", True)
    warnings = "\n".join(listed["warnings"])
    assert "y_kien" in warnings and "Comment" in warnings


@pytest.mark.skipif(not READS_XLS, reason="LibreOffice (soffice) không có trên máy (hoặc CCHC_SOFFICE rỗng): "
                                          "không tạo hoặc không đọc được tệp .xls")
def test_an_xls_reply_is_read_through_libreoffice(corpus, capsys):
    listed = _listed(corpus, capsys)
    (xls,) = [c for c in listed["comments"] if c["comment"] == XLS_COMMENT]
    assert (xls["office"], xls["criterion"], xls["file"], xls["matched"]) == \
        ("TTR", "I.5", "comments/TTR-2023-08-14.xls", True)
    files = {f["file"]: f for f in listed["files"]}
    assert files["comments/TTR-2023-08-14.xls"]["state"] == "đã đọc"


def test_files_say_what_became_of_them(corpus, capsys):
    files = {f["file"]: f for f in _listed(corpus, capsys)["files"]}
    assert files["comments/TNMT-scan.pdf"]["state"] == "không đọc được"
    assert "lớp chữ" in files["comments/TNMT-scan.pdf"]["reason"]
    assert files["comments/NNPTNT-2023-08-12.xlsx"]["state"] == "phiếu chưa điền"
    assert files["comments/cong-van/gop-y-du-thao.docx"]["office"] == "YT"
    assert "comments/dispositions.yaml" not in files


def test_a_foreign_pinned_id_is_refused(corpus, capsys):
    listed = _listed(corpus, capsys)
    pinned = next(c for c in listed["comments"] if c["comment"] == FOREIGN_PIN)
    assert pinned["id"].startswith("KTHT-") and pinned["office"] == "KTHT"
    assert any("TCKH-1" in e and "KTHT" in e for e in listed["errors"])
    tckh1 = next(c for c in listed["comments"] if c["id"] == "TCKH-1")
    assert tckh1["office"] == "TCKH" and tckh1["status"] == "tiếp thu"  # its answer stayed with TCKH's comment


def test_no_office_with_a_file_is_deemed_to_agree(corpus, capsys):
    listed = _listed(corpus, capsys)
    with_files = {f["office"] or f["filename_office"] for f in listed["files"]} - {""}
    assert {"TNMT", "YT", "NNPTNT"} <= with_files
    ledger = {e.office.code: e for e in Workspace(corpus).consultation().ledger(_date(AS_OF))}
    assert not [code for code in with_files if ledger[code].deemed_agreeing]
    assert ledger["TNMT"].status_text == "Đã gửi, chưa đọc được"  # a scanned page beside its form: not all read
    assert ledger["NNPTNT"].status_text == "Phiếu chưa điền"
    assert ledger["YT"].status_text == "Có ý kiến, đúng hạn"
    _, out, _ = cchc(corpus, "comments", "ledger", "--as-of", AS_OF, capsys=capsys)
    assert "Phòng Tài nguyên và Môi trường: đã gửi, chưa đọc được" in out
    assert "Phòng Nông nghiệp và Phát triển nông thôn: phiếu chưa điền" in out
    ttr = {(True, True): "on_time", (True, False): "unreadable", (False, False): "silent"}[MAKES_XLS, READS_XLS]
    assert ledger["TTR"].status == ttr  # an .xls that cannot be converted holds its office too
    assert {c for c, e in ledger.items() if e.deemed_agreeing} == ({"TTR"} if not MAKES_XLS else set())


def test_the_report_counts_the_blank_form_and_the_unread_file(corpus, capsys):
    code, out, err = cchc(corpus, "report", "feedback", "--to", "md", capsys=capsys)
    assert code == 0, err
    summary = out.split("## II.")[0]
    assert "| Phiếu chưa điền (không phải ý kiến trả lời) | 1 |" in summary
    assert f"| Đã gửi, chưa đọc được | {1 + (MAKES_XLS and not READS_XLS)} |" in summary
    assert "TNMT-scan.pdf" not in out and "comments/" not in out  # paths go to the screen, not the paper
    assert "TNMT-scan.pdf" in err


def test_resolving_the_unread_file_lets_the_form_count(corpus, capsys):
    code, _, err = cchc(corpus, "comments", "resolve", "TNMT-scan.pdf", "--note",
                        "Bản chụp của phiếu TNMT-2023-08-15.docx, không có ý kiến khác", "--by", "hoa",
                        capsys=capsys)
    assert code == 0, err
    ledger = {e.office.code: e for e in Workspace(corpus).consultation().ledger(_date(AS_OF))}
    assert ledger["TNMT"].status == "on_time"
    assert any("Bản chụp của phiếu" in note for note in ledger["TNMT"].notes)
    code, _, err = cchc(corpus, "comments", "resolve", "khong-co.pdf", "--note", "x", capsys=capsys)
    assert code == 2 and "khong-co.pdf" in err


def test_a_back_dated_letter_moves_no_answer(corpus, capsys):
    before = {c["key"]: (c["id"], c["status"]) for c in _listed(corpus, capsys)["comments"]}
    answered = {k for k, (_, status) in before.items() if status not in ("chưa trả lời",)}
    assert len(answered) >= 15
    (corpus / "comments" / "TCKH-2023-08-01.docx").write_bytes(_docx([
        "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "Quảng Điền, ngày 01 tháng 8 năm 2023", f"Mục II.5.2: {BACKDATED}"]))
    after = {c["key"]: (c["id"], c["status"], c["comment"]) for c in _listed(corpus, capsys)["comments"]}
    assert {k: v[1] for k, v in after.items() if k in before} == {k: v[1] for k, v in before.items()}
    new = [v for k, v in after.items() if k not in before]
    assert [(v[0], v[1]) for v in new] == [("TCKH-1", "chưa trả lời")] and BACKDATED in new[0][2]
    moved = [k for k in before if before[k][0] != after[k][0]]
    assert moved  # the ids did shift; the answers did not


def _date(text: str):
    from cchc_consult.vn import parse_date

    return parse_date(text)
