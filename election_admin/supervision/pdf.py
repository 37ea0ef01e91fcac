"""The supervision PDFs: the election record sheet (选举纪实表), the weekly report (选举工作周报) and
departure certificates (离任证书). Paper for filing is always printed in Chinese, whatever the language of
the person who asks for it (every function renders under ``translation.override("zh-hans")``)."""

from __future__ import annotations

import io
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from election_admin.choices_cycles import Body, Stage
from election_admin.pdf import chinese_date, chinese_font, styles

from .services.records import Step
from .services.reports import WeeklyFigures


def _escape(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(
    rows: list[list], widths: list[float], *, header_rows: int = 1, highlight: list[int] | None = None
) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), chinese_font().name),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee")),
    ]
    for row in highlight or []:
        style.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor("#fde2e1")))
    table.setStyle(TableStyle(style))
    return table


def _build(story: list, *, pagesize=A4) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    document.build(story)
    font = chinese_font()
    return buffer.getvalue(), font.warning


# --- Election record sheet ---------------------------------------------------------------------------


def election_record_pdf(
    *, election, steps: list[Step], exceptions: list[dict], on: date
) -> tuple[bytes, str]:
    """A4 sheet: the heading, one numbered row per step (date, numbers, names, state) with missing steps
    marked 缺, the recorded deadline exceptions, and the lines to sign."""
    with translation.override("zh-hans"):
        s = styles()
        cell, small = s["cell"], s["small"]
        village = election.region
        township = village.parent.name if village.parent_id else ""
        title = _("%(village)s %(body)s election record sheet") % {
            "village": village.name,
            "body": Body(election.body).label,
        }
        missing_word = _("missing")
        story = [
            Paragraph(_escape(title), s["title"]),
            Paragraph(
                _escape(
                    _("%(cycle)s · %(township)s · election day %(day)s · stage: %(stage)s")
                    % {
                        "cycle": election.cycle.name,
                        "township": township,
                        "day": election.election_day.isoformat() if election.election_day else missing_word,
                        "stage": Stage(election.stage).label,
                    }
                ),
                s["subtitle"],
            ),
        ]
        header = [
            Paragraph(_("No."), cell),
            Paragraph(_("Step"), cell),
            Paragraph(_("Date"), cell),
            Paragraph(_("Numbers"), cell),
            Paragraph(_("Names and notes"), cell),
            Paragraph(_("State"), cell),
        ]
        rows, highlight = [header], []
        for number, step in enumerate(steps, start=1):
            notes = "；".join(part for part in (step.names, step.note) if part)
            rows.append(
                [
                    Paragraph(str(number), cell),
                    Paragraph(_escape(step.label), cell),
                    Paragraph(
                        step.on.isoformat() if step.on else (missing_word if step.is_missing else "—"), cell
                    ),
                    Paragraph(_escape(step.figures) or (missing_word if step.is_missing else ""), cell),
                    Paragraph(_escape(notes), small),
                    Paragraph(_escape(missing_word if step.is_missing else step.status_label), cell),
                ]
            )
            if step.is_missing:
                highlight.append(number)
        story.append(
            _table(rows, [12 * mm, 40 * mm, 25 * mm, 38 * mm, 50 * mm, 14 * mm], highlight=highlight)
        )
        story.append(Spacer(1, 4 * mm))
        missing = sum(1 for step in steps if step.is_missing)
        story.append(
            Paragraph(
                _escape(
                    _(
                        "%(n)s steps, %(missing)s of them missing (marked “missing”: nothing is recorded in the system)."
                    )
                    % {"n": len(steps), "missing": missing}
                ),
                s["small"],
            )
        )
        if exceptions:
            story.append(Spacer(1, 3 * mm))
            story.append(Paragraph(_escape(_("Deadlines missed and the reasons recorded")), s["plain"]))
            headings = [_("Deadline"), _("Due"), _("Done"), _("Reason"), _("Recorded by")]
            rows = [[Paragraph(h, cell) for h in headings]]
            for x in exceptions:
                rows.append(
                    [Paragraph(_escape(x[k]), cell) for k in ("deadline", "due", "done", "reason", "by")]
                )
            story.append(_table(rows, [35 * mm, 25 * mm, 25 * mm, 69 * mm, 26 * mm]))
        signatures = [
            Spacer(1, 8 * mm),
            Paragraph(
                _escape(_("Chair of the village election committee (signature): ____________")),
                s["signature"],
            ),
            Paragraph(_escape(_("Township person in charge (signature): ____________")), s["signature"]),
            Paragraph(_escape(_("Printed on %(day)s") % {"day": chinese_date(on)}), s["signature"]),
        ]
        story.append(KeepTogether(signatures))
        if chinese_font().warning:
            story.append(Paragraph(chinese_font().warning, s["warning"]))
        return _build(story)


# --- Weekly report -----------------------------------------------------------------------------------


def _change(value) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value)


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


def weekly_report_pdf(figures: WeeklyFigures) -> tuple[bytes, str]:
    """Landscape A4: headline figures, stages now and against last week, overdue villages with the people
    responsible, complaints, visits, turnout and results, the units below."""
    with translation.override("zh-hans"):
        s = styles()
        cell, small = s["cell"], s["small"]
        story = [
            Paragraph(
                _escape(
                    _("%(region)s village and community elections: weekly report")
                    % {"region": figures.region_name}
                ),
                s["title"],
            ),
            Paragraph(
                _escape(
                    _("Week %(week)s · as of %(day)s · movements from %(start)s to %(end)s")
                    % {
                        "week": figures.week,
                        "day": figures.report_on,
                        "start": figures.period_start,
                        "end": figures.period_end,
                    }
                ),
                s["subtitle"],
            ),
        ]
        if figures.cycles:
            story.append(Paragraph(_escape("；".join(figures.cycles)), s["small"]))
        story.append(Spacer(1, 3 * mm))
        story.append(Paragraph(_escape(_("1. Progress")), s["plain"]))
        summary = [
            [
                _("Elections"),
                _("Complete"),
                _("Overdue"),
                _("Late handovers"),
                _("Turnout"),
                _("First-round success"),
            ],
            [
                figures.elections,
                figures.complete,
                figures.overdue_total,
                figures.late_handovers,
                _percent(figures.turnout),
                _percent(figures.first_round_rate),
            ],
        ]
        story.append(_table([[Paragraph(str(v), cell) for v in row] for row in summary], [42 * mm] * 6))
        story.append(Spacer(1, 2 * mm))
        stage_rows = [
            [
                Paragraph(_("Stage"), cell),
                Paragraph(_("Now"), cell),
                Paragraph(
                    _("Change since %(week)s") % {"week": figures.previous_week}
                    if figures.previous_week
                    else _("Change since last week"),
                    cell,
                ),
            ]
        ]
        for stage, n in figures.stage_counts.items():
            stage_rows.append(
                [
                    Paragraph(_escape(Stage(stage).label), cell),
                    Paragraph(str(n), cell),
                    Paragraph(_change(figures.stage_changes.get(stage)), cell),
                ]
            )
        story.append(_table(stage_rows, [80 * mm, 40 * mm, 50 * mm]))
        story.append(Spacer(1, 3 * mm))
        story.append(
            Paragraph(
                _escape(
                    _("2. Overdue villages and the people responsible (%(n)s)") % {"n": figures.overdue_total}
                ),
                s["plain"],
            )
        )
        headings = [
            _("Village or community"),
            _("Township"),
            _("Body"),
            _("Missed deadline"),
            _("Due"),
            _("Days late"),
            _("Responsible"),
        ]
        overdue_rows = [[Paragraph(h, cell) for h in headings]]
        for row in figures.overdue:
            overdue_rows.append(
                [
                    Paragraph(_escape(row["village"]), cell),
                    Paragraph(_escape(row["township"]), cell),
                    Paragraph(_escape(row["body"]), cell),
                    Paragraph(_escape(row["deadline"]), cell),
                    Paragraph(row["due"], cell),
                    Paragraph(str(row["days_late"]), cell),
                    Paragraph(_escape(row["responsible"] or _("nobody assigned")), small),
                ]
            )
        if not figures.overdue:
            overdue_rows.append([Paragraph(_("Nothing overdue."), cell)] + [""] * 6)
        story.append(_table(overdue_rows, [38 * mm, 28 * mm, 30 * mm, 34 * mm, 25 * mm, 16 * mm, 89 * mm]))
        story.append(Spacer(1, 3 * mm))
        story.append(Paragraph(_escape(_("3. Complaints and petitions, supervision visits")), s["plain"]))
        complaint_rows = [
            [
                _("Received this week"),
                _("Answered this week"),
                _("Answered late this week"),
                _("Open"),
                _("Open and overdue"),
                _("Serious, open"),
                _("Roll objections open"),
                _("Visits this week"),
                _("Villages visited"),
            ],
            [
                figures.complaints_received,
                figures.complaints_answered,
                figures.complaints_answered_late,
                figures.complaints_open,
                figures.complaints_open_late,
                figures.complaints_serious_open,
                figures.objections_open,
                figures.visits_in_week,
                f"{figures.villages_visited} / {figures.villages} ({_percent(figures.coverage)})",
            ],
        ]
        story.append(
            _table([[Paragraph(str(v), cell) for v in row] for row in complaint_rows], [28 * mm] * 9)
        )
        story.append(Spacer(1, 3 * mm))
        story.append(Paragraph(_escape(_("4. Turnout and results so far")), s["plain"]))
        story.append(
            Paragraph(
                _escape(
                    _(
                        "%(held)s elections held; %(voted)s of %(registered)s registered voters voted (turnout %(turnout)s); %(first)s filled the committee in the first round (%(rate)s)."
                    )
                    % {
                        "held": figures.held,
                        "voted": figures.voted,
                        "registered": figures.registered,
                        "turnout": _percent(figures.turnout),
                        "first": figures.first_round_filled,
                        "rate": _percent(figures.first_round_rate),
                    }
                ),
                s["body"],
            )
        )
        if figures.units:
            story.append(Spacer(1, 3 * mm))
            story.append(Paragraph(_escape(_("5. By unit")), s["plain"]))
            headings = [_("Code"), _("Name"), _("Elections"), _("Complete"), _("Overdue")]
            unit_rows = [[Paragraph(h, cell) for h in headings]]
            for unit in figures.units:
                unit_rows.append(
                    [
                        Paragraph(_escape(unit[k]), cell)
                        for k in ("code", "name", "elections", "complete", "overdue")
                    ]
                )
            story.append(_table(unit_rows, [30 * mm, 60 * mm, 30 * mm, 30 * mm, 30 * mm]))
        if chinese_font().warning:
            story.append(Paragraph(chinese_font().warning, s["warning"]))
        return _build(story, pagesize=landscape(A4))


# --- Departure certificate ---------------------------------------------------------------------------


def departure_certificate_pdf(*, election, handover, member, on: date) -> tuple[bytes, str]:
    """One A4 page: 离任证书 for one outgoing member, naming the village, the post, the audit and the handover."""
    with translation.override("zh-hans"):
        s = styles()
        village = election.region
        story = [
            Spacer(1, 30 * mm),
            Paragraph(_escape(_("Departure certificate")), s["title"]),
            Spacer(1, 15 * mm),
            Paragraph(
                _escape(
                    _(
                        "This certifies that %(name)s, %(post)s of the %(body)s of %(village)s, has left office at the "
                        "end of the term. The departure audit was published on %(audit)s and the handover to the new "
                        "committee was completed on %(handover)s."
                    )
                    % {
                        "name": member.name,
                        "post": member.post,
                        "body": Body(election.body).label,
                        "village": village.full_name(),
                        "audit": chinese_date(handover.audit_published_on),
                        "handover": chinese_date(handover.completed_on),
                    }
                ),
                s["body"],
            ),
            Spacer(1, 30 * mm),
            Paragraph(_escape(village.parent.name if village.parent_id else ""), s["signature"]),
            Paragraph(_escape(chinese_date(on)), s["signature"]),
        ]
        if chinese_font().warning:
            story.append(Paragraph(chinese_font().warning, s["warning"]))
        return _build(story)
