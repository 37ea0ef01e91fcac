"""选票样张 and 计票单 — the printable ballot paper of an election's counting round, from which the township
prints the real ballots, and the blank count sheet (计票单) of one ballot box that the tellers fill in by
hand and the clerk then types into the tally entry form from top to bottom.

Both are A4 with the embedded Chinese font (election_admin.pdf). The ballot paper lists the posts, seats
and candidates exactly as the live count board numbers them (``services.board.board_setup``: round 1, or
the run-off list once round 1 left seats); the count sheet has the tally form's figures and candidate
lines in the form's order (``choices.FIGURES``, ``selectors.vote_lines``). The builders take plain data
(``BallotPaper``, ``CountSheet``); ``ballot_paper_of`` and ``count_sheet_of`` read it from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from election_admin.choices_cycles import Body
from election_admin.models.rulesets import BallotLayout
from election_admin.pdf import chinese_date, chinese_font, styles
from voters.pdf import BODY_TEXT, _document, village_short_name

from .choices import FIGURES, RUNOFF_ROUND, BoxKind, StaffRole, VenueKind
from .counting import is_write_in
from .counting.rules import POST_NAMES
from .forms import WRITE_IN_ROWS

# The tally form's figures (choices.FIGURES) as the paper sheet names them, and the check line after them.
FIGURE_TEXT = {"voted": "参加投票人数", "issued": "发出选票", "returned": "收回选票", "invalid": "无效票"}
FIGURE_UNIT = {"voted": "人", "issued": "张", "returned": "张", "invalid": "张"}
VALID_TEXT = "有效票"
BOX_KIND_TEXT = {BoxKind.FIXED: "固定票箱", BoxKind.MOBILE: "流动票箱"}
VENUE_KIND_TEXT = {VenueKind.ASSEMBLY: "选举大会", VenueKind.CENTRAL: "中心会场", VenueKind.STATION: "投票站"}
# 唱票人 / 计票人 / 监票人, in the order they sign.
STAFF_TEXT = {StaffRole.ANNOUNCER: "唱票人", StaffRole.TELLER: "计票人", StaffRole.SCRUTINEER: "监票人"}

# What the voter is told (the customary wording); the over-vote sentence follows the rule set.
MARK_RULE = "在赞成的候选人姓名下方空格内划“○”，反对的划“×”，弃权的不划任何符号。"
WRITE_IN_RULE = "另选他人的，在“另选他人”栏内写上其姓名，并在其下方空格内划“○”。"
OVERVOTE_RULE = {
    "post": "每一职务所选人数不得多于应选人数，多于应选人数的，该职务的选票无效。",
    "ballot": "每一职务所选人数不得多于应选人数，任一职务多于应选人数的，整张选票无效。",
}
OVERVOTE_ONE_POST = "所选人数不得多于应选人数，多于应选人数的，该选票无效。"
SAME_PERSON_RULE = {
    "higher_post": "同一人在本选票上被选为两个以上职务的，只计其较高职务的一票。",
    "person": "同一人在本选票上被选为两个以上职务的，对其所划的符号均无效。",
    "ballot": "同一人在本选票上被选为两个以上职务的，该选票无效。",
}
UNCLEAR_RULE = "所划符号无法辨认的，由选举委员会认定。"

WIDTH = 182 * mm  # A4 less the margins of voters.pdf._document
LABEL_WIDTH = 22 * mm
COLUMN_WIDTH = 20 * mm
COLUMNS_PER_BAND = 8  # 22 + 8 × 20 mm: one band of names across the page; more names wrap to a new band


@dataclass(frozen=True)
class PaperPost:
    """One post as printed: its name, the seats this round, the people in list order and, on a count sheet,
    the written-in people of a run-off list (printed in its first write-in rows)."""

    post: str
    label: str
    seats: int
    names: list[str]
    written_in: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BallotPaper:
    title: str
    posts: list[PaperPost]
    overvote_voids: str  # "post" / "ballot"
    same_person_voids: str  # "none" / "higher_post" / "person" / "ballot"
    is_separate: bool  # one page per post (rule set ``ballot_layout`` "separate")
    committee: str
    election_day: date | None


@dataclass(frozen=True)
class CountSheet:
    title: str
    village: str
    election_label: str
    round_text: str
    box_label: str
    box_kind: str
    venue: str
    election_day: date | None
    posts: list[PaperPost]
    staff: dict[str, list[str]]  # 唱票人 / 计票人 / 监票人 → names recorded
    committee: str


# ----------------------------------------------------------------------------------------------------
# Building the PDFs


def _cell_styles(font: str) -> list:
    return [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]


def _ballot_bands(post: PaperPost, font: str) -> list[Table]:
    """The customary layout: a row of names, a box below each for the mark; the list number above each
    name (the live count board is typed by these numbers); then as many 另选他人 columns as seats."""
    columns = [(str(n), name) for n, name in enumerate(post.names, start=1)]
    columns += [("另选他人", "")] * post.seats
    bands = []
    for start in range(0, len(columns), COLUMNS_PER_BAND):
        band = columns[start : start + COLUMNS_PER_BAND]
        rows = [
            ["序号", *[number for number, _name in band]],
            ["姓名", *[name for _number, name in band]],
            ["划符号", *[""] * len(band)],
        ]
        table = Table(
            rows,
            colWidths=[LABEL_WIDTH] + [COLUMN_WIDTH] * len(band),
            rowHeights=[7 * mm, 11 * mm, 14 * mm],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                _cell_styles(font)
                + [
                    ("FONTSIZE", (0, 0), (-1, -1), 9),
                    ("FONTSIZE", (1, 1), (-1, 1), 12),
                    ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                    ("TEXTCOLOR", (1, 0), (-1, 0), colors.dimgrey),
                ]
            )
        )
        bands.append(table)
    return bands


def _post_heading(post: PaperPost) -> str:
    return f"{post.label}（应选{post.seats}名）"


def _seal_footer(committee: str, day: date | None) -> list:
    style = styles()
    seal = Table([["加盖选举委员会印章处"]], colWidths=[44 * mm], rowHeights=[22 * mm], hAlign="RIGHT")
    seal.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), chinese_font().name),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("TEXTCOLOR", (0, 0), (-1, -1), colors.grey),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.grey, None, (2, 2)),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    items = [Spacer(1, 6 * mm), Paragraph(committee, style["signature"])]
    if day is not None:
        items.append(Paragraph(chinese_date(day), style["signature"]))
    items += [Spacer(1, 2 * mm), seal]
    return [KeepTogether(items)]


def _instructions(paper: BallotPaper, posts: list[PaperPost]) -> list[str]:
    lines = [MARK_RULE, WRITE_IN_RULE]
    if len(posts) > 1:
        lines.append(OVERVOTE_RULE[paper.overvote_voids])
        if paper.same_person_voids in SAME_PERSON_RULE:
            lines.append(SAME_PERSON_RULE[paper.same_person_voids])
    else:
        lines.append(OVERVOTE_ONE_POST)
    lines.append(UNCLEAR_RULE)
    return lines


def build_ballot_paper(paper: BallotPaper) -> bytes:
    """选票样张: the title, the voter's instructions, per post its seats, its candidates with a mark box and
    its write-in columns, and the election committee with the place for its seal. Combined: every post on
    one sheet; separate: one page per post."""
    style = styles()
    font = chinese_font().name
    pages = [[post] for post in paper.posts] if paper.is_separate else [paper.posts]
    story: list = []
    for index, posts in enumerate(pages):
        if index:
            story.append(PageBreak())
        story.append(Paragraph(paper.title, style["title"]))
        if paper.is_separate and posts:
            story.append(Paragraph(f"（{posts[0].label}）", style["subtitle"]))
        story.append(Paragraph("填 写 说 明", style["plain"]))
        for number, line in enumerate(_instructions(paper, posts), start=1):
            story.append(Paragraph(f"{number}. {line}", style["small"]))
        for post in posts:
            story.append(Spacer(1, 5 * mm))
            story.append(
                KeepTogether([Paragraph(_post_heading(post), style["plain"]), *_ballot_bands(post, font)])
            )
        story += _seal_footer(paper.committee, paper.election_day)
    return _document(story)


def _figure_rows(font: str) -> Table:
    """The figures one under another, in the tally form's order, so the clerk types them top to bottom."""
    rows = [["项目", "数目"]]
    rows += [[FIGURE_TEXT[key], FIGURE_UNIT[key]] for key in FIGURES]
    rows.append([f"{VALID_TEXT}（收回选票减无效票，核对用，不录入）", "张"])
    table = Table(rows, colWidths=[132 * mm, 50 * mm], rowHeights=[7 * mm] + [10 * mm] * (len(rows) - 1))
    table.setStyle(
        TableStyle(
            _cell_styles(font)
            + [
                ("FONTSIZE", (0, 0), (-1, -1), 10.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("ALIGN", (0, 1), (0, -1), "LEFT"),
                ("ALIGN", (1, 1), (1, -1), "RIGHT"),
                ("TEXTCOLOR", (0, -1), (-1, -1), colors.dimgrey),
            ]
        )
    )
    return table


def _tally_table(post: PaperPost, font: str) -> Table:
    """Per candidate a wide box for the 正 strokes and the total; then the write-in rows (另选他人)."""
    rows = [["序号", "姓名", "计票（划“正”字）", "得票数"]]
    rows += [[str(n), name, "", ""] for n, name in enumerate(post.names, start=1)]
    write_in_rows = max(WRITE_IN_ROWS, post.seats + 1, len(post.written_in))
    for n in range(write_in_rows):
        name = post.written_in[n] if n < len(post.written_in) else ""
        rows.append(["另选他人", name, "", ""])
    table = Table(
        rows,
        colWidths=[20 * mm, 30 * mm, 104 * mm, 28 * mm],
        rowHeights=[7 * mm] + [11 * mm] * (len(rows) - 1),
        repeatRows=1,
    )
    first_write_in = 1 + len(post.names)
    table.setStyle(
        TableStyle(
            _cell_styles(font)
            + [
                ("FONTSIZE", (0, 0), (-1, -1), 10.5),
                ("FONTSIZE", (0, first_write_in), (0, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("BACKGROUND", (0, first_write_in), (0, -1), colors.whitesmoke),
            ]
        )
    )
    return table


def _signature_table(staff: dict[str, list[str]], font: str) -> Table:
    rows = [["职责", "登记人员", "签名"]]
    rows += [[role, "、".join(names), ""] for role, names in staff.items()]
    table = Table(rows, colWidths=[24 * mm, 70 * mm, 88 * mm], rowHeights=[7 * mm] + [12 * mm] * len(staff))
    table.setStyle(
        TableStyle(
            _cell_styles(font)
            + [("FONTSIZE", (0, 0), (-1, -1), 10.5), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]
        )
    )
    return table


def build_count_sheet(sheet: CountSheet) -> bytes:
    """计票单 of one ballot box: the box, village, election and round; the figures in the tally form's
    order; per post each candidate with a box for tally strokes and the total, and write-in rows; the
    signatures of the announcers, tellers and scrutineers (names printed where recorded)."""
    style = styles()
    font = chinese_font().name
    info = Table(
        [
            ["村（社区）", sheet.village, "选举", sheet.election_label],
            ["票箱", f"{sheet.box_label}（{sheet.box_kind}）", "投票地点", sheet.venue],
            [
                "轮次",
                sheet.round_text,
                "选举日",
                chinese_date(sheet.election_day) if sheet.election_day else "",
            ],
        ],
        colWidths=[24 * mm, 67 * mm, 24 * mm, 67 * mm],
        rowHeights=[8 * mm] * 3,
    )
    info.setStyle(
        TableStyle(
            _cell_styles(font)
            + [
                ("FONTSIZE", (0, 0), (-1, -1), 10.5),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("BACKGROUND", (2, 0), (2, -1), colors.whitesmoke),
                ("ALIGN", (1, 0), (1, -1), "LEFT"),
                ("ALIGN", (3, 0), (3, -1), "LEFT"),
            ]
        )
    )
    story: list = [
        Paragraph(sheet.title, style["title"]),
        info,
        Spacer(1, 5 * mm),
        Paragraph("一、投票情况", style["plain"]),
        _figure_rows(font),
        Spacer(1, 5 * mm),
        Paragraph("二、得票情况", style["plain"]),
    ]
    for post in sheet.posts:
        story.append(Spacer(1, 2 * mm))
        story.append(KeepTogether([Paragraph(_post_heading(post), style["plain"]), _tally_table(post, font)]))
    story += [
        Spacer(1, 5 * mm),
        KeepTogether(
            [
                Paragraph("三、计票人员签名", style["plain"]),
                _signature_table(sheet.staff, font),
                Spacer(1, 6 * mm),
                Paragraph(f"{sheet.committee}（盖章）", style["signature"]),
                Paragraph("______年____月____日", style["signature"]),
            ]
        ),
    ]
    return _document(story)


# ----------------------------------------------------------------------------------------------------
# From the database


def _post_text(post: str) -> str:
    return POST_NAMES.get(post, (post, post))[1]


def _names(election) -> tuple[str, str, str]:
    """(village short name, the body as printed in a title, the election committee)."""
    short = village_short_name(election.region.name)
    if election.body == Body.PARTY_BRANCH:
        return short, f"中国共产党{short}支部委员会", f"中共{short}支部委员会"
    people = "居民" if election.body == Body.RESIDENTS_COMMITTEE else "村民"
    return short, f"{short}{BODY_TEXT.get(election.body, '')}", f"{short}{people}选举委员会"


def paper_title(election, round_number: int, what: str) -> str:
    """元树尔村村民委员会选举选票 / …另行选举计票单 / 中国共产党元树尔村支部委员会选举选票."""
    _short, body, _committee = _names(election)
    return f"{body}{'另行选举' if round_number == RUNOFF_ROUND else '选举'}{what}"


def ballot_paper_of(election) -> tuple[BallotPaper, int]:
    """The ballot paper of the election's current counting round (round 1, or the run-off list), laid out
    as its rule set says; and that round. ``election`` read with its cycle's rule set and region."""
    from .selectors import counting_round
    from .services.board import board_setup

    round_number = counting_round(election)
    setup = board_setup(election, round_number)
    posts = [
        PaperPost(
            post=item.post,
            label=_post_text(item.post),
            seats=item.seats,
            names=[line.name for line in setup.post_lines(item.post)],
        )
        for item in setup.posts
    ]
    layout = election.cycle.rule_set.ballot_layout
    _short, _body, committee = _names(election)
    paper = BallotPaper(
        title=paper_title(election, round_number, "选票"),
        posts=posts,
        overvote_voids=setup.rules.overvote_voids,
        same_person_voids=setup.rules.same_person_voids,
        is_separate=layout == BallotLayout.SEPARATE and len(posts) > 1,
        committee=committee,
        election_day=election.election_day,
    )
    return paper, round_number


def count_sheet_of(user, box) -> tuple[CountSheet, int]:
    """The blank count sheet of a ballot box for its election's current counting round; and that round.
    ``box`` read with its venue and its election's region and cycle rule set."""
    from .models import CountStaff
    from .selectors import counting_round, vote_lines
    from .services.board import board_setup

    election = box.election
    round_number = counting_round(election)
    setup = board_setup(election, round_number)
    lines = vote_lines(election, round_number)  # the tally form's lines, in its order
    posts = []
    for item in setup.posts:
        posts.append(
            PaperPost(
                post=item.post,
                label=_post_text(item.post),
                seats=item.seats,
                names=[line.name for line in lines if line.post == item.post],
                written_in=[line.name for line in setup.post_lines(item.post) if is_write_in(line.person)],
            )
        )
    staff: dict[str, list[str]] = {text: [] for text in STAFF_TEXT.values()}
    for role, name in (
        CountStaff.objects.visible_to(user)
        .filter(Q(box=box) | Q(box__isnull=True), election=election, role__in=list(STAFF_TEXT))
        .order_by("id")
        .values_list("role", "name")
    ):
        staff[STAFF_TEXT[role]].append(name)
    _short, _body, committee = _names(election)
    sheet = CountSheet(
        title=paper_title(election, round_number, "计票单"),
        village=election.region.name,
        election_label="党支部委员会"
        if election.body == Body.PARTY_BRANCH
        else BODY_TEXT.get(election.body, ""),
        round_text="另行选举" if round_number == RUNOFF_ROUND else "第一轮选举",
        box_label=box.label,
        box_kind=BOX_KIND_TEXT.get(box.kind, box.kind),
        venue=f"{box.venue.name}（{VENUE_KIND_TEXT.get(box.venue.kind, box.venue.kind)}）",
        election_day=election.election_day,
        posts=posts,
        staff=staff,
        committee=committee,
    )
    return sheet, round_number
