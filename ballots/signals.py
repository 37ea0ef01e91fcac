"""Signals other apps listen to without ballots importing them.

``result_certified`` is sent once the transaction that certified a round's result has committed,
with ``result`` (the certified RoundResult) and ``election``. The statistics app records the people
elected from it.
"""

from django.dispatch import Signal

result_certified = Signal()
