"""Scoped reads for regions and staff accounts (every query here starts from ``visible_to``)."""

from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404

from .choices import CODE_LENGTH, RegionKind, RegionLevel
from .models import Region, User


def region_get_visible(*, user, code: str) -> Region:
    """A region the user may see, or 404 — the same answer for out-of-area and non-existent codes."""
    return get_object_or_404(Region.objects.visible_to(user), code=code)


def user_home_region(user) -> Region | None:
    return user.region if user.region_id else None


def region_breadcrumbs(*, user, region: Region) -> list[dict]:
    """The path from the user's own region down to ``region``; levels above the user's area are shown as
    plain names (no link), since the user may not open them."""
    crumbs = []
    for ancestor in region.ancestors():
        crumbs.append({"region": ancestor, "is_link": ancestor.code.startswith(user.area_code or "\0")})
    crumbs.append({"region": region, "is_link": False})
    return crumbs


def region_children_with_counts(*, user, region: Region | None) -> list[dict]:
    """Each child of ``region`` (the provinces for the whole country) with its village-level units counted
    by kind. Zero rows stay in the list: a township with no villages must show as 0."""
    if region is None:
        children = list(Region.objects.visible_to(user).filter(level=RegionLevel.PROVINCE))
        prefix, child_length = "", CODE_LENGTH[RegionLevel.PROVINCE]
    else:
        children = list(Region.objects.visible_to(user).filter(parent=region))
        prefix = region.code
        child_length = CODE_LENGTH.get(RegionLevel(region.level + 1)) if region.level < 5 else None
    if not children or child_length is None:
        return []
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if region is None or region.level < RegionLevel.TOWNSHIP:
        # One grouped query over the village-level units below, keyed by the child's code prefix.
        rows = (
            Region.objects.visible_to(user)
            .filter(level=RegionLevel.VILLAGE_LEVEL, code__startswith=prefix)
            .annotate(child_code=Substr("code", 1, child_length))
            .values("child_code", "kind")
            .annotate(n=Count("code"))
            .order_by()
        )
        for row in rows:
            counts[row["child_code"]][row["kind"]] += row["n"]
    result = []
    for child in children:
        if child.level == RegionLevel.VILLAGE_LEVEL:
            by_kind = {child.kind: 1}
        else:
            by_kind = counts[child.code]
        result.append(
            {
                "region": child,
                "communities": by_kind.get(RegionKind.COMMUNITY, 0),
                "villages": by_kind.get(RegionKind.VILLAGE, 0),
                "others": by_kind.get(RegionKind.OTHER, 0),
            }
        )
    return result


def staff_list_visible(*, user, query: str = "", role: str = "", active: str = ""):
    """Staff accounts in the user's area, filtered for the staff page."""
    qs = User.objects.visible_to(user).select_related("region").order_by("region_id", "role", "username")
    if query:
        from django.db.models import Q

        qs = qs.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(region__name__icontains=query)
        )
    if role:
        qs = qs.filter(role=role)
    if active in {"1", "0"}:
        qs = qs.filter(is_active=(active == "1"))
    return qs


def staff_get_visible(*, user, pk: int) -> User:
    return get_object_or_404(User.objects.visible_to(user).select_related("region"), pk=pk)
