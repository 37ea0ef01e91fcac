"""Helpers for voter-roll tests: a village election with its day set, voters through the real service."""

import re
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from election_admin.choices_cycles import Body, Stage
from election_admin.models import Election
from election_admin.services.cycles import cycle_open
from election_admin.services.elections import committee_member_add, election_day_set
from election_admin.services.rulesets import ruleset_applicable
from election_admin.services.stages import election_stage_advance
from tests.cycle_helpers import open_datong_cycle
from tests.voters.files import make_id
from voters.services.imports import roll_import_upload
from voters.services.objections import objection_file
from voters.services.publication import roll_publish
from voters.services.registration import voter_register

VILLAGE = "630121100201"  # 元树尔村委会, 桥头镇


def village_election(
    county_user, regions, *, code: str = VILLAGE, days_ahead: int = 30, cycle=None, body=None
):
    """The villagers' committee election of a 大通县 village, election day ``days_ahead`` from today."""
    cycle = cycle or open_datong_cycle(county_user, regions)
    body = body or (Body.RESIDENTS_COMMITTEE if code[9] == "0" else Body.VILLAGERS_COMMITTEE)
    election = Election.objects.get(cycle=cycle, region_id=code, body=body)
    election_day_set(
        actor=county_user, election=election, election_day=timezone.localdate() + timedelta(days=days_ahead)
    )
    election.refresh_from_db()
    return election


def form_committee(actor, election):
    """Three committee members and the stage moved to 选委会已推选, so the roll can be published."""
    for name in ("马成林", "李秀兰", "祁永寿"):
        committee_member_add(actor=actor, election=election, name=name)
    return election_stage_advance(actor=actor, election=election, to_stage=Stage.COMMITTEE_FORMED)


def register(actor, election, name="张三", *, born=date(1980, 5, 3), sequence=123, **fields):
    return voter_register(
        actor=actor, election=election, name=name, id_number=make_id(born, sequence), **fields
    )


def huangyuan_voter_objects(canaries) -> dict:
    """An election with a voter, an import and an objection in 湟源县 (another county): out of area for
    every 大通县 user. Made once per crawl, in the cycle of ``tests.cycle_helpers.huangyuan_objects``."""
    if "hy_voter" not in canaries:
        from election_admin.models import User

        from .cycle_helpers import huangyuan_objects

        cycle = huangyuan_objects(canaries)["cycle"]
        county = User.objects.get(username="canary-huangyuan-bureau")
        election = village_election(county, None, code="630123100200", cycle=cycle)
        voter = register(county, election, "CANARY-HUANGYUAN", sequence=451)
        csv = "姓名,公民身份号码\n张三," + make_id(sequence=453) + "\n"
        roll_import, _ = roll_import_upload(
            actor=county, election=election, upload=SimpleUploadedFile("canary.csv", csv.encode(), "text/csv")
        )
        form_committee(county, election)
        roll_publish(actor=county, election=election, exception_reason="canary")
        objection = objection_file(
            actor=county,
            election=election,
            kind="inclusion",
            filed_by="CANARY-HUANGYUAN",
            grounds="x",
            voter=voter,
        )
        canaries.update(hy_election=election, hy_voter=voter, hy_import=roll_import, hy_objection=objection)
    return canaries


# Out-of-area values for tests/test_crawl.py: every voters URL parameter, in 湟源县.
VOTERS_OUT_OF_AREA = {
    **{
        (name, "election_id"): (lambda c: huangyuan_voter_objects(c)["hy_election"].pk)
        for name in (
            "voter_roll",
            "voter_create",
            "voter_id_check",
            "voter_import",
            "roll_publish",
            "roll_supplement",
            "voter_cards",
            "voter_export",
            "roll_carry_over",
            "objection_list",
        )
    },
    **{
        (name, "voter_id"): (lambda c: huangyuan_voter_objects(c)["hy_voter"].pk)
        for name in ("voter_edit", "voter_strike", "voter_restore", "voter_reveal")
    },
    **{
        (name, "import_id"): (lambda c: huangyuan_voter_objects(c)["hy_import"].pk)
        for name in ("voter_import_detail", "voter_import_confirm")
    },
    ("objection_detail", "objection_id"): lambda c: huangyuan_voter_objects(c)["hy_objection"].pk,
}


ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def assert_no_full_id(text: str, where: str = "") -> None:
    """No 18-character ID number anywhere in ``text`` (masked ones like 630121********123X are fine)."""
    found = ID_PATTERN.findall(text)
    assert not found, f"full ID number(s) {found} in {where}"


def pdf_text(content: bytes) -> str:
    """The text of a PDF (pypdf reads the ToUnicode maps of the embedded font subsets)."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def open_previous_datong_cycle(county_user, regions, *, years_back: int = 5):
    """The 大通县 cycle of the previous round, five years earlier (for carry-over)."""
    today = timezone.localdate() - timedelta(days=365 * years_back)
    return cycle_open(
        actor=county_user,
        region=regions["630121"],
        name="2021年大通县村（社区）两委换届",
        rule_set=ruleset_applicable(province_code="63", on=timezone.localdate()),
        term_start=today + timedelta(days=100),
        window_start=today - timedelta(days=60),
        window_end=today + timedelta(days=90),
        optional_bodies=[],
    )
