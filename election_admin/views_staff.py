"""Staff management pages (工作人员管理) for county bureaus and above, within their own area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .choices import BUREAU_ROLES
from .forms import PasswordResetByManagerForm, StaffForm
from .selectors import staff_get_visible, staff_list_visible
from .services import staff as staff_services


def _require_manager(user):
    if user.role not in BUREAU_ROLES:
        raise PermissionDenied(_("Only county bureaus and above manage staff accounts."))


def _apply_validation_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("password" if "password" in form.fields else None, error)


@login_required
def staff_list(request):
    _require_manager(request.user)
    qs = staff_list_visible(
        user=request.user,
        query=request.GET.get("q", "").strip(),
        role=request.GET.get("role", ""),
        active=request.GET.get("active", ""),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "election_admin/staff_list.html",
        {"page": page, "roles": staff_services.manageable_roles(request.user), "filters": request.GET},
    )


@login_required
def staff_create(request):
    _require_manager(request.user)
    form = StaffForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = staff_services.staff_create(
                manager=request.user,
                username=data["username"],
                full_name=data["full_name"],
                phone=data["phone"],
                role=data["role"],
                region=data["region"],
                password=data["password"],
                department_code=data["department_code"],
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("Account %(username)s created.") % {"username": user.username})
            return redirect("staff_list")
    return render(request, "election_admin/staff_form.html", {"form": form, "title": _("New staff account")})


@login_required
def staff_edit(request, pk: int):
    _require_manager(request.user)
    target = staff_get_visible(user=request.user, pk=pk)
    initial = {
        "username": target.username,
        "full_name": target.full_name,
        "phone": target.phone,
        "role": target.role,
        "region": target.region_id or "",
        "department_code": target.department_code,
    }
    form = StaffForm(request.POST or None, initial=initial, manager=request.user, editing=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff_services.staff_update(
                manager=request.user,
                user=target,
                full_name=data["full_name"],
                phone=data["phone"],
                role=data["role"],
                region=data["region"],
                department_code=data["department_code"],
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("Account %(username)s saved.") % {"username": target.username})
            return redirect("staff_list")
    return render(
        request,
        "election_admin/staff_form.html",
        {"form": form, "title": _("Edit %(username)s") % {"username": target.username}, "target": target},
    )


@login_required
@require_POST
def staff_toggle_active(request, pk: int):
    _require_manager(request.user)
    target = staff_get_visible(user=request.user, pk=pk)
    activate = request.POST.get("active") == "1"
    staff_services.staff_set_active(manager=request.user, user=target, is_active=activate)
    if activate:
        messages.success(request, _("Account %(username)s reactivated.") % {"username": target.username})
    else:
        messages.success(request, _("Account %(username)s deactivated.") % {"username": target.username})
    return redirect("staff_list")


@login_required
def staff_reset_password(request, pk: int):
    _require_manager(request.user)
    target = staff_get_visible(user=request.user, pk=pk)
    form = PasswordResetByManagerForm(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        staff_services.staff_reset_password(
            manager=request.user, user=target, password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("New password set for %(username)s.") % {"username": target.username})
        return redirect("staff_list")
    return render(
        request,
        "election_admin/staff_form.html",
        {"form": form, "title": _("Reset password of %(username)s") % {"username": target.username}},
    )
