"""The Programme page's delivery charts, as dashboard charts (services.dashboard.charts).

Solutions delivered per quarter (the most recent ones), and each tier's median lead time
from request to deployment against the 2–4 week target of Tier 1–2.
"""

from __future__ import annotations

from fusiondesk.core.delivery import TARGET_DAYS, TARGET_TIERS, Delivery
from fusiondesk.services.dashboard.charts import UNCLASSIFIED, Bar, Chart, Panel

RECENT_QUARTERS = 8


def delivered_chart(delivery: Delivery) -> Chart:
    """Solutions deployed in each of the last RECENT_QUARTERS quarters that delivered any."""
    quarters = sorted(q for q in delivery.delivered_by_quarter if q)[-RECENT_QUARTERS:]
    bars = tuple(Bar(quarter, delivery.delivered_by_quarter[quarter]) for quarter in quarters)
    total = sum(bar.value for bar in bars)
    note = (f"{total:,} solutions in the last {len(bars)} quarters with a delivery; "
            f"{delivery.solutions_delivered:,} in all") if bars else ""
    return Chart("delivered", "Solutions delivered per quarter",
                 (Panel(bars, category_label="Solutions deployed"),) if bars else (),
                 note=note, empty_text="No app has a deployment date")


def lead_time_chart(delivery: Delivery) -> Chart:
    """Each tier's median days from request to deployment; Tier 1–2 shaded as the target."""
    medians = delivery.median_lead_days()
    bars = tuple(Bar(_tier(tier), round(days)) for tier, days in medians.items())
    within, counted = delivery.within_target()
    note = (f"Tier 1–2 target {TARGET_DAYS[0] // 7}–{TARGET_DAYS[1] // 7} weeks: "
            f"{within:,} of {counted:,} within {TARGET_DAYS[1]} days") if counted else \
        f"Target: {TARGET_DAYS[0] // 7}–{TARGET_DAYS[1] // 7} weeks for Tier 1–2"
    target = tuple(_tier(tier) for tier in TARGET_TIERS if tier in medians)
    return Chart("lead_time_by_tier", "Median days from request to deployment",
                 (Panel(bars, category_label="Median days", target=target),) if bars else (),
                 note=note, empty_text="No app has both a request and a deployment date")


def _tier(tier: int | None) -> str:
    return f"Tier {tier}" if tier else UNCLASSIFIED
