"""Forms validate shape; services validate the rules (who may give which role where)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import Region, User
from .services.staff import department_choices, manageable_roles


class LoginForm(AuthenticationForm):
    otp_token = forms.CharField(
        label=_("Dynamic code (only if you turned on two-factor sign-in)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. Check both (passwords are case-sensitive) and try again."
        ),
        "inactive": _("This account has been deactivated. Ask your county bureau to reactivate it."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from .services.two_factor import two_factor_check_login

        self.otp_device = two_factor_check_login(user=user, token=self.cleaned_data.get("otp_token", ""))


class TwoFactorTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits the app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RegionCodeField(forms.CharField):
    """A region chosen by its statistical code, limited to the manager's area (out-of-area = unknown)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)
        self.queryset = Region.objects.none()

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        value = value.strip()
        region = self.queryset.filter(code=value).first()
        if region is None:
            raise forms.ValidationError(
                _("No region with code %(code)s in your area."), params={"code": value}
            )
        return region


REGION_SUGGESTION_LIMIT = 6000


def region_suggestions(manager: User) -> list[tuple[str, str]]:
    """Townships and villages of the manager's area for the region field's type-ahead list
    (skipped for areas too large to list, where the code is typed)."""
    qs = Region.objects.visible_to(manager).filter(level__gte=4).order_by("code").values_list("code", "name")
    rows = list(qs[: REGION_SUGGESTION_LIMIT + 1])
    return [] if len(rows) > REGION_SUGGESTION_LIMIT else rows


class StaffForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        error_messages={"invalid": _("Use 3–150 letters, digits or . @ + - _ (no spaces).")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^[0-9+\- ]{5,30}$",
        required=False,
        error_messages={"invalid": _("Digits, spaces, + and - only.")},
    )
    role = forms.ChoiceField(label=_("Role"))
    region = RegionCodeField(
        label=_("Region code"),
        required=False,
        help_text=_("The 9-digit township code or 12-digit village code, e.g. 630121100 for 桥头镇."),
    )
    department_code = forms.ChoiceField(
        label=_("Joint-review department"),
        required=False,
        help_text=_("Only for joint-review department staff: the department whose verdicts they enter."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 10 characters, not only digits. Tell it to the person; they can change it."),
    )

    def __init__(self, *args, manager: User, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in manageable_roles(manager)]
        self.fields["department_code"].choices = [("", "—")] + department_choices()
        self.fields["region"].queryset = Region.objects.visible_to(manager)
        self.region_suggestions = region_suggestions(manager)
        self.fields["region"].widget.attrs["list"] = "region-suggestions"
        self.fields["region"].widget.attrs["autocomplete"] = "off"
        if editing is not None:
            del self.fields["password"]
            self.fields["username"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if "username" in self.changed_data and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("The username %(username)s is taken."), params={"username": username}
            )
        return username

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role and role != Role.SYSTEM_ADMIN and not cleaned.get("region") and "region" not in self.errors:
            self.add_error("region", _("Choose the region this account works in."))
        if role == Role.DEPARTMENT_REVIEWER and not cleaned.get("department_code"):
            self.add_error("department_code", _("Choose the department this account enters verdicts for."))
        elif role and role != Role.DEPARTMENT_REVIEWER:
            cleaned["department_code"] = ""
        return cleaned


class PasswordResetByManagerForm(SetPasswordForm):
    """A manager sets a new password for someone in their area."""
