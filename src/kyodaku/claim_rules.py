"""The claim life cycle as pure rules: states, who may move a claim where, deadlines.

CODA asked for "prompt, sincere handling of infringement claims": that means
a defined path with deadlines that anyone can check. The path is

    received ─▶ acknowledged ─▶ (responded) ─▶ upheld | settled | rejected

The platform acknowledges; the creator may answer once; the rights holder
decides. A claim about a video kyodaku never made is rejected at once with
the evidence ("not ours"). Storage and side effects live in
:mod:`kyodaku.claims`; this module only says what is allowed and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ClaimState(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    RESPONDED = "responded"
    UPHELD = "upheld"
    SETTLED = "settled"
    REJECTED = "rejected"


class Role(StrEnum):
    PLATFORM = "platform"
    CREATOR = "creator"
    RIGHTS_HOLDER = "rights_holder"


FINAL_STATES = frozenset({ClaimState.UPHELD, ClaimState.SETTLED, ClaimState.REJECTED})

#: (from, to) → the role allowed to make that move.
TRANSITIONS: dict[tuple[ClaimState, ClaimState], Role] = {
    (ClaimState.RECEIVED, ClaimState.ACKNOWLEDGED): Role.PLATFORM,
    (ClaimState.ACKNOWLEDGED, ClaimState.RESPONDED): Role.CREATOR,
    (ClaimState.ACKNOWLEDGED, ClaimState.UPHELD): Role.RIGHTS_HOLDER,
    (ClaimState.ACKNOWLEDGED, ClaimState.SETTLED): Role.RIGHTS_HOLDER,
    (ClaimState.ACKNOWLEDGED, ClaimState.REJECTED): Role.RIGHTS_HOLDER,
    (ClaimState.RESPONDED, ClaimState.UPHELD): Role.RIGHTS_HOLDER,
    (ClaimState.RESPONDED, ClaimState.SETTLED): Role.RIGHTS_HOLDER,
    (ClaimState.RESPONDED, ClaimState.REJECTED): Role.RIGHTS_HOLDER,
    # The platform may reject a claim it cannot act on (e.g. "not ours").
    (ClaimState.RECEIVED, ClaimState.REJECTED): Role.PLATFORM,
}


class ClaimRuleError(ValueError):
    """A move the claim rules do not allow (wrong state, wrong role)."""


def check_transition(current: ClaimState, target: ClaimState, role: Role) -> None:
    if current in FINAL_STATES:
        raise ClaimRuleError(
            f"the claim is already {current.value}; it cannot become {target.value}"
        )
    allowed_role = TRANSITIONS.get((current, target))
    if allowed_role is None:
        nexts = sorted(t.value for (f, t) in TRANSITIONS if f == current)
        raise ClaimRuleError(
            f"a {current.value} claim cannot become {target.value} (next: {', '.join(nexts)})"
        )
    if allowed_role != role:
        raise ClaimRuleError(
            f"only the {allowed_role.value.replace('_', ' ')} may move a claim from "
            f"{current.value} to {target.value}"
        )


@dataclass(frozen=True)
class Deadlines:
    acknowledge_by: datetime
    decide_by: datetime


def deadlines(received_at: datetime, ack_within: timedelta, decide_within: timedelta) -> Deadlines:
    return Deadlines(received_at + ack_within, received_at + decide_within)


def overdue_step(state: ClaimState, dl: Deadlines, now: datetime) -> str | None:
    """Which step is late at ``now`` ("acknowledge" or "decide"), if any."""
    if state == ClaimState.RECEIVED and now > dl.acknowledge_by:
        return "acknowledge"
    if state not in FINAL_STATES and now > dl.decide_by:
        return "decide"
    return None
