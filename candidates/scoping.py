"""Scoping of the candidates app: the region choke point, plus the one exception — joint-review
department staff, who see nothing through ``User.area_code`` but the joint-review side of their county."""

from election_admin.scoping import RegionScopedQuerySet


class CandidatesQuerySet(RegionScopedQuerySet):
    """``visible_to(user)``: the region prefix for everyone; for a department reviewer only what
    ``department_filter(user)`` of the model allows, within their county (nothing when the model has none)."""

    def visible_to(self, user):
        if getattr(user, "is_department_reviewer", False):
            department_filter = getattr(self.model, "department_filter", None)
            if department_filter is None or not user.is_active or not user.region_id:
                return self.none()
            return self.filter(
                **{f"{self.model.region_lookup}__startswith": user.region_id}, **department_filter(user)
            )
        return super().visible_to(user)
