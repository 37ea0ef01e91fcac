"""Hostile tallies (#8-4): negative, absurd (10^12), text and missing figures through the tally form are
answered in Chinese next to the field they concern, with every other typed value kept and nothing saved;
through raw SQL the database refuses them (CHECK constraints and the integer type)."""

import json
import re

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.urls import reverse

from ballots.models import TallyEntry, TallySheet
from ballots.selectors import vote_lines
from ballots.services.tally import tally_entry_save
from tests.ballots.helpers import FIGURES, count_village, enter_twice, good_votes

ABSURD = str(10**12)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


def _form(village) -> dict:
    votes = good_votes(village)
    data = {name: str(value) for name, value in FIGURES.items()}
    data["expected_version"] = ""
    for line in vote_lines(village.election):
        data[line.field] = str(votes.get(line.key, 0))
    return data


def _post(client, village, user, **changes):
    client.force_login(user)
    data = _form(village)
    for name, value in changes.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = value
    url = reverse("ballots_tally_entry", args=[village.boxes[0].pk])
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans"), data


def _field_error(page: str, field: str) -> str:
    """The error text crispy renders under ``field`` (empty when there is none)."""
    found = re.search(rf'id="error_\d+_id_{re.escape(field)}"[^>]*>\s*<strong>(.*?)</strong>', page, re.S)
    return found.group(1).strip() if found else ""


def _value_kept(page: str, field: str, value: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{re.escape(field)}"[^>]*>', page)
    return tag is not None and f'value="{value}"' in tag.group(0)


FIGURE_CASES = [
    ("voted", "-3", "确保该值大于或等于0"),
    ("issued", ABSURD, "确保该值小于或等于"),
    ("returned", "十四", "输入整数"),
    ("invalid", "", "请按计票单填写"),
    ("voted", None, "请按计票单填写"),
]


@pytest.mark.parametrize(
    ("field", "value", "message"), FIGURE_CASES, ids=["negative", "absurd", "text", "blank", "missing"]
)
def test_a_bad_figure_is_named_in_chinese_and_the_rest_is_kept(
    client, village, township_user, field, value, message
):
    response, sent = _post(client, village, township_user, **{field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in _field_error(page, field), _field_error(page, field)
    # Every other figure and every candidate's votes are still in the form.
    others = {k: v for k, v in sent.items() if k not in (field, "expected_version")}
    assert others and all(_value_kept(page, k, v) for k, v in others.items())
    assert not TallyEntry.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"), [("-1", "确保该值大于或等于0"), (ABSURD, "确保该值小于或等于"), ("x", "输入整数")]
)
def test_a_bad_candidate_count_is_named_and_nothing_is_saved(client, village, township_user, value, message):
    line = vote_lines(village.election)[0]
    response, sent = _post(client, village, township_user, **{line.field: value})
    page = response.content.decode()
    assert response.status_code == 200 and message in _field_error(page, line.field)
    assert line.name in page  # the candidate's line is labelled with their name
    assert _value_kept(page, "voted", sent["voted"])
    assert not TallyEntry.objects.exists()


def test_more_invalid_than_returned_is_named_on_the_invalid_field(client, village, township_user):
    response, sent = _post(client, village, township_user, invalid="15")
    page = response.content.decode()
    assert response.status_code == 200
    assert "无效票" in _field_error(page, "invalid")
    assert _value_kept(page, "returned", "14") and _value_kept(page, "invalid", "15")
    assert not TallyEntry.objects.exists()


def test_a_bad_correction_keeps_the_saved_entry(client, village, township_user):
    """A saved entry, then a correction with a negative figure: refused, the saved entry unchanged."""
    entry = tally_entry_save(
        actor=township_user, box=village.boxes[0], figures=FIGURES, votes=good_votes(village)
    )
    response, _sent = _post(client, village, township_user, voted="-14", expected_version=str(entry.version))
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.voted, entry.version) == (14, 1)


# --- raw SQL: the database itself refuses ----------------------------------------------------------
def _update(model, pk, column, value):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [value, pk])


@pytest.mark.parametrize("column", ["voted", "issued", "returned", "invalid"])
def test_sql_negative_figures_are_refused_on_entries_and_agreed_sheets(
    village, township_user, village_clerk, column
):
    sheet = enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    entry = sheet.entries.first()
    for model, pk in ((TallyEntry, entry.pk), (TallySheet, sheet.pk)):
        with pytest.raises(IntegrityError):
            _update(model, pk, column, -1)
    sheet.refresh_from_db()
    assert getattr(sheet, column) == FIGURES[column]


def test_sql_more_invalid_than_returned_is_refused_on_the_agreed_sheet(village, township_user, village_clerk):
    sheet = enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    with pytest.raises(IntegrityError):
        _update(TallySheet, sheet.pk, "invalid", 15)


def test_sql_agreed_sheet_without_figures_is_refused(village, township_user, village_clerk):
    sheet = enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    with pytest.raises(IntegrityError):
        _update(TallySheet, sheet.pk, "voted", None)


def test_sql_absurd_figures_are_refused_by_the_column_type(village, township_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no integer range; PostgreSQL (production, CI) refuses 10^12 in an integer")
    entry = tally_entry_save(actor=township_user, box=village.boxes[0], figures=FIGURES, votes={})
    with pytest.raises(DataError):
        _update(TallyEntry, entry.pk, "voted", 10**12)
    entry.refresh_from_db()
    assert entry.voted == 14


def _set_json(model, pk, column, value: str):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [value, pk])


@pytest.mark.parametrize(
    "counts",
    ['{"%s": -5}', '{"%s": 1000000}', '{"%s": 2.5}', '{"%s": "十"}', '{"%s": null}', "[1, 2]"],
    ids=["negative", "absurd", "fraction", "text", "null", "not-an-object"],
)
def test_sql_bad_candidate_counts_are_refused_on_entries_and_agreed_sheets(
    village, township_user, village_clerk, counts
):
    votes = good_votes(village)
    sheet = enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    entry = sheet.entries.first()
    key = next(iter(votes))
    bad = counts % key if "%s" in counts else counts
    for model, pk, column in (
        (TallyEntry, entry.pk, "votes"),
        (TallySheet, sheet.pk, "votes"),
        (TallySheet, sheet.pk, "post_void"),
    ):
        with pytest.raises(IntegrityError):
            _set_json(model, pk, column, bad)
    sheet.refresh_from_db()
    assert sheet.votes[key] == votes[key]


def test_sql_sound_candidate_counts_are_accepted(village, township_user, village_clerk):
    votes = good_votes(village)
    sheet = enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    key = next(iter(votes))
    _set_json(TallySheet, sheet.pk, "post_void", '{"member": 0, "chair": 999999}')
    _set_json(TallySheet, sheet.pk, "votes", json.dumps({key: 7}))
    sheet.refresh_from_db()
    assert sheet.votes == {key: 7}
    assert sheet.post_void == {"member": 0, "chair": 999999}


# --- The count board: running totals and each ballot's marks, written behind the service's back ---------
def _board_with_a_ballot(village, village_clerk):
    from ballots.services import board as board_services

    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    marks = {"chair": [str(village.candidates["张明"].pk)]}
    ballot = board_services.board_ballot_add(actor=village_clerk, board=board, token="h0", marks=marks)[0]
    board.refresh_from_db()
    return board, ballot


@pytest.mark.parametrize("counts", ['{"chair": -1}', '{"chair": 1000000}', '{"chair": "一"}', "[]"])
def test_sql_bad_running_totals_on_the_count_board_are_refused(village, village_clerk, counts):
    from ballots.models import LiveBoard

    board, _ballot = _board_with_a_ballot(village, village_clerk)
    for column in ("votes", "post_void"):
        with pytest.raises(IntegrityError):
            _set_json(LiveBoard, board.pk, column, counts)
    kept = LiveBoard.objects.get(pk=board.pk)
    assert kept.votes == board.votes and sum(kept.votes.values()) == 1


@pytest.mark.parametrize(
    "marks", ['{"chair": 5}', '{"chair": [5]}', '{"chair": [null]}', '{"chair": {"a": "1"}}', '["chair"]']
)
def test_sql_bad_marks_on_a_count_board_ballot_are_refused(village, village_clerk, marks):
    from ballots.models import BoardBallot

    _board, ballot = _board_with_a_ballot(village, village_clerk)
    for column in ("marks", "write_ins"):
        with pytest.raises(IntegrityError):
            _set_json(BoardBallot, ballot.pk, column, marks)
    assert BoardBallot.objects.get(pk=ballot.pk).marks == ballot.marks


def test_sql_sound_marks_and_totals_are_accepted_on_the_count_board(village, village_clerk):
    from ballots.models import BoardBallot, LiveBoard

    board, ballot = _board_with_a_ballot(village, village_clerk)
    _set_json(BoardBallot, ballot.pk, "write_ins", '{"member": ["李四"], "chair": []}')
    _set_json(LiveBoard, board.pk, "post_void", '{"member": 2}')
    assert BoardBallot.objects.get(pk=ballot.pk).write_ins == {"member": ["李四"], "chair": []}
    assert LiveBoard.objects.get(pk=board.pk).post_void == {"member": 2}
