"""Match a person (为人员查重): who among the residents a new or looked-up person may be."""

from __future__ import annotations

import enum

import strawberry

from identity.incremental import Candidate
from resolvers import matching
from resolvers.context import context_of
from resolvers.identity import summary
from schema.identity import Contribution
from schema.resident import Resident


@strawberry.input(description="What is known of the person; every field is optional.")
class PersonInput:
    name: str | None = None
    id_number: str | None = None
    gender: str | None = strawberry.field(default=None, description="男/女, 1/2, M/F …")
    birth_date: str | None = strawberry.field(default=None, description="Any usual format.")
    phone: str | None = None
    address: str | None = None
    household_key: str | None = strawberry.field(
        default=None, description="A household number, if the person came with one."
    )


@strawberry.enum(description="What to do with the person.")
class MatchDecision(enum.Enum):
    LINK = "link"  # it is this resident
    REVIEW = "review"  # a person should decide
    NEW = "new"  # nobody known


@strawberry.type(description="A resident the person may be, by their best-matching record.")
class MatchCandidate:
    resident: Resident
    probability: float
    match_weight: float
    contributions: list[Contribution]
    summary: str

    @classmethod
    def of(cls, candidate: Candidate, resident: Resident) -> MatchCandidate:
        explanation = [(c.comparison, c.level, c.weight) for c in candidate.explanation]
        return cls(
            resident=resident,
            probability=candidate.probability,
            match_weight=candidate.match_weight,
            contributions=Contribution.listing(explanation),
            summary=summary(explanation),
        )


@strawberry.type
class PersonMatch:
    decision: MatchDecision
    reason: str = strawberry.field(description="Why it needs review: uncertain, or the rule.")
    resident: Resident | None = strawberry.field(
        description="The resident to join (LINK) or to decide about (REVIEW); null when new "
        "or outside your scope."
    )
    candidates: list[MatchCandidate] = strawberry.field(
        description="Residents in your scope the person may be, strongest first."
    )


@strawberry.type
class MatchingQuery:
    @strawberry.field(
        description="Whom among the residents this person may be, without a resolution run: "
        "the same blocking, comparisons and weights as the last `yiwang resolve`."
    )
    async def match_person(self, info: strawberry.Info, person: PersonInput) -> PersonMatch:
        fields = {name: getattr(person, name) for name in PersonInput.__annotations__}
        found = await matching.match_person(context_of(info), fields)
        return PersonMatch(
            decision=MatchDecision(found.decision),
            reason=found.reason,
            resident=Resident.from_row(found.resident) if found.resident is not None else None,
            candidates=[MatchCandidate.of(c, Resident.from_row(r)) for c, r in found.candidates],
        )
