"""Opt-in licence policy: is this use of registered assets permitted?

The rule rights holders asked for is *prior permission*: a registered work or
character may be used only where a licence covers it (the character itself or
its work), names the request's purpose, is in force at the request's time,
covers the request's territory where it names territories, and the prompt is
in none of its prohibited contexts. No licence, no use; a prohibition beats a
permission; where several licences fit, any one allows.

Pure: takes a registry snapshot, a screening result and a request; returns a
:class:`Decision` with reasons (message codes, rendered in Japanese and
English by :mod:`kyodaku.messages`), royalties due and licence offers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

from kyodaku.messages import Message, format_money
from kyodaku.registry.model import Licence, Registry
from kyodaku.screen.types import ContextHit, Evidence, Reference, ScreenResult

#: Default currency for royalties when neither the request nor the licence names one.
DEFAULT_CURRENCY = "JPY"


@dataclass(frozen=True)
class UseRequest:
    """What the creator declares about the intended use."""

    purpose: str = "non-commercial"
    territory: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    declared_value: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class RoyaltyDue:
    licence_id: str
    asset_id: str
    rights_holder_id: str
    rate: Decimal
    declared_value: Decimal | None
    amount: Decimal | None
    currency: str


@dataclass(frozen=True)
class Offer:
    """A licence that would allow a *different* use of a refused asset."""

    licence_id: str
    asset_id: str
    purposes: tuple[str, ...]
    prohibited_contexts: tuple[str, ...]
    territories: tuple[str, ...]
    royalty_rate: float


@dataclass(frozen=True)
class AssetVerdict:
    """The outcome for one referenced asset."""

    asset_id: str
    permitted: bool
    licence_id: str | None
    reasons: tuple[Message, ...]


@dataclass(frozen=True)
class Decision:
    decision: Literal["allow", "block"]
    references: tuple[Reference, ...]
    verdicts: tuple[AssetVerdict, ...]
    licence_ids: tuple[str, ...]
    royalties: tuple[RoyaltyDue, ...]
    reasons: tuple[Message, ...]
    offers: tuple[Offer, ...]
    contexts: tuple[ContextHit, ...]
    registry_version: int
    error: str | None = None

    @property
    def allowed(self) -> bool:
        return self.decision == "allow"

    @property
    def asset_ids(self) -> tuple[str, ...]:
        return tuple(r.asset_id for r in self.references)

    @property
    def context_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.context for h in self.contexts))


def refuse_with_error(code: str, detail: str, registry_version: int = 0) -> Decision:
    """The fail-closed decision when screening or policy could not complete."""
    return Decision(
        decision="block",
        references=(),
        verdicts=(),
        licence_ids=(),
        royalties=(),
        reasons=(Message("decision.block"), Message(code, {"detail": detail})),
        offers=(),
        contexts=(),
        registry_version=registry_version,
        error=code,
    )


def decide(registry: Registry, screen: ScreenResult, request: UseRequest) -> Decision:
    """Apply the opt-in rule to every referenced asset; all must be permitted."""
    refs = screen.references
    context_hits = screen.contexts
    characters_by_work: dict[str, list[Reference]] = {}
    for ref in refs:
        if ref.asset_kind == "character":
            character = registry.character(ref.asset_id)
            if character is not None:
                characters_by_work.setdefault(character.work, []).append(ref)

    verdicts: list[AssetVerdict] = []
    royalties: list[RoyaltyDue] = []
    offers: list[Offer] = []
    reasons: list[Message] = []
    for ref in refs:
        reasons.append(describe_evidence(registry, screen.prompt, ref))
        if ref.asset_kind == "work" and ref.asset_id in characters_by_work:
            # The work shows up as the world of characters that are judged on
            # their own (a Saiyan's Kamehameha is part of using Goku): the
            # characters' licences decide, so the work adds no extra demand.
            character = registry.display_name(characters_by_work[ref.asset_id][0].asset_id)
            msg = Message(
                "policy.covered_by_character",
                {"asset": registry.display_name(ref.asset_id), "character": character},
            )
            verdicts.append(AssetVerdict(ref.asset_id, True, None, (msg,)))
            continue
        verdict, offer_list = _judge_asset(registry, ref.asset_id, request, context_hits)
        verdicts.append(verdict)
        offers.extend(offer_list)
        reasons.extend(verdict.reasons)
        if verdict.permitted and verdict.licence_id is not None:
            royalty = _royalty(registry, verdict.licence_id, ref.asset_id, request)
            royalties.append(royalty)
            if royalty.amount is not None:
                reasons.append(_royalty_message(registry, royalty))

    allowed = all(v.permitted for v in verdicts)
    if not refs:
        reasons.append(Message("decision.no_references"))
    reasons.insert(0, Message("decision.allow" if allowed else "decision.block"))
    return Decision(
        decision="allow" if allowed else "block",
        references=refs,
        verdicts=tuple(verdicts),
        licence_ids=tuple(dict.fromkeys(v.licence_id for v in verdicts if v.licence_id)),
        royalties=tuple(royalties) if allowed else (),
        reasons=tuple(reasons),
        offers=tuple(offers) if not allowed else (),
        contexts=context_hits,
        registry_version=registry.version,
    )


# --------------------------------------------------------------------------- per asset


def _judge_asset(
    registry: Registry, asset_id: str, request: UseRequest, contexts: tuple[ContextHit, ...]
) -> tuple[AssetVerdict, list[Offer]]:
    asset = registry.display_name(asset_id)
    candidates = registry.licences_covering(asset_id)
    if not candidates:
        msg = Message("policy.unlicensed", {"asset": asset})
        return AssetVerdict(asset_id, False, None, (msg,)), []

    fitting: list[Licence] = []
    failures: list[Message] = []
    for lic in candidates:
        problems = licence_problems(lic, asset, request, contexts)
        if problems:
            failures.extend(problems)
        else:
            fitting.append(lic)
    if fitting:
        # Any fitting licence allows; the cheapest serves the creator best and
        # declaration order breaks ties, so the choice is deterministic.
        chosen = min(fitting, key=lambda lic: (lic.royalty_rate, candidates.index(lic)))
        msg = Message("policy.licensed", {"asset": asset, "licence": chosen.id})
        return AssetVerdict(asset_id, True, chosen.id, (msg,)), []
    offers = [
        Offer(
            licence_id=lic.id,
            asset_id=asset_id,
            purposes=lic.purposes,
            prohibited_contexts=lic.prohibited_contexts,
            territories=lic.territories,
            royalty_rate=lic.royalty_rate,
        )
        for lic in candidates
        if _in_force(lic, request.at)
    ]
    return AssetVerdict(asset_id, False, None, tuple(failures)), offers


def licence_problems(
    lic: Licence, asset: str, request: UseRequest, contexts: tuple[ContextHit, ...]
) -> list[Message]:
    """Why ``lic`` does not permit this use (empty when it does)."""
    base = {"licence": lic.id, "asset": asset}
    problems: list[Message] = []
    if request.purpose not in lic.purposes:
        problems.append(
            Message(
                "policy.purpose_not_licensed",
                {**base, "purpose": request.purpose, "allowed": list(lic.purposes)},
            )
        )
    if lic.valid_from is not None and request.at < lic.valid_from:
        problems.append(
            Message(
                "policy.not_yet_valid", {**base, "valid_from": lic.valid_from.date().isoformat()}
            )
        )
    if lic.valid_until is not None and request.at >= lic.valid_until:
        problems.append(
            Message("policy.expired", {**base, "valid_until": lic.valid_until.date().isoformat()})
        )
    if lic.territories:
        territories = ", ".join(lic.territories)
        if request.territory is None:
            problems.append(
                Message("policy.territory_unknown", {**base, "territories": territories})
            )
        elif request.territory.upper() not in lic.territories:
            problems.append(
                Message(
                    "policy.territory_not_licensed",
                    {**base, "territories": territories, "territory": request.territory.upper()},
                )
            )
    for hit in contexts:
        if hit.context in lic.prohibited_contexts:
            problems.append(
                Message(
                    "policy.context_prohibited", {**base, "context": hit.context, "cue": hit.cue}
                )
            )
    return problems


def _in_force(lic: Licence, at: datetime) -> bool:
    return lic.valid_until is None or at < lic.valid_until


# --------------------------------------------------------------------------- money


def _royalty(registry: Registry, licence_id: str, asset_id: str, request: UseRequest) -> RoyaltyDue:
    lic = registry.licence(licence_id)
    assert lic is not None
    holder = registry.rights_holder_of(asset_id)
    rate = Decimal(str(lic.royalty_rate))
    amount = None
    if request.declared_value is not None:
        amount = rate * request.declared_value  # exact; rounded only for display
    return RoyaltyDue(
        licence_id=licence_id,
        asset_id=asset_id,
        rights_holder_id=holder.id if holder else "",
        rate=rate,
        declared_value=request.declared_value,
        amount=amount,
        currency=request.currency or lic.currency or DEFAULT_CURRENCY,
    )


def _royalty_message(registry: Registry, royalty: RoyaltyDue) -> Message:
    return Message(
        "policy.royalty",
        {
            "holder": registry.display_name(royalty.rights_holder_id),
            "asset": registry.display_name(royalty.asset_id),
            "amount": format_money(royalty.amount, royalty.currency),
            "currency": royalty.currency,
            "rate_pct": f"{(royalty.rate * 100).normalize():f}",
            "value": format_money(royalty.declared_value, royalty.currency),
        },
    )


# --------------------------------------------------------------------------- explanations

_EVIDENCE_CODES = {
    ("names", "name"): "evidence.name",
    ("names", "alias"): "evidence.alias",
    ("names", "title"): "evidence.title",
    ("names", "term"): "evidence.term",
    ("names", "reading"): "evidence.reading",
    ("fuzzy", None): "evidence.fuzzy",
    ("description", "epithet"): "evidence.epithet",
    ("description", None): "evidence.description",
    ("description", "vocabulary"): "evidence.vocabulary",
    ("semantic", None): "evidence.semantic",
    ("short_forms", None): "evidence.short_form",
    ("transliteration", None): "evidence.transliteration",
    ("translation", None): "evidence.translation",
}


def describe_evidence(registry: Registry, prompt: str, ref: Reference) -> Message:
    """Quote the strongest evidence back: "'P1kachu' reads as Pikachu (…)"."""
    best: Evidence | None = ref.best
    holder = registry.rights_holder_of(ref.asset_id)
    params = {
        "asset": registry.display_name(ref.asset_id),
        "holder": holder.name if holder else "",
    }
    if best is None or best.span is None:
        return Message("evidence.generic", params)
    span_text = best.span.text(prompt)
    kind = best.kind
    # A match found only in a normalised view (P1kachu, ぴかちゅう) "reads as".
    exact_kinds = ("name", "alias", "title", "term")
    if (
        best.recogniser == "names"
        and kind in exact_kinds
        and span_text.casefold() != best.matched.casefold()
    ):
        kind = "reading"
    code = _EVIDENCE_CODES.get((best.recogniser, kind)) or _EVIDENCE_CODES.get(
        (best.recogniser, None), "evidence.generic"
    )
    return Message(code, {**params, "span": span_text, "matched": best.matched})
