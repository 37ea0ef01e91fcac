"""Election-day arrangements: proxies (same roll, limit, no candidates, deadline, not in party elections),
count staff (no candidates or their close relatives), mobile boxes (three scrutineers)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from ballots.choices import BoxKind, StaffRole
from ballots.services.election_day import ballot_box_create, count_staff_add, proxy_file
from ballots.services.tally import tally_entry_save
from candidates.models import CloseRelation
from tests.ballots.helpers import FIGURES, count_village


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


def _filed_on(village):
    return village.election.election_day - timedelta(days=5)


def test_proxy_filed_and_audited(village, township_user):
    proxy = proxy_file(
        actor=township_user,
        election=village.election,
        principal=village.voters["孙伟"],
        proxy=village.voters["朱红"],
        relation="配偶",
        filed_on=_filed_on(village),
    )
    assert proxy.pk and AuditEvent.objects.get(event_type="proxy.filed").after["relation"] == "配偶"


def test_proxy_limit_from_the_rule_set(village, township_user):
    limit = village.election.cycle.rule_set.proxy_limit
    principals = ["孙伟", "徐军", "郑丽", "马成林", "李秀兰"][: limit + 1]
    for name in principals[:limit]:
        proxy_file(
            actor=township_user,
            election=village.election,
            principal=village.voters[name],
            proxy=village.voters["朱红"],
            relation="兄弟姐妹",
            filed_on=_filed_on(village),
        )
    with pytest.raises(ValidationError, match=f"at most {limit}"):
        proxy_file(
            actor=township_user,
            election=village.election,
            principal=village.voters[principals[limit]],
            proxy=village.voters["朱红"],
            relation="兄弟姐妹",
            filed_on=_filed_on(village),
        )


def test_a_candidate_may_not_be_a_proxy(village, township_user):
    with pytest.raises(ValidationError, match="candidate"):
        proxy_file(
            actor=township_user,
            election=village.election,
            principal=village.voters["孙伟"],
            proxy=village.voters["张明"],
            relation="配偶",
            filed_on=_filed_on(village),
        )


def test_proxy_after_the_deadline_is_refused(village, township_user):
    with pytest.raises(ValidationError, match="filed by"):
        proxy_file(
            actor=township_user,
            election=village.election,
            principal=village.voters["孙伟"],
            proxy=village.voters["朱红"],
            relation="配偶",
            filed_on=village.election.election_day - timedelta(days=1),
        )


def test_no_re_delegation(village, township_user):
    proxy_file(
        actor=township_user,
        election=village.election,
        principal=village.voters["孙伟"],
        proxy=village.voters["朱红"],
        relation="配偶",
        filed_on=_filed_on(village),
    )
    with pytest.raises(ValidationError):
        proxy_file(
            actor=township_user,
            election=village.election,
            principal=village.voters["朱红"],
            proxy=village.voters["徐军"],
            relation="父子",
            filed_on=_filed_on(village),
        )


def test_candidates_and_their_relatives_may_not_count(village, township_user):
    election = village.election
    with pytest.raises(ValidationError, match="candidate"):
        count_staff_add(
            actor=township_user,
            election=election,
            role=StaffRole.TELLER,
            name="张明",
            voter=village.voters["张明"],
        )
    a, b = sorted([village.voters["张明"], village.voters["孙伟"]], key=lambda v: v.pk)
    CloseRelation.objects.create(
        cycle=election.cycle,
        region=election.region,
        voter_a=a,
        voter_b=b,
        kind="spouse",
        declared_by=township_user,
    )
    with pytest.raises(ValidationError, match="close relative"):
        count_staff_add(
            actor=township_user,
            election=election,
            role=StaffRole.SCRUTINEER,
            name="孙伟",
            voter=village.voters["孙伟"],
        )
    staff = count_staff_add(
        actor=township_user,
        election=election,
        role=StaffRole.ANNOUNCER,
        name="徐军",
        voter=village.voters["徐军"],
    )
    assert AuditEvent.objects.get(event_type="count_staff.added").object_id == str(staff.pk)


def test_a_mobile_box_needs_three_scrutineers_before_its_count(village, township_user):
    election = village.election
    box = ballot_box_create(
        actor=township_user, venue=village.boxes[0].venue, label="流动票箱", kind=BoxKind.MOBILE
    )
    with pytest.raises(ValidationError, match="three scrutineers"):
        tally_entry_save(actor=township_user, box=box, figures=FIGURES, votes={})
    for name in ("徐军", "郑丽", "朱红"):
        count_staff_add(
            actor=township_user,
            election=election,
            role=StaffRole.SCRUTINEER,
            name=name,
            voter=village.voters[name],
            box=box,
        )
    assert tally_entry_save(actor=township_user, box=box, figures=FIGURES, votes={}).pk


def test_party_elections_have_no_proxies(village, township_user):
    from election_admin.choices_cycles import Body
    from election_admin.models import Election

    party = Election.objects.filter(
        cycle=village.election.cycle, region=village.election.region, body=Body.PARTY_BRANCH
    ).first()
    assert party is not None
    with pytest.raises(ValidationError, match="no proxy"):
        proxy_file(
            actor=township_user,
            election=party,
            principal=village.voters["孙伟"],
            proxy=village.voters["朱红"],
            relation="配偶",
            filed_on=_filed_on(village),
        )
