from .board import BoardBallot, BoardStatus, LiveBoard, TieRevoteRecord
from .results import RoundResult
from .tally import TallyEntry, TallySheet
from .venues import BallotBox, CountStaff, MobileBoxVoter, Proxy, Venue

__all__ = [
    "BallotBox",
    "BoardBallot",
    "BoardStatus",
    "CountStaff",
    "LiveBoard",
    "MobileBoxVoter",
    "Proxy",
    "RoundResult",
    "TallyEntry",
    "TallySheet",
    "TieRevoteRecord",
    "Venue",
]
