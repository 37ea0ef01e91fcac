"""Every page the app has, walked from the URL resolver, for users of every role: nothing of another
area shows, and every out-of-area object answers 404.

New URLs are picked up automatically. A URL with a parameter needs an out-of-area value: add it to
``OUT_OF_AREA`` (by parameter name, or by URL name for a parameter that means different objects).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.services import audit_record_on_its_own
from election_admin.choices import Role
from election_admin.models import DocumentKind
from election_admin.services.documents import document_store
from tests.ballots.crawl import BALLOTS_OUT_OF_AREA
from tests.candidate_helpers import CANDIDATES_OUT_OF_AREA
from tests.cycle_helpers import crawl_out_of_area
from tests.factories import UserFactory
from tests.reporting.crawl import REPORTING_OUT_OF_AREA
from tests.returns.crawl import RETURNS_OUT_OF_AREA
from tests.supervision.crawl import SUPERVISION_OUT_OF_AREA
from tests.voter_helpers import VOTERS_OUT_OF_AREA

SKIP_NAMESPACES = {"admin"}
SKIP_NAMES = {"logout", "set_language", "javascript-catalog"}

# Unique strings that live only in the neighbouring township (城关镇) and county (湟源县).
CANARIES = [
    "上毛佰胜村委会",
    "下毛佰胜村委会",
    "CANARY-CHENGGUAN",
    "CANARY-HUANGYUAN",
    "湟源县",
    "涌兴村委会",
]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIP_NAMESPACES or "sysadmin-console" in str(entry.pattern):
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIP_NAMES:
            yield entry.name, list(entry.pattern.converters), prefix + str(entry.pattern)


def all_url_names():
    return sorted({(name, tuple(params)) for name, params, _ in _walk(get_resolver().url_patterns)})


@pytest.fixture
def canaries(regions, settings, tmp_path):
    """Objects of the neighbouring township and county that no user of 桥头镇 may ever see."""
    settings.MEDIA_ROOT = tmp_path
    chengguan = UserFactory(
        username="canary-chengguan",
        full_name="CANARY-CHENGGUAN",
        role=Role.TOWNSHIP_STAFF,
        region=regions["630121101"],
    )
    huangyuan = UserFactory(
        username="canary-huangyuan",
        full_name="CANARY-HUANGYUAN",
        role=Role.TOWNSHIP_STAFF,
        region=regions["630123100"],
    )
    event = audit_record_on_its_own(
        actor=huangyuan,
        event_type="staff.updated",
        region_code="630123100",
        obj=huangyuan,
        object_repr="CANARY-HUANGYUAN",
    )
    document = document_store(
        actor=huangyuan,
        kind=DocumentKind.VOTER_LIST_NOTICE,
        region=regions["630123100200"],
        title="CANARY-HUANGYUAN 涌兴村委会选民名单公告",
        content=b"%PDF-1.4 canary",
        filename="canary.pdf",
        content_type="application/pdf",
        is_public=False,
    )
    return {"user": chengguan, "other_county_user": huangyuan, "event": event, "document": document}


def out_of_area_kwargs(name: str, params: list[str], canaries) -> dict | None:
    """Values naming objects of 湟源县 (outside every tested user's area). Parameters that name objects
    (pk…) must be registered per URL in OUT_OF_AREA: a generic id would prove nothing."""
    by_param = {"code": "630123100", "sequence": canaries["event"].sequence}
    kwargs = {}
    for param in params:
        value = OUT_OF_AREA.get((name, param), by_param.get(param))
        if value is None:
            return None
        kwargs[param] = value(canaries) if callable(value) else value
    return kwargs


# (url name, parameter) → out-of-area value or a function of the canaries fixture.
OUT_OF_AREA: dict = {
    ("staff_edit", "pk"): lambda c: c["other_county_user"].pk,
    ("staff_toggle_active", "pk"): lambda c: c["other_county_user"].pk,
    ("staff_reset_password", "pk"): lambda c: c["other_county_user"].pk,
    ("document_download", "pk"): lambda c: c["document"].pk,
    # the public check of a notice: a document that is not a public notice is not found
    ("document_verify", "short_code"): lambda c: c["document"].short_code,
}
OUT_OF_AREA.update(crawl_out_of_area())  # cycles, elections, rule sets, jobs (tests/cycle_helpers.py)
OUT_OF_AREA.update(VOTERS_OUT_OF_AREA)  # voters, imports, objections (tests/voter_helpers.py)
OUT_OF_AREA.update(BALLOTS_OUT_OF_AREA)  # boxes, tally sheets, results (tests/ballots/crawl.py)
OUT_OF_AREA.update(SUPERVISION_OUT_OF_AREA)  # leaders, complaints, visits, reserves (supervision/crawl)
OUT_OF_AREA.update(CANDIDATES_OUT_OF_AREA)  # nominations, candidates, joint reviews (candidate_helpers)
OUT_OF_AREA.update(RETURNS_OUT_OF_AREA)  # returns up the hierarchy (tests/returns/crawl.py)
OUT_OF_AREA.update(REPORTING_OUT_OF_AREA)  # statistics (tests/reporting/crawl.py)


@pytest.mark.parametrize("role_fixture", ["township_user", "village_clerk", "county_user"])
def test_no_page_shows_or_opens_another_areas_data(client, request, role_fixture, canaries):
    user = request.getfixturevalue(role_fixture)
    if role_fixture == "county_user":
        # the county sees both townships of 大通县: its canaries are the other county's only
        visible_canaries = [c for c in CANARIES if c in ("CANARY-HUANGYUAN", "湟源县", "涌兴村委会")]
    else:
        visible_canaries = CANARIES
    client.force_login(user)
    missing = []
    for name, params in all_url_names():
        if params:
            kwargs = out_of_area_kwargs(name, list(params), canaries)
            if kwargs is None:
                missing.append(f"{name}{list(params)}")
                continue
            response = client.get(reverse(name, kwargs=kwargs))
            if response.status_code == 405:  # a POST-only action: posting must be refused too
                response = client.post(reverse(name, kwargs=kwargs))
            assert response.status_code in (403, 404), (
                f"{name} {kwargs}: {response.status_code} for {role_fixture}"
            )
        else:
            response = client.get(reverse(name))
            assert response.status_code in (200, 302, 403, 405), f"{name}: {response.status_code}"
        body = response.content.decode(errors="replace")
        for canary in visible_canaries:
            assert canary not in body, f"{name}: {canary} shown to {role_fixture}"
    assert not missing, f"URLs with no out-of-area value in tests/test_crawl.py OUT_OF_AREA: {missing}"


def test_crawl_sees_the_pages(regions):
    names = {name for name, _ in all_url_names()}
    assert {"home", "region_detail", "staff_list", "audit_event_list", "audit_event_detail"} <= names
