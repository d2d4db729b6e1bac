"""Rules inside the accounts services (R1): phone numbers, roles and teams, leads."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
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


def mainland_mobile(text: str) -> str | None:
    """The rule written without the code's pattern: spaces and dashes aside, an optional 86 or +86, then
    eleven ASCII digits 1[3-9]xxxxxxxxx; that number, "" for nothing at all, None for anything else."""
    compact = "".join(char for char in text if not char.isspace() and char != "-")
    if not compact:
        return ""
    for prefix in ("+86", "86", ""):
        number = compact.removeprefix(prefix) if compact.startswith(prefix) else ""
        if len(number) == 11 and set(number) <= set("0123456789") and number[0] == "1" and number[1] in "3456789":
            return number
    return None


@given(text=st.one_of(st.text(max_size=20), st.text("+86 -0123456789١٣８", max_size=16)))
@example(text="138١٢٣٤٥٦٧٨")  # Arabic-Indic digits are digits to a regex's \d, not to a phone
@example(text="１３８１２３４５６７８")
def test_anything_else_is_a_phone_error(text):
    expected = mainland_mobile(text)
    if expected is not None:
        assert services.normalise_mobile(text) == expected
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
