"""Escalation cases: the seeds' escalation path made a record with an owner and an outcome."""

from fusiondesk.services.escalations.actions import (
    app_triggers,
    assign_partner,
    close_case,
    decide_rebuild,
    link_policy_change,
    open_case,
    revert_case,
)
from fusiondesk.services.escalations.cases import (
    Case,
    app_cases,
    list_cases,
    load_case,
    policy_changes,
)

__all__ = ["Case", "app_cases", "app_triggers", "assign_partner", "close_case", "decide_rebuild",
           "link_policy_change", "list_cases", "load_case", "open_case", "policy_changes",
           "revert_case"]
