"""``manage.py jobs_requeue``: hand background jobs that never started back to the task service."""

from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError, CommandParser, DjangoHelpFormatter

from election_admin.health import REQUEUE_AFTER_SECONDS, REQUEUE_BATCH, jobs_requeue

HELP = f"""补发未开始的后台任务。 Hand background jobs that never started back to the task service (Redis).

当后台任务服务（Redis）中断时提交的任务（打印选民证、导入名册、生成报表……）停在"等待"状态。
服务恢复后，celery beat 每分钟自动运行本检查；运维人员也可以手动运行。
Jobs requested while the broker was down stay "waiting". Once it is back, celery beat runs this sweep
every minute; ops can also run it by hand. It is safe to run at any time and more than once: a job is
handed over at most once per sweep interval, and a worker never runs the same job twice at once.

Selected: jobs still waiting (never started by a worker), created and last handed over more than
--older-than seconds ago (default {REQUEUE_AFTER_SECONDS}); also result notices (选举结果公告) missing for
results certified in the last 7 days. Exit status 1 when the broker is unreachable (nothing done).
"""


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's ordering of options, with the description's line breaks kept."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _HelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=REQUEUE_AFTER_SECONDS,
            help=f"only jobs waiting at least this many seconds (default {REQUEUE_AFTER_SECONDS})",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=REQUEUE_BATCH,
            help=f"at most this many jobs (default {REQUEUE_BATCH})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be handed over, change nothing"
        )

    def handle(self, *args, older_than: int, limit: int, dry_run: bool, **options) -> None:
        if older_than < 0 or limit < 1:
            raise CommandError("--older-than must be 0 or more and --limit 1 or more")
        report = jobs_requeue(older_than_seconds=older_than, limit=limit, dry_run=dry_run)
        if not report.broker_reachable:
            raise CommandError(
                "后台任务服务不可达，未补发任何任务 (the broker is unreachable; nothing was handed over)"
            )
        verb = "would hand over" if dry_run else "handed over"
        self.stdout.write(f"{verb} {len(report.requeued)} job(s): {report.requeued}")
        self.stdout.write(f"{verb} {len(report.notices)} result notice(s): {report.notices}")
        if report.failed:
            self.stdout.write(f"failed to hand over {len(report.failed)} job(s): {report.failed}")
        if report.unknown_task:
            self.stdout.write(
                f"{len(report.unknown_task)} waiting job(s) have no task record (requested before this "
                f"version, or their task was removed); ask the user to request them again: {report.unknown_task}"
            )
