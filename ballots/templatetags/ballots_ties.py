"""``{% pending_ties result as ties %}`` — the ties of a result still to be decided by a re-vote."""

from django import template

register = template.Library()


@register.simple_tag
def pending_ties(result):
    from ballots.services.ties import pending_ties as find

    if result is None:
        return []
    return [tie for tie in find(result) if not (tie.held and tie.held[-1].is_settled)]
