"""Strict parsing of environment variables (salesops/envparse.py).

A bad value must stop start-up with a message naming the variable, never be read as something else
(``DEBUG=flase`` must not mean "on"); blank values count as unset.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from salesops.envparse import Env

TRUE_WORDS = ["1", "true", "yes", "on"]
FALSE_WORDS = ["0", "false", "no", "off"]


def cases(word: str) -> st.SearchStrategy[str]:
    """The word in any mix of upper and lower case, with blanks around it."""
    return st.tuples(
        st.lists(st.booleans(), min_size=len(word), max_size=len(word)),
        st.sampled_from(["", " ", "\t", "  "]),
        st.sampled_from(["", " ", "\n"]),
    ).map(lambda t: t[1] + "".join(c.upper() if up else c for c, up in zip(word, t[0], strict=True)) + t[2])


@given(st.sampled_from(TRUE_WORDS).flatmap(cases), st.booleans())
def test_bool_true_words(value: str, default: bool) -> None:
    assert Env({"DEBUG": value}).bool("DEBUG", default) is True


@given(st.sampled_from(FALSE_WORDS).flatmap(cases), st.booleans())
def test_bool_false_words(value: str, default: bool) -> None:
    assert Env({"DEBUG": value}).bool("DEBUG", default) is False


@given(st.text(min_size=1).filter(lambda v: v.strip() != "" and v.strip().lower() not in TRUE_WORDS + FALSE_WORDS))
def test_bool_anything_else_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(ImproperlyConfigured) as excinfo:
        Env({"DEBUG": value}).bool("DEBUG", True)
    assert str(excinfo.value).startswith("DEBUG=")
    assert "not a boolean" in str(excinfo.value)


@pytest.mark.parametrize("environ", [{}, {"DEBUG": ""}, {"DEBUG": "   "}])
@pytest.mark.parametrize("default", [True, False])
def test_bool_unset_or_blank_is_the_default(environ: dict[str, str], default: bool) -> None:
    assert Env(environ).bool("DEBUG", default) is default


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_int_reads_whole_numbers(number: int) -> None:
    assert Env({"N": f" {number} "}).int("N", 7) == number


@pytest.mark.parametrize("value", ["1.5", "ten", "0x10", "1e3", "5 5"])
def test_int_refuses_what_is_not_a_whole_number(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^N='.*' is not a whole number\.$"):
        Env({"N": value}).int("N", 7)


def test_int_default_when_unset() -> None:
    assert Env({}).int("N", 7) == 7
    assert Env({"N": ""}).int("N", 7, minimum=10) == 7


@given(st.integers(min_value=-1000, max_value=1000), st.integers(min_value=-50, max_value=50), st.integers(0, 100))
def test_int_range_is_inclusive(number: int, low: int, width: int) -> None:
    high = low + width
    env = Env({"N": str(number)})
    if low <= number <= high:
        assert env.int("N", 0, minimum=low, maximum=high) == number
    else:
        with pytest.raises(ImproperlyConfigured, match=rf"^N={number} is outside the range {low}\.\.{high}\.$"):
            env.int("N", 0, minimum=low, maximum=high)


def test_int_open_ended_ranges() -> None:
    assert Env({"N": "-5"}).int("N", 0, maximum=0) == -5
    assert Env({"N": "500"}).int("N", 0, minimum=1) == 500
    with pytest.raises(ImproperlyConfigured, match="N=0 is outside"):
        Env({"N": "0"}).int("N", 5, minimum=1)


@given(st.lists(st.text(alphabet="abcdefghij.-:[]0123456789", min_size=1), min_size=1, max_size=5))
def test_list_splits_on_commas_and_trims(items: list[str]) -> None:
    raw = " , ".join(items)
    assert Env({"ALLOWED_HOSTS": raw}).list("ALLOWED_HOSTS", []) == items


@pytest.mark.parametrize("value", ["a,,b", "a,", ",a", "a, ,b"])
def test_list_refuses_empty_items(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^ALLOWED_HOSTS=.* has an empty item"):
        Env({"ALLOWED_HOSTS": value}).list("ALLOWED_HOSTS", [])


def test_list_default_is_a_copy() -> None:
    default = ["localhost"]
    result = Env({}).list("ALLOWED_HOSTS", default)
    assert result == ["localhost"]
    result.append("example.com")
    assert default == ["localhost"]


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York"])
def test_time_zone_accepts_iana_names(zone: str) -> None:
    assert Env({"TIME_ZONE": zone}).time_zone("TIME_ZONE", "Asia/Shanghai") == zone


@pytest.mark.parametrize("zone", ["Mars/Base", "Asia/Peking City", "../etc/passwd", "GMT+8h"])
def test_time_zone_refuses_unknown_names(zone: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^TIME_ZONE=.* is not a known IANA time zone"):
        Env({"TIME_ZONE": zone}).time_zone("TIME_ZONE", "Asia/Shanghai")


def test_time_zone_default() -> None:
    assert Env({}).time_zone("TIME_ZONE", "Asia/Shanghai") == "Asia/Shanghai"


DB_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


@pytest.mark.parametrize(
    "url",
    ["postgres://postgres@127.0.0.1:5432/test", "POSTGRESQL://u:p@db/x", "sqlite:////tmp/x.sqlite3", "pgsql://h/d"],
)
def test_url_accepts_the_listed_schemes(url: str) -> None:
    assert Env({"DATABASE_URL": f" {url} "}).url("DATABASE_URL", DB_SCHEMES) == url


@pytest.mark.parametrize("url", ["ftp://x", "mysql://root@localhost/db", "postgres:/x", "127.0.0.1:5432", "x"])
def test_url_refuses_other_schemes_naming_the_variable(url: str) -> None:
    with pytest.raises(ImproperlyConfigured) as excinfo:
        Env({"DATABASE_URL": url}).url("DATABASE_URL", DB_SCHEMES)
    message = str(excinfo.value)
    assert message.startswith("DATABASE_URL must be a URL starting with one of")
    assert "postgres://" in message


def test_url_unset_is_none() -> None:
    assert Env({}).url("REDIS_URL", ("redis",)) is None
    assert Env({"REDIS_URL": " "}).url("REDIS_URL", ("redis",)) is None


@given(st.text(min_size=1).filter(lambda v: v.strip() != ""))
def test_str_and_optional_strip_blanks(value: str) -> None:
    env = Env({"NAME": value})
    assert env.str("NAME", "default") == value.strip()
    assert env.optional("NAME") == value.strip()


@given(st.sampled_from(["", " ", "\t\n"]))
def test_blank_counts_as_unset(value: str) -> None:
    env = Env({"NAME": value})
    assert env.str("NAME", "default") == "default"
    assert env.optional("NAME") is None


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALESOPS_ENVPARSE_PROBE", "yes")
    assert Env().bool("SALESOPS_ENVPARSE_PROBE", False) is True


def test_messages_never_hide_the_variable_name() -> None:
    """Each kind of refusal names the variable first, so an operator knows what to fix."""
    failures = [
        lambda: Env({"HTTPS": "maybe"}).bool("HTTPS", True),
        lambda: Env({"UPLOAD_MAX_MB": "lots"}).int("UPLOAD_MAX_MB", 20),
        lambda: Env({"UPLOAD_MAX_MB": "0"}).int("UPLOAD_MAX_MB", 20, minimum=1),
        lambda: Env({"CSRF_TRUSTED_ORIGINS": "a,,b"}).list("CSRF_TRUSTED_ORIGINS", []),
        lambda: Env({"TIME_ZONE": "Nowhere"}).time_zone("TIME_ZONE", "UTC"),
        lambda: Env({"REDIS_URL": "http://x"}).url("REDIS_URL", ("redis",)),
    ]
    names = ["HTTPS", "UPLOAD_MAX_MB", "UPLOAD_MAX_MB", "CSRF_TRUSTED_ORIGINS", "TIME_ZONE", "REDIS_URL"]
    for failure, name in zip(failures, names, strict=True):
        with pytest.raises(ImproperlyConfigured) as excinfo:
            failure()
        assert re.match(rf"^{name}\b", str(excinfo.value)), str(excinfo.value)
