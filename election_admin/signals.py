"""Sign-in and sign-out are audit events (receivers only record; they hold no business logic)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.services import audit_record_on_its_own


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    audit_record_on_its_own(actor=user, event_type="auth.login", region_code=user.region_id or "", obj=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record_on_its_own(
            actor=user, event_type="auth.logout", region_code=user.region_id or "", obj=user
        )


@receiver(user_login_failed)
def record_login_failure(sender, credentials, request=None, **kwargs):
    """A failed sign-in is recorded under the account's region when the account exists."""
    from .models import User

    username = (credentials or {}).get("username", "")[:150]
    user = User.objects.filter(username=username).first() if username else None
    audit_record_on_its_own(
        actor=None,
        actor_label=username,
        event_type="auth.login_failed",
        region_code=(user.region_id or "") if user else "",
        object_type="election_admin.user",
        object_id=str(user.pk) if user else "",
        object_repr=username,
    )
