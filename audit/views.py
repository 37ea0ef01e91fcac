"""The audit log page (审计日志): county bureaus and above browse their area's events."""

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .catalogue import EVENT_TYPES
from .models import AuditEvent

BROWSING_ROLES = {"county_bureau", "city_bureau", "province_bureau", "system_admin"}


def _require_browser(user):
    if user.role not in BROWSING_ROLES:
        raise PermissionDenied(_("The audit log is open to county bureaus and above."))


def _day_bound(value: str, *, end: bool):
    try:
        day = parse_date(value or "")
    except ValueError:  # well-formed but impossible, e.g. 2026-13-45
        day = None
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


@login_required
def event_list(request):
    _require_browser(request.user)
    qs = AuditEvent.objects.visible_to(request.user).order_by("-sequence")
    filters = request.GET
    errors = []
    if filters.get("event_type") in EVENT_TYPES:
        qs = qs.filter(event_type=filters["event_type"])
    if filters.get("actor"):
        qs = qs.filter(actor_username__icontains=filters["actor"].strip())
    if filters.get("region"):
        qs = qs.filter(region_code__startswith=filters["region"].strip())
    if filters.get("object"):
        qs = qs.filter(object_repr__icontains=filters["object"].strip())
    for name, end in (("from", False), ("to", True)):
        if filters.get(name):
            bound = _day_bound(filters[name], end=end)
            if bound is None:
                errors.append(_("“%(value)s” is not a date; use YYYY-MM-DD.") % {"value": filters[name]})
            else:
                qs = qs.filter(**{"occurred_at__lte" if end else "occurred_at__gte": bound})
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "filters": filters,
            "errors": errors,
            "event_types": sorted(
                ((code, str(label)) for code, label in EVENT_TYPES.items()), key=lambda x: x[0]
            ),
        },
    )


@login_required
def event_detail(request, sequence: int):
    _require_browser(request.user)
    event = get_object_or_404(AuditEvent.objects.visible_to(request.user), sequence=sequence)
    return render(request, "audit/event_detail.html", {"event": event})
