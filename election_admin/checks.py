"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_secret_key(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        return [
            Warning(
                "The demo SECRET_KEY is in use.",
                hint="Set SECRET_KEY in the environment to a long random value (docs/deployment.md).",
                id="election_admin.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def personal_data_keys(app_configs, **kwargs):
    """ID numbers are hashed and encrypted with keys of their own; deriving them from SECRET_KEY is for the demo."""
    import os

    missing = [name for name in ("ID_HASH_KEY", "ID_ENCRYPTION_KEY") if not os.environ.get(name)]
    if missing:
        return [
            Warning(
                f"{' and '.join(missing)} not set: personal-data keys are derived from SECRET_KEY.",
                hint="Set them to separate long random values and keep them safe: changing one later makes "
                "stored ID numbers unreadable (docs/deployment.md).",
                id="election_admin.W002",
            )
        ]
    return []
