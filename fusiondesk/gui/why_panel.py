"""'Why Tier 3': the reasons, unknowns, warning signs and governance of one app, as it stands in the editor."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from fusiondesk.core import clock
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.flags import FLAG_LABELS
from fusiondesk.core.governance import TIER_COLOURS, governance_for
from fusiondesk.core.policy import Policy
from fusiondesk.core.tiers import Classification, classify


class WhyPanel(QTextBrowser):
    """Read-only explanation, recomputed from the facts it is given."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.result: Classification | None = None

    def explain(self, facts: AppFacts, policy: Policy) -> Classification:
        """Classify the facts under `policy` and show why."""
        self.result = classify(facts, policy, clock.today())
        self.setHtml(explanation_html(self.result))
        return self.result

    def show_problem(self, text: str) -> None:
        """Say why no classification can be shown (invalid values in the form)."""
        self.result = None
        self.setHtml(f"<p style='color:#c62828'>{escape(text)}</p>")


def explanation_html(result: Classification) -> str:
    """The explanation as simple HTML."""
    colour = TIER_COLOURS.get(result.tier, "#757575")
    parts = [f"<h2 style='color:{colour}'>Tier {result.tier}</h2>"]
    if result.possible_tier > result.tier:
        parts.append(f"<p><b>Could be Tier {result.possible_tier}</b>: these facts are unknown — "
                     f"{escape(', '.join(result.unknowns))}. Fill them in to be sure.</p>")
    elif result.unknowns:
        parts.append(f"<p>Unknown facts: {escape(', '.join(result.unknowns))}.</p>")
    if result.drift:
        parts.append("<p style='color:#ef6c00'><b>Tier drift</b>: above the approved tier; "
                     "it needs a re-review.</p>")
    parts.append(_reasons(result))
    parts.append(_flags(result))
    parts.append(_governance(result.tier))
    parts.append(f"<p style='color:#757575'>Policy version {result.policy_version}.</p>")
    return "".join(parts)


def _reasons(result: Classification) -> str:
    if not result.reasons:
        return "<p>No criterion above Tier 1 matched: a single team, no external data.</p>"
    items = "".join(f"<li><b>Tier {r.tier}</b>: {escape(r.text)}</li>" for r in result.reasons)
    return f"<h3>Why</h3><ul>{items}</ul>"


def _flags(result: Classification) -> str:
    if not result.flags:
        return "<h3>Warning signs</h3><p>None.</p>"
    items = "".join(f"<li><b>{escape(FLAG_LABELS.get(f.name, f.name))}</b>: {escape(f.explanation)}</li>"
                    for f in result.flags)
    return f"<h3>Warning signs</h3><ul>{items}</ul>"


def _governance(tier: int) -> str:
    model = governance_for(tier)
    return ("<h3>What follows from the tier</h3><ul>"
            f"<li>Who builds: {escape(model.builder)}</li>"
            f"<li>Review: {escape(model.review)}</li>"
            f"<li>Deployment: {escape(model.deployment)}</li></ul>")
