"""What a policy decided, before it becomes a hook answer (see ``answers``)."""

from __future__ import annotations

from integration_engineer.runtime.record import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any, Literal

    Kind = Literal["allow", "deny", "ask", "block", "pass"]


@record
class Outcome:
    """A decision by one policy.

    ``pass`` means "no opinion": the tool call goes ahead unchanged. ``updated_input`` (PreToolUse)
    replaces the whole tool input; ``context`` becomes ``additionalContext``; ``system_message`` is
    shown to the user.
    """

    kind: Kind = "pass"
    reason: str = ""
    policy: str = ""
    updated_input: dict[str, Any] | None = None
    context: str = ""
    system_message: str = ""
    details: dict[str, Any] = field(default_factory=dict)


PASS = Outcome()


def deny(policy: str, reason: str, **details: Any) -> Outcome:
    return Outcome(kind="deny", reason=reason, policy=policy, details=details)


def allow(policy: str, reason: str = "", **details: Any) -> Outcome:
    return Outcome(kind="allow", reason=reason, policy=policy, details=details)


def combine(outcomes: list[Outcome]) -> Outcome:
    """Merge the outcomes of several policies: deny wins, then ask, then rewrites, then allow.

    Rewrites of the same input are applied in order by the caller; here the last rewrite wins and
    every context line is kept, so no policy's advice is lost.
    """
    contexts = [o.context for o in outcomes if o.context]
    messages = [o.system_message for o in outcomes if o.system_message]
    for kind in ("deny", "block", "ask"):
        hits = [o for o in outcomes if o.kind == kind]
        if hits:
            reason = "\n\n".join(o.reason for o in hits if o.reason)
            policy = ",".join(o.policy for o in hits)
            return Outcome(
                kind=hits[0].kind,
                reason=reason,
                policy=policy,
                context="\n\n".join(contexts),
                system_message="\n".join(messages),
            )
    rewrites = [o for o in outcomes if o.updated_input is not None]
    allows = [o for o in outcomes if o.kind == "allow"]
    base = rewrites[-1] if rewrites else (allows[0] if allows else PASS)
    return Outcome(
        kind=base.kind,
        reason=base.reason,
        policy=base.policy,
        updated_input=base.updated_input,
        context="\n\n".join(contexts),
        system_message="\n".join(messages),
        details=base.details,
    )
