from .board import BoardBallot, BoardStatus, LiveBoard, TieRevoteRecord
from .results import RoundResult
from .tally import TallyEntry, TallySheet
from .venues import BallotBox, CountStaff, Proxy, Venue

__all__ = [
    "BallotBox",
    "BoardBallot",
    "BoardStatus",
    "CountStaff",
    "LiveBoard",
    "Proxy",
    "RoundResult",
    "TallyEntry",
    "TallySheet",
    "TieRevoteRecord",
    "Venue",
]
