"""The claim life cycle as pure rules: who may move a claim where, and when it is late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kyodaku.claim_rules import (
    FINAL_STATES,
    TRANSITIONS,
    ClaimRuleError,
    ClaimState,
    OverdueStep,
    Role,
    check_transition,
    deadlines,
    overdue_step,
)

RECEIVED_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DUE = deadlines(RECEIVED_AT, timedelta(hours=24), timedelta(days=7))


@pytest.mark.parametrize(("move", "role"), sorted(TRANSITIONS.items()))
def test_every_listed_move_is_allowed_for_its_role_only(
    move: tuple[ClaimState, ClaimState], role: Role
) -> None:
    current, target = move
    check_transition(current, target, role)
    for other in Role:
        if other != role:
            with pytest.raises(ClaimRuleError) as info:
                check_transition(current, target, other)
            assert info.value.code == "claim.wrong_role"


def test_the_path_runs_received_acknowledged_responded_then_a_decision() -> None:
    assert TRANSITIONS[(ClaimState.RECEIVED, ClaimState.ACKNOWLEDGED)] == Role.PLATFORM
    assert TRANSITIONS[(ClaimState.ACKNOWLEDGED, ClaimState.RESPONDED)] == Role.CREATOR
    for decision in FINAL_STATES:
        assert TRANSITIONS[(ClaimState.RESPONDED, decision)] == Role.RIGHTS_HOLDER
        assert TRANSITIONS[(ClaimState.ACKNOWLEDGED, decision)] == Role.RIGHTS_HOLDER


@pytest.mark.parametrize("final", sorted(FINAL_STATES))
@pytest.mark.parametrize("target", list(ClaimState))
def test_nothing_leaves_a_final_state(final: ClaimState, target: ClaimState) -> None:
    for role in Role:
        with pytest.raises(ClaimRuleError) as info:
            check_transition(final, target, role)
        assert info.value.code == "claim.final"


def test_a_move_off_the_path_names_the_moves_that_are_possible() -> None:
    with pytest.raises(ClaimRuleError) as info:
        check_transition(ClaimState.RECEIVED, ClaimState.UPHELD, Role.RIGHTS_HOLDER)
    assert info.value.code == "claim.not_next"
    assert info.value.params["next"] == "acknowledged, rejected"
    assert "cannot become upheld (next: acknowledged, rejected)" in str(info.value)


def test_the_creator_answers_once_and_only_after_acknowledgement() -> None:
    with pytest.raises(ClaimRuleError) as twice:
        check_transition(ClaimState.RESPONDED, ClaimState.RESPONDED, Role.CREATOR)
    assert twice.value.code == "claim.already_answered"
    with pytest.raises(ClaimRuleError) as early:
        check_transition(ClaimState.RECEIVED, ClaimState.RESPONDED, Role.CREATOR)
    assert early.value.code == "claim.not_next"


def test_refusals_read_in_japanese_and_english() -> None:
    with pytest.raises(ClaimRuleError) as info:
        check_transition(ClaimState.ACKNOWLEDGED, ClaimState.UPHELD, Role.CREATOR)
    assert str(info.value) == "Only the rights holder may move a claim from acknowledged to upheld."
    assert (
        info.value.message.text("ja") == "申立てを受領確認済みから認容にできるのは権利者だけです。"
    )


def test_deadlines_count_from_receipt() -> None:
    assert DUE.acknowledge_by == RECEIVED_AT + timedelta(hours=24)
    assert DUE.decide_by == RECEIVED_AT + timedelta(days=7)


@pytest.mark.parametrize(
    ("ack", "decide"),
    [(timedelta(0), timedelta(days=1)), (timedelta(hours=1), -timedelta(days=1)),
     (timedelta(days=2), timedelta(days=1))],
)  # fmt: skip
def test_deadlines_that_cannot_be_met_are_refused(ack: timedelta, decide: timedelta) -> None:
    with pytest.raises(ValueError, match="deadline"):
        deadlines(RECEIVED_AT, ack, decide)


@pytest.mark.parametrize(
    ("state", "after", "expected"),
    [
        (ClaimState.RECEIVED, timedelta(hours=24), None),  # due at that instant: still on time
        (ClaimState.RECEIVED, timedelta(hours=24, seconds=1), OverdueStep.ACKNOWLEDGE),
        (ClaimState.RECEIVED, timedelta(days=8), OverdueStep.ACKNOWLEDGE),  # owed first
        (ClaimState.ACKNOWLEDGED, timedelta(days=2), None),
        (ClaimState.ACKNOWLEDGED, timedelta(days=7, seconds=1), OverdueStep.DECIDE),
        (ClaimState.RESPONDED, timedelta(days=7, seconds=1), OverdueStep.DECIDE),
        (ClaimState.UPHELD, timedelta(days=30), None),
        (ClaimState.SETTLED, timedelta(days=30), None),
        (ClaimState.REJECTED, timedelta(days=30), None),
    ],
)
def test_overdue_step(state: ClaimState, after: timedelta, expected: OverdueStep | None) -> None:
    assert overdue_step(state, DUE.acknowledge_by, DUE.decide_by, RECEIVED_AT + after) == expected


def test_a_cleared_deadline_no_longer_applies() -> None:
    late = RECEIVED_AT + timedelta(days=30)
    assert overdue_step(ClaimState.RECEIVED, None, None, late) is None
    assert overdue_step(ClaimState.ACKNOWLEDGED, None, DUE.decide_by, late) == OverdueStep.DECIDE
