"""The official candidate list notice (正式候选人名单公告) and its change notice after a withdrawal.

Mirrors the voter-roll notices: A4, the embedded Chinese font, per post the candidates in order with
name, gender and age on the election day — never an ID number — and the verification code and QR code
of the stored document.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from election_admin.pdf import chinese_date, chinese_font, qr_drawing, styles
from voters.pdf import GENDER_TEXT, verify_url

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (terms of office are numbered below 100)."""
    if n < 10:
        return _DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def village_short_name(name: str) -> str:
    """元树尔村委会 → 元树尔村, 城台社区居民委员会 → 城台社区, 人民路南居委会 → 人民路南社区: the unit as a
    notice names it (the statistical names end in the committee's name)."""
    for suffix, replacement in (
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("居民委员会", "社区"),
        ("居委会", "社区"),
    ):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(("村", "社区")) else stem + replacement
    return name


@dataclass(frozen=True)
class ListPerson:
    name: str
    gender: str
    age: int


@dataclass(frozen=True)
class ListPost:
    label: str  # 主任候选人
    seats: int
    people: Sequence[ListPerson]


@dataclass(frozen=True)
class ListNoticeContext:
    title: str
    village_full: str
    village: str  # 元树尔村
    body_label: str  # 村民委员会
    election_day: date
    published_on: date
    short_code: str
    order_text: str  # 按提名得票多少排序 / 按姓氏笔画排序
    withdrawal_by: date | None
    signature: str


def _grid_style(font: str) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 11),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    )


def _post_table(post: ListPost, font: str) -> Table:
    rows = [["序号", "姓名", "性别", "年龄"]]
    for number, person in enumerate(post.people, start=1):
        rows.append([str(number), person.name, GENDER_TEXT.get(person.gender, ""), str(person.age)])
    table = Table(rows, colWidths=[20 * mm, 50 * mm, 25 * mm, 25 * mm], repeatRows=1)
    table.setStyle(_grid_style(font))
    return table


def _footer(story: list, context: ListNoticeContext) -> None:
    style = styles()
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph(context.signature, style["signature"]))
    story.append(Paragraph(chinese_date(context.published_on), style["signature"]))
    story.append(Spacer(1, 4 * mm))
    url = verify_url(context.short_code)
    check = Table(
        [
            [
                qr_drawing(url, size=22 * mm),
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


def build_candidate_list_notice(
    context: ListNoticeContext, posts: Sequence[ListPost], *, change_text: str = ""
) -> bytes:
    """正式候选人名单公告 (or its change notice when ``change_text`` says what changed)."""
    style = styles()
    font = chinese_font()
    total = sum(len(p.people) for p in posts)
    story: list = []
    if font.warning:
        story.append(Paragraph(font.warning, style["warning"]))
    story += [
        Paragraph(context.title, style["title"]),
        Paragraph(context.village_full, style["subtitle"]),
    ]
    if change_text:
        story.append(Paragraph(change_text, style["body"]))
    else:
        story.append(
            Paragraph(
                f"根据有关法律法规和选举办法的规定，经依法提名、资格审查和联合审查，现将{context.village}"
                f"{context.body_label}正式候选人名单予以公布，共 {total} 人（各职务候选人{context.order_text}）。",
                style["body"],
            )
        )
    story.append(
        Paragraph(
            f"选举日为{chinese_date(context.election_day)}，年龄按选举日计算。"
            + (
                f"候选人要求退出的，应当不迟于{chinese_date(context.withdrawal_by)}书面提出。"
                if context.withdrawal_by
                else ""
            ),
            style["body"],
        )
    )
    story.append(Spacer(1, 4 * mm))
    for post in posts:
        block = [
            Paragraph(f"{post.label}（应选 {post.seats} 名，候选人 {len(post.people)} 名）", style["plain"]),
            Spacer(1, 1 * mm),
            _post_table(post, font.name),
            Spacer(1, 4 * mm),
        ]
        story.append(KeepTogether(block))
    _footer(story, context)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm
    )
    doc.build(story)
    return buffer.getvalue()
