"""The weekly report as an Excel workbook: summary and stages, overdue villages with the people responsible,
complaints and visits, units below. Every cell goes through ``safe_cell`` (no formula injection)."""

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from election_admin.choices_cycles import Stage
from election_admin.exports import safe_cell

from .services.reports import WeeklyFigures


def _write(sheet, rows: list[list], *, bold_rows: frozenset[int] = frozenset()) -> None:
    for row_number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            safe_cell(cell, value)
            if row_number in bold_rows:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 16


def weekly_report_workbook(figures: WeeklyFigures) -> bytes:
    with translation.override("zh-hans"):
        workbook = Workbook()
        summary = workbook.active
        summary.title = _("Summary")[:31]
        rows = [
            [
                _("%(region)s village and community elections: weekly report")
                % {"region": figures.region_name}
            ],
            [_("Week"), figures.week, _("Report date"), figures.report_on],
            [_("Movements from"), figures.period_start, _("to"), figures.period_end],
            [],
            [_("Elections"), figures.elections],
            [_("Complete"), figures.complete],
            [_("Overdue"), figures.overdue_total],
            [_("Late handovers"), figures.late_handovers],
            [_("Elections held"), figures.held],
            [_("Registered voters"), figures.registered],
            [_("Voters who voted"), figures.voted],
            [_("Turnout (percent)"), figures.turnout],
            [_("First-round success (percent)"), figures.first_round_rate],
            [_("Complaints received this week"), figures.complaints_received],
            [_("Complaints answered this week"), figures.complaints_answered],
            [_("Complaints answered late this week"), figures.complaints_answered_late],
            [_("Complaints open"), figures.complaints_open],
            [_("Complaints open and overdue"), figures.complaints_open_late],
            [_("Serious complaints open"), figures.complaints_serious_open],
            [_("Roll objections open"), figures.objections_open],
            [_("Supervision visits this week"), figures.visits_in_week],
            [_("Villages"), figures.villages],
            [_("Villages visited"), figures.villages_visited],
            [_("Visit coverage (percent)"), figures.coverage],
            [],
            [_("Stage"), _("Now"), _("Change since last week")],
        ]
        header_row = len(rows)
        for stage, n in figures.stage_counts.items():
            rows.append([str(Stage(stage).label), n, figures.stage_changes.get(stage)])
        _write(summary, rows, bold_rows=frozenset({1, header_row}))

        overdue = workbook.create_sheet(_("Overdue")[:31])
        rows = [
            [
                _("Village or community"),
                _("Township"),
                _("Body"),
                _("Missed deadline"),
                _("Due"),
                _("Days late"),
                _("Responsible"),
            ]
        ]
        for row in figures.overdue:
            rows.append(
                [
                    row[k]
                    for k in ("village", "township", "body", "deadline", "due", "days_late", "responsible")
                ]
            )
        _write(overdue, rows, bold_rows=frozenset({1}))
        overdue.column_dimensions["G"].width = 60

        units = workbook.create_sheet(_("By unit")[:31])
        rows = [[_("Code"), _("Name"), _("Elections"), _("Complete"), _("Overdue")]]
        for unit in figures.units:
            rows.append([unit[k] for k in ("code", "name", "elections", "complete", "overdue")])
        _write(units, rows, bold_rows=frozenset({1}))
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
