"""Import the list of the people elected in the previous term (for the first cycle in the system)."""

from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from election_admin.models import Cycle, User
from election_admin.reporting.importing import read_rows, template_bytes
from election_admin.reporting.services import previous_members_import


class Command(BaseCommand):
    help = (
        "导入上届当选人名单（Excel），用于本届与上届比较（连任、平均年龄变化等）。"
        " Import the Excel list of the people elected in the previous term, as a staff user of the area; "
        "--template writes the empty template. All or nothing: a wrong row is named and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("--template", metavar="FILE", help="write the empty template to FILE and stop")
        parser.add_argument("--cycle", type=int, help="id of this term's cycle")
        parser.add_argument("--file", help="the filled-in workbook (.xlsx)")
        parser.add_argument("--user", help="username of the township or bureau staff importing (audited)")
        parser.add_argument(
            "--election-day", help="election day of the previous term, YYYY-MM-DD (ages are taken on it)"
        )

    def handle(self, *args, **options):
        if options["template"]:
            Path(options["template"]).write_bytes(template_bytes())
            self.stdout.write(f"模板已写入 {options['template']}")
            return
        for required in ("cycle", "file", "user", "election_day"):
            if not options[required]:
                raise CommandError(f"缺少参数 --{required.replace('_', '-')}")
        cycle = Cycle.objects.filter(pk=options["cycle"]).first()
        if cycle is None:
            raise CommandError(f"没有编号为 {options['cycle']} 的换届。")
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"没有用户 {options['user']}。")
        try:
            day = date.fromisoformat(options["election_day"])
        except ValueError as error:
            raise CommandError("--election-day 应为 年-月-日，例如 2021-05-20") from error
        rows, errors = read_rows(Path(options["file"]).read_bytes())
        if errors:
            raise CommandError("未导入任何内容：\n" + "\n".join(errors))
        with translation.override("zh-hans"):
            try:
                count = previous_members_import(actor=actor, cycle=cycle, rows=rows, election_day=day)
            except (ValidationError, PermissionDenied) as error:
                messages = error.messages if isinstance(error, ValidationError) else [str(error)]
                raise CommandError("未导入任何内容：\n" + "\n".join(messages)) from error
        self.stdout.write(f"已导入上届当选人 {count} 名（{cycle.name}）。")
