"""The words inventories use for canonical values, in `value_key` form.

A value map given by the user always takes precedence over these tables.
"""

from __future__ import annotations

import re

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def value_key(text: str) -> str:
    """A value reduced to lower-case words: "Cross-Department" → "cross department"."""
    return _NOT_ALPHANUMERIC.sub(" ", text.casefold()).strip()


# Cells that mean "we don't know", compared casefolded and stripped.
UNKNOWN_WORDS = frozenset({
    "n/a", "na", "n.a.", "n.a", "#n/a", "unknown", "unk", "-", "--", "---", "—", "–", "?",
    "??", "tbd", "tbc", "null", "not known", "not applicable", "not available", "unsure",
})

# Excel error values that arrive as text (CSV exports, pasted values).
EXCEL_ERRORS = frozenset({
    "#n/a", "#ref!", "#value!", "#div/0!", "#name?", "#null!", "#num!", "#spill!", "#calc!",
    "#getting_data", "#field!", "#blocked!", "#connect!", "#busy!", "#unknown!",
})

YES_WORDS = frozenset({
    "yes", "y", "true", "t", "1", "x", "✓", "✔", "☑", "✅", "on", "checked", "present",
    "done", "available", "exists", "ja", "oui", "si", "sí", "yes - documented", "complete",
    "completed", "in place", "1.0",
})
NO_WORDS = frozenset({
    "no", "n", "false", "f", "0", "-", "–", "—", "✗", "✘", "☐", "❌", "off", "unchecked",
    "none", "absent", "missing", "not present", "nein", "non", "not required", "0.0",
    "incomplete", "not in place",
})

# Per enum field: value_key → canonical choice. The choices themselves are added below.
ENUM_SYNONYMS: dict[str, dict[str, str]] = {
    "lifecycle": {
        **dict.fromkeys(("proposed", "requested", "backlog", "planned", "concept",
                         "intake", "new request"), "idea"),
        **dict.fromkeys(("dev", "in development", "build", "building", "draft",
                         "in progress", "under development", "developing", "wip"),
                        "development"),
        **dict.fromkeys(("test", "testing", "uat", "beta", "trial", "in pilot", "piloting",
                         "poc", "proof of concept", "staging"), "pilot"),
        **dict.fromkeys(("prod", "live", "deployed", "in production", "published",
                         "released", "in use", "go live", "operational"), "production"),
        **dict.fromkeys(("decommissioned", "archived", "deprecated", "sunset", "sunsetted",
                         "deleted", "retiring", "end of life", "eol", "disabled",
                         "discontinued"), "retired"),
    },
    "scope": {
        **dict.fromkeys(("personal", "individual", "single team", "my team", "self",
                         "team only", "single user"), "team"),
        **dict.fromkeys(("dept", "departmental", "department wide", "business unit",
                         "division", "bu", "single department"), "department"),
        **dict.fromkeys(("cross department", "cross departmental", "multi department",
                         "cross functional", "multiple departments", "cross dept",
                         "inter department"), "cross_department"),
        **dict.fromkeys(("org wide", "organisation wide", "organization wide", "company wide",
                         "global", "tenant wide", "enterprise wide", "all staff",
                         "everyone", "whole company", "corporate"), "enterprise"),
        **dict.fromkeys(("public", "customer facing", "customers", "partners", "internet",
                         "external users", "guest", "guests", "b2c", "b2b", "portal"),
                        "external"),
    },
    "data_sensitivity": {
        **dict.fromkeys(("open", "unclassified", "non sensitive", "not sensitive"), "public"),
        **dict.fromkeys(("internal only", "internal use", "general", "internal use only",
                         "business use", "company internal"), "internal"),
        **dict.fromkeys(("sensitive", "private", "confidential data",
                         "commercial in confidence"), "confidential"),
        **dict.fromkeys(("highly confidential", "restricted", "strictly confidential",
                         "secret", "top secret", "highly sensitive", "hipaa data", "hipaa",
                         "phi", "pci", "pci data", "gdpr", "regulated data",
                         "special category"), "regulated"),
    },
    "criticality": {
        **dict.fromkeys(("minor", "very low", "negligible", "nice to have"), "low"),
        **dict.fromkeys(("med", "moderate", "normal", "average"), "medium"),
        **dict.fromkeys(("important", "significant", "major", "very important"), "high"),
        **dict.fromkeys(("critical", "business critical", "mission critical",
                         "tier 1 critical", "very high", "highest", "severe",
                         "business essential", "essential"), "mission_critical"),
    },
    "calc_complexity": {
        **dict.fromkeys(("low", "basic", "easy", "none", "trivial", "minimal"), "simple"),
        **dict.fromkeys(("medium", "med", "intermediate", "average", "some"), "moderate"),
        **dict.fromkeys(("high", "advanced", "hard", "very high", "complicated",
                         "very complex", "algorithmic"), "complex"),
    },
    "support": {
        **dict.fromkeys(("no", "nobody", "unsupported", "self", "self supported",
                         "no support", "maker", "maker only", "best effort"), "none"),
        **dict.fromkeys(("team supported", "business", "department", "maker team",
                         "business team", "local", "team support"), "team"),
        **dict.fromkeys(("central it", "it support", "service desk", "helpdesk",
                         "help desk", "it supported", "it team", "it operations",
                         "managed service", "24x7", "24 7"), "it"),
    },
    # kind and environment_type: the item types and environment types of platform exports
    # (Power Platform admin center, Get-AdminPowerApp/Get-AdminFlow, CoE Starter Kit).
    "kind": {
        # A bare "App" or "Power app" could be canvas or model-driven, so it stays unknown.
        **dict.fromkeys(("canvas", "canvas app", "canvasapp", "canvas application",
                         "classic canvas app", "classiccanvasapp", "canvasclassicapp",
                         "sharepoint form", "sharepoint form app", "sharepoint custom form"),
                        "canvas_app"),
        **dict.fromkeys(("model driven", "model driven app", "modeldrivenapp", "modeldriven",
                         "model driven application", "dynamics app", "unified interface app",
                         "appmodule", "app module"), "model_driven_app"),
        **dict.fromkeys(("cloud flow", "cloudflow", "flow", "automated cloud flow",
                         "instant cloud flow", "scheduled cloud flow", "automated flow",
                         "instant flow", "scheduled flow", "button flow",
                         "power automate flow", "microsoft flow", "modern flow"), "cloud_flow"),
        **dict.fromkeys(("desktop flow", "desktopflow", "rpa", "rpa flow",
                         "power automate desktop", "pad", "pad flow", "ui flow", "uiflow",
                         "ui flows"), "desktop_flow"),
        **dict.fromkeys(("copilot", "copilot agent", "bot", "chatbot", "chat bot",
                         "virtual agent", "power virtual agents", "power virtual agents bot",
                         "pva", "pva bot", "copilot studio", "copilot studio agent",
                         "custom copilot", "declarative agent", "ai agent"), "agent"),
        **dict.fromkeys(("power pages", "power pages site", "powerpages", "portal",
                         "power apps portal", "power apps portals", "website", "web site",
                         "pages site"), "site"),
        **dict.fromkeys(("code app", "custom page", "solution", "component library",
                         "canvas component", "custom connector", "business process flow",
                         "dataflow", "classic workflow", "plugin"), "other"),
    },
    "environment_type": {
        **dict.fromkeys(("default environment", "shared default", "personal productivity"),
                        "default"),
        **dict.fromkeys(("sandbox environment", "test", "uat", "non production",
                         "nonproduction"), "sandbox"),
        **dict.fromkeys(("dev", "developer environment", "development", "developer plan",
                         "personal developer", "community plan"), "developer"),
        **dict.fromkeys(("prod", "production environment", "live"), "production"),
        **dict.fromkeys(("trial subscription based", "subscription based trial", "trial",
                         "trial environment", "free trial"), "trial"),
        **dict.fromkeys(("microsoft teams", "dataverse for teams", "teams environment",
                         "ms teams", "dataverse teams", "project oakdale", "teams"), "teams"),
    },
    "role": {
        **dict.fromkeys(("citizen developer", "citizen", "maker", "citizen dev",
                         "business developer", "power user", "cd"), "citizen_developer"),
        **dict.fromkeys(("pro developer", "pro dev", "prodev", "professional developer",
                         "developer", "it developer", "software engineer", "engineer",
                         "pro"), "pro_developer"),
        **dict.fromkeys(("coe", "coe admin", "coe lead", "admin", "administrator",
                         "coe team", "platform admin"), "coe_admin"),
        **dict.fromkeys(("business owner", "business", "sponsor", "product owner",
                         "process owner"), "business_owner"),
    },
    "certification": {
        **dict.fromkeys(("no", "not certified", "untrained", "not trained", "uncertified"),
                        "none"),
        **dict.fromkeys(("training complete", "training completed", "in training",
                         "foundation", "basic"), "trained"),
        **dict.fromkeys(("yes", "certified developer", "accredited", "advanced", "expert"),
                        "certified"),
    },
    "status": {
        # "true"/"false": Entra ID's accountEnabled, which says whether the person can sign in.
        **dict.fromkeys(("current", "employed", "active employee", "yes", "enabled",
                         "in post", "true"), "active"),
        **dict.fromkeys(("notice period", "on notice", "leaving soon", "resigned",
                         "resigning", "serving notice", "transferring"), "leaving"),
        **dict.fromkeys(("departed", "terminated", "inactive", "former", "former employee",
                         "gone", "disabled", "no longer employed", "exited", "retired",
                         "no", "false", "blocked", "deactivated"), "left"),
    },
}

DATA_CATEGORY_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("personal data", "personal", "personally identifiable information",
                     "personal information", "customer data", "employee data", "pi",
                     "personal identifiable information", "gdpr data", "contact details"),
                    "pii"),
    **dict.fromkeys(("health", "health data", "medical", "medical data", "patient data",
                     "ephi", "protected health information", "health information",
                     "clinical", "hipaa"), "phi"),
    **dict.fromkeys(("payments", "card data", "credit card", "credit cards",
                     "cardholder data", "card", "pci", "pci data", "bank details",
                     "banking", "bank account", "payment data", "card numbers"), "payment"),
    **dict.fromkeys(("finance", "financial data", "accounting", "financials",
                     "finance data", "revenue", "budget"), "financial"),
    **dict.fromkeys(("credential", "passwords", "password", "secrets", "secret",
                     "api keys", "api key", "tokens", "keys", "login details"),
                    "credentials"),
}

# Known compliance regimes in their canonical spelling; others are kept as written.
COMPLIANCE_SPELLINGS: dict[str, str] = {
    **dict.fromkeys(("hipaa", "hippa", "hipa"), "HIPAA"),
    **dict.fromkeys(("gdpr", "eu gdpr", "general data protection regulation"), "GDPR"),
    **dict.fromkeys(("pci", "pci dss", "pcidss", "pci compliance",
                     "payment card industry", "payment card industry data security standard"),
                    "PCI DSS"),
    **dict.fromkeys(("sox", "sarbanes oxley", "sarbox", "sarbanes oxley act", "sox 404"),
                    "SOX"),
}

# Integration directions: what follows the colon in `System:direction`.
DIRECTION_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("r", "read", "reads", "in", "inbound", "read only", "readonly", "ro",
                     "get", "source", "import", "pull"), "read"),
    **dict.fromkeys(("w", "write", "writes", "out", "outbound", "write only", "wo",
                     "writeback", "write back", "post", "push", "export", "update",
                     "create"), "write"),
    **dict.fromkeys(("rw", "r w", "read write", "readwrite", "both", "bi", "bidirectional",
                     "bi directional", "two way", "2 way", "sync", "in out", "crud",
                     "read and write"), "bidirectional"),
}
ASYNC_WORDS = frozenset({"async", "asynchronous", "event", "event driven", "queued", "queue"})

# Words for "none" in list cells: a known empty list, not an unknown one.
NONE_WORDS = frozenset({"none", "no", "nil", "nothing", "no data", "none known"})
