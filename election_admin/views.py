"""Home page ("my area") and region drill-down."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .choices import Role
from .selectors import region_breadcrumbs, region_children_with_counts, region_get_visible, user_home_region


@login_required
def home(request):
    """我的辖区 — the signed-in user's area: where they are, what is below, and what they can do."""
    if request.user.role == Role.DEPARTMENT_REVIEWER:
        return redirect("joint_review_list")  # their only pages (the candidates app's joint review)
    region = user_home_region(request.user)
    context = {
        "region": region,
        "breadcrumbs": region_breadcrumbs(user=request.user, region=region) if region else [],
        "children": region_children_with_counts(user=request.user, region=region),
    }
    return render(request, "election_admin/home.html", context)


@login_required
def region_detail(request, code: str):
    """A region within the user's area and the units below it (out-of-area codes answer 404)."""
    region = region_get_visible(user=request.user, code=code)
    context = {
        "region": region,
        "breadcrumbs": region_breadcrumbs(user=request.user, region=region),
        "children": region_children_with_counts(user=request.user, region=region),
    }
    return render(request, "election_admin/region_detail.html", context)
