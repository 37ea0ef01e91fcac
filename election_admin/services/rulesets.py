"""Rule-set services: find the version that applies, and revise a province's numbers (audited)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record

from ..choices import Role
from ..legal_calendar import RULE_BOUNDS, rule_errors
from ..models import RuleSet
from ..models.rulesets import RULE_FIELDS


def ruleset_applicable(*, province_code: str, on: date) -> RuleSet | None:
    """The rule set in force in a province on a date: its latest version effective by then, else the
    national default's (the newest version when none is effective yet)."""
    for code in (province_code, ""):
        versions = RuleSet.objects.filter(province_code=code).current()
        version = versions.filter(effective_on__lte=on).first() or (versions.first() if code == "" else None)
        if version is not None:
            return version
    return None


def ruleset_may_edit(user, rule_set: RuleSet) -> bool:
    """Province bureaus edit their own province's rule sets; system administrators edit every one."""
    if user.is_system_admin:
        return True
    return (
        user.role == Role.PROVINCE_BUREAU
        and rule_set.province_code != ""
        and rule_set.province_code == user.area_code
    )


def ruleset_may_create_for_province(user) -> bool:
    return user.is_system_admin or user.role == Role.PROVINCE_BUREAU


def _check_values(values: dict) -> None:
    errors = rule_errors({k: v for k, v in values.items() if k in RULE_BOUNDS})
    if errors:
        messages = {}
        for field, problem in errors.items():
            if problem == "range":
                messages[field] = _("The largest value must not be below the smallest.")
            else:
                low, high = RULE_BOUNDS[field]
                messages[field] = _("Out of the legal bounds: allowed %(low)s–%(high)s.") % {
                    "low": low,
                    "high": high,
                }
        raise ValidationError(messages)


@transaction.atomic
def ruleset_revise(
    *,
    actor,
    rule_set: RuleSet,
    effective_on: date,
    values: dict,
    citations: dict[str, str],
    name: str | None = None,
) -> RuleSet:
    """Save changed numbers as a new revision (修订选举办法参数); the old version stays for cycles using it.

    A national default edited by a province bureau becomes that province's own first version."""
    if not (
        ruleset_may_edit(actor, rule_set) or (rule_set.is_national and ruleset_may_create_for_province(actor))
    ):
        raise PermissionDenied(_("Only the province bureau edits its province's rule set."))
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown rule-set fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    _check_values(values)
    province_code = rule_set.province_code
    if rule_set.is_national and not actor.is_system_admin:
        province_code = actor.area_code[:2]
    latest = (
        RuleSet.objects.filter(province_code=province_code, effective_on=effective_on)
        .order_by("-revision")
        .first()
    )
    new = RuleSet(
        province_code=province_code,
        name=name or rule_set.name,
        effective_on=effective_on,
        revision=(latest.revision + 1) if latest else 1,
        previous=rule_set,
        source=rule_set.source,
        citations={**rule_set.citations, **{k: v for k, v in citations.items() if v}},
        created_by=actor,
        **{field: getattr(rule_set, field) for field in RULE_FIELDS},
    )
    for field, value in values.items():
        setattr(new, field, value)
    new.full_clean()
    new.save()
    changed = {
        field: [rule_set.values()[field], new.values()[field]]
        for field in RULE_FIELDS
        if rule_set.values()[field] != new.values()[field]
    }
    audit_record(
        actor=actor,
        event_type="ruleset.revised",
        region_code=province_code,
        obj=new,
        before={"id": rule_set.pk, **rule_set.values(), "effective_on": rule_set.effective_on},
        after={"id": new.pk, **new.values(), "effective_on": new.effective_on, "changed": changed},
    )
    return new
