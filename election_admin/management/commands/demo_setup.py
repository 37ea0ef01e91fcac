"""manage.py demo_setup — load the 青海 regions and demo accounts for every role (idempotent)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from election_admin.choices import Role
from election_admin.models import Region, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed to the person running the demo

# (username, full name, role, region code, what they see)
DEMO_ACCOUNTS = [
    ("admin", "系统管理员", Role.SYSTEM_ADMIN, None, "全国；系统管理后台"),
    ("qinghai", "青海省民政厅", Role.PROVINCE_BUREAU, "63", "青海省全省"),
    ("xining", "西宁市民政局", Role.CITY_BUREAU, "6301", "西宁市各区县"),
    ("datong", "大通县民政局", Role.COUNTY_BUREAU, "630121", "大通回族土族自治县（开换届、联审、管理账号）"),
    ("qiaotou", "桥头镇工作人员", Role.TOWNSHIP_STAFF, "630121100", "桥头镇各村（社区）"),
    ("yuanshuer", "元树尔村选委会", Role.VILLAGE_CLERK, "630121100201", "元树尔村一个村"),
]


class Command(BaseCommand):
    help = (
        "准备演示数据：导入青海省行政区划（如尚未导入），为每种角色创建演示账号，并开启大通县换届演示。"
        "可重复运行，不会产生重复数据。 (Load the 青海 demo regions and one demo account per role; idempotent.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD, help="password for every demo account")
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the login table")

    def handle(self, *args, password: str, quiet_logins: bool, **options):
        if not Region.objects.filter(code__startswith="63", level=5).exists():
            self.stdout.write("正在导入青海省行政区划……")
            call_command("load_regions", stdout=self.stdout)
        with transaction.atomic():
            for username, full_name, role, region_code, _ in DEMO_ACCOUNTS:
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "full_name": full_name,
                        "role": role,
                        "region_id": region_code,
                        "is_staff": role == Role.SYSTEM_ADMIN,
                    },
                )
                if created or not user.check_password(password):
                    user.set_password(password)
                    user.save(update_fields=["password"])
        for step in demo_steps():
            step(self.stdout)
        if not quiet_logins:
            self.stdout.write(f"\n演示账号（密码均为 {password}）：")
            for username, _full_name, role, _, sees in DEMO_ACCOUNTS:
                self.stdout.write(f"  {username:<10} {Role(role).label:<16} {sees}")


def demo_steps():
    """Further demo data from other parts of the product (cycles, rolls, results), each idempotent."""
    from candidates.demo import demo_candidates_step
    from election_admin.demo.cycles import demo_cycle_step
    from election_admin.reporting.demo import demo_statistics_step
    from election_admin.returns.demo import demo_returns_step
    from election_admin.supervision.demo import demo_supervision_step

    return [
        demo_cycle_step,
        demo_candidates_step,
        demo_supervision_step,
        demo_statistics_step,
        demo_returns_step,
    ]
