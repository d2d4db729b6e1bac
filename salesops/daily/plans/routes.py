"""R7 visit routes: order a day's stops to shorten the travel between them.

Pure functions over plain values (no database): a stop is a key (a customer id) with an optional
position. The route is an open path (the rep starts at the first stop and ends at the last; no depot is
known). Ordering: nearest neighbour from every possible first stop, the shortest of those improved by
2-opt, and the given order improved by 2-opt too; the shortest wins, so the result is never longer than
the given order. Stops without coordinates cannot be placed: they keep their given order at the end.
Distances are great-circle (haversine) in kilometres, floats: a route's length is an estimate, not money.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

EARTH_RADIUS_KM = 6371.0088
#: An improvement smaller than this (km) is rounding, not a shorter route: it ends the 2-opt loop.
EPSILON_KM = 1e-9
#: Nearest neighbour from every first stop costs n³; past this many stops it starts from the given first.
ALL_STARTS_UP_TO = 60


@dataclass(frozen=True)
class Stop(Generic[K]):
    key: K
    latitude: float | None = None
    longitude: float | None = None

    @property
    def placed(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class RouteOrder(Generic[K]):
    """The ordered keys, and the travel over the placed stops before and after (km)."""

    keys: list[K]
    before_km: float
    after_km: float

    @property
    def saved_km(self) -> float:
        return max(self.before_km - self.after_km, 0.0)


def distance_km(a: Stop[K], b: Stop[K]) -> float:
    """Great-circle distance between two placed stops (haversine)."""
    assert a.latitude is not None and a.longitude is not None and b.latitude is not None and b.longitude is not None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def route_km(stops: Sequence[Stop[K]]) -> float:
    """The travel along ``stops`` in their order, from one placed stop to the next (unplaced ones skipped)."""
    placed = [stop for stop in stops if stop.placed]
    return sum(distance_km(a, b) for a, b in pairwise(placed))


def _nearest_neighbour(stops: Sequence[Stop[K]], first: int) -> list[Stop[K]]:
    left = list(stops)
    path = [left.pop(first)]
    while left:
        here = path[-1]
        index = min(range(len(left)), key=lambda i: distance_km(here, left[i]))
        path.append(left.pop(index))
    return path


def _two_opt(path: list[Stop[K]]) -> list[Stop[K]]:
    """Reverse any stretch of the open path whose reversal shortens it, until none does."""
    n = len(path)
    improved = True
    while improved:
        improved = False
        for i in range(n - 1):
            for j in range(i + 1, n):
                before = (distance_km(path[i - 1], path[i]) if i > 0 else 0.0) + (
                    distance_km(path[j], path[j + 1]) if j < n - 1 else 0.0)
                after = (distance_km(path[i - 1], path[j]) if i > 0 else 0.0) + (
                    distance_km(path[i], path[j + 1]) if j < n - 1 else 0.0)
                if after < before - EPSILON_KM:
                    path[i:j + 1] = reversed(path[i:j + 1])
                    improved = True
    return path


def order_route(stops: Sequence[Stop[K]]) -> RouteOrder[K]:
    """The stops in a shorter order (never longer than given); unplaced stops last, in their given order."""
    placed = [stop for stop in stops if stop.placed]
    unplaced = [stop for stop in stops if not stop.placed]
    before = route_km(placed)
    if len(placed) < 3:
        return RouteOrder(keys=[stop.key for stop in [*placed, *unplaced]], before_km=before, after_km=before)
    starts = range(len(placed)) if len(placed) <= ALL_STARTS_UP_TO else range(1)
    greedy = min((_nearest_neighbour(placed, first) for first in starts), key=route_km)
    best = min((_two_opt(greedy), _two_opt(list(placed))), key=route_km)
    if route_km(best) >= before:
        best = placed
    return RouteOrder(keys=[stop.key for stop in [*best, *unplaced]], before_km=before, after_km=route_km(best))
