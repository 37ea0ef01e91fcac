"""选举结果公告 — the result notice in its customary form: title, legal basis, the figures, the validity
statement, the winners table, the run-off note, committee and date, and the verification QR code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

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


def _notice_footer(story: list, context: NoticeContext) -> None:
    """The committee, the date and the verification code, as on every notice (voters.pdf), with the fast QR."""
    style = styles()
    url = verify_url(context.short_code)
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph(context.committee, style["signature"]))
    story.append(Paragraph(chinese_date(context.published_on), style["signature"]))
    story.append(Spacer(1, 4 * mm))
    check = Table(
        [
            [
                QrCode(url, size=22 * mm),
                Paragraph(
                    f"核验码：{context.short_code}<br/>扫描二维码或访问 {url} 可核验本公告是否与存档一致。",
                    style["small"],
                ),
            ]
        ],
        colWidths=[26 * mm, 120 * mm],
    )
    check.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(KeepTogether([check]))


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
