"""Voter registration rules: 18 on the village's election day, one registration per person across the
whole cycle (in the database too), the ID number valid and agreeing with birth date and gender."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from audit.models import AuditEvent
from election_admin.choices_cycles import Body
from election_admin.models import Election
from tests.cycle_helpers import open_datong_cycle
from tests.voter_helpers import assert_no_full_id, register, village_election
from tests.voters.files import make_id
from voters.choices import Category, RollKind, VoterStatus
from voters.idnumber import add_years
from voters.models import Voter
from voters.pii import decrypt, id_hash
from voters.services import registration as reg
from voters.services.imports import write_voters
from voters.services.rolls import roll_for_election


@pytest.fixture(autouse=True)
def _english():
    """Service messages checked in English, whatever the interface language."""
    with translation.override("en"):
        yield


@pytest.fixture
def election(county_user, regions):
    return village_election(county_user, regions)


@pytest.fixture
def other_village(county_user, regions, election):
    """大煤洞村 of the same township, same cycle."""
    return village_election(county_user, regions, code="630121100200", cycle=election.cycle)


def test_register_stores_the_id_hashed_masked_and_encrypted(township_user, election):
    voter = register(township_user, election, "马成林", born=date(1975, 3, 9), sequence=311, group="三组")
    number = make_id(date(1975, 3, 9), 311)
    assert voter.id_masked == number[:6] + "********" + number[-4:]
    assert voter.id_hash == id_hash(number)
    assert decrypt(voter.id_encrypted) == number
    assert number not in voter.id_encrypted
    assert (voter.birth_date, voter.gender) == (date(1975, 3, 9), "male")
    assert voter.region_id == election.region_id and voter.roll == RollKind.VILLAGERS
    event = AuditEvent.objects.get(event_type="voter.registered")
    assert event.after["id"] == voter.id_masked
    assert_no_full_id(str(event.before) + str(event.after), "audit row")


def test_age_counts_on_the_villages_election_day(township_user, election):
    day = election.election_day
    born_eighteen_on_the_day = add_years(day, -18)
    register(township_user, election, "刚满十八", born=born_eighteen_on_the_day, sequence=101)
    one_day_too_young = born_eighteen_on_the_day + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        register(township_user, election, "差一天", born=one_day_too_young, sequence=103)
    assert "id_number" in error.value.message_dict
    assert day.isoformat() in str(error.value)


def test_age_uses_the_main_election_for_the_supervision_committee(county_user, township_user, regions):
    cycle = open_datong_cycle(county_user, regions, optional_bodies=["supervision_committee"])
    main = village_election(county_user, regions, cycle=cycle, days_ahead=40)
    supervision = Election.objects.get(cycle=cycle, region_id=main.region_id, body=Body.SUPERVISION_COMMITTEE)
    assert roll_for_election(supervision).election.pk == main.pk
    voter = register(township_user, supervision, "监委选民", sequence=501)
    assert voter.roll == RollKind.VILLAGERS  # the same roll as the villagers' committee


def test_no_election_day_no_registration(county_user, township_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    election = Election.objects.get(cycle=cycle, region_id="630121100201")
    with pytest.raises(ValidationError, match="election day"):
        register(township_user, election)


@pytest.mark.parametrize(
    "fields, key",
    [
        ({"gender": "female"}, "gender"),  # sequence 123 is odd: a man
        ({"birth_date": date(1980, 5, 4)}, "birth_date"),
    ],
)
def test_birth_date_and_gender_must_agree_with_the_id(township_user, election, fields, key):
    with pytest.raises(ValidationError) as error:
        register(township_user, election, **fields)
    assert key in error.value.message_dict


def test_invalid_id_number_is_refused_in_plain_words(township_user, election):
    good = make_id()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        reg.voter_register(actor=township_user, election=election, name="张三", id_number=bad)
    assert "校验位" in str(error.value)


def test_same_person_twice_in_the_village_names_the_first(township_user, election):
    first = register(township_user, election, "张三")
    with pytest.raises(ValidationError) as error:
        register(township_user, election, "张三丰")
    assert first.id_masked in str(error.value) and "张三" in str(error.value)


def test_same_person_in_another_village_is_refused_without_details(township_user, election, other_village):
    register(township_user, election, "张三", group="秘密组")
    with pytest.raises(ValidationError) as error:
        register(township_user, other_village, "张三")
    message = str(error.value)
    assert "another village" in message
    assert "元树尔" not in message and "秘密组" not in message and "张三" not in message


def test_database_refuses_a_second_registration_in_the_cycle(township_user, election, other_village):
    voter = register(township_user, election)
    twin = Voter(
        cycle_id=voter.cycle_id,
        region_id=other_village.region_id,
        roll=voter.roll,
        name="重复",
        gender=voter.gender,
        birth_date=voter.birth_date,
        id_hash=voter.id_hash,
        id_masked=voter.id_masked,
        id_encrypted=voter.id_encrypted,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_integrity_error_becomes_a_plain_message(township_user, election, other_village):
    """A race: the check found nothing but the database refuses; the clerk reads why."""
    register(township_user, election)
    nothing = reg.DuplicateFinding(here=None, elsewhere=False)
    with mock.patch.object(reg, "find_duplicate", return_value=nothing):
        with pytest.raises(ValidationError) as error:
            register(township_user, other_village, "张三")
    assert "database refused" in str(error.value)


def test_party_roll_is_separate(county_user, township_user, regions):
    cycle = open_datong_cycle(county_user, regions, optional_bodies=["party_branch"])
    villagers = village_election(county_user, regions, cycle=cycle)
    party = village_election(county_user, regions, cycle=cycle, body=Body.PARTY_BRANCH)
    register(township_user, villagers)
    member = register(township_user, party)
    assert member.roll == RollKind.PARTY


def test_strike_needs_a_reason_and_frees_the_person_for_another_village(
    township_user, election, other_village
):
    voter = register(township_user, election)
    with pytest.raises(ValidationError):
        reg.voter_strike(actor=township_user, voter=voter, reason=" ")
    reg.voter_strike(actor=township_user, voter=voter, reason="户籍迁出")
    voter.refresh_from_db()
    assert voter.status == VoterStatus.STRUCK and voter.struck_reason == "户籍迁出"
    moved = register(township_user, other_village)
    assert moved.region_id == other_village.region_id
    # back in the first village only if not registered elsewhere meanwhile
    with pytest.raises(ValidationError):
        reg.voter_restore(actor=township_user, voter=voter)


def test_restore(township_user, election):
    voter = register(township_user, election)
    reg.voter_strike(actor=township_user, voter=voter, reason="误除名")
    reg.voter_restore(actor=township_user, voter=voter)
    voter.refresh_from_db()
    assert voter.status == VoterStatus.RESTORED and voter.struck_reason == ""
    types = list(
        AuditEvent.objects.filter(object_type="voters.voter", object_id=str(voter.pk))
        .order_by("sequence")
        .values_list("event_type", flat=True)
    )
    assert types == ["voter.registered", "voter.struck", "voter.restored"]


def test_database_checks_struck_reason_and_approval(township_user, election):
    voter = register(township_user, election)
    with pytest.raises(IntegrityError), transaction.atomic():
        Voter.objects.filter(pk=voter.pk).update(status=VoterStatus.STRUCK, struck_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Voter.objects.filter(pk=voter.pk).update(
            category=Category.NON_RESIDENT_APPROVED, approval_reference=""
        )


def test_non_resident_needs_the_approval_reference(township_user, election):
    with pytest.raises(ValidationError) as error:
        register(township_user, election, category=Category.NON_RESIDENT_APPROVED)
    assert "approval_reference" in error.value.message_dict
    voter = register(
        township_user,
        election,
        category=Category.NON_RESIDENT_APPROVED,
        approval_reference="元村议〔2026〕3号",
    )
    assert voter.category == Category.NON_RESIDENT_APPROVED


def test_update_with_a_new_id_rechecks_everything(township_user, election):
    voter = register(township_user, election)
    other = register(township_user, election, "李秀兰", sequence=124)
    with pytest.raises(ValidationError):
        reg.voter_update(actor=township_user, voter=voter, id_number=make_id(sequence=124))
    reg.voter_update(actor=township_user, voter=voter, id_number=make_id(date(1970, 1, 2), 222), group="二组")
    voter.refresh_from_db()
    assert (voter.birth_date, voter.gender, voter.group) == (date(1970, 1, 2), "female", "二组")
    event = AuditEvent.objects.filter(event_type="voter.updated").last()
    assert_no_full_id(str(event.before) + str(event.after), "audit row")
    assert other.pk


def test_city_bureau_cannot_register(city_user, election):
    with pytest.raises(PermissionDenied):
        register(city_user, election)


def test_out_of_area_election_is_refused(neighbour_township_user, election):
    with pytest.raises(ValidationError, match="outside your area"):
        register(neighbour_township_user, election)


def test_saving_a_voter_with_a_ten_thousand_voter_roll_is_a_fixed_number_of_queries(
    client, township_user, election, django_assert_max_num_queries
):
    """Browser entry with 10,000 voters on the roll: each save (POST → service → redirect) costs the same
    few queries, whatever the roll's size (the time itself, < 100 ms, is measured by
    bench/bench_voter_entry.py, not here)."""
    from django.urls import reverse

    from voters.importing.validate import VoterRow
    from voters.pii import id_hasher

    ref = roll_for_election(election)
    rows = []
    for i in range(10_000):
        born = date(1950, 1, 1) + timedelta(days=i % 15000)
        number = make_id(born, 100 + i // 15000 * 2 + 1)
        rows.append(
            VoterRow(
                "",
                i + 2,
                f"选民{i}",
                number,
                "male",
                born,
                "汉族",
                f"{i % 9 + 1}组",
                "",
                "",
                "resident",
                "",
                "",
            )
        )
    hasher = id_hasher()
    write_voters(ref, rows, [hasher(r.id_number) for r in rows], source="import", now=timezone.now())
    assert Voter.objects.filter(region_id=election.region_id).count() == 10_000
    client.force_login(township_user)
    url = reverse("voter_create", args=[election.pk])
    for i in range(3):
        number = make_id(date(1960, 2, 1) + timedelta(days=i), 998)
        with django_assert_max_num_queries(20):
            response = client.post(
                url, {"id_number": number, "name": f"新选民{i}", "category": "resident", "group": "一组"}
            )
        assert response.status_code == 302
    assert Voter.objects.filter(region_id=election.region_id, name__startswith="新选民").count() == 3
