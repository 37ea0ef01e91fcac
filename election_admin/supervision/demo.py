"""Demo data of the supervision (demo_setup step): 大通县's leaders assigned to its townships and 桥头镇's
villages, a few supervision visits, complaints (one answered late, one serious and open) and reserves.

Runs after the 大通县 cycle demo (election_admin.demo.cycles) through the real services; idempotent: once the
cycle has assignments it does nothing. Add to ``demo_steps()`` in
election_admin/management/commands/demo_setup.py:

    from election_admin.supervision.demo import demo_supervision_step
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from election_admin.choices import RegionLevel
from election_admin.choices_cycles import Body
from election_admin.demo.cycles import DEMO_CYCLE_NAME
from election_admin.models import Cycle, Election, Region, User

from .choices import AssignmentKind, ReservePost
from .models import Assignment, Leader
from .services.assignments import AssignmentRow, assignments_set_bulk, leader_link_user
from .services.complaints import complaint_answer, complaint_assign, complaint_receive
from .services.targets import reserve_add
from .services.visits import visit_record

COUNTY_LEADERS = [
    ("王建国", "副县长"),
    ("马秀英", "县委常委、组织部部长"),
    ("李永福", "县人大常委会副主任"),
    ("祁发明", "副县长"),
    ("韩玉兰", "县政协副主席"),
    ("张德明", "县委常委、宣传部部长"),
    ("赵有财", "副县长"),
    ("陈海燕", "县委常委、统战部部长"),
    ("刘生贵", "县人大常委会副主任"),
    ("杨国庆", "县政协副主席"),
]
SURNAMES = "马李王张祁韩赵刘陈杨鲁谢朱胡蔡"
GIVEN = ["永红", "国栋", "海林", "秀梅", "生福", "玉兰", "德寿", "春花", "建军", "有林", "发祥", "桂英"]


CADRE_GIVEN = ["晓东", "文军", "丽娟", "志强", "海霞", "学军", "雪梅", "振华", "亚楠", "俊杰"]


def _person(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]


def _cadre(index: int) -> str:
    """Resident cadres' names (30 distinct, never a township leader's): one phone per name."""
    return SURNAMES[index % len(SURNAMES)] + CADRE_GIVEN[index % len(CADRE_GIVEN)]


@transaction.atomic
def demo_supervision_create(*, cycle: Cycle, county_user: User, township_user: User) -> str:
    if Assignment.objects.filter(cycle=cycle).exists():
        return "已有包保分工，未改动"
    today = timezone.localdate()
    townships = list(Region.objects.filter(parent=cycle.region, level=RegionLevel.TOWNSHIP).order_by("code"))
    assignments_set_bulk(
        actor=county_user,
        cycle=cycle,
        rows=[
            AssignmentRow(
                t.code,
                AssignmentKind.COUNTY_LEADER,
                *COUNTY_LEADERS[i % len(COUNTY_LEADERS)],
                f"1389710{i % len(COUNTY_LEADERS):04d}",
            )
            for i, t in enumerate(townships)
        ],
    )
    township = township_user.region
    village_codes = set(
        Election.objects.filter(cycle=cycle, region__code__startswith=township.code).values_list(
            "region_id", flat=True
        )
    )
    villages = list(Region.objects.filter(code__in=village_codes).order_by("code"))
    rows = []
    for i, village in enumerate(villages):
        rows.append(
            AssignmentRow(
                village.code,
                AssignmentKind.TOWNSHIP_LEADER,
                _person(i % 6),
                "副镇长" if i % 6 else "镇党委副书记",
                f"1399711{i % 6:04d}",
            )
        )
        rows.append(
            AssignmentRow(
                village.code, AssignmentKind.RESIDENT_CADRE, _cadre(i), "驻村干部", f"1380971{i % 30:04d}"
            )
        )
    assignments_set_bulk(actor=township_user, cycle=cycle, rows=rows)
    own = Leader.objects.filter(region=township, name=_person(0)).first()
    if own is not None:
        leader_link_user(actor=township_user, leader=own, user=township_user)

    for i, village in enumerate(villages[:4]):
        visit_record(
            actor=county_user,
            cycle=cycle,
            region=village,
            visited_on=today - timedelta(days=2 + 3 * i),
            group_name="县第一督导组",
            members="民政局、组织部、纪委监委各一人",
            findings="选民登记资料齐全，公告张贴规范" if i % 2 == 0 else "外出务工人员登记不全",
            follow_up="" if i % 2 == 0 else "三日内补登外出务工人员并补充公告",
        )
    if len(villages) >= 3:
        first = villages[0]
        late = complaint_receive(
            actor=township_user,
            cycle=cycle,
            region=first,
            received_on=today - timedelta(days=25),
            channel="letter",
            category="finances",
            summary="反映上届村委会集体土地承包款收支不公开，要求离任审计前公开账目。",
            complainant="马永福",
            complainant_phone="13909718888",
        )
        complaint_assign(
            actor=township_user,
            complaint=late,
            assigned_to="镇纪委、农经站",
            assigned_on=today - timedelta(days=24),
        )
        complaint_answer(
            actor=township_user,
            complaint=late,
            answered_on=today - timedelta(days=5),
            outcome="partly",
            answer="经农经站核查，承包款已入账但未按季公开，已责令公开并纳入离任审计。",
        )
        election = Election.objects.filter(
            cycle=cycle, region=villages[1], body__in=[Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE]
        ).first()
        complaint_receive(
            actor=township_user,
            cycle=cycle,
            region=villages[1],
            election=election,
            received_on=today - timedelta(days=4),
            channel="hotline",
            category="vote_buying",
            summary="反映有候选人亲属夜间入户发放香烟、购物卡拉票。",
            is_serious=True,
        )
        in_time = complaint_receive(
            actor=township_user,
            cycle=cycle,
            region=villages[2],
            received_on=today - timedelta(days=3),
            channel="visit",
            category="eligibility",
            summary="反映外嫁女未列入选民名单。",
            complainant="李春花",
        )
        complaint_answer(
            actor=township_user,
            complaint=in_time,
            answered_on=today - timedelta(days=1),
            outcome="upheld",
            answer="经核实户籍仍在本村，已由村民选举委员会补充登记并公告。",
        )
        for name, post, gender, age, education, party in [
            ("马燕", ReservePost.CHAIR, "female", 31, "bachelor", "cpc_member"),
            ("祁生林", ReservePost.SECRETARY, "male", 38, "college", "cpc_member"),
            ("韩晓东", ReservePost.MEMBER, "male", 27, "college", "league"),
        ]:
            reserve_add(
                actor=township_user,
                region=first,
                post=post,
                name=name,
                gender=gender,
                age=age,
                education=education,
                party_membership=party,
            )
    return f"{len(townships)} 个乡镇落实县级包保领导，{township.name} {len(villages)} 个村（社区）落实包村领导和驻村干部"


def demo_supervision_step(stdout) -> None:
    """The demo_setup step: supervision data for the 大通县 demo cycle (needs demo_cycle_step first)."""
    county_user = User.objects.filter(username="datong", region__code="630121").first()
    township_user = User.objects.filter(username="qiaotou", region__code="630121100").first()
    cycle = Cycle.objects.filter(region_id="630121", name=DEMO_CYCLE_NAME).first()
    if county_user is None or township_user is None or cycle is None:
        stdout.write("换届督导演示：缺少大通县换届或 datong/qiaotou 账号，跳过。")
        return
    stdout.write(
        "换届督导演示："
        + demo_supervision_create(cycle=cycle, county_user=county_user, township_user=township_user)
    )
