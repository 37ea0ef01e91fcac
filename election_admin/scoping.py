"""The one scoping choke point: every region-bound query goes through ``visible_to(user)``.

A user's area is their region's statistical code; everything whose region code starts with it is
theirs. Codes are primary keys of ``Region`` and so also the values of every region foreign key,
which makes scoping a prefix match on an indexed column with no join (PostgreSQL gets a
``varchar_pattern_ops`` index for it automatically). Out-of-area objects are filtered out, so a
detail view built on ``get_object_or_404(Model.objects.visible_to(user), ...)`` answers 404
exactly as for a missing object.
"""

from django.db import models


class RegionScopedQuerySet(models.QuerySet):
    """QuerySet of a model that belongs to a region; the model names the lookup in ``region_lookup``.

    For a foreign key to Region write ``region_lookup = "region__code"``: Django reads the FK column
    itself (the code), no join.
    """

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        area_code = user.area_code
        if area_code is None:
            return self.none()
        if area_code == "":
            return self.all()
        return self.filter(**{f"{self.model.region_lookup}__startswith": area_code})

    def in_area(self, code: str):
        """Everything under a region code (already-scoped querysets use this to narrow down)."""
        return self.filter(**{f"{self.model.region_lookup}__startswith": code})


def region_in_area(region_code: str, area_code: str | None) -> bool:
    """True when ``region_code`` lies within the area whose code is ``area_code``."""
    return area_code is not None and region_code.startswith(area_code)
