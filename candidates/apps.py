from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The staff form offers the joint-review departments; election_admin asks us for them through
        # this hook instead of importing this app (data flows one way: candidates → election_admin).
        from election_admin.services import staff

        from .selectors import department_choices

        staff.department_choices_provider = department_choices
