"""Lists published before election day: the proxy votes (委托投票名单公告) and the voters of a mobile ballot
box (流动票箱投票选民名单公告). Names, 村民小组 and what the list needs — never an ID number or a phone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from election_admin.pdf import chinese_date, chinese_font, styles
from voters.pdf import GENDER_TEXT, NoticeContext, _document, _footer, _grid_style, group_sort_key


@dataclass(frozen=True)
class ProxyLine:
    principal: str
    group: str
    proxy: str
    relation: str
    filed_on: date


@dataclass(frozen=True)
class MobileLine:
    name: str
    gender: str
    group: str
    reason: str


def _day(value: date | None) -> str:
    return chinese_date(value) if value else "（选举日未定）"


def build_proxy_list(context: NoticeContext, lines: Sequence[ProxyLine], *, limit: int) -> bytes:
    """委托投票名单公告: who votes for whom, grouped by the principal's 村民小组 order."""
    style = styles()
    font = chinese_font().name
    story: list = [
        Paragraph(context.title, style["title"]),
        Paragraph(context.village, style["subtitle"]),
        Paragraph(
            f"下列选民在{_day(context.election_day)}{context.village_short}{context.election_label}选举期间外出，"
            f"不能参加投票，已书面委托本村有选举权的近亲属代为投票，经{context.committee}审核，现予公布，"
            f"共 {len(lines)} 人。每一受委托人接受委托不超过 {limit} 人，受委托人不得再委托他人。",
            style["body"],
        ),
        Paragraph(
            f"对名单有不同意见的，请在选举日前向{context.committee}提出。",
            style["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [["序号", "委托人", context.group_word, "受委托人", "与委托人关系", "委托日期"]]
    ordered = sorted(lines, key=lambda line: (group_sort_key(line.group), line.principal))
    for number, line in enumerate(ordered, start=1):
        rows.append(
            [str(number), line.principal, line.group, line.proxy, line.relation, line.filed_on.isoformat()]
        )
    if len(rows) == 1:
        rows.append(["", "（无）", "", "", "", ""])
    table = Table(rows, colWidths=[12 * mm, 28 * mm, 34 * mm, 28 * mm, 30 * mm, 28 * mm], repeatRows=1)
    table.setStyle(_grid_style(font))
    story.append(table)
    _footer(story, context, context.committee)
    return _document(story)


def build_mobile_box_list(
    context: NoticeContext, box_label: str, lines: Sequence[MobileLine], *, scrutineers: Sequence[str]
) -> bytes:
    """流动票箱投票选民名单公告: the voters a mobile box visits, and the scrutineers who carry it."""
    style = styles()
    font = chinese_font().name
    carried = "、".join(scrutineers) if scrutineers else "（监票人尚未确定）"
    story: list = [
        Paragraph(context.title, style["title"]),
        Paragraph(context.village, style["subtitle"]),
        Paragraph(
            f"经{context.committee}研究并报乡镇人民政府（街道办事处）同意，{_day(context.election_day)}"
            f"{context.village_short}{context.election_label}选举设流动票箱“{box_label}”，"
            f"下列 {len(lines)} 名选民在流动票箱投票，现予公布。流动票箱由监票人{carried}"
            "随箱负责，当场投票，投票结束后当众封箱，并与中心会场票箱一并开箱计票。",
            style["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [["序号", "姓名", "性别", context.group_word, "在流动票箱投票的事由"]]
    ordered = sorted(lines, key=lambda line: (group_sort_key(line.group), line.name))
    for number, line in enumerate(ordered, start=1):
        rows.append([str(number), line.name, GENDER_TEXT.get(line.gender, ""), line.group, line.reason])
    if len(rows) == 1:
        rows.append(["", "（无）", "", "", ""])
    table = Table(rows, colWidths=[12 * mm, 28 * mm, 14 * mm, 40 * mm, 86 * mm], repeatRows=1)
    table.setStyle(_grid_style(font))
    story.append(table)
    _footer(story, context, context.committee)
    return _document(story)
