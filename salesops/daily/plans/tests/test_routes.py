"""R7 route ordering (pure functions): never longer than the given order, a permutation of the stops,
stops without coordinates kept at the end in their given order; the manual's kind of day as examples."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesops.daily.plans.routes import Stop, distance_km, order_route, route_km

# Stops around the Yangtze delta (the demo's cities), some without a location.
placed = st.builds(Stop, key=st.integers(), latitude=st.floats(29.0, 33.0), longitude=st.floats(118.0, 122.5))
unplaced = st.builds(Stop, key=st.integers())
stops = st.lists(st.one_of(placed, placed, unplaced), max_size=14, unique_by=lambda stop: stop.key)


@settings(max_examples=150, deadline=None)
@given(stops)
def test_never_longer_a_permutation_unplaced_last_in_order(given_stops):
    found = order_route(given_stops)
    assert sorted(found.keys) == sorted(stop.key for stop in given_stops)
    by_key = {stop.key: stop for stop in given_stops}
    ordered = [by_key[key] for key in found.keys]
    assert route_km(ordered) <= route_km(given_stops) + 1e-6
    assert found.after_km == pytest.approx(route_km(ordered), abs=1e-6)
    assert found.before_km == pytest.approx(route_km(given_stops), abs=1e-6)
    without = [stop.key for stop in given_stops if not stop.placed]
    assert found.keys[len(found.keys) - len(without):] == without


def test_a_zig_zag_along_a_road_is_straightened():
    line = [Stop(n, 31.3, 120.5 + n / 10) for n in range(6)]
    zig = [line[0], line[3], line[1], line[5], line[2], line[4]]
    found = order_route(zig)
    assert found.keys in ([0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0])
    assert found.after_km < found.before_km and found.saved_km == found.before_km - found.after_km


def test_great_circle_distance_shanghai_to_suzhou():
    shanghai, suzhou = Stop("上海", 31.2304, 121.4737), Stop("苏州", 31.2990, 120.5853)
    assert 83 < distance_km(shanghai, suzhou) < 86


def test_fewer_than_three_placed_stops_keep_their_order():
    two = [Stop(1, 31.0, 121.0), Stop(2), Stop(3, 31.5, 120.0)]
    assert order_route(two).keys == [1, 3, 2]
