"""选举结果公告 — the result notice in its customary form: title, legal basis, the figures, the validity
statement, the winners table, the run-off note, committee and date, and the verification QR code."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from election_admin.pdf import chinese_date, chinese_font, styles
from voters.pdf import GENDER_TEXT, NoticeContext, _document, _grid_style, verify_url

POST_TEXT = {"chair": "主任", "vice_chair": "副主任", "member": "委员", "women_member": "妇女委员"}
LAW_TEXT = {
    "villagers_committee": "《中华人民共和国村民委员会组织法》",
    "supervision_committee": "《中华人民共和国村民委员会组织法》",
    "residents_committee": "《中华人民共和国城市居民委员会组织法》",
    "party_branch": "《中国共产党基层组织选举工作条例》",
}


class QrCode(Flowable):
    """A QR code drawn onto the page as one small image, one pixel per module (scaled without smoothing).

    reportlab's ``QrCodeWidget`` draws every module as its own shape and tries all eight mask patterns,
    which made up about two thirds of a notice's time; a fixed mask is as valid for any reader (the
    standard only recommends choosing the one with the lowest penalty). Four modules of quiet zone."""

    QUIET = 4

    def __init__(self, text: str, size: float):
        import qrcode
        from qrcode.constants import ERROR_CORRECT_M

        super().__init__()
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=2)
        code.add_data(text)
        code.make(fit=True)
        self.matrix = code.get_matrix()
        self.size = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self) -> None:
        from PIL import Image
        from reportlab.lib.utils import ImageReader

        count = len(self.matrix) + 2 * self.QUIET
        image = Image.new("L", (count, count), 255)
        pixels = image.load()
        for row_index, row in enumerate(self.matrix):
            for column, dark in enumerate(row):
                if dark:
                    pixels[self.QUIET + column, self.QUIET + row_index] = 0
        self.canv.drawImage(ImageReader(image), 0, 0, self.size, self.size)


class VerificationBlock(Flowable):
    """The QR code beside the verification text, kept on one page: drawn exactly as the two-cell table it
    stands for (columns of 26 and 120 mm, reportlab's cell padding of 6 pt across and 3 pt down, both cells
    centred vertically, the block centred on the line), at a third of that table's cost (no cell geometry
    worked out twice, no ``KeepTogether`` trial wrap)."""

    PAD_ACROSS, PAD_DOWN = 6, 3

    def __init__(self, left: Flowable, right: Flowable, widths: tuple[float, float]):
        super().__init__()
        self.hAlign = "CENTER"
        self.cells = (left, right)
        self.widths = widths
        self.heights = (0.0, 0.0)

    def wrap(self, available_width, available_height):
        self.heights = tuple(
            cell.wrapOn(getattr(self, "canv", None), width - 2 * self.PAD_ACROSS, available_height)[1]
            for cell, width in zip(self.cells, self.widths, strict=True)
        )
        self.width = sum(self.widths)
        self.height = max(self.heights) + 2 * self.PAD_DOWN
        return self.width, self.height

    def draw(self) -> None:
        x = 0.0
        for cell, width, height in zip(self.cells, self.widths, self.heights, strict=True):
            cell.drawOn(self.canv, x + self.PAD_ACROSS, (self.height - height) / 2)
            x += width


def _notice_footer(story: list, context: NoticeContext) -> None:
    """The committee, the date and the verification code, as on every notice (voters.pdf), with the fast QR."""
    style = styles()
    url = verify_url(context.short_code)
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph(context.committee, style["signature"]))
    story.append(Paragraph(chinese_date(context.published_on), style["signature"]))
    story.append(Spacer(1, 4 * mm))
    story.append(
        VerificationBlock(
            QrCode(url, size=22 * mm),
            Paragraph(
                f"核验码：{context.short_code}<br/>扫描二维码或访问 {url} 可核验本公告是否与存档一致。",
                style["small"],
            ),
            widths=(26 * mm, 120 * mm),
        )
    )


@dataclass(frozen=True)
class Winner:
    post: str
    name: str
    gender: str
    votes: int
    percent: str


@dataclass(frozen=True)
class ResultFigures:
    registered: int
    voted: int
    issued: int
    returned: int
    valid: int
    invalid: int
    is_valid: bool
    comparator_text: str  # 参加投票人数 / 发出选票数
    unfilled: int


def build_result_notice(
    context: NoticeContext, body: str, figures: ResultFigures, winners: list[Winner], *, people_word: str
) -> bytes:
    style = styles()
    font = chinese_font().name
    f = figures
    majority = "超过" if f.voted * 2 > f.registered else "未超过"
    story: list = [
        Paragraph(context.title, style["title"]),
        Paragraph(f"（{context.committee}）", style["subtitle"]),
        Paragraph(
            f"根据{LAW_TEXT.get(body, '')}和有关法规的规定，{context.village_short}于"
            f"{context.election_day.year}年{context.election_day.month}月{context.election_day.day}日"
            f"召开选举大会，进行{context.election_label}换届选举。",
            style["body"],
        ),
        Paragraph(
            f"本{context.village_short[-1]}登记参加选举的{people_word}共{f.registered:,}人，参加投票的{people_word}"
            f"{f.voted:,}人，参加投票的{people_word}{majority}本{context.village_short[-1]}登记参加选举"
            f"{people_word}的半数。",
            style["body"],
        ),
        Paragraph(
            f"本次选举共发出选票{f.issued:,}张，收回选票{f.returned:,}张，其中有效票{f.valid:,}张，"
            f"无效票{f.invalid:,}张。收回选票数{'未超过' if f.is_valid else '超过'}{f.comparator_text}，"
            f"选举{'有效' if f.is_valid else '无效'}。",
            style["body"],
        ),
    ]
    if f.is_valid and winners:
        story.append(
            Paragraph(
                f"候选人获得参加投票的{people_word}过半数的选票，始得当选。经公开唱票、计票，当场公布选举结果，"
                f"下列{len(winners)}名同志当选为本{context.village_short[-1]}{context.election_label}成员：",
                style["body"],
            )
        )
        story.append(Spacer(1, 3 * mm))
        rows = [["职务", "姓名", "性别", "得票数", "得票率"]]
        rows += [[w.post, w.name, w.gender, f"{w.votes:,}", w.percent] for w in winners]
        table = Table(rows, colWidths=[28 * mm, 34 * mm, 18 * mm, 30 * mm, 28 * mm])
        table.setStyle(_grid_style(font))
        story.append(table)
        story.append(Spacer(1, 3 * mm))
    if f.is_valid and f.unfilled:
        story.append(Paragraph(f"尚有{f.unfilled}个职位名额未选足，将依法另行选举。", style["body"]))
    if f.is_valid:
        story.append(
            Paragraph(
                f"当选人员自公布之日起履行职责。{people_word}对选举结果有异议的，可以向乡镇人民政府"
                "或者县级人民政府民政部门反映。",
                style["body"],
            )
        )
    story.append(Paragraph("特此公告。", style["body"]))
    _notice_footer(story, context)
    return _document(story)


def winner_rows(outcome: dict) -> list[Winner]:
    decision = outcome.get("decision", {})
    cast = decision.get("cast") or 0
    people = outcome.get("candidates", {})
    order = list(POST_TEXT)
    rows = []
    for item in sorted(
        decision.get("elected", []),
        key=lambda e: (order.index(e["post"]) if e["post"] in order else 9, -e["votes"]),
    ):
        gender = people.get(item["person"], {}).get("gender") or ("female" if item.get("is_woman") else "")
        percent = f"{100 * item['votes'] / cast:.1f}%" if cast else ""
        rows.append(
            Winner(
                post=POST_TEXT.get(item["post"], item["post"]),
                name=item["name"],
                gender=GENDER_TEXT.get(gender, ""),
                votes=item["votes"],
                percent=percent,
            )
        )
    return rows


def notice_day(result) -> date:
    return (result.certified_at or result.computed_at).date()


@dataclass(frozen=True)
class CertificatePage:
    name: str
    text: str


def build_certificates(
    pages: list[CertificatePage], *, issuer: str, issued_on: date, short_code: str
) -> bytes:
    """当选证书 — one page per person elected, signed by the issuing bureau, with the verification code."""
    from reportlab.platypus import PageBreak

    from election_admin.pdf import chinese_date, qr_drawing
    from voters.pdf import verify_url

    style = styles()
    story: list = []
    for index, page in enumerate(pages):
        if index:
            story.append(PageBreak())
        story += [
            Spacer(1, 30 * mm),
            Paragraph("当 选 证 书", style["title"]),
            Spacer(1, 12 * mm),
            Paragraph(f"{page.name}同志：", style["plain"]),
            Paragraph(page.text, style["body"]),
            Paragraph("特发此证。", style["body"]),
            Spacer(1, 20 * mm),
            Paragraph(f"{issuer}（盖章）", style["signature"]),
            Paragraph(chinese_date(issued_on), style["signature"]),
            Spacer(1, 10 * mm),
            qr_drawing(verify_url(short_code), size=20 * mm),
            Paragraph(f"核验码：{short_code}", style["small"]),
        ]
    return _document(story)


# --- Putting stored PDFs one after another -------------------------------------------------------------

_TOKEN = re.compile(
    rb"\((?:[^()\\]|\\.)*\)"  # a literal string (reportlab escapes its parentheses): copied as it is
    rb"|<[0-9A-Fa-f\s]*>"  # a hex string: copied as it is
    rb"|(?<![\w.+\-])(\d+)\s+(\d+)\s+R(?!\w)"  # an indirect reference: renumbered
    rb"|(?<![\w/])stream\r?\n",  # the stream's data begins: copied as it is
    re.DOTALL,
)
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_HEAD = re.compile(rb"xref\s+0\s+(\d+)\s*\n")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_ROOT = re.compile(rb"/Root\s+(\d+)\s+0\s+R")
_INFO = re.compile(rb"/Info\s+(\d+)\s+0\s+R")
_PAGES = re.compile(rb"/Pages\s+(\d+)\s+0\s+R")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_REFERENCE = re.compile(rb"(\d+)\s+0\s+R")
_PAGE_TYPE = re.compile(rb"/Type\s*/Page(?!s)\b")
_VERSION = re.compile(rb"%PDF-(\d\.\d)")


class PdfLayoutError(ValueError):
    """A PDF not laid out as reportlab writes it (one classic cross-reference table, generation 0, a flat
    page tree): ``join_pdfs`` leaves it to a general PDF library."""


@dataclass
class _PdfFile:
    objects: dict[int, bytes]  # number → the bytes from "N 0 obj" to "endobj"
    pages: list[int]  # the page objects, in order
    dropped: set[int]  # catalog, page tree, document information: the joined file has its own
    tree: int
    version: bytes


def _pdf_file(data: bytes) -> _PdfFile:
    """Find a reportlab PDF's objects through its cross-reference table, and its pages through its catalog."""
    tail = _STARTXREF.search(data, max(0, len(data) - 64))
    if tail is None:
        raise PdfLayoutError("no startxref at the end")
    xref_at = int(tail.group(1))
    head = _XREF_HEAD.match(data, xref_at)
    if head is None:
        raise PdfLayoutError("not one classic cross-reference table from object 0")
    offsets: dict[int, int] = {}
    position = head.end()
    for number in range(int(head.group(1))):
        entry = _XREF_ENTRY.match(data, position)
        if entry is None:
            raise PdfLayoutError("an unreadable cross-reference entry")
        position += 20
        if entry.group(3) == b"n":
            if entry.group(2) != b"00000":
                raise PdfLayoutError("an object of another generation")
            offsets[number] = int(entry.group(1))
    trailer = data[position : tail.start()]
    if not trailer.lstrip().startswith(b"trailer") or b"/Encrypt" in trailer or b"/Prev" in trailer:
        raise PdfLayoutError("an encrypted or incrementally updated file")
    starts = sorted(offsets.items(), key=lambda item: item[1])
    objects = {}
    for index, (number, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else xref_at
        body = data[start:end].rstrip()
        if not body.startswith(b"%d 0 obj" % number) or not body.endswith(b"endobj"):
            raise PdfLayoutError(f"object {number} is not where the table says")
        objects[number] = body
    root = _ROOT.search(trailer)
    pages = _PAGES.search(objects.get(int(root.group(1)), b"")) if root else None
    if pages is None or int(pages.group(1)) not in objects:
        raise PdfLayoutError("no catalog with a page tree")
    tree = int(pages.group(1))
    kids = _KIDS.search(objects[tree])
    if kids is None or any(key in objects[tree] for key in (b"/Parent", b"/Resources", b"/MediaBox")):
        raise PdfLayoutError("a page tree that is not one flat list of pages")
    page_numbers = [int(number) for number in _REFERENCE.findall(kids.group(1))]
    if not all(number in objects and _PAGE_TYPE.search(objects[number]) for number in page_numbers):
        raise PdfLayoutError("a page tree of more than one level")
    info = _INFO.search(trailer)
    version = _VERSION.match(data)
    return _PdfFile(
        objects=objects,
        pages=page_numbers,
        dropped={int(root.group(1)), tree, *([int(info.group(1))] if info else [])},
        tree=tree,
        version=version.group(1) if version else b"1.4",
    )


def _renumbered(body: bytes, number: int, mapping: dict[int, int]) -> bytes:
    """The object under its new number, the references in its dictionary renumbered (not its stream data)."""
    pieces = [b"%d 0 obj" % mapping[number]]
    position = len(b"%d 0 obj" % number)
    end = len(body)
    for match in _TOKEN.finditer(body, position):
        if match.group(1) is None:
            if match.group(0).startswith(b"stream"):
                end = match.start()
                break
            continue
        referenced = int(match.group(1))
        if match.group(2) != b"0" or referenced not in mapping:
            raise PdfLayoutError(f"object {number} refers to {match.group(0)!r}, which is not kept")
        pieces += [body[position : match.start()], b"%d 0 R" % mapping[referenced]]
        position = match.end()
    pieces += [body[position:end], body[end:]]
    return b"".join(pieces)


def join_pdfs(pdfs: list[bytes]) -> bytes:
    """The pages of these PDFs one after another in one file, nothing parsed beyond the object boundaries
    and nothing re-rendered: every object of every file (page, content stream, font subset, image) is
    copied byte for byte under a new number, and one page tree lists all the pages. For PDFs as reportlab
    writes them (classic cross-reference table, generation 0, a flat page tree); ``PdfLayoutError`` for
    any other layout."""
    files = [_pdf_file(data) for data in pdfs]
    version = max([b"1.4", *(f.version for f in files)])
    out = [b"%PDF-" + version + b"\n%\x93\x8c\x8b\x9e\n"]
    size = len(out[0])
    offsets = [0, 0]  # 1: the page tree, 2: the catalog, written last
    kids = []
    for pdf in files:
        mapping = {pdf.tree: 1}
        for number in sorted(pdf.objects):
            if number not in pdf.dropped:
                mapping[number] = len(offsets) + 1
                offsets.append(0)
        kids += [mapping[number] for number in pdf.pages]
        for number in sorted(pdf.objects):
            if number in pdf.dropped:
                continue
            body = _renumbered(pdf.objects[number], number, mapping) + b"\n"
            offsets[mapping[number] - 1] = size
            out.append(body)
            size += len(body)
    tree = b"1 0 obj\n<< /Type /Pages /Count %d /Kids [ %s ] >>\nendobj\n" % (
        len(kids),
        b" ".join(b"%d 0 R" % kid for kid in kids),
    )
    catalog = b"2 0 obj\n<< /Type /Catalog /Pages 1 0 R /PageMode /UseNone >>\nendobj\n"
    offsets[0], offsets[1] = size, size + len(tree)
    out += [tree, catalog]
    size += len(tree) + len(catalog)
    digest = hashlib.md5(usedforsecurity=False)
    for piece in out:
        digest.update(piece)
    identifier = digest.hexdigest().encode()
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)]
    xref += [b"%010d 00000 n \n" % offset for offset in offsets]
    xref.append(
        b"trailer\n<< /Size %d /Root 2 0 R /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(offsets) + 1, identifier, identifier, size)
    )
    return b"".join(out + xref)
