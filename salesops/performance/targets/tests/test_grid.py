"""The month grid of targets (R22, R4): people × metrics with the team's row, the members' split checked
against the team's target (sum and difference), saved cell by cell by whoever manages the row, cleared
when emptied, read-only where the caller manages nothing."""

from __future__ import annotations

from salesops.performance.engine import Subject
from salesops.performance.periods import Period
from salesops.performance.targets import selectors, services
from salesops.performance.targets.models import Target

MONTH = Period.parse("2026-11")


def url(actors):
    return f"/targets/?team={actors.team_a.pk}&period=2026-11"


def test_the_grid_shows_the_split_and_its_difference(client, actors):
    services.target_set(by=actors.lead_a, subject=Subject.team(actors.team_a.pk), period=MONTH, metric="deals",
                        value=10)
    for person, value in ((actors.rep_a1, 6), (actors.rep_a2, 3)):
        services.target_set(by=actors.lead_a, subject=Subject.person(person.pk), period=MONTH, metric="deals",
                            value=value)
    client.force_login(actors.lead_a)
    page = client.get(url(actors)).content.decode()
    assert f'name="t__{actors.rep_a1.pk}__deals" value="6"' in page
    check = page[page.index('data-testid="split-check"'):]
    assert "9" in check and ("1 under the team" in check or "比团队目标少 1" in check)


def test_the_lead_saves_and_clears_cells_but_not_their_own(client, actors):
    client.force_login(actors.lead_a)
    answer = client.post(url(actors), {"t__team__sales_amount": "300000", f"t__{actors.rep_a1.pk}__deals": "4",
                                       f"t__{actors.lead_a.pk}__deals": "7"})
    assert answer.status_code == 302
    assert selectors.target_values(subject=Subject.team(actors.team_a.pk), period=MONTH) == {"sales_amount": 300000}
    assert selectors.people_targets(user_ids=[actors.rep_a1.pk, actors.lead_a.pk], period=MONTH) == {
        actors.rep_a1.pk: {"deals": 4}, actors.lead_a.pk: {}}  # a lead's own row is their director's
    client.post(url(actors), {"t__team__sales_amount": "300000.00", f"t__{actors.rep_a1.pk}__deals": ""})
    assert Target.objects.get(user=actors.rep_a1).is_active is False


def test_a_bad_cell_saves_nothing(client, actors):
    client.force_login(actors.lead_a)
    page = client.post(url(actors), {"t__team__deals": "5", f"t__{actors.rep_a1.pk}__deals": "-2"})
    assert page.status_code == 200 and 'data-testid="grid-errors"' in page.content.decode()
    assert not Target.objects.exists()


def test_a_rep_reads_the_grid_without_saving(client, actors):
    client.force_login(actors.rep_a1)
    page = client.get(url(actors)).content.decode()
    assert 'data-testid="targets-save"' not in page
    assert client.post(url(actors), {"t__team__deals": "5"}).status_code == 403
    assert client.get(f"/targets/?team={actors.team_b.pk}").status_code == 404


def test_the_grid_reads_as_many_queries_whatever_the_team_size(client, actors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from salesops.testing.factories import make_user

    client.force_login(actors.lead_a)
    client.get(url(actors))
    with CaptureQueriesContext(connection) as few:
        client.get(url(actors))
    for n in range(3):
        make_user(username=f"grid_rep{n}", team=actors.team_a)
    with CaptureQueriesContext(connection) as more:
        client.get(url(actors))
    assert len(few) == len(more) <= 15
