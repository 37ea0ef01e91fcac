#!/usr/bin/env python
"""``celery`` with a fault hook, for the fault scenarios only (never in production).

    FAULT_SLOW=1 FAULT_SLOW_MARKER=/tmp/marker python scripts/faults/slow_worker.py -A election_admin worker …

With ``FAULT_SLOW=1`` the result notice and the tally report are made as usual, and then — still inside
the service's database transaction, before it commits — the worker writes the marker file and sleeps
for a minute, so the scenario can kill it "in the middle of generating". Without it this is plain celery.
"""

import os
import sys
import time
from pathlib import Path

from celery.signals import worker_ready

SLEEP_SECONDS = 60


def _slowed(original, label: str):
    def run(*args, **kwargs):
        from django.db import transaction

        with transaction.atomic():
            made = original(*args, **kwargs)
            Path(os.environ["FAULT_SLOW_MARKER"]).write_text(f"{label} {getattr(made, 'pk', made)}")
            time.sleep(SLEEP_SECONDS)
        return made

    return run


@worker_ready.connect
def _patch(**_kwargs) -> None:
    if os.environ.get("FAULT_SLOW") != "1":
        return
    from ballots.services import notices, reports

    notices.result_notice_generate = _slowed(notices.result_notice_generate, "notice")
    reports.tally_report_make = _slowed(reports.tally_report_make, "report")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from celery.__main__ import main

    sys.argv[0] = "celery"
    sys.exit(main())
