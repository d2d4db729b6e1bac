"""The lead's page of the day's targets (R4): the suggested split pre-filled, saved as typed, a split that
does not add up shown with its difference and nothing saved, read-only for members, a bounded number of
queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.daily.targets import selectors
from salesops.performance.engine import Subject
from salesops.performance.periods import Period
from salesops.performance.targets import services as targets

DAY = dt.date(2026, 11, 26)


def url(actors, day=DAY):
    return f"/daily/targets/?team={actors.team_a.pk}&date={day.isoformat()}"


def test_the_suggestion_is_filled_in_and_saved_as_typed(client, actors):
    month = Period.parse("2026-11")
    targets.target_set(by=actors.lead_a, subject=Subject.team(actors.team_a.pk), period=month, metric="deals",
                       value=9)
    targets.target_set(by=actors.lead_a, subject=Subject.person(actors.rep_a1.pk), period=month, metric="deals",
                       value=9)
    client.force_login(actors.lead_a)
    page = client.get(url(actors)).content.decode()
    assert 'name="team__deals" value="3"' in page  # 9 left over 3 working days
    assert f'name="m__{actors.rep_a1.pk}__deals" value="3"' in page
    answer = client.post(url(actors), {"team__deals": "4", f"m__{actors.rep_a1.pk}__deals": "3",
                                       f"m__{actors.rep_a2.pk}__deals": "1", "version": "0"})
    assert answer.status_code == 302
    saved = selectors.day_targets(team_id=actors.team_a.pk, day=DAY)
    assert saved.team == {"deals": 4}
    assert saved.members == {actors.rep_a1.pk: {"deals": 3}, actors.rep_a2.pk: {"deals": 1}}


def test_a_split_off_by_one_is_refused_with_its_difference(client, actors):
    client.force_login(actors.lead_a)
    page = client.post(url(actors), {"team__deals": "5", f"m__{actors.rep_a1.pk}__deals": "3",
                                     f"m__{actors.rep_a2.pk}__deals": "1"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="day-errors"' in text and "5" in text
    assert f'name="m__{actors.rep_a1.pk}__deals" value="3"' in text  # what was typed stays
    assert selectors.day_targets(team_id=actors.team_a.pk, day=DAY).version == 0


def test_members_read_their_team_day_and_cannot_save_it(client, actors):
    client.force_login(actors.rep_a1)
    page = client.get(url(actors)).content.decode()
    assert "readonly" in page and 'data-testid="day-targets-save"' not in page
    assert client.post(url(actors), {"team__deals": "1", f"m__{actors.rep_a1.pk}__deals": "1"}).status_code == 403
    assert client.get(f"/daily/targets/?team={actors.team_b.pk}").status_code == 404


def test_the_page_reads_a_fixed_number_of_queries(client, actors):
    client.force_login(actors.lead_a)
    client.get(url(actors))
    with CaptureQueriesContext(connection) as few:
        client.get(url(actors))
    with CaptureQueriesContext(connection) as more:
        client.get(url(actors, DAY + dt.timedelta(days=1)))
    assert len(few) == len(more) <= 25
