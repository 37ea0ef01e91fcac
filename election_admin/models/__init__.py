from .regions import Region
from .staff import User

__all__ = ["Region", "User"]
