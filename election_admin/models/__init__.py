from .regions import Region
from .staff import User

__all__ = ["Region", "User"]
from .cycles import Cycle  # noqa: E402
from .documents import Document, DocumentKind  # noqa: E402
from .elections import CommitteeMember, Election, ProgressCounter  # noqa: E402
from .jobs import Job  # noqa: E402
from .rulesets import RuleSet  # noqa: E402

__all__ += [
    "CommitteeMember",
    "Cycle",
    "Document",
    "DocumentKind",
    "Election",
    "Job",
    "ProgressCounter",
    "RuleSet",
]
