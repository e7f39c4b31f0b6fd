"""What one app is worth, under its value ledger: the app editor's Value tab.

The app's hours saved a year, pro-dev cost avoided, licence cost, net value and payback,
from what the form says now (before saving) and the policy's rates; each figure explains
itself on hover, as the Why-Tier panel explains a tier, and an unknown says what is missing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel

from fusiondesk.core.policy import Policy
from fusiondesk.core.value import Assumptions, Ledger, app_value
from fusiondesk.core.value_reasons import app_reasons

FIGURES = (("hours_saved_per_year", "Hours saved a year"), ("saved_value", "Their value"),
           ("cost_avoided", "Pro-dev cost avoided"), ("licence_cost", "Licence cost a year"),
           ("net_value", "Net value (first year)"), ("payback_months", "Payback"))


class ValuePanel(QGroupBox):
    """The figures of one app's value ledger, each with its reason as tooltip and below it."""

    def __init__(self, parent=None):
        super().__init__("What it is worth (hover over a figure for how it is counted)", parent)
        form = QFormLayout(self)
        self.figures: dict[str, QLabel] = {}
        for name, title in FIGURES:
            label = QLabel("–")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.figures[name] = label
            form.addRow(title, label)

    def show_value(self, facts, policy: Policy) -> None:
        """Work out and show the figures of `facts` (an AppFacts) under `policy`."""
        assumptions = Assumptions.from_policy(policy)
        ledger = Ledger(facts.hours_saved_per_month, facts.minutes_saved_per_run,
                        facts.runs_per_month, facts.prodev_estimate_hours, facts.licence,
                        facts.licence_cost_per_month)
        value = app_value(ledger, assumptions)
        reasons = app_reasons(ledger, value, assumptions)
        shown = {"hours_saved_per_year": _number(value.hours_saved_per_year),
                 "saved_value": assumptions.money(value.saved_value),
                 "cost_avoided": assumptions.money(value.cost_avoided),
                 "licence_cost": assumptions.money(value.licence_cost),
                 "net_value": assumptions.money(value.net_value),
                 "payback_months": _payback(value)}
        for name, label in self.figures.items():
            label.setText(shown[name])
            label.setToolTip(reasons[name])

    def show_problem(self, text: str) -> None:
        """The form holds a value that cannot be read: say so instead of figures."""
        for label in self.figures.values():
            label.setText("–")
            label.setToolTip(text)


def _number(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,.0f}"


def _payback(value) -> str:
    if value.net_value is None:
        return "unknown"
    if value.payback_months is None:
        return "never at these figures"
    return "at once" if not value.payback_months else f"{value.payback_months:,.1f} months"
