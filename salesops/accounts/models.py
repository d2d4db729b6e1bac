"""People and teams (R1): users with a role, teams with one lead, directors over several teams."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.models import AbstractUser, AnonymousUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesops.core.scope import Scope, ScopedPerson, ScopedQuerySet, scope_of


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


class Team(models.Model):
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


class User(AbstractUser):
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
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

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
        super().save(*args, **kwargs)  # type: ignore[arg-type]

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
