"""Showing statistics figures: "—" for no data, one decimal for shares and averages, signed changes."""

from django import template

from election_admin.reporting import arithmetic as ar

register = template.Library()


@register.filter
def stat(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return value


@register.filter
def signed(value):
    return ar.describe_change(value) or "—"
