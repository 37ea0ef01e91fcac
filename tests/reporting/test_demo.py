"""The statistics demo step: both 西宁市 cycles with people elected, a comparison, idempotent."""

import io

from election_admin.models import Cycle
from election_admin.reporting.demo import CYCLES, demo_statistics_step
from election_admin.reporting.figures import return_figures
from election_admin.reporting.models import ElectedMember
from tests.cycle_helpers import ensure_shipped_rulesets


def test_demo_step_is_idempotent_and_compares(city_user, regions):
    ensure_shipped_rulesets()
    out = io.StringIO()
    demo_statistics_step(out)
    people = ElectedMember.objects.count()
    assert people > 0 and "统计演示" in out.getvalue()
    demo_statistics_step(out)
    assert ElectedMember.objects.count() == people and Cycle.objects.filter(region_id="6301").count() == 2
    current = Cycle.objects.get(name=CYCLES[1][0])
    figures = return_figures(regions["6301"], current)
    assert figures["members.both.count"] > 0 and figures["previous.members.both.count"] > 0
    assert figures["change.members.both.avg_age"] is not None
    # 大通县 runs its own cycle in the demo: the city cycle of 2026 leaves it out
    assert not ElectedMember.objects.filter(cycle=current, county_code="630121").exists()
