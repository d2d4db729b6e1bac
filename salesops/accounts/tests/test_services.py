"""Rules inside the accounts services (R1): phone numbers, roles and teams, leads."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from salesops.accounts import services
from salesops.accounts.models import Role, User
from salesops.core.errors import Invalid, PermissionDenied
from salesops.core.scope import scope_of

mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
)


@given(mobile=mobiles, prefix=st.sampled_from(["", "86", "+86", "+86 "]), sep=st.sampled_from(["", " ", "-"]))
def test_mainland_mobiles_normalise_to_eleven_digits(mobile, prefix, sep):
    written = prefix + sep.join([mobile[:3], mobile[3:7], mobile[7:]])
    assert services.normalise_mobile(written) == mobile


@given(text=st.text(min_size=1, max_size=20).filter(lambda t: re.sub(r"[\s-]", "", t) != ""))
def test_anything_else_is_a_phone_error(text):
    if services.MOBILE_RE.match(re.sub(r"[\s-]", "", text)):
        return
    with pytest.raises(ValidationError) as error:
        services.normalise_mobile(text)
    assert "phone" in error.value.message_dict


@pytest.mark.django_db
def test_changing_a_leads_role_ends_their_lead(actors):
    services.user_update(user=actors.lead_a, role=Role.REP)
    actors.team_a.refresh_from_db()
    assert actors.team_a.lead is None


@pytest.mark.django_db
def test_moving_a_lead_to_another_team_ends_their_lead(actors):
    services.user_update(user=actors.lead_a, team=actors.team_c)
    actors.team_a.refresh_from_db()
    assert actors.team_a.lead is None


@pytest.mark.django_db
def test_new_lead_joins_the_team(actors):
    newcomer = services.user_create(
        username="he.lead", password="Kehu-Genjin-88", display_name="何组长", role=Role.LEAD, team=actors.team_a
    )
    services.user_update(user=actors.lead_c, role=Role.REP)
    services.user_update(user=newcomer, team=actors.team_c)
    services.team_update(team=actors.team_c, lead=newcomer)
    newcomer.refresh_from_db()
    assert newcomer.team == actors.team_c
    assert scope_of(newcomer).team_ids == frozenset({actors.team_c.pk})


@pytest.mark.django_db
def test_last_admin_cannot_be_deactivated(actors):
    second = services.user_create(
        username="admin2", password="Kehu-Genjin-88", display_name="备用管理员", role=Role.ADMIN
    )
    services.user_deactivate(user=second, by=actors.admin)
    second.refresh_from_db()
    # The last active admin: a deactivated admin may not act, and nobody deactivates themselves.
    with pytest.raises(PermissionDenied):
        services.user_deactivate(user=actors.admin, by=second)
    with pytest.raises(Invalid):
        services.user_deactivate(user=actors.admin, by=actors.admin)
    assert User.objects.filter(is_active=True, role=Role.ADMIN).get() == actors.admin


@pytest.mark.django_db
def test_superuser_is_always_an_admin(db):
    from salesops.accounts.models import User

    root = User.objects.create_superuser("root", "root@example.com", "Kehu-Genjin-88")
    assert root.role == Role.ADMIN
    assert root.is_staff
    assert scope_of(root).everything
