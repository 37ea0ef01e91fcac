"""Two-factor sign-in (动态口令): county bureaus and above may bind a TOTP app to their account."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record

DEVICE_NAME = "TOTP"


def two_factor_available(user) -> bool:
    return user.is_authenticated and user.role in settings.TWO_FACTOR_ROLES


def two_factor_enabled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_pending_device(*, user) -> TOTPDevice:
    """The unconfirmed device whose QR code the user scans (a new key each time setup starts over)."""
    if not two_factor_available(user):
        raise PermissionDenied(_("Two-factor sign-in is offered to county bureaus and above."))
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def two_factor_confirm(*, user, device: TOTPDevice, token: str) -> None:
    """Turn two-factor sign-in on once the user proves the app shows the right code."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token((token or "").strip()):
        raise ValidationError(
            {"token": _("The code is wrong or has expired. Enter the 6 digits the app shows now.")}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, event_type="auth.two_factor_enabled", region_code=user.region_id or "", obj=user)


@transaction.atomic
def two_factor_disable(*, user, token: str) -> None:
    """Turn it off again; needs a current code so a borrowed session cannot do it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return
    if not device.verify_token((token or "").strip()):
        raise ValidationError(
            {"token": _("The code is wrong or has expired. Enter the 6 digits the app shows now.")}
        )
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=user, event_type="auth.two_factor_disabled", region_code=user.region_id or "", obj=user
    )


def two_factor_check_login(*, user, token: str) -> TOTPDevice | None:
    """At sign-in: None when the account has no second factor; the matching device when the code is right;
    ValidationError otherwise."""
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return None
    token = (token or "").strip()
    if not token:
        raise ValidationError(
            _("This account uses two-factor sign-in: enter the 6-digit code from your app.")
        )
    for device in devices:
        if device.verify_token(token):
            return device
    raise ValidationError(_("The code is wrong or has expired. Enter the 6 digits the app shows now."))
