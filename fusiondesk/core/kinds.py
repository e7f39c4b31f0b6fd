"""What kind of item an app is, and what that says when a file does not name the platform."""

from __future__ import annotations

from fusiondesk.core.terms import Kind

# Each kind lives on exactly one platform; "other" (code apps, custom pages, solutions)
# says nothing about where the item runs.
_PLATFORM_OF_KIND = {
    Kind.CANVAS_APP: "Power Apps",
    Kind.MODEL_DRIVEN_APP: "Power Apps",
    Kind.CLOUD_FLOW: "Power Automate",
    Kind.DESKTOP_FLOW: "Power Automate",
    Kind.AGENT: "Copilot Studio",
    Kind.SITE: "Power Pages",
}


def platform_for_kind(kind: str | None) -> str | None:
    """The platform an item of this kind runs on, or None when the kind does not tell.

    Applies when a file has no platform column (or a blank platform cell): the Power
    Platform admin center lists apps, flows and agents together with only an item type,
    and a cloud flow is an automation on Power Automate all the same. A platform the
    file does name always wins over this rule.
    """
    return _PLATFORM_OF_KIND.get(kind) if kind else None
