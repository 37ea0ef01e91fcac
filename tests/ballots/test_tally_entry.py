"""Tally entry: two different people enter each box's sheet; a supervisor resolves differences; the
database refuses impossible figures; a stale save is told, not lost."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from audit.models import AuditEvent
from ballots.choices import SheetStatus
from ballots.models import TallyEntry, TallySheet
from ballots.services.tally import TallyConflict, tally_differences, tally_entry_save, tally_resolve
from election_admin.choices import Role
from tests.ballots.helpers import FIGURES, count_village, enter_twice, good_votes
from tests.factories import UserFactory


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


@pytest.fixture
def second_clerk(regions):
    return UserFactory(username="qiaotou2", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])


def test_matching_entries_by_two_people_agree_the_sheet(village, township_user, village_clerk):
    votes = good_votes(village)
    sheet = enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    assert sheet.status == SheetStatus.AGREED
    assert (sheet.voted, sheet.issued, sheet.returned, sheet.invalid) == (14, 14, 14, 1)
    assert sheet.votes == votes
    assert AuditEvent.objects.filter(event_type="tally.entered").count() == 2


def test_the_same_person_cannot_be_both_entrants(village, township_user):
    box = village.boxes[0]
    entry = tally_entry_save(actor=township_user, box=box, figures=FIGURES, votes={})
    again = tally_entry_save(
        actor=township_user, box=box, figures=FIGURES, votes={}, expected_version=entry.version
    )
    assert again.pk == entry.pk and again.version == 2
    sheet = TallySheet.objects.get(box=box)
    assert sheet.status == SheetStatus.ONE_ENTRY and sheet.entries.count() == 1


def test_a_third_person_is_refused(village, township_user, village_clerk, second_clerk):
    enter_twice(township_user, village_clerk, village.boxes[0], figures=FIGURES, votes={"chair|x": 1})
    with pytest.raises(ValidationError):
        tally_entry_save(actor=second_clerk, box=village.boxes[0], figures=FIGURES, votes={})


def test_figures_start_blank_and_blank_is_refused(village, township_user):
    sheet_fields = {f.name: f for f in TallyEntry._meta.fields}
    assert all(sheet_fields[name].null and not sheet_fields[name].has_default() for name in FIGURES)
    with pytest.raises(ValidationError) as caught:
        tally_entry_save(
            actor=township_user, box=village.boxes[0], figures={**FIGURES, "invalid": None}, votes={}
        )
    assert "invalid" in caught.value.message_dict


def test_mismatch_goes_to_a_supervisor_who_entered_neither(
    village, township_user, village_clerk, county_user
):
    box = village.boxes[0]
    votes = good_votes(village)
    tally_entry_save(actor=township_user, box=box, figures=FIGURES, votes=votes)
    other = {**votes, village.key("张明"): 9}
    tally_entry_save(actor=village_clerk, box=box, figures={**FIGURES, "invalid": 2}, votes=other)
    sheet = TallySheet.objects.get(box=box)
    assert sheet.status == SheetStatus.MISMATCH and sheet.voted is None
    first, second = sheet.entries.order_by("id")
    differences = {d.key: (d.first, d.second) for d in tally_differences(first, second)}
    assert differences == {"invalid": (1, 2), village.key("张明"): (10, 9)}
    with pytest.raises(PermissionDenied):
        tally_resolve(actor=township_user, sheet=sheet, figures=FIGURES, votes=votes, note="核对原件")
    with pytest.raises(PermissionDenied):
        tally_resolve(actor=village_clerk, sheet=sheet, figures=FIGURES, votes=votes, note="核对原件")
    resolved = tally_resolve(actor=county_user, sheet=sheet, figures=FIGURES, votes=votes, note="核对原件")
    assert resolved.status == SheetStatus.AGREED and resolved.resolved_by == county_user
    assert resolved.votes == votes
    event = AuditEvent.objects.get(event_type="tally.resolved")
    assert len(event.before["entries"]) == 2 and event.after["note"] == "核对原件"
    with pytest.raises(ValidationError):
        tally_entry_save(
            actor=township_user, box=box, figures=FIGURES, votes=votes, expected_version=first.version
        )


def test_a_stale_save_is_told_and_sees_the_stored_entry(village, township_user):
    box = village.boxes[0]
    entry = tally_entry_save(actor=township_user, box=box, figures=FIGURES, votes={})
    # Another tab saves first …
    tally_entry_save(
        actor=township_user, box=box, figures={**FIGURES, "invalid": 2}, votes={}, expected_version=1
    )
    # … then this one, loaded at version 1.
    with pytest.raises(TallyConflict) as caught:
        tally_entry_save(
            actor=township_user, box=box, figures={**FIGURES, "invalid": 3}, votes={}, expected_version=1
        )
    assert caught.value.current.invalid == 2 and caught.value.current.version == 2
    entry.refresh_from_db()
    assert entry.invalid == 2


def test_negative_votes_and_more_invalid_than_returned_are_refused(village, township_user):
    with pytest.raises(ValidationError):
        tally_entry_save(actor=township_user, box=village.boxes[0], figures=FIGURES, votes={"chair|1": -1})
    with pytest.raises(ValidationError):
        tally_entry_save(
            actor=township_user, box=village.boxes[0], figures={**FIGURES, "invalid": 15}, votes={}
        )


@pytest.mark.parametrize(
    ("column", "value"),
    [("voted", -1), ("returned", -5), ("invalid", 20)],
    ids=["negative", "negative", "gt"],
)
def test_the_database_refuses_impossible_figures(village, township_user, column, value):
    entry = tally_entry_save(actor=township_user, box=village.boxes[0], figures=FIGURES, votes={})
    table = TallyEntry._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, entry.pk])


def test_city_bureau_cannot_enter(village, city_user):
    with pytest.raises(PermissionDenied):
        tally_entry_save(actor=city_user, box=village.boxes[0], figures=FIGURES, votes={})


def test_out_of_area_township_cannot_enter(village, neighbour_township_user):
    with pytest.raises(PermissionDenied):
        tally_entry_save(actor=neighbour_township_user, box=village.boxes[0], figures=FIGURES, votes={})
