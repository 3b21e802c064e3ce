"""Screen and decide in one fail-closed step, and describe the outcome.

This is the part of the gateway that needs no storage: the bench runner and
``kyodaku screen --registry`` use it on an in-memory registry, the gateway
uses it and then records the result. Any exception inside screening or policy
becomes a refusal with an error reason: nothing is permitted by accident.
"""

from __future__ import annotations

from typing import Any

from kyodaku.messages import Message
from kyodaku.policy import Decision, UseRequest, decide, refuse_with_error
from kyodaku.registry.model import Registry
from kyodaku.screen.types import ScreeningError, ScreenResult


def screen_and_decide(
    registry: Registry, screener: Any, prompt: str, request: UseRequest
) -> tuple[ScreenResult | None, Decision]:
    """Run screening then policy; fail closed on any error."""
    try:
        result: ScreenResult = screener.screen(prompt)
    except ScreeningError as exc:
        return None, refuse_with_error("error.screening_failed", str(exc), registry.version)
    except Exception as exc:  # fail closed: an unexpected bug must refuse, not allow
        detail = f"{type(exc).__name__}: {exc}"
        return None, refuse_with_error("error.screening_failed", detail, registry.version)
    try:
        return result, decide(registry, result, request)
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"
        return result, refuse_with_error("error.policy_failed", detail, registry.version)


def _score(value: float) -> str:
    """Scores as fixed-point text: the ledger hashes exact values, never floats."""
    return f"{value:.4f}"


def decision_payload(decision: Decision, prompt: str, request: UseRequest) -> dict[str, Any]:
    """A JSON-ready record of a decision (what the ledger stores)."""
    return {
        "prompt": prompt,
        "request": {
            "purpose": request.purpose,
            "territory": request.territory,
            "at": request.at.isoformat(),
            "declared_value": str(request.declared_value)
            if request.declared_value is not None
            else None,
            "currency": request.currency,
        },
        "decision": decision.decision,
        "registry_version": decision.registry_version,
        "references": [
            {
                "asset_id": r.asset_id,
                "asset_kind": r.asset_kind,
                "score": _score(r.score),
                "evidence": [
                    {
                        "recogniser": e.recogniser,
                        "kind": e.kind,
                        "span": [e.span.start, e.span.end] if e.span else None,
                        "text": e.span.text(prompt) if e.span else None,
                        "matched": e.matched,
                        "score": _score(e.score),
                    }
                    for e in r.evidence
                ],
            }
            for r in decision.references
        ],
        "contexts": [
            {
                "context": h.context,
                "cue": h.cue,
                "span": [h.span.start, h.span.end] if h.span else None,
            }
            for h in decision.contexts
        ],
        "licences": list(decision.licence_ids),
        "royalties": [
            {
                "licence_id": r.licence_id,
                "asset_id": r.asset_id,
                "rights_holder_id": r.rights_holder_id,
                "rate": str(r.rate),
                "declared_value": str(r.declared_value) if r.declared_value is not None else None,
                "amount": str(r.amount) if r.amount is not None else None,
                "currency": r.currency,
            }
            for r in decision.royalties
        ],
        "offers": [
            {
                "licence_id": o.licence_id,
                "asset_id": o.asset_id,
                "purposes": list(o.purposes),
                "prohibited_contexts": list(o.prohibited_contexts),
                "territories": list(o.territories),
                "royalty_rate": str(o.royalty_rate),
            }
            for o in decision.offers
        ],
        "reasons": [m.as_dict() for m in decision.reasons],
        "error": decision.error,
    }


def offer_messages(registry: Registry, decision: Decision) -> list[Message]:
    """Licence offers as sentences ("would allow Pikachu for non-commercial use")."""
    out: list[Message] = []
    for offer in decision.offers:
        except_contexts: Message | str = ""
        if offer.prohibited_contexts:
            except_contexts = Message(
                "policy.offer.except_contexts", {"contexts": list(offer.prohibited_contexts)}
            )
        territories: Message | str = ""
        if offer.territories:
            territories = Message(
                "policy.offer.territories", {"territories": ", ".join(offer.territories)}
            )
        params = {
            "licence": offer.licence_id,
            "asset": registry.display_name(offer.asset_id),
            "purposes": list(offer.purposes),
            "except_contexts": except_contexts,
            "territories": territories,
        }
        out.append(Message("policy.offer", params))
    return out
