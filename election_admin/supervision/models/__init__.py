from .assignments import Assignment, Leader
from .complaints import Complaint, SupervisionSettings
from .handover import Handover, OutgoingMember
from .reports import WeeklyReport
from .targets import CompositionTarget, Reserve
from .visits import SupervisionVisit

__all__ = [
    "Assignment",
    "Complaint",
    "CompositionTarget",
    "Handover",
    "Leader",
    "OutgoingMember",
    "Reserve",
    "SupervisionSettings",
    "SupervisionVisit",
    "WeeklyReport",
]
