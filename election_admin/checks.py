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
