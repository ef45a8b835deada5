"""The evidence app's models: sources, the people they quote, claims and their citations."""

from intel.models.citations import Citation
from intel.models.claims import Claim, ClaimRelation
from intel.models.history import Change, PageLink, Watch
from intel.models.people import Person
from intel.models.sources import ModerationDecision, Snapshot, Source

__all__ = [
    "Change",
    "Citation",
    "Claim",
    "ClaimRelation",
    "ModerationDecision",
    "PageLink",
    "Person",
    "Snapshot",
    "Source",
    "Watch",
]
