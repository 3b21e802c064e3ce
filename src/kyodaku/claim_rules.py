"""The claim life cycle as pure rules: states, who may move a claim where, deadlines.

CODA asked for "prompt, sincere handling of infringement claims": that means
a defined path with deadlines that anyone can check. The path is

    received ─▶ acknowledged ─▶ (responded) ─▶ upheld | settled | rejected

The platform acknowledges; the creator may answer once; the rights holder
decides. A claim about a video kyodaku never made is rejected at once by the
platform, with the evidence ("not ours"). Storage and side effects live in
:mod:`kyodaku.claims`; this module only says what is allowed and when, and
its refusals carry message codes so the CLI and the portal can word them in
Japanese or English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from kyodaku.messages import Message


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


class OverdueStep(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    DECIDE = "decide"


FINAL_STATES = frozenset({ClaimState.UPHELD, ClaimState.SETTLED, ClaimState.REJECTED})

#: (from, to) → the role allowed to make that move.
TRANSITIONS: Mapping[tuple[ClaimState, ClaimState], Role] = {
    (ClaimState.RECEIVED, ClaimState.ACKNOWLEDGED): Role.PLATFORM,
    (ClaimState.ACKNOWLEDGED, ClaimState.RESPONDED): Role.CREATOR,
    (ClaimState.ACKNOWLEDGED, ClaimState.UPHELD): Role.RIGHTS_HOLDER,
    (ClaimState.ACKNOWLEDGED, ClaimState.SETTLED): Role.RIGHTS_HOLDER,
    (ClaimState.ACKNOWLEDGED, ClaimState.REJECTED): Role.RIGHTS_HOLDER,
    (ClaimState.RESPONDED, ClaimState.UPHELD): Role.RIGHTS_HOLDER,
    (ClaimState.RESPONDED, ClaimState.SETTLED): Role.RIGHTS_HOLDER,
    (ClaimState.RESPONDED, ClaimState.REJECTED): Role.RIGHTS_HOLDER,
    # The platform rejects at once a claim it cannot act on ("not ours").
    (ClaimState.RECEIVED, ClaimState.REJECTED): Role.PLATFORM,
}


class ClaimRuleError(ValueError):
    """A claim step that is not allowed (wrong state, wrong person, missing input).

    Carries a message code and its parameters (see :mod:`kyodaku.messages`,
    the ``claim.*`` block) so callers can show it in the user's language;
    ``str()`` is the English sentence, for logs.
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(Message(code, params).text("en"))

    @property
    def message(self) -> Message:
        return Message(self.code, self.params)


def state_name(state: ClaimState | str) -> Message:
    """A state as words in the reader's language (a message parameter)."""
    return Message(f"claim.state.{ClaimState(state).value}")


def role_name(role: Role) -> Message:
    return Message(f"claim.role.{role.value}")


def check_transition(current: ClaimState, target: ClaimState, role: Role) -> None:
    """Raise :class:`ClaimRuleError` unless ``role`` may move a claim ``current`` → ``target``."""
    if current in FINAL_STATES:
        raise ClaimRuleError("claim.final", state=state_name(current), target=state_name(target))
    if current == ClaimState.RESPONDED and target == ClaimState.RESPONDED:
        # Worded on its own: "one answer" is a promise made to the rights holder.
        raise ClaimRuleError("claim.already_answered")
    allowed_role = TRANSITIONS.get((current, target))
    if allowed_role is None:
        nexts = sorted(t.value for (f, t) in TRANSITIONS if f == current)
        raise ClaimRuleError(
            "claim.not_next",
            state=state_name(current),
            target=state_name(target),
            next=", ".join(nexts),
        )
    if allowed_role != role:
        raise ClaimRuleError(
            "claim.wrong_role",
            role=role_name(allowed_role),
            state=state_name(current),
            target=state_name(target),
        )


@dataclass(frozen=True)
class Deadlines:
    acknowledge_by: datetime
    decide_by: datetime


def deadlines(received_at: datetime, ack_within: timedelta, decide_within: timedelta) -> Deadlines:
    """Both deadlines count from receipt, so a late acknowledgement eats into the decision."""
    if ack_within <= timedelta(0) or decide_within <= timedelta(0):
        raise ValueError(
            f"claim deadlines must be positive (acknowledge within {ack_within}, "
            f"decide within {decide_within})"
        )
    if decide_within < ack_within:
        raise ValueError(
            f"the decision deadline ({decide_within}) comes before the acknowledgement "
            f"deadline ({ack_within})"
        )
    return Deadlines(received_at + ack_within, received_at + decide_within)


def overdue_step(
    state: ClaimState, acknowledge_by: datetime | None, decide_by: datetime | None, now: datetime
) -> OverdueStep | None:
    """Which step is late at ``now``, if any; a deadline is met up to and including its instant.

    A claim still waiting for acknowledgement is late to acknowledge (even
    when the decision is late too: that is the step owed first). ``None`` for
    a deadline means it no longer applies (met, or never set).
    """
    if state in FINAL_STATES:
        return None
    if state == ClaimState.RECEIVED and acknowledge_by is not None and now > acknowledge_by:
        return OverdueStep.ACKNOWLEDGE
    if decide_by is not None and now > decide_by:
        return OverdueStep.DECIDE
    return None
