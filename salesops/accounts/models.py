"""People and teams (R1): users with a role, teams with one lead, directors over several teams."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from simple_history.models import HistoricalRecords

from salesops.core.scope import Scope, ScopedPerson, ScopedQuerySet, scope_of
from salesops.core.versioning import Versioned

SESSION_HASH_SALT = "salesops.accounts.User.get_session_auth_hash"


def revoke_api_tokens(user: Any) -> int:
    """Delete every API token of ``user``; how many there were."""
    deleted, _kinds = AuthToken.objects.filter(user=user).delete()
    return deleted


class Role(models.TextChoices):
    """The four roles of R1, with the API words as values."""

    REP = "rep", _("Sales rep")
    LEAD = "lead", _("Team lead")
    DIRECTOR = "director", _("Sales director")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class TeamQuerySet(ScopedQuerySet):
    """Teams a user may see: their own team, the teams they lead or direct; admin all."""

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        q = Q(**{f"{through}pk__in": scope.team_ids})
        if scope.own_team_id:
            q |= Q(**{f"{through}pk": scope.own_team_id})
        return q

    def active(self) -> TeamQuerySet:
        return self.filter(is_active=True)


class Team(Versioned):
    """A sales team: one lead (团队负责人), its members, and the director (销售总监) it reports to."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    lead = models.OneToOneField(
        "accounts.User",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_team",
    )
    director = models.ForeignKey(
        "accounts.User",
        verbose_name=_("director"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directed_teams",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class UserQuerySet(ScopedQuerySet):
    """People a user may see: a rep sees the own team's members; leads and directors their teams."""

    def scope_q(self, scope: Scope, through: str = "") -> Q:
        q = Q(**{f"{through}pk": scope.user_id})
        team_ids = set(scope.team_ids)
        if scope.own_team_id:
            team_ids.add(scope.own_team_id)
        if team_ids:
            q |= Q(**{f"{through}team_id__in": team_ids})
        return q

    def managed_by(self, user: ScopedPerson | AnonymousUser) -> UserQuerySet:
        """The people ``user`` manages (R1, ``Scope.manages``): a lead their team's members, a director
        their teams' members and leads, an admin everyone; never ``user``."""
        return self.filter(scope_of(user).managed_q("pk"))


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


#: What logging in and credentials write on a person's row: never an edit of the person (``User.moves_version``).
CREDENTIAL_FIELDS = frozenset({"last_login", "password", "session_generation"})


class User(Versioned, AbstractUser):
    """A person of the organisation: a rep, a team lead, a director or an admin (R1)."""

    display_name = models.CharField(_("display name"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.REP)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS)
    # Moved on to end every session of the person at once (deactivation): part of the session hash.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_generation"])

    objects = ScopedUserManager()  # type: ignore[misc]  # stubs declare UserManager as a ClassVar

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["team__name", "display_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["team", "role"])]

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args: object, **kwargs: object) -> None:
        if self.is_superuser and self.role != Role.ADMIN:
            self.role = Role.ADMIN
        # Admins use the management pages; nobody else does.
        self.is_staff = self.role == Role.ADMIN
        if not self.display_name:
            self.display_name = self.get_full_name() or self.username
        password_changed = getattr(self, "_password", None) is not None and not self._state.adding  # set_password()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        if password_changed:
            # A new password, whoever set it (the person, an admin's reset, a command), ends every API
            # token; the sessions end through the session hash, which reads the password.
            revoke_api_tokens(self)

    def moves_version(self, update_fields: Iterable[str] | None) -> bool:
        """A login (``last_login``), a rehashed or new password and ended sessions write the row without
        editing the person: they leave the version alone, so an admin's open edit form stays current.
        The password forms save the whole row after ``set_password()``; such a save is a password change."""
        if update_fields is None:
            return getattr(self, "_password", None) is None
        return not set(update_fields) <= CREDENTIAL_FIELDS

    def _session_hash(self, secret: str | bytes | None = None) -> str:
        return salted_hmac(SESSION_HASH_SALT, f"{self.password}:{self.session_generation}", secret=secret,
                           algorithm="sha256").hexdigest()

    def get_session_auth_hash(self) -> str:
        """Django's session check: a session ends when the password changes, or when
        ``session_generation`` moves on (``accounts.services.credentials_revoke``)."""
        return self._session_hash()

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """The action permissions of the apps' ``rules.py`` are decided by their rules alone, for
        superusers too (an admin claims nothing from the pool, R15); Django's model permissions as usual."""
        if rules.perm_exists(perm):
            return bool(self.is_active and rules.has_perm(perm, self, obj))
        return super().has_perm(perm, obj)

    def read_scope(self) -> Scope:
        """This person's data scope (R1), read from the teams they lead or direct; callers use the cached
        ``core.scope.scope_of(user)``."""
        if self.is_admin:
            return Scope(user_id=self.pk, everything=True, own_team_id=self.team_id)
        if self.role not in (Role.DIRECTOR, Role.LEAD):
            return Scope(user_id=self.pk, own_team_id=self.team_id)
        teams = Team.objects.filter(is_active=True, **{"director" if self.role == Role.DIRECTOR else "lead": self})
        rows = list(teams.values_list("pk", "members__pk"))
        return Scope(
            user_id=self.pk,
            team_ids=frozenset(team_id for team_id, _member in rows),
            own_team_id=self.team_id,
            member_ids=frozenset(member for _team, member in rows if member is not None),
        )
