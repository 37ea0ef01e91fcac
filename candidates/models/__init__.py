from .lists import Department, NegativeListItem, Occupation
from .nominations import Candidate, CloseRelation, Nomination, NominationRound
from .publications import CandidateListPublication
from .review import DepartmentVerdict, JointReview, QualificationReview

__all__ = [
    "Candidate",
    "CandidateListPublication",
    "CloseRelation",
    "Department",
    "DepartmentVerdict",
    "JointReview",
    "NegativeListItem",
    "Nomination",
    "NominationRound",
    "Occupation",
    "QualificationReview",
]
