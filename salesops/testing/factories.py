"""Factories for tests and benchmark data: people and teams with believable Chinese names."""

from __future__ import annotations

from typing import Any, cast

import factory
from factory.django import DjangoModelFactory

from salesops.accounts.models import Role, Team, User

TEST_PASSWORD = "Xiaoshou-2026!"


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"销售{n + 1}组")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"员工{n}")
    role = Role.REP
    team = factory.SubFactory(TeamFactory)
    language = "zh-hans"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


def make_team(**fields: Any) -> Team:
    """A team (typed wrapper: factory_boy's call is untyped)."""
    return cast(Team, TeamFactory(**fields))


def make_user(**fields: Any) -> User:
    """A person with the test password (typed wrapper: factory_boy's call is untyped)."""
    return cast(User, UserFactory(**fields))
