from .results import RoundResult
from .tally import TallyEntry, TallySheet
from .venues import BallotBox, CountStaff, Proxy, Venue

__all__ = ["BallotBox", "CountStaff", "Proxy", "RoundResult", "TallyEntry", "TallySheet", "Venue"]
