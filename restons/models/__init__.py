"""The data model; one module per concept of PRODUCT.md §2."""

from restons.models.accounts import Invitation, Preferences
from restons.models.checkups import Checkup, CheckupState
from restons.models.calendar import Content, DismissedNotice, Event, Milestone
from restons.models.imports import MergeSuggestion, SourceRecord
from restons.models.jobs import ImportJob
from restons.models.interactions import Channel, Direction, Interaction
from restons.models.me import MyIdentity
from restons.models.outcomes import Outcome, Pledge, PledgePerson
from restons.models.reminders import Delivery, Reminders, WorkerBeat, WorkerLease
from restons.models.pace import DailyPace, Opening
from restons.models.tokens import ApiToken
from restons.models.people import Affiliation, Circle, Identity, Interest, Membership, Organisation, Person
from restons.models.reviews import KeptReview
from restons.models.sync import CalendarSubscription, ImapAccount

__all__ = [
    "Affiliation", "ApiToken", "CalendarSubscription", "Channel", "Checkup", "CheckupState", "Circle", "Content", "DailyPace", "Direction", "DismissedNotice", "Event", "Identity", "ImapAccount", "ImportJob", "Interaction", "Invitation",
    "Interest", "KeptReview", "Membership", "MergeSuggestion", "MyIdentity", "Milestone", "Opening", "Organisation", "Outcome", "Person", "Pledge", "PledgePerson", "Preferences", "Reminders", "Delivery", "WorkerBeat",
    "WorkerLease", "SourceRecord",
]
