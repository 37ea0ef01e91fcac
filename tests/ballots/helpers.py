"""Helpers for election-day and count tests: a village with its official candidates, boxes and
sheets entered through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field

from ballots.models import BallotBox, TallySheet
from ballots.services.election_day import ballot_box_create, venue_create
from ballots.services.tally import tally_entry_save, vote_key
from election_admin.choices_cycles import Stage
from election_admin.models import Election
from tests.candidate_helpers import candidate, joint_review_all_pass, ready_village


@dataclass
class CountVillage:
    election: Election
    voters: dict
    candidates: dict = field(default_factory=dict)  # name → candidates.Candidate
    boxes: list = field(default_factory=list)

    def key(self, name: str) -> str:
        cand = self.candidates[name]
        return vote_key(cand.post, str(cand.pk))


STANDING = [("张明", "chair"), ("赵强", "chair"), ("王芳", "vice_chair"), ("刘洋", "vice_chair")] + [
    (name, "member") for name in ("陈静", "杨帆", "黄磊", "周敏", "吴刚")
]


def count_village(county_user, regions, *, boxes: int = 1) -> CountVillage:
    """元树尔村: 16 voters, official candidates for chair (2), vice-chair (2), members (5), passed the
    joint review, the list taken as published, and ``boxes`` fixed ballot boxes at the assembly."""
    village = ready_village(county_user, regions)
    election = village.election
    found = CountVillage(election=election, voters=village.voters)
    for name, post in STANDING:
        found.candidates[name] = candidate(county_user, election, village[name], post)
    joint_review_all_pass(county_user, election.cycle, regions["630121"])
    for cand in found.candidates.values():
        cand.refresh_from_db()
    Election.objects.filter(pk=election.pk).update(stage=Stage.CANDIDATES_PUBLISHED)
    election.refresh_from_db()
    venue = venue_create(actor=county_user, election=election, kind="assembly", name="村委会大院")
    for n in range(boxes):
        found.boxes.append(ballot_box_create(actor=county_user, venue=venue, label=f"{n + 1}号票箱"))
    return found


FIGURES = {"voted": 14, "issued": 14, "returned": 14, "invalid": 1}


def good_votes(v: CountVillage) -> dict:
    """Chair 张明, vice-chair 王芳, members 陈静 杨帆 黄磊 elected by 13 valid ballots of 14."""
    return {
        v.key("张明"): 10,
        v.key("赵强"): 3,
        v.key("王芳"): 9,
        v.key("刘洋"): 4,
        v.key("陈静"): 12,
        v.key("杨帆"): 11,
        v.key("黄磊"): 8,
        v.key("周敏"): 4,
        v.key("吴刚"): 2,
    }


def enter_twice(first, second, box: BallotBox, figures=None, votes=None) -> TallySheet:
    figures = figures or FIGURES
    tally_entry_save(actor=first, box=box, figures=figures, votes=votes or {})
    tally_entry_save(actor=second, box=box, figures=figures, votes=votes or {})
    return TallySheet.objects.get(box=box)
