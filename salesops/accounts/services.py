"""Writes on people and teams (R1). Each service validates, runs in one transaction and raises
``core.errors.Invalid`` with field messages in the user's language; nothing is hard-deleted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from knox.models import AuthToken

from salesops.accounts import handover
from salesops.accounts.handover import MoveTo
from salesops.accounts.models import Language, Role, Team, User, revoke_api_tokens
from salesops.core.errors import Invalid, NotFound, PermissionDenied
from salesops.core.versioning import locked_for_update

MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9][0-9]{9}$")  # [0-9]: \d would take any script's digits
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{2,150}$")


def normalise_mobile(phone: str) -> str:
    """Mainland mobile number in its 11-digit form; '' stays ''; anything else is a field error."""
    digits = re.sub(r"[\s-]", "", phone or "")
    if not digits:
        return ""
    if not MOBILE_RE.match(digits):
        raise Invalid(fields={"phone": _("Enter a mainland mobile number of 11 digits, e.g. 13812345678.")})
    return digits[-11:]


def check_role_team(role: str, team: Team | None) -> None:
    if role not in Role.values:
        raise Invalid(fields={"role": _("Unknown role %(role)s.") % {"role": role}})
    if role in (Role.REP, Role.LEAD) and team is None:
        raise Invalid(fields={"team": _("Reps and team leads belong to a team.")})
    if role in (Role.DIRECTOR, Role.ADMIN) and team is not None:
        raise Invalid(fields={"team": _("Directors and admins are not members of a team.")})
    if team is not None and not team.is_active:
        raise Invalid(fields={"team": _("Team %(team)s is closed.") % {"team": team.name}})


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    display_name: str,
    role: str,
    team: Team | None = None,
    phone: str = "",
    email: str = "",
    language: str = Language.ZH_HANS,
) -> User:
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise Invalid(fields={"username": _("Use 2-150 letters, digits or . @ + - _ for the login name.")})
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid(fields={"username": _("The login name %(name)s is taken.") % {"name": username}})
    display_name = (display_name or "").strip()
    if not display_name:
        raise Invalid(fields={"display_name": _("Enter the person's name.")})
    if language not in Language.values:
        raise Invalid(fields={"language": _("Choose Simplified Chinese or English.")})
    check_role_team(role, team)
    user = User(
        username=username,
        display_name=display_name[:50],
        role=role,
        team=team,
        phone=normalise_mobile(phone),
        email=(email or "").strip(),
        language=language,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(fields={"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    display_name: str | None = None,
    role: str | None = None,
    team: Team | object | None = ...,
    phone: str | None = None,
    email: str | None = None,
    language: str | None = None,
    version: int | None = None,
) -> User:
    """Change a person's details, role or team (R1); a lead moved out of the lead role or the team no
    longer leads it. ``version`` is the one the editor read: an older one is refused (``Conflict``
    ``stale``, ``core.versioning``) and nothing changes."""
    user = locked_for_update(User.objects.all(), pk=user.pk, expected=version)
    new_role = role if role is not None else user.role
    new_team = user.team if team is ... else team
    assert new_team is None or isinstance(new_team, Team)
    check_role_team(new_role, new_team)
    if display_name is not None:
        if not display_name.strip():
            raise Invalid(fields={"display_name": _("Enter the person's name.")})
        user.display_name = display_name.strip()[:50]
    if phone is not None:
        user.phone = normalise_mobile(phone)
    if email is not None:
        user.email = email.strip()
    if language is not None:
        if language not in Language.values:
            raise Invalid(fields={"language": _("Choose Simplified Chinese or English.")})
        user.language = language
    led = Team.objects.filter(lead=user).first()
    if led is not None and (new_role != Role.LEAD or new_team != led):
        led.lead = None
        led.save(update_fields=["lead"])
    user.role = new_role
    user.team = new_team
    user.save()
    return user


def user_set_language(*, user: User, language: str) -> User:
    if language not in Language.values:
        raise Invalid(fields={"language": _("Choose Simplified Chinese or English.")})
    user.language = language
    user.save(update_fields=["language"])
    return user


@dataclass(frozen=True)
class Deactivation:
    """A deactivated person and how much of each kind of open work moved (``accounts.handover``)."""

    user: User
    moved: dict[str, int]


def _receiver(person: User, move_to: str, to_user: User | None) -> tuple[User | None, User | None]:
    """The receiver of a leaver's work (None: the pool) and the fallback for work without a pool."""
    team = Team.objects.filter(pk=person.team_id).select_related("lead").first() if person.team_id else None
    lead = team.lead if team is not None and team.lead is not None and team.lead.is_active else None
    fallback = lead if lead is not None and lead.pk != person.pk else None
    if move_to == MoveTo.USER:
        if to_user is None:
            raise Invalid(fields={"to_user": _("Choose the person who takes the work over.")})
        if to_user.pk == person.pk:
            raise Invalid(fields={"to_user": _("Choose someone other than the person who leaves.")})
        return to_user, fallback
    if move_to == MoveTo.LEAD:
        if fallback is None:
            raise Invalid(fields={"move_to": _("%(name)s's team has no other active lead; choose a person or the "
                                               "public pool.") % {"name": person}})
        return fallback, fallback
    return None, fallback


@transaction.atomic
def user_deactivate(*, user: User, by: User, move_to: str = "", to_user: User | None = None) -> Deactivation:
    """A person who leaves keeps their history; they can no longer log in and lead nothing (R15).

    Their customers and open work (every kind registered in ``accounts.handover``) first move to
    ``to_user`` (``move_to="user"``), to their team's lead (``"lead"``) or to the public pool
    (``"pool"``), each through its app's own service. Work left with no ``move_to`` is refused: nothing
    is ever owned by someone who cannot log in. Run again on someone already deactivated, it moves what
    they still hold."""
    if not by.has_perm("accounts.manage_people"):
        raise PermissionDenied(_("Only an admin may deactivate people."))
    if user.pk == by.pk:  # so one active admin always remains: only an admin deactivates, never themselves
        raise Invalid(_("You cannot deactivate yourself."))
    if move_to and move_to not in MoveTo.values:
        raise Invalid(fields={"move_to": _("Choose a person, the team's lead or the public pool.")})
    held = handover.open_work_of(user)
    moved: dict[str, int] = {}
    if held:
        if not move_to:
            raise Invalid(fields={"move_to": _(
                "%(name)s still holds %(work)s; choose who takes it over: a person, the team's lead or the "
                "public pool."
            ) % {"name": user, "work": handover.describe(held)}})
        receiver, fallback = _receiver(user, move_to, to_user)
        reason = _("Handed over: %(name)s left.") % {"name": user}
        moved = handover.hand_over(
            handover.Handover(person=user, by=by, to_user=receiver, fallback=fallback, reason=reason)
        )
    # the teams' versions move on too: an open edit of one of them still names the leaver
    Team.objects.filter(lead=user).update(lead=None, version=F("version") + 1)
    Team.objects.filter(director=user).update(director=None, version=F("version") + 1)
    user.is_active = False
    user.save(update_fields=["is_active"])
    credentials_revoke(user=user)
    return Deactivation(user=user, moved=moved)


def credentials_revoke(*, user: User) -> None:
    """End every session and API token of ``user`` (a deactivation): a person reactivated later logs in
    anew and gets new tokens, never the old ones back. A new password does the same by itself
    (``User.save``)."""
    revoke_api_tokens(user)
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


@transaction.atomic
def token_revoke(*, user: User, key: str) -> None:
    """Revoke one of ``user``'s own API tokens by its key (the first characters the token list shows);
    someone else's token, or none, is ``NotFound``."""
    deleted, _kinds = AuthToken.objects.filter(user=user, token_key=key).delete()
    if not deleted:
        raise NotFound(_("No such token."))


def user_reactivate(*, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def check_team_people(*, team: Team | None, lead: User | None, director: User | None) -> None:
    """A team's lead is an active team lead who leads no other team; its director an active director."""
    if lead is not None:
        if lead.role != Role.LEAD or not lead.is_active:
            raise Invalid(fields={"lead": _("%(name)s is not an active team lead.") % {"name": lead}})
        other = Team.objects.filter(lead=lead).exclude(pk=team.pk if team else None).first()
        if other is not None:
            raise Invalid(fields={"lead": _("%(name)s already leads %(team)s.") % {"name": lead, "team": other}})
    if director is not None and (director.role != Role.DIRECTOR or not director.is_active):
        raise Invalid(fields={"director": _("%(name)s is not an active director.") % {"name": director}})


@transaction.atomic
def team_create(*, name: str, lead: User | None = None, director: User | None = None) -> Team:
    name = (name or "").strip()
    if not name:
        raise Invalid(fields={"name": _("Enter the team's name.")})
    if Team.objects.filter(name__iexact=name).exists():
        raise Invalid(fields={"name": _("A team named %(name)s exists already.") % {"name": name}})
    team = Team.objects.create(name=name[:100])
    if lead is not None or director is not None:
        team_update(team=team, lead=lead, director=director)
    return team


@transaction.atomic
def team_update(
    *,
    team: Team,
    name: str | None = None,
    lead: User | object | None = ...,
    director: User | object | None = ...,
    version: int | None = None,
) -> Team:
    """Rename a team or set its lead and director; a new lead becomes a member of the team. ``version``
    as for ``user_update``."""
    team = locked_for_update(Team.objects.all(), pk=team.pk, expected=version)
    if name is not None:
        name = name.strip()
        if not name:
            raise Invalid(fields={"name": _("Enter the team's name.")})
        if Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists():
            raise Invalid(fields={"name": _("A team named %(name)s exists already.") % {"name": name}})
        team.name = name[:100]
    check_team_people(
        team=team,
        lead=None if lead is ... else lead,  # type: ignore[arg-type]
        director=None if director is ... else director,  # type: ignore[arg-type]
    )
    if lead is not ...:
        if isinstance(lead, User) and lead.team_id != team.pk:
            lead.team = team
            lead.save(update_fields=["team"])
        team.lead = lead  # type: ignore[assignment]
    if director is not ...:
        team.director = director  # type: ignore[assignment]
    team.save()
    return team


def team_close(*, team: Team) -> Team:
    """Close (soft-delete) a team that no active person belongs to any more."""
    if team.members.filter(is_active=True).exists():
        raise Invalid(_("Move or deactivate the team's members before closing it."))
    team.is_active = False
    team.lead = None
    team.save(update_fields=["is_active", "lead"])
    return team
