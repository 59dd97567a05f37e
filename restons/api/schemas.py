"""The API's typed shapes. Output shapes carry exactly the field names of the CLI's ``--json``
(``person show``, ``person list``, ``today``, ``stats``, ``interaction list``): a test compares them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from restons.limits import DATE_MAX, DATE_MIN, DURATION_MAX_DAYS, SEARCH_MAX, TEXT_MAX

StatusName = Literal["on-track", "due", "overdue", "dormant", "untracked"]
Reciprocity = Literal["mutual", "you-carry", "they-carry", "silent"]
DirectionName = Literal["out", "in", "both"]
ChannelName = Literal["text", "email", "call", "video", "meeting", "linkedin", "social", "newsletter", "letter", "other"]
OutcomeKind = Literal["referral-given", "referral-received", "client", "job-lead", "intro", "meetup", "collaboration",
                      "friendship"]
ContentKind = Literal["newsletter", "podcast", "post", "talk"]


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


# Output dates and times are written as the services write them (and the CLI prints them):
# ISO 8601, times with the owner's UTC offset; the schema still says what they are.
IsoDate = Annotated[str, BeforeValidator(_iso), WithJsonSchema({"type": "string", "format": "date"})]
IsoMoment = Annotated[str, BeforeValidator(_iso), WithJsonSchema({"type": "string", "format": "date-time"})]
Days = Field(None, ge=1, le=DURATION_MAX_DAYS, description="A number of days, at most ten years.")
Title = Field(..., min_length=1, max_length=300, pattern=r"\S")
Name = Field(..., min_length=1, max_length=300, pattern=r"\S")
Text = Field("", max_length=TEXT_MAX)
Topics = Field(default_factory=list, max_length=50)
Day = Field(..., description=f"An ISO date from {DATE_MIN} to {DATE_MAX}.")


# The errors every operation may answer: bad input, no token, a read-only token writing, not yours, too many.
ERRORS = frozenset({400, 401, 403, 404, 429})


def check_storable(value, where: str = "") -> None:
    """Refuse text no database stores: NUL characters (PostgreSQL refuses them) and lone surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"{where or 'a value'} holds a NUL character; remove it")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{where or 'a value'} holds an invalid character (a lone surrogate); remove it") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(item, str(key))
    elif isinstance(value, Schema):
        check_storable(value.__dict__)
    elif isinstance(value, (list, tuple)):
        for item in value:
            check_storable(item, where)


class Input(Schema):
    """What a client sends: any text in it must be storable, on SQLite as on PostgreSQL."""

    @model_validator(mode="after")
    def _text_ischeck_storable(self):
        check_storable(self.__dict__)
        return self


class Error(Schema):
    detail: str = Field(..., description="One line: what is wrong and what to do.")


# -- people ------------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    name: str


class PersonSummary(Schema):
    id: int
    name: str
    circles: list[str]
    cadence_days: int | None
    last_touch: IsoMoment | None
    next_due: IsoDate | None
    status: StatusName
    reciprocity: Reciprocity
    strength: int
    interactions_in: int
    interactions_out: int
    archived: bool
    snoozed_until: IsoDate | None


class PeoplePage(Schema):
    count: int = Field(..., description="How many people match, over all pages.")
    items: list[PersonSummary]


class KindValue(Schema):
    kind: str
    value: str


class OutcomeBrief(Schema):
    kind: OutcomeKind
    at: IsoDate
    note: str


class Met(Schema):
    how: str
    on: IsoDate | None
    where: str
    connected_on: IsoDate | None


class OrganisationBrief(Schema):
    name: str
    title: str
    started_on: IsoDate | None
    ended_on: IsoDate | None


class MilestoneBrief(Schema):
    title: str
    on: IsoDate
    yearly: bool


class PledgeBrief(Schema):
    org: str
    on: IsoDate


class TimelineItem(Schema):
    id: int
    at: IsoMoment
    direction: DirectionName
    channel: ChannelName
    summary: str
    source: str


class StrengthPoint(Schema):
    on: IsoDate
    strength: int


class History(Schema):
    """The numbers of the Person page's charts (docs/cli.md, ``person show --json``'s ``history``)."""

    months: list[dict[str, str | int]] = Field(
        description='Oldest first: `month` ("2026-06"), `in`, `out`, `together` (pings that month).')
    strength: list[StrengthPoint]


class PersonDetail(PersonSummary):
    identities: list[KindValue]
    interests: list[str]
    outcomes: list[OutcomeBrief]
    met: Met
    organisations: list[OrganisationBrief]
    milestones: list[MilestoneBrief]
    pledges: list[PledgeBrief]
    ghosting: bool
    suggested_cadence_days: int | None
    notes: str
    timeline: list[TimelineItem]
    history: History


class PersonIn(Input):
    name: str = Name
    emails: list[str] = Field(default_factory=list, max_length=20)
    phones: list[str] = Field(default_factory=list, max_length=20)
    linkedin: str | None = Field(None, max_length=500)
    orgs: list[str] = Field(default_factory=list, max_length=20)
    met: str | None = Field(None, max_length=TEXT_MAX)
    met_on: date | None = None
    interests: list[str] = Field(default_factory=list, max_length=50)
    circles: list[str] = Field(default_factory=list, max_length=50)
    cadence_days: int | None = Days
    notes: str | None = Field(None, max_length=TEXT_MAX)


class PersonPatch(PersonIn):
    """Only what is given changes; identities, organisations, interests and circles are added."""

    name: str | None = Field(None, min_length=1, max_length=300, pattern=r"\S")
    archived: bool | None = None


class IdentityOut(Schema):
    id: int
    kind: str
    value: str


class IdentityIn(Input):
    kind: Literal["email", "phone", "linkedin"]
    value: str = Field(..., min_length=1, max_length=500)


# -- interactions ------------------------------------------------------------------------------


class InteractionOut(Schema):
    id: int
    person: PersonRef
    at: IsoMoment
    direction: DirectionName
    channel: ChannelName
    summary: str
    source: str


class InteractionsPage(Schema):
    count: int
    items: list[InteractionOut]


class PingIn(Input):
    person: int = Field(..., ge=1, description="The person's id.")
    direction: DirectionName = "out"
    channel: ChannelName = "other"
    at: datetime | None = Field(None, description="When it happened (default: now); not in the future.")
    note: str = Text


class InteractionPatch(Input):
    at: datetime | None = None
    direction: DirectionName | None = None
    channel: ChannelName | None = None
    note: str | None = Field(None, max_length=TEXT_MAX)


# -- today, stats, me --------------------------------------------------------------------------


class Reason(Schema):
    kind: str
    text: str


class CatchUp(Schema):
    """Back after a week or more away (docs/engine.md, catching up)."""

    since: IsoDate
    away_days: int
    before: int
    overdue: int
    behind: int
    per_day: int
    days: int


class TodayEntry(Schema):
    person: PersonRef
    reasons: list[Reason]
    draft: str
    next_due: IsoDate | None
    channel: ChannelName
    score: float
    band: Literal["promise", "close", "valued", "others"]
    suggested_cadence_days: int | None
    identities: dict[str, str]
    catch_up: CatchUp | None


class Quarter(Schema):
    quarter: str
    kept: int
    people: int


class PledgeReport(Schema):
    id: int
    org: str
    on: IsoDate
    people: int
    cadence_days: int
    adherence: float | None
    quarters: list[Quarter]
    first_ping_by: IsoDate
    pending: int
    pinged: int | None
    days_left: int | None


class Suggested(Schema):
    id: int
    name: str
    interaction: int
    at: IsoMoment
    summary: str


class Noticed(Schema):
    id: int
    title: str
    on: IsoDate
    people: list[PersonRef]
    suggested: list[Suggested]


class Stats(Schema):
    date: IsoDate
    window_days: int
    people: int
    status: dict[str, int]
    reciprocity: dict[str, int]
    ghosting: int
    pledges: list[PledgeReport]
    outcomes: dict[str, int]
    noticed: list[Noticed]


class MyIdentityOut(Schema):
    kind: str = Field(..., description="email, phone (E.164), telegram, linkedin, website")
    value: str


class Me(Schema):
    email: str
    language: str
    time_zone: str
    region: str
    today_limit: int
    name: str = Field("", description="Your name, as chats show it (`restons me add --name`).")
    identities: list[MyIdentityOut] = Field(
        default_factory=list, description="Your own addresses, which decide the direction of imported messages "
                                          "(`restons me show --json`).")


# -- events, milestones, content, outcomes, pledges --------------------------------------------


class EventOut(Schema):
    id: int
    title: str
    on: IsoDate
    topics: list[str]
    lead_days: int


class EventIn(Input):
    title: str = Title
    on: date = Day
    topics: list[str] = Topics
    lead_days: int = Field(7, ge=0, le=365)


class MilestoneOut(Schema):
    id: int
    title: str
    on: IsoDate
    yearly: bool
    person: PersonRef | None


class MilestoneIn(Input):
    title: str = Title
    on: date = Day
    yearly: bool = False
    person: int | None = Field(None, ge=1, description="Their milestone: the person's id; none for yours.")


class ContentOut(Schema):
    id: int
    title: str
    on: IsoDate
    kind: ContentKind
    topics: list[str]
    url: str


class ContentIn(Input):
    title: str = Title
    on: date = Day
    kind: ContentKind = "post"
    topics: list[str] = Topics
    url: str = Field("", max_length=200)


class OutcomeOut(Schema):
    id: int
    person: PersonRef
    kind: OutcomeKind
    at: IsoDate
    note: str


class OutcomeIn(Input):
    person: int = Field(..., ge=1)
    kind: OutcomeKind
    at: date | None = Field(None, description="When (default today); not in the future.")
    note: str = Text


class PledgeIn(Input):
    org: str = Name
    on: date | None = Field(None, description="The day you leave (default today).")
    people: list[int] = Field(default_factory=list, max_length=500)
    cadence_days: int | None = Days


class PledgePatch(Input):
    on: date | None = None
    cadence_days: int | None = Days
    ended_on: date | None = None
    add_people: list[int] = Field(default_factory=list, max_length=500)
    remove_people: list[int] = Field(default_factory=list, max_length=500)


class Search(Schema):
    q: str = Field("", max_length=SEARCH_MAX)
