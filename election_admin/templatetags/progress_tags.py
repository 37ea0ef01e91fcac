"""Template filters of the progress dashboards."""

from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """12345 → "12,345" (a cheap stand-in for humanize's intcomma in tables of thousands of cells)."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
