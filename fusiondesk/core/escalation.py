"""The escalation path as a record (DOMAIN.md: recognise, don't kill it, partner with a
pro-dev, rebuild what is risky, record the lesson): its stages, what each needs, the next step.

A case is opened from tier drift or another warning sign on the app (the sign's name is
recorded as its trigger) and moves forward one stage at a time; nothing here reads a
database, so the rules hold the same for the GUI, the CLI and the sample.
"""

from __future__ import annotations

from collections.abc import Iterable

from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.flags import FLAG_LABELS
from fusiondesk.core.terms import EscalationStage, FlagName

Stage = EscalationStage
ORDER = (Stage.RECOGNISED, Stage.PARTNERED, Stage.DECIDED, Stage.CLOSED)
DRIFT = FlagName.TIER_DRIFT.value
KEEP_AS_IS = "keep as is"  # the decision to rebuild nothing: the app is fine as it stands

# What the case needs next, at each stage: the lead reads it on the app and in the list.
NEXT_STEP = {
    Stage.RECOGNISED: "Partner: assign a pro-dev partner (don't kill the app)",
    Stage.PARTNERED: "Decide what to rebuild with the partner, or keep it as is",
    Stage.DECIDED: "Close the case with its outcome and the lesson learnt",
    Stage.CLOSED: "Done: the lesson is recorded",
}
# The day column each stage sets when the case enters it.
STAGE_DAY = {Stage.RECOGNISED: "recognised_on", Stage.PARTNERED: "partnered_on",
             Stage.DECIDED: "decided_on", Stage.CLOSED: "closed_on"}


def trigger_label(trigger: str) -> str:
    """The words for what a case was opened from ("Tier drift", "Sensitive data", …)."""
    return FLAG_LABELS.get(trigger, trigger)


def escalation_triggers(flags: Iterable[str]) -> list[str]:
    """What an app can be escalated for: its warning signs, tier drift first."""
    flags = list(dict.fromkeys(flags))
    return sorted(flags, key=lambda name: (name != DRIFT, list(FLAG_LABELS).index(name)
                                           if name in FLAG_LABELS else len(FLAG_LABELS)))


def check_trigger(trigger: str, flags: Iterable[str], app_id: str) -> str:
    """The trigger, when it is a warning sign the app shows now; else a refusal saying which."""
    flags = list(flags)
    if trigger in flags:
        return trigger
    shown = ", ".join(flags) or "none"
    raise PortfolioError(f"App {app_id} does not show the warning sign '{trigger}' (it shows: "
                         f"{shown}); escalate it for one of those.")


def is_open(stage: str) -> bool:
    """True while a case is not closed."""
    return stage != Stage.CLOSED


def check_move(stage: str, to: str, app_id: str) -> None:
    """Refuse a move that is not one stage forward (a partner before a decision, …)."""
    here, there = ORDER.index(Stage(stage)), ORDER.index(Stage(to))
    # One stage at a time: the path partners before it decides, and decides before it closes.
    if there != here + 1:
        raise PortfolioError(
            f"The escalation case of {app_id} is {stage}; it can move to "
            f"{ORDER[min(here + 1, len(ORDER) - 1)].value} next ({NEXT_STEP[Stage(stage)]}).")


def next_step(stage: str) -> str:
    """What the case needs next, in words."""
    return NEXT_STEP[Stage(stage)]
