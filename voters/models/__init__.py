from .imports import RollImport
from .objections import Objection
from .publications import RollPublication
from .voters import Voter

__all__ = ["Objection", "RollImport", "RollPublication", "Voter"]
