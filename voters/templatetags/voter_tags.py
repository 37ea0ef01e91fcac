"""Voter-roll figures other apps' pages show: voters on the roll and overdue objections of an election."""

from django import template
from django.utils import timezone

from ..models import Objection, Voter
from ..services.rolls import roll_for_election

register = template.Library()


@register.inclusion_tag("voters/_roll_badges.html", takes_context=True)
def roll_badges(context, election):
    """The roll's size and its overdue objections, for the election page's 选民名单 button."""
    user = context["request"].user
    ref = roll_for_election(election)
    return {
        "voters": Voter.objects.visible_to(user).filter(**ref.filter_kwargs()).active().count(),
        "overdue": Objection.objects.visible_to(user)
        .filter(**ref.filter_kwargs())
        .overdue(timezone.localdate())
        .count(),
    }
