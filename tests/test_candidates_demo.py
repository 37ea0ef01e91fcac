"""The demo step: candidates for the 大通县 demo cycle, made once; a second run changes nothing."""

from io import StringIO

import pytest

from candidates.demo import demo_candidates_create, demo_candidates_step
from candidates.models import Candidate, CandidateListPublication, Nomination
from election_admin.demo.cycles import demo_cycle_create
from tests.candidate_helpers import ensure_candidate_data


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_demo_publishes_lists_of_past_elections_and_is_idempotent(county_user, regions):
    ensure_candidate_data()
    county_user.username = "datong"
    county_user.save()
    cycle = demo_cycle_create(county_user=county_user)
    done = demo_candidates_create(county_user=county_user, cycle=cycle)
    assert "已公布名单" in done
    publications = list(CandidateListPublication.objects.select_related("document"))
    assert publications and all(p.candidate_count == 9 for p in publications)
    assert Candidate.objects.filter(list_position__isnull=False).count() == 9 * len(publications)
    count = Nomination.objects.count()
    out = StringIO()
    demo_candidates_step(out)
    assert "未重复生成" in out.getvalue() and Nomination.objects.count() == count
