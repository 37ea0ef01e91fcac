"""The election-night world, built through the real services in a migrated scratch database.

Run as a child process with DATABASE_URL pointing at the scratch database:

    DATABASE_URL=postgres://…/bench_election_night python bench/election_night/world.py build 100 20 out.json

It makes ``villages`` extra villages under 桥头镇 (大通县, 青海), opens the county's cycle, and for each
village: 16 voters, the election committee, the roll published, five official candidates (chair 2,
members 3) passed by the township and the county's joint review, the stage at "candidates published",
one ballot box at the assembly, and a village clerk account (村文书) who may enter that village's tally
sheet. Plus ``viewers`` dashboard accounts (township and county staff). Writes a JSON description (box
ids, vote-line field names, user names; one password for all) for the load clients.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Xuanju-2026-bench"  # noqa: S105 - a scratch database's throwaway accounts
VILLAGE_BASE = 630121100300  # 桥头镇's extra villages: 630121100300 …
COUNTY = "630121"
TOWNSHIP = "630121100"
FIRST_NAMES = "明芳强洋静帆磊敏刚丽伟红军华英兰林秀玉梅"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")
    import django

    django.setup()


def village_code(index: int) -> str:
    return str(VILLAGE_BASE + index)


def _people(index: int) -> list[tuple[str, str]]:
    """16 people of village ``index`` with ID numbers unique across every village."""
    from tests.voters.files import make_id

    born_day = date(1950, 1, 1) + timedelta(days=index)
    people = []
    for n in range(16):
        name = SURNAMES[(index + n) % len(SURNAMES)] + FIRST_NAMES[n] + FIRST_NAMES[(index + 3 * n) % 20]
        people.append((name, make_id(born_day + timedelta(days=400 * n), 101 + n)))
    return people


def _village(county_user, township_user, cycle, index: int) -> dict:
    from candidates.choices import Post
    from candidates.services import committee as committee_services
    from election_admin.choices_cycles import Body, Stage
    from election_admin.models import Election
    from election_admin.services.elections import election_day_set
    from election_admin.services.stages import election_stage_advance
    from tests.candidate_helpers import candidate
    from tests.voters.files import make_id
    from voters.services.publication import roll_publish
    from voters.services.registration import voter_register

    election = Election.objects.get(cycle=cycle, region_id=village_code(index), body=Body.VILLAGERS_COMMITTEE)
    election_day_set(actor=county_user, election=election, election_day=timezone_today())
    election.refresh_from_db()
    voters = [
        voter_register(actor=county_user, election=election, name=name, id_number=id_number)
        for name, id_number in _people(index)
    ]
    for n in range(cycle.rule_set.election_committee_size_min):
        if n < 3:
            committee_services.committee_member_add_identified(
                actor=county_user, election=election, voter=voters[n], role="chair" if n == 0 else "member"
            )
        else:
            committee_services.committee_member_add_identified(
                actor=county_user,
                election=election,
                name=f"选委{n + 1}",
                id_number=make_id(date(1940, 1, 1) + timedelta(days=index), 601 + n * 2),
            )
    for n in range(2):
        committee_services.committee_member_add_identified(
            actor=county_user,
            election=election,
            name=f"候补{n + 1}",
            id_number=make_id(date(1945, 1, 1) + timedelta(days=index), 701 + n * 2),
            is_reserve=True,
        )
    election_stage_advance(actor=county_user, election=election, to_stage=Stage.COMMITTEE_FORMED)
    roll_publish(actor=county_user, election=election)
    election.refresh_from_db()
    for voter, post in zip(
        voters[3:8], [Post.CHAIR, Post.CHAIR, Post.MEMBER, Post.MEMBER, Post.MEMBER], strict=True
    ):
        candidate(county_user, election, voter, post)
    return {"election_id": election.pk, "code": village_code(index)}


def timezone_today():
    from django.utils import timezone

    return timezone.localdate() + timedelta(days=30)


def build(villages: int, viewers: int) -> dict:
    """Make the world; answers its description."""
    from django.contrib.auth.hashers import make_password

    from ballots.selectors import vote_lines
    from ballots.services.election_day import ballot_box_create, venue_create
    from election_admin.choices import Role
    from election_admin.choices_cycles import Stage
    from election_admin.models import Election, Region, User
    from tests.candidate_helpers import ensure_candidate_data, joint_review_all_pass
    from tests.cycle_helpers import open_datong_cycle
    from tests.factories import make_region, make_region_tree

    started = time.perf_counter()
    regions = make_region_tree()
    for index in range(villages):
        regions[village_code(index)] = make_region(village_code(index), f"测试{index + 1:03d}村委会")
    password = make_password(PASSWORD)

    def user(username: str, role: str, region: str) -> User:
        account, _ = User.objects.get_or_create(
            username=username, defaults={"role": role, "region_id": region, "password": password}
        )
        return account

    county_user = user("bench-county", Role.COUNTY_BUREAU, COUNTY)
    township_user = user("bench-township", Role.TOWNSHIP_STAFF, TOWNSHIP)
    ensure_candidate_data()
    cycle = open_datong_cycle(county_user, regions)
    made = [_village(county_user, township_user, cycle, index) for index in range(villages)]
    joint_review_all_pass(county_user, cycle, Region.objects.get(code=COUNTY))
    Election.objects.filter(pk__in=[m["election_id"] for m in made]).update(stage=Stage.CANDIDATES_PUBLISHED)
    for index, item in enumerate(made):
        election = Election.objects.get(pk=item["election_id"])
        venue = venue_create(actor=county_user, election=election, kind="assembly", name="村委会大院")
        box = ballot_box_create(actor=county_user, venue=venue, label="1号票箱")
        clerk = user(f"bench-clerk-{index:03d}", Role.VILLAGE_CLERK, item["code"])
        lines = vote_lines(election)
        item.update(
            box_id=box.pk,
            clerk=clerk.username,
            lines=[{"field": line.field, "key": line.key} for line in lines],
        )
    viewer_names = []
    for n in range(viewers):
        if n % 2:
            viewer_names.append(user(f"bench-viewer-{n:02d}", Role.COUNTY_BUREAU, COUNTY).username)
        else:
            viewer_names.append(user(f"bench-viewer-{n:02d}", Role.TOWNSHIP_STAFF, TOWNSHIP).username)
    return {
        "password": PASSWORD,
        "villages": made,
        "viewers": viewer_names,
        "county": COUNTY,
        "township": TOWNSHIP,
        "seconds": round(time.perf_counter() - started, 1),
    }


def totals() -> dict:
    """What the database holds: every tally entry's figures and votes, summed, and per box."""
    from ballots.models import TallyEntry

    summed = {"voted": 0, "issued": 0, "returned": 0, "invalid": 0, "votes": 0, "entries": 0}
    per_box = {}
    for entry in TallyEntry.objects.select_related("sheet"):
        values = {name: getattr(entry, name) for name in ("voted", "issued", "returned", "invalid")}
        values["votes"] = dict(entry.votes)
        per_box[str(entry.sheet.box_id)] = values
        for name in ("voted", "issued", "returned", "invalid"):
            summed[name] += values[name] or 0
        summed["votes"] += sum(entry.votes.values())
        summed["entries"] += 1
    return {"summed": summed, "per_box": per_box}


def main() -> int:
    _setup_django()
    command = sys.argv[1]
    if command == "build":
        description = build(int(sys.argv[2]), int(sys.argv[3]))
        Path(sys.argv[4]).write_text(json.dumps(description, ensure_ascii=False))
    elif command == "totals":
        Path(sys.argv[2]).write_text(json.dumps(totals()))
    else:
        raise SystemExit(f"unknown command {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
