"""The voter-roll PDFs: the public notice (选民名单公告), its supplements, objection decisions and voter cards.

Public notices show name, gender, age and group only — never an ID number or phone. Every notice
carries the verification code and QR code of the stored document.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from election_admin.pdf import chinese_date, chinese_font, qr_drawing, styles

from .idnumber import age_on

GENDER_TEXT = {"male": "男", "female": "女"}
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMBER = re.compile(r"\d+|[零〇一二两三四五六七八九十百]+")


def _chinese_number(text: str) -> int:
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def group_sort_key(group: str) -> tuple:
    """一组 < 二组 < 10组 < 十一组 < (no group): groups in their natural order, whatever numerals."""
    if not group:
        return (2, 0, "")
    match = _NUMBER.search(group)
    if match is None:
        return (1, 0, group)
    token = match.group()
    number = int(token) if token.isdigit() else _chinese_number(token)
    return (0, number, group)


BODY_TEXT = {
    "villagers_committee": "村民委员会",
    "residents_committee": "居民委员会",
    "supervision_committee": "村务监督委员会",
    "party_branch": "党组织",
}


def village_short_name(name: str) -> str:
    """元树尔村委会 → 元树尔村, 人民路南居委会 → 人民路南社区, 城台社区居民委员会 → 城台社区."""
    for suffix, keep in (
        ("社区居民委员会", "社区"),
        ("居民委员会", "社区"),
        ("居委会", "社区"),
        ("村民委员会", "村"),
    ):
        if name.endswith(suffix):
            return name[: -len(suffix)] + ("" if name[: -len(suffix)].endswith(keep) else keep)
    if name.endswith("村委会"):
        return name[:-2]
    return name


def verify_url(short_code: str) -> str:
    base = getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/")
    return base + reverse("document_verify", args=[short_code])


@dataclass(frozen=True)
class NoticePerson:
    name: str
    gender: str
    birth_date: date
    group: str
    note: str = ""


@dataclass(frozen=True)
class NoticeContext:
    village: str  # full name of the village-level unit
    village_short: str
    title: str
    election_label: str  # e.g. 村民委员会
    election_day: date
    published_on: date
    short_code: str
    group_word: str = "村民小组"

    @property
    def committee(self) -> str:
        return f"{self.village_short}{'居民' if self.group_word == '居民小组' else '村民'}选举委员会"


def _grid_style(font: str, header_rows: int = 1) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 10.5),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.whitesmoke),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )


def _by_group(people: Iterable[NoticePerson]) -> list[tuple[str, list[NoticePerson]]]:
    groups: dict[str, list[NoticePerson]] = {}
    for person in people:
        groups.setdefault(person.group, []).append(person)
    return [(g, groups[g]) for g in sorted(groups, key=group_sort_key)]


def _people_table(
    people: Sequence[NoticePerson], election_day: date, font: str, *, per_row: int = 3
) -> Table:
    header = ["序号", "姓名", "性别", "年龄"] * per_row
    rows = [header]
    line: list[str] = []
    for number, person in enumerate(people, start=1):
        line += [
            str(number),
            person.name,
            GENDER_TEXT.get(person.gender, ""),
            str(age_on(person.birth_date, election_day)),
        ]
        if len(line) == 4 * per_row:
            rows.append(line)
            line = []
    if line:
        rows.append(line + [""] * (4 * per_row - len(line)))
    widths = [10 * mm, 24 * mm, 10 * mm, 11 * mm] * per_row
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_grid_style(font))
    return table


def _footer(story: list, context: NoticeContext, committee: str) -> None:
    style = styles()
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph(committee, style["signature"]))
    story.append(Paragraph(chinese_date(context.published_on), style["signature"]))
    story.append(Spacer(1, 4 * mm))
    check = Table(
        [
            [
                qr_drawing(verify_url(context.short_code), size=22 * mm),
                Paragraph(
                    f"核验码：{context.short_code}<br/>扫描二维码或访问 {verify_url(context.short_code)} 可核验本公告是否与存档一致。",
                    style["small"],
                ),
            ]
        ],
        colWidths=[26 * mm, 120 * mm],
    )
    check.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(KeepTogether([check]))


def _document(story: list) -> bytes:
    font = chinese_font()
    if font.warning:
        story.insert(0, Paragraph(font.warning, styles()["warning"]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm, bottomMargin=14 * mm
    )
    doc.build(story)
    return buffer.getvalue()


def build_roll_notice(
    context: NoticeContext, people: Sequence[NoticePerson], *, window: tuple[date, date], answer_days: int
) -> bytes:
    """选民名单公告: everyone on the roll by group, with the election day and the objection window."""
    style = styles()
    font = chinese_font().name
    story: list = [
        Paragraph(context.title, style["title"]),
        Paragraph(context.village, style["subtitle"]),
        Paragraph(
            f"根据有关法律法规的规定，经{context.committee}依法登记，现将参加"
            f"{context.village_short}{context.election_label}选举的选民名单予以公布，共 {len(people)} 人。"
            f"选举日为{chinese_date(context.election_day)}，年龄按选举日计算。",
            style["body"],
        ),
        Paragraph(
            f"对公布的选民名单有不同意见的，请于{chinese_date(window[0])}至{chinese_date(window[1])}期间"
            f"向{context.committee}提出申诉。选举委员会自收到申诉之日起 {answer_days} 日内作出处理决定，并公布处理结果。",
            style["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    for group, members in _by_group(people):
        story.append(Paragraph(f"{group or '未分组'}（{len(members)} 人）", style["plain"]))
        story.append(_people_table(members, context.election_day, font))
        story.append(Spacer(1, 3 * mm))
    _footer(story, context, context.committee)
    return _document(story)


@dataclass(frozen=True)
class Change:
    name: str
    gender: str
    birth_date: date
    group: str
    text: str  # what changed / why removed


def _change_table(changes: Sequence[Change], election_day: date, font: str, label: str) -> Table:
    rows = [["序号", "姓名", "性别", "年龄", "小组", label]]
    for number, change in enumerate(changes, start=1):
        rows.append(
            [
                str(number),
                change.name,
                GENDER_TEXT.get(change.gender, ""),
                str(age_on(change.birth_date, election_day)),
                change.group,
                change.text,
            ]
        )
    table = Table(rows, colWidths=[12 * mm, 28 * mm, 12 * mm, 12 * mm, 30 * mm, 86 * mm], repeatRows=1)
    table.setStyle(_grid_style(font))
    return table


def build_supplement_notice(
    context: NoticeContext,
    *,
    number: int,
    added: Sequence[Change],
    removed: Sequence[Change],
    corrected: Sequence[Change],
    total: int,
) -> bytes:
    """补充公告: the additions, removals and corrections since the last notice."""
    style = styles()
    font = chinese_font().name
    story: list = [
        Paragraph(context.title, style["title"]),
        Paragraph(f"{context.village}（第 {number - 1} 号补充公告）", style["subtitle"]),
        Paragraph(
            f"{context.village_short}选民名单公布后，经申诉处理和登记更正，现将变动情况补充公告如下：增加 {len(added)} 人，"
            f"减少 {len(removed)} 人，更正 {len(corrected)} 人。变动后选民共 {total} 人。选举日为"
            f"{chinese_date(context.election_day)}。",
            style["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    for title, items, label in (
        ("增加的选民", added, "说明"),
        ("减少的选民", removed, "原因"),
        ("更正的选民", corrected, "更正内容"),
    ):
        if items:
            story.append(Paragraph(f"{title}（{len(items)} 人）", style["plain"]))
            story.append(_change_table(items, context.election_day, font, label))
            story.append(Spacer(1, 3 * mm))
    _footer(story, context, context.committee)
    return _document(story)


def build_objection_decision(
    context: NoticeContext,
    *,
    filed_by: str,
    filed_on: date,
    kind: str,
    subject: str,
    grounds: str,
    decision: str,
    text: str,
) -> bytes:
    """申诉处理决定: what was asked, what the committee decided and why."""
    style = styles()
    story: list = [
        Paragraph(context.title, style["title"]),
        Paragraph(context.village, style["subtitle"]),
        Paragraph(
            f"{filed_by}于{chinese_date(filed_on)}对{context.village_short}选民名单提出申诉（{kind}），"
            f"涉及：{subject}。申诉理由：{grounds}",
            style["body"],
        ),
        Paragraph(f"经{context.committee}审查，决定：{decision}。{text}", style["body"]),
    ]
    _footer(story, context, context.committee)
    return _document(story)


@dataclass(frozen=True)
class Card:
    serial: int
    code: str
    name: str
    gender: str
    group: str


CARD_COLUMNS, CARD_ROWS = 2, 4  # 8 cards per A4 sheet


def build_voter_cards(
    *, village: str, election_label: str, election_day: date, cards: Sequence[Card]
) -> bytes:
    """选民证: 8 cards per A4 sheet in group order, each with its number and check code."""
    font = chinese_font()
    buffer = io.BytesIO()
    page = pdf_canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    margin = 10 * mm
    card_w = (width - 2 * margin) / CARD_COLUMNS
    card_h = (height - 2 * margin) / CARD_ROWS
    per_page = CARD_COLUMNS * CARD_ROWS
    day_text = chinese_date(election_day)
    for index, card in enumerate(cards):
        if index and index % per_page == 0:
            page.showPage()
        slot = index % per_page
        x = margin + (slot % CARD_COLUMNS) * card_w
        y = height - margin - (slot // CARD_COLUMNS + 1) * card_h
        page.setStrokeColor(colors.grey)
        page.setDash(3, 3)
        page.rect(x, y, card_w, card_h)
        page.setDash()
        left = x + 8 * mm
        top = y + card_h - 14 * mm
        page.setFont(font.name, 18)
        page.drawCentredString(x + card_w / 2, top, "选  民  证")
        page.setFont(font.name, 9)
        page.drawCentredString(x + card_w / 2, top - 6 * mm, f"{village}{election_label}选举")
        page.setFont(font.name, 12)
        lines = [
            f"姓名：{card.name}",
            f"性别：{GENDER_TEXT.get(card.gender, '')}　　小组：{card.group or '—'}",
            f"选举日：{day_text}",
            f"编号：{card.serial:05d}　　核验码：{card.code}",
        ]
        for line_number, line in enumerate(lines):
            page.drawString(left, top - (16 + 9 * line_number) * mm, line)
        page.setFont(font.name, 8)
        page.drawString(left, y + 6 * mm, "凭此证领取选票；本证限本人使用，涂改无效。")
        if font.warning and slot == 0:
            page.setFillColor(colors.red)
            page.drawString(margin, 4 * mm, font.warning)
            page.setFillColor(colors.black)
    if not cards:
        page.setFont(font.name, 12)
        page.drawString(margin, height - margin - 12 * mm, "名单中没有选民。")
    page.showPage()
    page.save()
    return buffer.getvalue()
