"""Demo returns (逐级上报) in the 大通县 demo cycle: 桥头镇 submitted its return, 大通县 sent it back once with a
comment, 桥头镇 submitted again — version 2 waits for the county's review. Idempotent."""

from election_admin.demo.cycles import DEMO_CYCLE_NAME
from election_admin.models import Cycle, Region, User

from .models import Return
from .services import return_send_back, return_submit

QIAOTOU = "630121100"
COMMENT = "元树尔村的参选人数与计票单合计不符，请核实后重新上报。"
NOTE = "已核对元树尔村计票单，参选人数无误，请审核。"


def demo_returns_create(*, township_user, county_user, cycle) -> Return:
    region = Region.objects.get(code=QIAOTOU)
    current = Return.objects.filter(cycle=cycle, region=region, is_current=True).first()
    if current is not None:
        return current
    first, _created = return_submit(actor=township_user, cycle=cycle, region=region)
    return_send_back(actor=county_user, return_obj=first, comment=COMMENT)
    second, _created = return_submit(actor=township_user, cycle=cycle, region=region, note=NOTE)
    return second


def demo_returns_step(stdout) -> None:
    """The demo_setup step: a return of 桥头镇 (``qiaotou``) sent back once by 大通县 (``datong``)."""
    township_user = User.objects.filter(username="qiaotou", region__code=QIAOTOU).first()
    county_user = User.objects.filter(username="datong", region__code="630121").first()
    cycle = Cycle.objects.filter(region_id="630121", name=DEMO_CYCLE_NAME).first()
    if township_user is None or county_user is None or cycle is None:
        stdout.write("逐级上报演示：缺少 qiaotou / datong 账号或大通县换届，跳过。")
        return
    current = demo_returns_create(township_user=township_user, county_user=county_user, cycle=cycle)
    stdout.write(f"逐级上报演示：桥头镇报表第 {current.version} 版，{current.get_status_display()}。")
