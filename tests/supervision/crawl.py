"""Out-of-area values for tests/test_crawl.py: a leader, a complaint, a visit and a reserve of 湟源县, and its
cycle and election (from tests/cycle_helpers.huangyuan_objects)."""

from django.utils import timezone

from tests.cycle_helpers import huangyuan_objects

HY_VILLAGE = "630123100200"  # 涌兴村委会, 湟源县


def huangyuan_supervision_objects(canaries) -> dict:
    if "sv_complaint" not in canaries:
        from election_admin.models import Region, User
        from election_admin.supervision.choices import AssignmentKind, ReservePost
        from election_admin.supervision.models import Leader
        from election_admin.supervision.services.assignments import AssignmentRow, assignments_set_bulk
        from election_admin.supervision.services.complaints import complaint_receive
        from election_admin.supervision.services.targets import reserve_add
        from election_admin.supervision.services.visits import visit_record

        cycle = huangyuan_objects(canaries)["cycle"]
        county = User.objects.get(username="canary-huangyuan-bureau")
        village = Region.objects.get(code=HY_VILLAGE)
        today = timezone.localdate()
        assignments_set_bulk(
            actor=county,
            cycle=cycle,
            rows=[
                AssignmentRow(
                    HY_VILLAGE, AssignmentKind.TOWNSHIP_LEADER, "CANARY-HUANGYUAN", "副镇长", "13800000000"
                )
            ],
        )
        canaries["sv_leader"] = Leader.objects.get(name="CANARY-HUANGYUAN")
        canaries["sv_complaint"] = complaint_receive(
            actor=county,
            cycle=cycle,
            region=village,
            received_on=today,
            channel="letter",
            category="procedure",
            summary="CANARY-HUANGYUAN",
            complainant="CANARY-HUANGYUAN",
        )
        canaries["sv_visit"] = visit_record(
            actor=county,
            cycle=cycle,
            region=village,
            visited_on=today,
            group_name="CANARY-HUANGYUAN",
            findings="x",
            follow_up="y",
        )
        canaries["sv_reserve"] = reserve_add(
            actor=county,
            region=village,
            post=ReservePost.CHAIR,
            name="CANARY-HUANGYUAN",
            gender="male",
            age=30,
            education="senior",
        )
    return canaries


def _sv(key):
    return lambda c: huangyuan_supervision_objects(c)[key].pk


def _cycle(c):
    return huangyuan_objects(c)["cycle"].pk


def _election(c):
    return huangyuan_objects(c)["election"].pk


SUPERVISION_OUT_OF_AREA = {
    **{
        (name, "cycle_id"): _cycle
        for name in (
            "supervision_cycle",
            "supervision_assign",
            "supervision_complaints",
            "supervision_complaint_create",
            "supervision_visits",
            "supervision_settings",
            "supervision_targets",
        )
    },
    **{
        (name, "election_id"): _election
        for name in ("supervision_election", "supervision_election_record", "supervision_handover")
    },
    ("supervision_leader_detail", "leader_id"): _sv("sv_leader"),
    ("supervision_complaint_detail", "complaint_id"): _sv("sv_complaint"),
    ("supervision_visit_follow_up", "visit_id"): _sv("sv_visit"),
    ("supervision_reserve_remove", "reserve_id"): _sv("sv_reserve"),
}
