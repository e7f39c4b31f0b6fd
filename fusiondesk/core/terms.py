"""The closed vocabularies of the portfolio, each named once.

Every member is a `StrEnum`, so it *is* the string that is stored, exported and
printed: `Criticality.MISSION_CRITICAL == "mission_critical"`, and JSON, SQL and
workbooks see the plain value. The order of each enum is the order its choices
are offered in (`fields.py` derives its choice tuples from these).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Iterable


class Lifecycle(StrEnum):
    """Where an app is in its life."""

    IDEA = "idea"
    DEVELOPMENT = "development"
    PILOT = "pilot"
    PRODUCTION = "production"
    RETIRED = "retired"


class Scope(StrEnum):
    """How far an app reaches beyond the team that built it."""

    TEAM = "team"
    DEPARTMENT = "department"
    CROSS_DEPARTMENT = "cross_department"
    ENTERPRISE = "enterprise"
    EXTERNAL = "external"


class Sensitivity(StrEnum):
    """The most sensitive data an app holds."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    REGULATED = "regulated"


class DataCategory(StrEnum):
    """Kinds of sensitive data an app may hold (any of them)."""

    PII = "pii"
    PHI = "phi"
    PAYMENT = "payment"
    FINANCIAL = "financial"
    CREDENTIALS = "credentials"


class Criticality(StrEnum):
    """How much the business depends on an app."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    MISSION_CRITICAL = "mission_critical"


class Complexity(StrEnum):
    """How complex an app's calculations are."""

    SIMPLE = "simple"
    MODERATE = "moderate"
    COMPLEX = "complex"


class Support(StrEnum):
    """Who supports an app when it breaks."""

    NONE = "none"
    TEAM = "team"
    IT = "it"


class Direction(StrEnum):
    """Which way data flows between an app and a system it connects to."""

    READ = "read"
    WRITE = "write"
    BIDIRECTIONAL = "bidirectional"


class Kind(StrEnum):
    """What an item is, as the platforms' inventories type it."""

    CANVAS_APP = "canvas_app"
    MODEL_DRIVEN_APP = "model_driven_app"
    CLOUD_FLOW = "cloud_flow"
    DESKTOP_FLOW = "desktop_flow"
    AGENT = "agent"
    SITE = "site"
    OTHER = "other"


class EnvironmentType(StrEnum):
    """The type of environment an item lives in (Power Platform's environment types)."""

    DEFAULT = "default"
    SANDBOX = "sandbox"
    DEVELOPER = "developer"
    PRODUCTION = "production"
    TRIAL = "trial"
    TEAMS = "teams"


class OwnerRole(StrEnum):
    """The role an owner holds on an app."""

    PRIMARY = "primary"
    CO_OWNER = "co_owner"
    BUSINESS_OWNER = "business_owner"
    PRODEV_PARTNER = "prodev_partner"


class PersonRole(StrEnum):
    """What a person does in the programme."""

    CITIZEN_DEVELOPER = "citizen_developer"
    PRO_DEVELOPER = "pro_developer"
    COE_ADMIN = "coe_admin"
    BUSINESS_OWNER = "business_owner"


class Certification(StrEnum):
    """How far a person is trained on the platforms."""

    NONE = "none"
    TRAINED = "trained"
    CERTIFIED = "certified"


class PersonStatus(StrEnum):
    """Whether a person is still with the organisation."""

    ACTIVE = "active"
    LEAVING = "leaving"
    LEFT = "left"


def values_of(members: Iterable[StrEnum]) -> tuple[str, ...]:
    """The plain strings of some members, in order.

    Collections that rules test per app hold plain strings: CPython's fast paths for
    comparing strings and for set and dict look-ups apply only to exact `str`.
    """
    return tuple(member.value for member in members)


# A person still here (leaving included) keeps an app alive; someone who left never does.
ACTIVE_STATUSES = values_of((PersonStatus.ACTIVE, PersonStatus.LEAVING))
# People whose apps need a handover.
LEAVER_STATUSES = values_of((PersonStatus.LEAVING, PersonStatus.LEFT))


def is_active_status(status: str | None) -> bool:
    """True when a person with this status still counts as an active owner (unknown never does)."""
    return status in ACTIVE_STATUSES


def is_staying(status: str | None) -> bool:
    """True when a person is active and not leaving: only they cover an app or take one over."""
    return status == PersonStatus.ACTIVE


class Source(StrEnum):
    """Where a change-log row came from."""

    EDIT = "edit"
    BULK_EDIT = "bulk_edit"
    UNDO = "undo"
    IMPORT = "import"
    RULE = "rule"
    REVIEW = "review"
    HANDOVER = "handover"
    POLICY = "policy"
    AUDIT = "audit"
    SAMPLE = "sample"


class Entity(StrEnum):
    """What a change-log row is about."""

    APP = "app"
    PERSON = "person"
    REVIEW = "review"
    POLICY = "policy"
    HANDOVER_PLAN = "handover_plan"
    HANDOVER_ITEM = "handover_item"
    AUDIT = "audit"
    PORTFOLIO = "portfolio"
    TEAM = "team"
    ESCALATION = "escalation"  # an escalation case (issue 18)
    DUPLICATES = "duplicates"  # a decision on a group of likely duplicates (issue 18)


class Whole(StrEnum):
    """The field a change-log row names when it is about a whole entity, not one field."""

    APP = "(app)"
    PERSON = "(person)"
    PLAN = "(plan)"
    REVIEW = "(review)"
    MERGED = "(merged)"  # a person merged into their directory record
    CASE = "(case)"  # an escalation case opened (issue 18)
    DECISION = "(decision)"  # a duplicate group's decision recorded (issue 18)


class Existence(StrEnum):
    """Before and after of a change-log row that records a whole entity made or removed.

    Such a row names a `Whole` as its field. Not an import's outcome for a row
    (`Outcome.CREATED`, "created").
    """

    CREATED = "(created)"
    DELETED = "(deleted)"
    EXISTS = "(exists)"


class Triage(StrEnum):
    """How soon a leaver's app needs a new owner."""

    URGENT = "urgent"
    NORMAL = "normal"
    ARCHIVE_CANDIDATE = "archive_candidate"


class Action(StrEnum):
    """What happens to a leaver's app."""

    MIGRATE_TO_PRODEV = "migrate_to_prodev"
    REASSIGN_TO_CITIZEN = "reassign_to_citizen"
    NAME_BUSINESS_OWNER = "name_business_owner"


class PlanStatus(StrEnum):
    """How far one handover item has got."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class FlagName(StrEnum):
    """A warning sign an app can carry (stored `;`-joined in the app's flags), in the order
    `core.flags` raises and lists them."""

    SENSITIVE_DATA = "sensitive_data"
    MULTI_WRITE_BACK = "multi_write_back"
    CRITICAL_WITHOUT_SUPPORT = "critical_without_support"
    COMPLEX_CALCULATIONS = "complex_calculations"
    USER_GROWTH = "user_growth"
    COMPLIANCE = "compliance"
    BUILDER_GONE = "builder_gone"
    COMPLEX_INTEGRATION = "complex_integration"
    UNDOCUMENTED = "undocumented"
    TIER_DRIFT = "tier_drift"
    REVIEW_OVERDUE = "review_overdue"
    SINGLE_OWNER = "single_owner"
    INACTIVE = "inactive"
    UNAPPROVED_PLATFORM = "unapproved_platform"
    UNAPPROVED_CONNECTOR = "unapproved_connector"
    # the production gate (core.gate): deployed where, reviewed and documented as the tier asks
    OUTSIDE_PRODUCTION = "outside_production"
    NO_READINESS_REVIEW = "no_readiness_review"
    DEPLOYED_UNDOCUMENTED = "deployed_undocumented"
    # the tier's deployment path checked against who deployed it (core.gate)
    OFF_DEPLOYMENT_PATH = "off_deployment_path"
    # connector groups, the DLP model (core.connectors)
    BLOCKED_CONNECTOR = "blocked_connector"
    MIXED_CONNECTORS = "mixed_connectors"
    # the citizen developer record (core.certification): a builder qualified for the tier
    UNQUALIFIED_BUILDER = "unqualified_builder"


class EnvironmentStage(StrEnum):
    """What an environment is for; the policy maps environment types and names onto these."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class ConnectorGroup(StrEnum):
    """A connector's data group in the DLP model: used together only within one group."""

    BUSINESS = "business"
    NON_BUSINESS = "non_business"
    BLOCKED = "blocked"


class ReviewType(StrEnum):
    """The milestone (or periodic) reviews an app may need."""

    ARCHITECTURE = "architecture"
    INTEGRATION = "integration"
    SECURITY = "security"
    PRODUCTION_READINESS = "production_readiness"
    PERIODIC = "periodic"


class ReviewOutcome(StrEnum):
    """What a completed review decided."""

    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    REJECTED = "rejected"


# The criticalities that make an app critical (DOMAIN.md: "high or mission-critical"), in words.
CRITICAL = dict(zip(values_of((Criticality.HIGH, Criticality.MISSION_CRITICAL)),
                    ("high criticality", "mission-critical")))


# --- teams with members (issue 17) ---

class TeamRole(StrEnum):
    """A person's role in a team that owns apps."""

    LEAD = "lead"
    MEMBER = "member"
# --- escalation cases and duplicates (issue 18) -----------------------------------------

class EscalationStage(StrEnum):
    """How far an escalation case has got along the path (DOMAIN.md: recognise, don't kill,
    partner, rebuild what is risky, record the lesson)."""

    RECOGNISED = "recognised"
    PARTNERED = "partnered"
    DECIDED = "decided"
    CLOSED = "closed"


class DuplicateVerdict(StrEnum):
    """What the lead decided of a group of likely duplicates."""

    KEEP = "keep"
    MERGE = "merge"
    RETIRE = "retire"
