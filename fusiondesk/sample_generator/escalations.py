"""A sample portfolio's escalation cases and duplicate decisions: a few cases at every stage of
the path (some closed, with the lessons a CoE really learns) and a verdict on some of the
duplicate groups the sample's names make.

Pure: it chooses from what it is given (the apps' warning signs, the pro-devs, the groups);
`services.escalations.sample` writes the choices through the same use cases the GUI runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

# How many cases stop at each stage; the closed ones carry a lesson.
STAGES = (("recognised", 3), ("partnered", 2), ("decided", 2), ("closed", 4))
_REASONS = {
    "tier_drift": "Grew past the tier it was approved at; nobody re-reviewed it.",
    "sensitive_data": "Holds personal data the team did not know it collected.",
    "critical_without_support": "Became business-critical with no IT support or DR plan.",
}
_REBUILDS = ("The write-back to the ERP as a pro-dev integration; the form stays.",
             "Keep as is",
             "The approval logic as a governed flow with a service account.",
             "The data store: move it from a personal OneDrive to Dataverse.")
# (outcome, lesson) of closed cases by what they came from: the lessons a lead searches later.
_CLOSED = {
    "tier_drift": (
        ("Rebuilt the ERP write-back as a pro-dev integration; the citizen team still owns the app.",
         "Writes to an enterprise system need a pro-dev partner before go-live, not after."),
        ("Kept as is after the review; documentation completed.",
         "Drift from user growth alone is often fine: check the data before rebuilding.")),
    "sensitive_data": (
        ("Personal data moved to a governed store; access reviewed.",
         "Ask about personal data at the architecture review, before the first build."),),
    "critical_without_support": (
        ("Service account and DR plan added; app kept.",
         "Critical apps without IT support should be caught at 50 users, not at the outage."),),
}
DRIFT_SHARE = 0.6  # most cases come from drift, the rest from other signs
_VERDICTS = (("merge", "Two teams built the same tracker; merged into the Finance one."),
             ("keep", "Same name, different processes: both stay."),
             ("retire", "The copy was a test that went live; retired."))


@dataclass(frozen=True, slots=True)
class SampleCase:
    """One escalation case to write, with the day each stage was reached."""

    app_id: str
    trigger: str
    reason: str
    stage: str
    partner: str | None
    rebuild: str | None
    outcome: str | None
    lesson: str | None
    days: tuple[date, ...]  # recognised, partnered, decided, closed: as far as it got


def plan_cases(apps: list[tuple[str, list[str]]], prodevs: list[str], today: date,
               seed: int) -> list[SampleCase]:
    """Cases for some apps showing drift (most) or another sign, at every stage of the path."""
    rng = random.Random(seed * 7 + 18)
    wanted = sum(n for _, n in STAGES)
    drifted = [(a, "tier_drift") for a, signs in apps if "tier_drift" in signs]
    other = [(a, next(s for s in _REASONS if s in signs)) for a, signs in apps
             if "tier_drift" not in signs and set(signs) & set(_REASONS)]
    if not prodevs:
        return []
    picked = rng.sample(drifted, min(len(drifted), round(wanted * DRIFT_SHARE)))
    picked += rng.sample(other, min(len(other), wanted - len(picked)))
    rng.shuffle(picked)
    stages = [stage for stage, n in STAGES for _ in range(n)]
    return [_case(rng, app_id, trigger, stage, prodevs, today, index)
            for index, ((app_id, trigger), stage) in enumerate(zip(picked, stages))]


def _case(rng, app_id, trigger, stage, prodevs, today, index) -> SampleCase:
    reached = [stage_name for stage_name, _ in STAGES].index(stage)
    start = today - timedelta(days=rng.randrange(60, 200))
    days = tuple(min(today, start + timedelta(days=step * rng.randrange(5, 20)))
                 for step in range(reached + 1))
    lessons = _CLOSED[trigger]
    closed = lessons[index % len(lessons)] if stage == "closed" else (None, None)
    return SampleCase(app_id, trigger, _REASONS[trigger], stage,
                      prodevs[rng.randrange(len(prodevs))] if reached >= 1 else None,
                      _REBUILDS[index % len(_REBUILDS)] if reached >= 2 else None,
                      *closed, days)


def plan_decisions(group_keys: list[str], seed: int) -> list[tuple[str, str, str]]:
    """(group key, verdict, note) for a few of the groups found: the rest await the lead."""
    rng = random.Random(seed * 11 + 18)
    chosen = rng.sample(group_keys, min(len(_VERDICTS), len(group_keys)))
    return [(key, verdict, note) for key, (verdict, note) in zip(sorted(chosen), _VERDICTS)]
