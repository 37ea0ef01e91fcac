"""Staff account services: create, change, deactivate and reset passwords, always within the manager's area."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record

from ..choices import BUREAU_ROLES, ROLE_LEVEL, ROLE_RANK, RegionLevel, Role
from ..models import Region, User
from ..scoping import region_in_area

# The joint-review departments (联审部门) are a configurable list of the candidates app, which registers
# a provider of (code, name) pairs here when it loads: this app stays free of imports from that one.
department_choices_provider = None


def department_choices() -> list[tuple[str, str]]:
    """(code, name) of every department a department reviewer may belong to."""
    return list(department_choices_provider()) if department_choices_provider else []


def _check_department(role: str, department_code: str) -> None:
    if role != Role.DEPARTMENT_REVIEWER:
        if department_code:
            raise ValidationError(
                {"department_code": _("Only joint-review department staff belong to a department.")}
            )
        return
    if department_code not in dict(department_choices()):
        raise ValidationError(
            {"department_code": _("Choose the department this account enters verdicts for.")}
        )


def _snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone,
        "role": user.role,
        "region": user.region_id,
        "department_code": user.department_code,
        "is_active": user.is_active,
    }


def manageable_roles(manager: User) -> list[Role]:
    """Roles a manager may give: strictly below their own (system administrators: every role)."""
    if manager.role not in BUREAU_ROLES:
        return []
    if manager.is_system_admin:
        return list(Role)
    return [role for role in Role if ROLE_RANK[role] < ROLE_RANK[Role(manager.role)]]


def _check_manager_may_assign(*, manager: User, role: str, region: Region | None) -> None:
    if role not in manageable_roles(manager):
        raise PermissionDenied(_("You may not give the role “%(role)s”.") % {"role": Role(role).label})
    expected_level = ROLE_LEVEL[Role(role)]
    if expected_level is None:
        if region is not None:
            raise ValidationError({"region": _("A system administrator is not tied to a region.")})
        return
    if region is None:
        raise ValidationError({"region": _("Choose the region this account works in.")})
    if region.level != expected_level:
        raise ValidationError(
            {
                "region": _(
                    "The role “%(role)s” works at %(level)s level; “%(region)s” is a %(actual)s-level unit."
                )
                % {
                    "role": Role(role).label,
                    "level": RegionLevel(expected_level).label,
                    "region": region.name,
                    "actual": region.get_level_display(),
                }
            }
        )
    if not region_in_area(region.code, manager.area_code):
        # Same answer as for a region that does not exist: out-of-area regions are not revealed.
        raise ValidationError({"region": _("This region does not exist or is outside your area.")})


def _check_manages(manager: User, target: User) -> None:
    if manager.pk == target.pk:
        raise PermissionDenied(_("You cannot change your own account here; use “Change password”."))
    if target.role not in manageable_roles(manager) or (
        target.region_id and not region_in_area(target.region_id, manager.area_code)
    ):
        raise PermissionDenied(_("This account is outside what you may manage."))


@transaction.atomic
def staff_create(
    *,
    manager: User,
    username: str,
    full_name: str,
    phone: str,
    role: str,
    region: Region | None,
    password: str,
    department_code: str = "",
) -> User:
    """Create a staff account (创建工作人员账号) within the manager's area, with a role below theirs."""
    _check_manager_may_assign(manager=manager, role=role, region=region)
    _check_department(role, department_code)
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        role=role,
        region=region,
        department_code=department_code,
        is_staff=(role == Role.SYSTEM_ADMIN),
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=manager,
        event_type="staff.created",
        region_code=user.region_id or "",
        obj=user,
        after=_snapshot(user),
    )
    return user


@transaction.atomic
def staff_update(
    *,
    manager: User,
    user: User,
    full_name: str,
    phone: str,
    role: str,
    region: Region | None,
    department_code: str = "",
) -> User:
    """Change a staff account's name, phone, role, region or department (修改工作人员账号)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_manages(manager, user)
    _check_manager_may_assign(manager=manager, role=role, region=region)
    _check_department(role, department_code)
    before = _snapshot(user)
    user.full_name, user.phone, user.role, user.region = full_name, phone, role, region
    user.department_code = department_code
    user.is_staff = role == Role.SYSTEM_ADMIN
    user.full_clean()
    user.save()
    audit_record(
        actor=manager,
        event_type="staff.updated",
        region_code=user.region_id or "",
        obj=user,
        before=before,
        after=_snapshot(user),
    )
    return user


@transaction.atomic
def staff_set_active(*, manager: User, user: User, is_active: bool) -> User:
    """Deactivate (停用) or reactivate (启用) an account; accounts are never deleted, the log refers to them."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_manages(manager, user)
    if user.is_active == is_active:
        return user
    before = _snapshot(user)
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=manager,
        event_type="staff.reactivated" if is_active else "staff.deactivated",
        region_code=user.region_id or "",
        obj=user,
        before=before,
        after=_snapshot(user),
    )
    return user


@transaction.atomic
def staff_reset_password(*, manager: User, user: User, password: str) -> User:
    """Set a new password for a staff member who forgot theirs (重置密码); the password itself is not logged."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_manages(manager, user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=manager, event_type="staff.password_reset", region_code=user.region_id or "", obj=user)
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    """A user changes their own password (修改密码)."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, event_type="auth.password_changed", region_code=user.region_id or "", obj=user)
    return user
