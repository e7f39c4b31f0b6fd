"""Use cases for teams: list them with their members, add, remove or change a member.

A team is only as active as its members (core.measures.active_keepers), so every
change of membership reclassifies the team's apps: their "no active owner" and
"single owner" signs follow at once. Each change is logged as a `team` row of the
change log ("member": who and in which role) and undone by `revert_team_change`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from fusiondesk.core.errors import NotFound
from fusiondesk.core.labels import label
from fusiondesk.core.ownership import TEAM_STANDINGS, team_standing
from fusiondesk.core.terms import LEAVER_STATUSES, Entity, Source, TeamRole, is_active_status
from fusiondesk.core.validation import InvalidValues
from fusiondesk.db.store import Session
from fusiondesk.db.store import teams as store
from fusiondesk.db.store.teams import Member
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes
from fusiondesk.services.classification.reclassify import reclassify
from fusiondesk.services.handover.planning import replan

MEMBER_FIELD = "member"  # the change-log field of a membership: 'e-mail (role)'
_SNAPSHOT = "team_member"  # ChangeSet.snapshots key prefix: what undo puts back
_STEPS = count()  # keeps the snapshots of several changes folded into one set apart


@dataclass(frozen=True, slots=True)
class TeamRow:
    """A team as the Teams page lists it."""

    name: str
    department: str | None
    members: tuple[Member, ...]
    apps_owned: int

    @property
    def active_members(self) -> int:
        """Members still with the organisation (leaving included, as for any owner)."""
        return sum(is_active_status(m.status) for m in self.members)

    @property
    def standing(self) -> str:
        """orphaned | single_member | at_risk | covered (core.ownership.team_standing)."""
        return team_standing(m.status for m in self.members)

    @property
    def standing_words(self) -> str:
        """The standing as the page says it."""
        return TEAM_STANDINGS[self.standing]


def list_teams(session: Session) -> list[TeamRow]:
    """Every team with its members, active member count and apps owned, by name."""
    return [TeamRow(*team) for team in store.listed_teams(session)]


def add_member(session: Session, team: str, person: str, role: str, who: str,
               source: str = Source.EDIT) -> ChangeSet:
    """Put a person (by e-mail, or name while they have none) in a team in a role."""
    team_id, person_id = _ids(session, team, person)
    _check_role(role)
    if store.member_role(session, team_id, person_id) is not None:
        raise InvalidValues({"member": f"{person} is already a member of {team}; change their "
                                       "role instead"})
    store.add_member(session, team_id, person_id, role)
    return _logged(session, team, team_id, person, None, role, who, source)


def remove_member(session: Session, team: str, person: str, who: str,
                  source: str = Source.EDIT) -> ChangeSet:
    """Take a person out of a team."""
    team_id, person_id = _ids(session, team, person)
    role = store.member_role(session, team_id, person_id)
    if role is None:
        raise NotFound(f"{person} is not a member of {team}; reload the Teams page to see "
                       "who is.")
    store.remove_member(session, team_id, person_id)
    return _logged(session, team, team_id, person, role, None, who, source)


def set_member_role(session: Session, team: str, person: str, role: str, who: str,
                    source: str = Source.EDIT) -> ChangeSet:
    """Make a member the team's lead, or a plain member again."""
    team_id, person_id = _ids(session, team, person)
    _check_role(role)
    before = store.member_role(session, team_id, person_id)
    if before is None:
        raise NotFound(f"{person} is not a member of {team}; add them first.")
    if before == role:
        return ChangeSet()
    store.set_member_role(session, team_id, person_id, role)
    return _logged(session, team, team_id, person, before, role, who, source)


def revert_team_change(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a membership change set (newest first); logged as its own change."""
    result = ChangeSet()
    undo = [value for key, value in done.snapshots.items() if key.startswith(_SNAPSHOT)]
    for team, person, before, after in reversed(undo):
        if before is None:
            result.extend(remove_member(session, team, person, who, Source.UNDO))
        elif after is None:
            result.extend(add_member(session, team, person, before, who, Source.UNDO))
        else:
            result.extend(set_member_role(session, team, person, before, who, Source.UNDO))
    return result


def membership_text(person: str, role: str | None) -> str | None:
    """How the change log shows a membership: 'ana@contoso.example (Team lead)'."""
    return None if role is None else f"{person} ({label(TeamRole, role)})"


def _ids(session: Session, team: str, person: str) -> tuple[int, int]:
    team_id = store.team_id(session, team)
    if team_id is None:
        raise NotFound(f"No team named '{team}'; teams come from the apps' owner column or "
                       "an import.")
    person_id = store.person_id(session, person)
    if person_id is None:
        raise NotFound(f"No person '{person}' in the portfolio; add them on the People page "
                       "first.")
    return team_id, person_id


def _replan_leavers(session: Session, team: str, person: str, who: str) -> None:
    """Plan again the leavers of the team: whether its apps fall to them depends on who
    else is in it (a member joining who stays takes them off their plans)."""
    members = dict(store.members_by_team(session).get(team, ()))
    leavers = {key for key, status in members.items() if status in LEAVER_STATUSES}
    if person not in members and store.person_status(session, person) in LEAVER_STATUSES:
        leavers.add(person)  # taken out of the team: their plan loses its apps
    emails = sorted(key for key in leavers if "@" in key)  # a plan is keyed by e-mail
    if emails:
        replan(session, emails, who)


def _check_role(role: str) -> None:
    if role not in tuple(TeamRole):
        raise InvalidValues({"role": f"'{role}' is not a team role; use lead or member"})


def _logged(session: Session, team: str, team_id: int, person: str, before: str | None,
            after: str | None, who: str, source: str) -> ChangeSet:
    """Log one membership change, reclassify the team's apps, and name what they touched."""
    change = FieldChange(Entity.TEAM, team, MEMBER_FIELD, membership_text(person, before),
                         membership_text(person, after))
    log_changes(session, [change], who, source)
    apps = store.apps_owned_by_teams(session, [team_id])
    if apps and (before is None or after is None):  # a role alone changes no app's signs
        reclassify(session, sorted(apps))
        _replan_leavers(session, team, person, who)
    # The apps' owners changed in what they carry (not logged: the team's row says it),
    # so the views showing those apps refresh them.
    touched = [FieldChange(Entity.APP, key, "owner_team", None, None)
               for key in store.app_keys(session, apps)]
    snapshot = {f"{_SNAPSHOT}:{next(_STEPS)}": (team, person, before, after)}
    return ChangeSet([change, *touched], snapshots=snapshot)
