"""The figures contract other apps snapshot: every key present, JSON-serialisable, labelled."""

import json

from election_admin.reporting.figures import figure_labels, return_figures
from tests.cycle_helpers import open_datong_cycle


def test_return_figures_of_a_cycle_without_results(county_user, regions):
    cycle = open_datong_cycle(county_user, regions, optional_bodies=["party_branch"])
    figures = return_figures(regions["630121"], cycle)
    json.dumps(figures)
    assert set(figures) == set(figure_labels())
    assert figures["round.committee.due"] == cycle.elections.filter(body="villagers_committee").count() + (
        cycle.elections.filter(body="residents_committee").count()
    )
    assert figures["round.committee.elected"] == 0
    assert figures["members.both.count"] == 0
    assert figures["members.both.avg_age"] is None
    assert figures["previous.members.both.count"] is None
    assert figures["change.members.both.avg_age"] is None
