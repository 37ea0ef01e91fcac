"""Demo data: candidates for a few villages of the 大通县 demo cycle, so that every candidates page shows
something real — a published official list with its notice, a list still in the county's joint review,
one short of the margin, the election committee member who was nominated and the reserve who stepped in.

The voters app ships no demo roll yet, so this step registers a small roll (14 people) in each village it
uses, through the voters' services. Elections the demo cycle already moved past "official candidates
published" get their nominations and list written directly (the services rightly refuse nominating after
publication); the notice is built and stored by the real publication code. Idempotent: nothing is done
when the cycle already has nominations.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from election_admin import legal_calendar as cal
from election_admin.choices_cycles import Body, Stage
from election_admin.demo.cycles import DEMO_CYCLE_NAME
from election_admin.models import CommitteeMember, Cycle, Election, User
from voters.idnumber import check_char
from voters.models import Voter
from voters.services.registration import voter_register

from .choices import (
    CandidateStatus,
    Education,
    NominationMethod,
    NominationStatus,
    Outcome,
    PartyMembership,
    Post,
)
from .models import Candidate, Department, NegativeListItem, Nomination, Occupation, QualificationReview
from .services import committee as committee_services
from .services import nominations as nomination_services
from .services import review as review_services
from .services.lists import official_list
from .services.publication import _set_positions, _store_notice

# (name, male?, birth year); the first is the election committee's chair in the demo cycle.
DEMO_PEOPLE = [
    ("马成林", True, 1968),
    ("祁永福", True, 1975),
    ("李海军", True, 1979),
    ("张秀英", False, 1983),
    ("韩德明", True, 1972),
    ("马玉兰", False, 1986),
    ("赵建国", True, 1970),
    ("鲁晓燕", False, 1990),
    ("冶成山", True, 1981),
    ("王雪梅", False, 1988),
    ("刘振华", True, 1977),
    ("陈小红", False, 1992),
    ("杨德福", True, 1965),
    ("周春花", False, 1985),
]
# (name index, post, nomination votes): a complete list for chair 1, vice-chair 1, members 3.
FULL_LIST = [
    (0, Post.CHAIR, 286),
    (2, Post.CHAIR, 241),
    (4, Post.VICE_CHAIR, 230),
    (6, Post.VICE_CHAIR, 198),
    (3, Post.MEMBER, 260),
    (5, Post.MEMBER, 221),
    (8, Post.MEMBER, 187),
    (9, Post.MEMBER, 150),
    (10, Post.MEMBER, 96),
]
EDUCATION = [Education.SENIOR, Education.JUNIOR, Education.COLLEGE, Education.BACHELOR]


def _id_number(village_index: int, person_index: int, male: bool, year: int) -> str:
    sequence = 100 + village_index * 30 + person_index * 2 + (1 if male else 0)
    body = f"630121{year:04d}{1 + person_index % 12:02d}{1 + village_index % 27:02d}{sequence % 1000:03d}"
    return body + check_char(body)


def _roll(actor, election: Election, village_index: int) -> list[Voter]:
    """The village's voters: the demo people registered unless a roll is there already."""
    existing = list(
        Voter.objects.active().filter(cycle=election.cycle, region=election.region, roll="villagers")
    )
    if len(existing) >= len(DEMO_PEOPLE):
        return existing
    voters = []
    for index, (name, male, year) in enumerate(DEMO_PEOPLE):
        voters.append(
            voter_register(
                actor=actor,
                election=election,
                name=name,
                id_number=_id_number(village_index, index, male, year),
                group=f"{'一二三'[index % 3]}组",
            )
        )
    return voters


def _by_name(voters: list[Voter]) -> dict[str, Voter]:
    return {v.name: v for v in voters}


def _nominate_in_progress(actor, election: Election, voters: dict[str, Voter], spec, *, recusal_demo: bool):
    """Nominations through the services, confirmed and passed by the township."""
    nomination_services.nomination_round_record(
        actor=actor,
        election=election,
        held_on=timezone.localdate(),
        ballots_returned=14,
        in_person_confirmed=True,
    )
    if recusal_demo:
        chair = CommitteeMember.objects.filter(
            election=election, name=DEMO_PEOPLE[0][0], is_active=True
        ).first()
        if chair is not None:
            committee_services.committee_member_add_identified(
                actor=actor,
                election=election,
                name="赵玉梅",
                id_number=_id_number(99, 1, False, 1974),
                is_reserve=True,
            )
            committee_services.committee_member_identify_by(
                actor=actor, member=chair, voter=voters[DEMO_PEOPLE[0][0]]
            )
    occupations = list(Occupation.objects.active())
    candidates = []
    for position, (index, post, tally) in enumerate(spec):
        name = DEMO_PEOPLE[index][0]
        nomination = nomination_services.nomination_record(
            actor=actor,
            election=election,
            voter=voters[name],
            post=post,
            method=NominationMethod.DIRECT,
            nominating_count=tally // 40,  # a small demo roll: the tallies scaled down to 14 voters
        )
        result = nomination_services.nomination_confirm(
            actor=actor,
            nomination=nomination,
            education=EDUCATION[position % len(EDUCATION)],
            party_membership=PartyMembership.CPC_MEMBER if position % 2 == 0 else PartyMembership.NONE,
            occupation=occupations[position % len(occupations)] if occupations else None,
            is_incumbent=position in (0, 4),
        )
        candidates.append(result.candidate)
    return candidates


def _write_published(actor, election: Election, voters: dict[str, Voter]) -> None:
    """An election the demo cycle already moved past publication: its list written directly, dated on the
    day the stage was reached, and its notice made by the publication code."""
    published_on = election.reached_dates().get(Stage.CANDIDATES_PUBLISHED) or timezone.localdate()
    nominated_at = timezone.make_aware(datetime.combine(published_on - timedelta(days=10), time(9)))
    occupations = list(Occupation.objects.active())
    for position, (index, post, tally) in enumerate(FULL_LIST):
        voter = voters[DEMO_PEOPLE[index][0]]
        nomination = Nomination.objects.create(
            election=election,
            voter=voter,
            post=post,
            method=NominationMethod.DIRECT,
            nominating_count=tally,
            tally=tally,
            status=NominationStatus.CONFIRMED,
            recorded_by=actor,
            recorded_at=nominated_at + timedelta(minutes=position),
            confirmed_at=nominated_at + timedelta(days=1),
        )
        candidate = Candidate.objects.create(
            nomination=nomination,
            election=election,
            voter=voter,
            post=post,
            education=EDUCATION[position % len(EDUCATION)],
            party_membership=PartyMembership.CPC_MEMBER if position % 2 == 0 else PartyMembership.NONE,
            occupation=occupations[position % len(occupations)] if occupations else None,
            is_incumbent=position in (0, 4),
            is_dual_role_intended=position == 0,
            status=CandidateStatus.PASSED,
            created_at=nominated_at + timedelta(days=1),
        )
        QualificationReview.objects.create(
            candidate=candidate,
            outcome=Outcome.PASS,
            reviewed_by=actor,
            reviewed_at=nominated_at + timedelta(days=2),
        )
    lists = official_list(election)
    _set_positions(election, lists)
    _store_notice(actor=actor, election=election, lists=lists, number=1, today=published_on, term_number=None)


def _pick(cycle: Cycle, stages, limit: int) -> list[Election]:
    elections = Election.objects.filter(
        cycle=cycle, body=Body.VILLAGERS_COMMITTEE, stage__in=stages, seats_vice_chair=1, seats_women_member=0
    ).select_related("cycle__rule_set", "region")
    own = list(elections.filter(region__code__startswith="630121100").order_by("region_id")[:limit])
    rest = list(elections.exclude(pk__in=[e.pk for e in own]).order_by("region_id")[: limit - len(own)])
    return (own + rest)[:limit]


@transaction.atomic
def demo_candidates_create(*, county_user: User, cycle: Cycle) -> str:
    """Candidates for a few demo villages (see the module docstring); returns what was done, in Chinese."""
    if Nomination.objects.filter(election__cycle=cycle).exists():
        return "已有候选人数据，未重复生成"
    village_index = 0
    done = []
    past = [s for s in cal.STAGE_ORDER if cal.stage_reached(s, Stage.CANDIDATES_PUBLISHED)]
    for election in _pick(cycle, past, 3):
        voters = _by_name(_roll(county_user, election, village_index))
        village_index += 1
        _write_published(county_user, election, voters)
        done.append(f"{election.region.name}（已公布名单）")
    in_progress = _pick(cycle, [Stage.ROLL_PUBLISHED], 3)
    for position, election in enumerate(in_progress):
        voters = _by_name(_roll(county_user, election, village_index))
        village_index += 1
        spec = FULL_LIST if position < 2 else FULL_LIST[:6]  # the third stays short of the margin
        candidates = _nominate_in_progress(county_user, election, voters, spec, recusal_demo=position == 0)
        for candidate in candidates[:-1] if position == 1 else candidates:  # one left for the township review
            review_services.qualification_review_record(
                actor=county_user, candidate=candidate, outcome=Outcome.PASS
            )
        done.append(election.region.name)
    if in_progress:
        review = review_services.joint_review_open(
            actor=county_user,
            cycle=cycle,
            county=county_user.region,
            departments=list(
                Department.objects.active().filter(code__in=["public_security", "court", "discipline"])
            ),
        )
        first = Candidate.objects.filter(joint_review=review).order_by("id")
        police = Department.objects.get(code="public_security")
        if first.count() > 3:
            review_services.department_verdict_enter(
                actor=county_user,
                review=review,
                candidate=first[3],
                department=police,
                outcome=Outcome.FAIL,
                negative_item=NegativeListItem.objects.get(code="under_investigation"),
                paper_reference="通公函〔2026〕18号",
            )
        review_services.department_verdicts_pass_remaining(
            actor=county_user, review=review, department=police, paper_reference="通公函〔2026〕18号"
        )
        done.append(f"联审第 {review.number} 批（公安已复函，法院、纪委监委待复）")
    return "、".join(done)


def demo_candidates_step(stdout) -> None:
    """The demo_setup step: candidates for the 大通县 demo cycle (needs demo_cycle_step first)."""
    county_user = User.objects.filter(username="datong", region__code="630121").first()
    cycle = Cycle.objects.filter(region_id="630121", name=DEMO_CYCLE_NAME).first()
    if county_user is None or cycle is None or not Department.objects.exists():
        stdout.write("候选人演示：缺少大通县换届或 datong 账号，跳过。")
        return
    stdout.write("候选人演示：" + demo_candidates_create(county_user=county_user, cycle=cycle))
