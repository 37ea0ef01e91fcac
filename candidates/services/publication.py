"""Publishing the official candidate list (公布正式候选人名单) and withdrawals (候选人退出).

Publication checks the margin of every post and that the review is finished, moves the election's stage
(which enforces the roll-first rule and the deadline, late only with an audited exception) and stores the
printable notice as evidence. A withdrawal in writing by the rule set's deadline takes the candidate off;
the next passed nominee in nomination order fills the gap, and a published list gets a change notice."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin import legal_calendar as cal
from election_admin.choices_cycles import Body, Stage
from election_admin.models import DocumentKind, Election
from election_admin.models.documents import new_short_code
from election_admin.pdf import chinese_date, chinese_font
from election_admin.services.documents import document_store
from election_admin.services.stages import election_stage_advance
from voters.idnumber import age_on

from ..choices import CandidateStatus, ListPublicationKind, NominationStatus
from ..models import Candidate, CandidateListPublication, Nomination
from ..pdf import (
    ListNoticeContext,
    ListPerson,
    ListPost,
    build_candidate_list_notice,
    chinese_number,
    village_short_name,
)
from .common import is_party, lock_election, require_editor
from .lists import PostList, candidate_list_check, official_list

BODY_NOTICE_LABELS = {
    Body.VILLAGERS_COMMITTEE: "村民委员会",
    Body.RESIDENTS_COMMITTEE: "居民委员会",
    Body.SUPERVISION_COMMITTEE: "村务监督委员会",
    Body.PARTY_BRANCH: "党组织委员会",
}
POST_NOTICE_LABELS = {"chair": "主任", "vice_chair": "副主任", "member": "委员", "women_member": "妇女委员"}


def candidates_deadline(election: Election) -> date | None:
    """The last day to publish the official list: the rule set's days before the election day."""
    if election.election_day is None:
        return None
    return election.election_day - timedelta(days=election.cycle.rule_set.candidate_list_days_before)


def withdrawal_deadline(election: Election) -> date | None:
    """The last day a candidate's written withdrawal may be received."""
    if election.election_day is None:
        return None
    return election.election_day - timedelta(days=election.cycle.rule_set.withdrawal_days_before)


def _listing(lists: list[PostList]) -> dict[str, list[int]]:
    return {entry.post: [c.pk for c in entry.official] for entry in lists}


def _set_positions(election: Election, lists: list[PostList]) -> None:
    Candidate.objects.filter(election=election).exclude(list_position=None).update(list_position=None)
    for entry in lists:
        for position, candidate in enumerate(entry.official, start=1):
            Candidate.objects.filter(pk=candidate.pk).update(list_position=position)
            candidate.list_position = position


def _title(election: Election, term_number: int | None, *, change: bool) -> str:
    village = village_short_name(election.region.name)
    term = f"第{chinese_number(term_number)}届" if term_number else ""
    kind = "正式候选人名单变更公告" if change else "正式候选人名单公告"
    return f"{village}{term}{BODY_NOTICE_LABELS[Body(election.body)]}{kind}"


def _signature(election: Election) -> str:
    village = village_short_name(election.region.name)
    if is_party(election):
        return f"中共{village}支部委员会"
    if election.body == Body.RESIDENTS_COMMITTEE:
        return f"{village}居民选举委员会"
    return f"{village}村民选举委员会"


def _notice_posts(election: Election, lists: list[PostList]) -> list[ListPost]:
    posts = []
    for entry in lists:
        label = "委员候选人" if is_party(election) else f"{POST_NOTICE_LABELS[entry.post]}候选人"
        people = [
            ListPerson(c.voter.name, c.voter.gender, age_on(c.voter.birth_date, election.election_day))
            for c in entry.official
        ]
        posts.append(ListPost(label=label, seats=entry.seats, people=people))
    return posts


def _store_notice(
    *,
    actor,
    election: Election,
    lists: list[PostList],
    number: int,
    today: date,
    term_number: int | None,
    change_text: str = "",
) -> CandidateListPublication:
    listing = _listing(lists)
    short_code = new_short_code()
    change = number > 1
    context = ListNoticeContext(
        title=_title(election, term_number, change=change),
        village_full=election.region.full_name(),
        village=village_short_name(election.region.name),
        body_label=BODY_NOTICE_LABELS[Body(election.body)],
        election_day=election.election_day,
        published_on=today,
        short_code=short_code,
        order_text="按姓氏笔画排序" if is_party(election) else "按提名得票多少排序",
        withdrawal_by=withdrawal_deadline(election),
        signature=_signature(election),
    )
    posts = _notice_posts(election, lists)
    content = build_candidate_list_notice(context, posts, change_text=change_text)
    count = sum(len(p.people) for p in posts)
    version = hashlib.sha256(json.dumps(listing, sort_keys=True).encode()).hexdigest()[:16]
    document = document_store(
        actor=actor,
        kind=DocumentKind.CANDIDATE_LIST_NOTICE,
        region=election.region,
        title=context.title,
        content=content,
        filename=f"candidate-list-{election.region_id}-{election.body}-{number}.pdf",
        content_type="application/pdf",
        subject=election,
        data_version=f"{number}-{version}",
        is_public=True,
        public_summary={
            "公告": context.title,
            "候选人人数": f"{count} 人",
            **{p.label: "、".join(person.name for person in p.people) for p in posts},
            "选举日": election.election_day.isoformat(),
            "公布日期": today.isoformat(),
        },
        font_warning=chinese_font().warning,
        short_code=short_code,
    )
    publication = CandidateListPublication(
        election=election,
        number=number,
        kind=ListPublicationKind.CHANGE if change else ListPublicationKind.NOTICE,
        published_on=today,
        term_number=term_number,
        document=document,
        listed=listing,
        candidate_count=count,
        created_by=actor,
    )
    publication.full_clean()
    publication.save()
    return publication


def _check_deadline(election: Election, today: date, exception_reason: str | None) -> None:
    due = candidates_deadline(election)
    if due is not None and today > due and not (exception_reason or "").strip():
        raise ValidationError(
            _(
                "The official candidate list is published at least %(days)s days before the election day "
                "(%(day)s), that is by %(due)s; today is %(today)s, %(late)s day(s) late. Record the reason "
                "for the exception to publish late."
            )
            % {
                "days": election.cycle.rule_set.candidate_list_days_before,
                "day": election.election_day.isoformat(),
                "due": due.isoformat(),
                "today": today.isoformat(),
                "late": (today - due).days,
            }
        )


def lists_publishable(election: Election) -> tuple[list[PostList], list]:
    lists = official_list(election)
    return lists, candidate_list_check(election, lists)


@transaction.atomic
def candidate_list_publish(
    *,
    actor,
    election: Election,
    exception_reason: str | None = None,
    term_number: int | None = None,
    today: date | None = None,
) -> CandidateListPublication:
    """公布正式候选人名单 — refused while any post is short of its margin, tied at the cut-off, or a candidate
    is still in review, and past the deadline without a recorded exception; otherwise moves the election
    to "official candidates published" and stores the printable notice (its hash and time as evidence)."""
    require_editor(actor)
    today = today or timezone.localdate()
    election = lock_election(actor, election.pk)
    if CandidateListPublication.objects.filter(election=election).exists():
        raise ValidationError(_("The official candidate list is already published."))
    if election.election_day is None:
        raise ValidationError(_("Set the election day first: the deadlines are counted back from it."))
    if term_number is not None and not 1 <= term_number <= 99:
        raise ValidationError({"term_number": _("The term is a number from 1 to 99.")})
    lists, problems = lists_publishable(election)
    if problems:
        raise ValidationError([p.message for p in problems])
    _check_deadline(election, today, exception_reason)
    election = election_stage_advance(
        actor=actor,
        election=election,
        to_stage=Stage.CANDIDATES_PUBLISHED,
        exception_reason=exception_reason,
        today=today,
    )
    _set_positions(election, lists)
    publication = _store_notice(
        actor=actor, election=election, lists=lists, number=1, today=today, term_number=term_number
    )
    audit_record(
        actor=actor,
        event_type="candidate_list.published",
        region_code=election.region_id,
        obj=election,
        after={
            "published_on": today,
            "candidates": publication.candidate_count,
            "listed": publication.listed,
            "document_sha256": publication.document.sha256,
            "exception_reason": (exception_reason or "").strip(),
        },
    )
    return publication


@dataclass(frozen=True)
class Withdrawal:
    candidate: Candidate
    substitutes: list[Candidate]
    publication: CandidateListPublication | None
    warnings: list[str]


@transaction.atomic
def candidate_withdraw(
    *,
    actor,
    candidate: Candidate,
    received_on: date,
    reference: str,
    reason: str = "",
    today: date | None = None,
) -> Withdrawal:
    """候选人退出 — a candidate withdraws in writing, received no later than the rule set's days before the
    election day. The next passed nominee of the post in nomination order fills the gap; once the list is
    published, a change notice is posted."""
    require_editor(actor)
    today = today or timezone.localdate()
    election = lock_election(actor, candidate.election_id)
    candidate = (
        Candidate.objects.visible_to(actor)
        .select_related("voter", "nomination")
        .select_for_update(of=("self",))
        .filter(pk=candidate.pk)
        .first()
    )
    if candidate is None:
        raise ValidationError(_("This candidate does not exist or is outside your area."))
    if candidate.status not in (CandidateStatus.IN_REVIEW, CandidateStatus.PASSED):
        raise ValidationError(
            _("%(name)s is %(status)s and cannot withdraw.")
            % {"name": candidate.voter.name, "status": candidate.get_status_display()}
        )
    if not reference.strip():
        raise ValidationError(
            {"reference": _("A withdrawal is made in writing: give the letter's reference.")}
        )
    if received_on > today:
        raise ValidationError({"received_on": _("The letter cannot be received after today.")})
    deadline = withdrawal_deadline(election)
    if deadline is not None and received_on > deadline:
        raise ValidationError(
            {
                "received_on": _(
                    "A candidate withdraws in writing at least %(days)s days before the election day (%(day)s), "
                    "that is by %(due)s; this letter was received on %(received)s."
                )
                % {
                    "days": election.cycle.rule_set.withdrawal_days_before,
                    "day": election.election_day.isoformat(),
                    "due": deadline.isoformat(),
                    "received": received_on.isoformat(),
                }
            }
        )
    if cal.stage_reached(election.stage, cal.VOTING_DONE):
        raise ValidationError(_("Voting has taken place; the list no longer changes."))
    before = official_list(election)
    before_ids = {c.pk for entry in before for c in entry.official}
    candidate.status = CandidateStatus.WITHDRAWN
    candidate.withdrawn_on, candidate.withdrawal_reference = received_on, reference.strip()[:100]
    candidate.withdrawal_reason, candidate.list_position = reason.strip()[:200], None
    candidate.save()
    Nomination.objects.filter(pk=candidate.nomination_id).update(status=NominationStatus.WITHDRAWN)
    after = official_list(election)
    substitutes = [c for entry in after for c in entry.official if c.pk not in before_ids]
    warnings = [p.message for p in candidate_list_check(election, after) if p.code in ("short", "tie")]
    published = CandidateListPublication.objects.filter(election=election).order_by("-number").first()
    publication = None
    if published is not None:
        _set_positions(election, after)
        post = dict((e.post, e.label) for e in after).get(candidate.post, candidate.get_post_display())
        text = (
            f"{escape(candidate.voter.name)}（{POST_NOTICE_LABELS.get(candidate.post, '')}候选人）于"
            f"{chinese_date(received_on)}书面提出退出。"
        )
        if substitutes:
            text += "按提名得票多少依次递补：" + "、".join(escape(s.voter.name) for s in substitutes) + "。"
        text += f"变更后的{escape(village_short_name(election.region.name))}{BODY_NOTICE_LABELS[Body(election.body)]}正式候选人名单如下："
        publication = _store_notice(
            actor=actor,
            election=election,
            lists=after,
            number=published.number + 1,
            today=today,
            term_number=published.term_number,
            change_text=text,
        )
        audit_record(
            actor=actor,
            event_type="candidate_list.changed",
            region_code=election.region_id,
            obj=election,
            after={
                "number": publication.number,
                "withdrawn": candidate.voter.name,
                "post": str(post),
                "substitutes": [s.voter.name for s in substitutes],
                "document_sha256": publication.document.sha256,
            },
        )
    audit_record(
        actor=actor,
        event_type="candidate.withdrawn",
        region_code=election.region_id,
        obj=candidate,
        after={
            "name": candidate.voter.name,
            "post": candidate.post,
            "received_on": received_on,
            "reference": candidate.withdrawal_reference,
            "reason": candidate.withdrawal_reason,
            "substitutes": [s.voter.name for s in substitutes],
        },
    )
    return Withdrawal(
        candidate=candidate, substitutes=substitutes, publication=publication, warnings=warnings
    )
