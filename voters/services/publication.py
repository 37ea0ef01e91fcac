"""Publishing a roll (公布选民名单) and its supplements (补充公告): a PDF notice kept as evidence, the
election's stage moved, and a snapshot of what was listed so the next supplement shows every change."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin import legal_calendar as cal
from election_admin.choices_cycles import JobStatus
from election_admin.health import task_enqueue
from election_admin.models import DocumentKind, Election, Job
from election_admin.models.documents import new_short_code
from election_admin.pdf import chinese_font
from election_admin.services import jobs as job_services
from election_admin.services.documents import document_store
from election_admin.services.stages import election_stage_advance

from ..choices import PublicationKind, RollKind
from ..models import RollPublication, Voter
from ..pdf import (
    BODY_TEXT,
    Change,
    NoticeContext,
    NoticePerson,
    build_roll_notice,
    build_supplement_notice,
    village_short_name,
)
from .rolls import (
    RollRef,
    lock_election,
    require_election_day,
    require_roll_editor,
    roll_first_publication,
    roll_for_election,
    roll_publications,
)

NOTICE_FIELDS = ("id", "name", "gender", "birth_date", "group")


def listing_digest(name: str, gender: str, birth_date: date, group: str) -> str:
    """A short digest of what a notice shows of one voter: a change of it is a correction."""
    return hashlib.sha1(f"{name}|{gender}|{birth_date}|{group}".encode(), usedforsecurity=False).hexdigest()[
        :12
    ]


def roll_listing(ref: RollRef) -> dict[str, str]:
    """Voter id → digest for everyone on the roll now."""
    rows = (
        Voter.objects.active()
        .filter(**ref.filter_kwargs())
        .values_list("id", "name", "gender", "birth_date", "group")
    )
    return {str(pk): listing_digest(name, gender, born, group) for pk, name, gender, born, group in rows}


def objection_window(ref: RollRef) -> tuple[date, date] | None:
    """First and last day objections may be filed: the publication day plus the rule set's window."""
    first = roll_first_publication(ref)
    if first is None:
        return None
    rules = ref.election.cycle.rule_set
    return first.published_on, first.published_on + timedelta(days=rules.objection_window_days)


def _context(ref: RollRef, *, title: str, published_on: date, short_code: str) -> NoticeContext:
    election = ref.election
    region = election.region
    label = BODY_TEXT["party_branch"] if ref.roll == RollKind.PARTY else BODY_TEXT[election.body]
    return NoticeContext(
        village=region.full_name(),
        village_short=village_short_name(region.name),
        title=title,
        election_label=str(label),
        election_day=election.election_day,
        published_on=published_on,
        short_code=short_code,
        group_word="居民小组" if region.kind == "community" else "村民小组",
    )


def _version(listing: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(listing, sort_keys=True).encode()).hexdigest()[:16]


def _title(ref: RollRef, supplement: bool) -> str:
    base = "党员名单" if ref.roll == RollKind.PARTY else "选民名单"
    return f"{village_short_name(ref.election.region.name)}{base}{'补充公告' if supplement else '公告'}"


class _DryRun(Exception):
    """Raised by ``roll_publish(dry_run=True)`` once every check has passed: rolls its writes back."""


@transaction.atomic
def roll_publish(
    *,
    actor,
    election: Election,
    exception_reason: str | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> RollPublication:
    """公布选民名单 — move the election to "roll published" (deadline enforced, late only with an audited
    exception) and store the printable notice. A second election sharing an already published roll only
    moves its stage. ``dry_run`` makes every check and rolls back before the notice is made."""
    require_roll_editor(actor)
    today = today or timezone.localdate()
    election = lock_election(actor, election.pk)
    ref = roll_for_election(election)
    existing = roll_first_publication(ref)
    if existing is not None:
        if election.stage in (cal.PREPARATION, cal.COMMITTEE_FORMED):
            election_stage_advance(
                actor=actor,
                election=election,
                to_stage=cal.ROLL_PUBLISHED,
                exception_reason=exception_reason,
                today=today,
            )
            if dry_run:
                raise _DryRun
            return existing
        raise ValidationError(
            _("The roll is already published; changes since then go on a supplementary notice.")
        )
    require_election_day(ref)
    listing = roll_listing(ref)
    if not listing:
        raise ValidationError(_("The roll is empty: register the voters before publishing it."))
    election_stage_advance(
        actor=actor,
        election=election,
        to_stage=cal.ROLL_PUBLISHED,
        exception_reason=exception_reason,
        today=today,
    )
    if dry_run:
        raise _DryRun
    ref = roll_for_election(Election.objects.select_related("cycle__rule_set", "region").get(pk=election.pk))
    rules = ref.election.cycle.rule_set
    window = (today, today + timedelta(days=rules.objection_window_days))
    people = [
        NoticePerson(name=name, gender=gender, birth_date=born, group=group)
        for name, gender, born, group in Voter.objects.active()
        .filter(**ref.filter_kwargs())
        .order_by("group", "name", "id")
        .values_list("name", "gender", "birth_date", "group")
    ]
    short_code = new_short_code()
    context = _context(ref, title=_title(ref, False), published_on=today, short_code=short_code)
    content = build_roll_notice(context, people, window=window, answer_days=rules.objection_answer_days)
    font = chinese_font()
    document = document_store(
        actor=actor,
        kind=DocumentKind.VOTER_LIST_NOTICE,
        region=election.region,
        title=context.title,
        content=content,
        filename=f"voter-list-notice-{election.region_id}.pdf",
        content_type="application/pdf",
        subject=election,
        data_version=f"{ref.roll}-1-{_version(listing)}",
        is_public=True,
        public_summary={
            "公告": context.title,
            "选民人数": f"{len(people)} 人",
            "选举日": election.election_day.isoformat() if election.election_day else "",
            "公布日期": today.isoformat(),
            "申诉期限": f"{window[0].isoformat()} 至 {window[1].isoformat()}",
        },
        font_warning=font.warning,
        short_code=short_code,
    )
    publication = RollPublication(
        **ref.filter_kwargs(),
        election=election,
        number=1,
        kind=PublicationKind.NOTICE,
        published_on=today,
        document=document,
        listed=listing,
        voter_count=len(listing),
        created_by=actor,
    )
    publication.full_clean()
    publication.save()
    audit_record(
        actor=actor,
        event_type="roll.published",
        region_code=election.region_id,
        obj=election,
        after={
            "roll": ref.roll,
            "voters": len(listing),
            "published_on": today,
            "document_sha256": document.sha256,
            "objection_window": [window[0], window[1]],
        },
    )
    return publication


PUBLISH_JOB_KIND = "roll_publish"


def roll_publish_running(election: Election) -> Job | None:
    """The publication job of this election still waiting or running, if any."""
    return (
        Job.objects.filter(
            kind=PUBLISH_JOB_KIND,
            params__election_id=election.pk,
            status__in=(JobStatus.PENDING, JobStatus.RUNNING),
        )
        .order_by("-pk")
        .first()
    )


def roll_publish_latest_job(election: Election) -> Job | None:
    return Job.objects.filter(kind=PUBLISH_JOB_KIND, params__election_id=election.pk).order_by("-pk").first()


def roll_publish_request(
    *, actor, election: Election, exception_reason: str | None = None, today: date | None = None
) -> Job:
    """The publish button: every check of :func:`roll_publish` now (a missing late reason is a form error
    at once), then the notice is made and the roll published by a background job; answers its Job.
    Pressing again while it runs answers the same job."""
    require_roll_editor(actor)
    with transaction.atomic():
        election = lock_election(actor, election.pk)
        running = roll_publish_running(election)
        if running is not None:
            return running
        try:
            roll_publish(
                actor=actor, election=election, exception_reason=exception_reason, today=today, dry_run=True
            )
        except _DryRun:
            pass
        job = job_services.job_create(
            actor=actor,
            kind=PUBLISH_JOB_KIND,
            region=election.region,
            total=100,
            params={
                "election_id": election.pk,
                "exception_reason": exception_reason or "",
                "today": today.isoformat() if today else "",  # else the day the job runs
            },
        )
        from ..tasks import roll_publish_task

        job_id, election_id, user_id = job.pk, election.pk, actor.pk
        transaction.on_commit(
            lambda: task_enqueue(roll_publish_task, job_id, election_id, user_id, job_id=job_id)
        )
    return job


def roll_publish_job(*, job_id: int, election_id: int, user_id: int) -> None:
    """The publication's background job (Celery). Safe to run twice: a finished job is left alone."""
    from django.contrib.auth import get_user_model

    job = Job.objects.get(pk=job_id)
    if job.status == JobStatus.SUCCEEDED:
        return
    actor = get_user_model().objects.get(pk=user_id)
    election = Election.objects.get(pk=election_id)
    job_services.job_progress(job_id=job_id, processed_increment=10)
    try:
        publication = roll_publish(
            actor=actor,
            election=election,
            exception_reason=job.params.get("exception_reason") or None,
            today=date.fromisoformat(job.params["today"]) if job.params.get("today") else None,
        )
    except ValidationError as error:
        job_services.job_failed(job_id=job_id, message=" ".join(error.messages))
        return
    job_services.job_succeeded(
        job_id=job_id,
        result_url=reverse("voter_roll", kwargs={"election_id": election_id}),
        message=_("Roll published: %(count)s voters. Print the notice for the village board.")
        % {"count": publication.voter_count},
    )


def roll_changes_since(ref: RollRef, last: RollPublication) -> tuple[list[Voter], list[Voter], list[Voter]]:
    """(added, removed, corrected) voters since ``last`` was posted."""
    listing = roll_listing(ref)
    before = last.listed
    added_ids = [int(pk) for pk in listing if pk not in before]
    removed_ids = [int(pk) for pk in before if pk not in listing]
    corrected_ids = [int(pk) for pk, digest in listing.items() if pk in before and before[pk] != digest]
    by_id = Voter.objects.in_bulk(added_ids + removed_ids + corrected_ids)

    def ordered(ids):
        return sorted((by_id[i] for i in ids), key=lambda v: (v.group, v.name, v.pk))

    return ordered(added_ids), ordered(removed_ids), ordered(corrected_ids)


@transaction.atomic
def roll_supplement_publish(*, actor, election: Election, today: date | None = None) -> RollPublication:
    """补充公告 — post the changes (objections decided, corrections) since the last notice."""
    require_roll_editor(actor)
    today = today or timezone.localdate()
    election = lock_election(actor, election.pk)
    ref = roll_for_election(election)
    last = roll_publications(ref).last()
    if last is None:
        raise ValidationError(_("Publish the roll first; a supplementary notice follows a published roll."))
    added, removed, corrected = roll_changes_since(ref, last)
    if not (added or removed or corrected):
        raise ValidationError(_("Nothing has changed on the roll since the last notice."))
    listing = roll_listing(ref)
    number = last.number + 1
    short_code = new_short_code()
    context = _context(ref, title=_title(ref, True), published_on=today, short_code=short_code)
    content = build_supplement_notice(
        context,
        number=number,
        added=[Change(v.name, v.gender, v.birth_date, v.group, "补充登记") for v in added],
        removed=[Change(v.name, v.gender, v.birth_date, v.group, v.struck_reason or "除名") for v in removed],
        corrected=[Change(v.name, v.gender, v.birth_date, v.group, "信息更正") for v in corrected],
        total=len(listing),
    )
    document = document_store(
        actor=actor,
        kind=DocumentKind.VOTER_LIST_SUPPLEMENT,
        region=election.region,
        title=f"{context.title}（第 {number - 1} 号）",
        content=content,
        filename=f"voter-list-supplement-{election.region_id}-{number - 1}.pdf",
        content_type="application/pdf",
        subject=election,
        data_version=f"{ref.roll}-{number}-{_version(listing)}",
        is_public=True,
        public_summary={
            "公告": f"{context.title}（第 {number - 1} 号）",
            "增加": f"{len(added)} 人",
            "减少": f"{len(removed)} 人",
            "更正": f"{len(corrected)} 人",
            "变动后选民人数": f"{len(listing)} 人",
            "公布日期": today.isoformat(),
        },
        font_warning=chinese_font().warning,
        short_code=short_code,
    )
    publication = RollPublication(
        **ref.filter_kwargs(),
        election=election,
        number=number,
        kind=PublicationKind.SUPPLEMENT,
        published_on=today,
        document=document,
        listed=listing,
        voter_count=len(listing),
        added_count=len(added),
        removed_count=len(removed),
        corrected_count=len(corrected),
        created_by=actor,
    )
    publication.full_clean()
    publication.save()
    audit_record(
        actor=actor,
        event_type="roll.supplement_published",
        region_code=election.region_id,
        obj=election,
        after={
            "roll": ref.roll,
            "number": number,
            "added": len(added),
            "removed": len(removed),
            "corrected": len(corrected),
            "document_sha256": document.sha256,
        },
    )
    return publication
