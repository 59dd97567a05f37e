"""The data model; one module per concept of PRODUCT.md §2."""

from restons.models.accounts import Preferences
from restons.models.checkups import Checkup
from restons.models.calendar import Content, DismissedNotice, Event, Milestone
from restons.models.imports import MergeSuggestion, SourceRecord
from restons.models.interactions import Channel, Direction, Interaction
from restons.models.outcomes import Outcome, Pledge, PledgePerson
from restons.models.tokens import ApiToken
from restons.models.people import Affiliation, Circle, Identity, Interest, Membership, Organisation, Person

__all__ = [
    "Affiliation", "ApiToken", "Channel", "Checkup", "Circle", "Content", "Direction", "DismissedNotice", "Event", "Identity", "Interaction",
    "Interest", "Membership", "MergeSuggestion", "Milestone", "Organisation", "Outcome", "Person", "Pledge", "PledgePerson", "Preferences", "SourceRecord",
]
