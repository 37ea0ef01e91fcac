"""Rebuild the statistics of the people elected of a cycle from its certified results."""

from django.core.management.base import BaseCommand, CommandError

from election_admin.models import Cycle
from election_admin.reporting.services import statistics_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the people elected (当选人) and the election-day figures of one cycle from its certified "
        "results — after a correction, or to backfill. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cycle", type=int, required=True, help="id of the cycle (see the cycle page URL)"
        )

    def handle(self, *args, **options):
        cycle = Cycle.objects.filter(pk=options["cycle"]).first()
        if cycle is None:
            raise CommandError(f"没有编号为 {options['cycle']} 的换届。")
        total = statistics_rebuild(cycle=cycle)
        self.stdout.write(f"{cycle.name}：已重建 {total} 名当选人。")
