"""Deployment: production variables pass Django's deploy checks with no warning, and bad variables stop
start-up with a message that names the variable (salesops/settings.py, salesops/envparse.py).

Each case runs the real ``salesops`` command in a subprocess with a clean environment, the way an
operator starts it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SALESOPS = Path(sys.executable).with_name("salesops")


def base_environment(data_dir: Path) -> dict[str, str]:
    """The caller's environment without the project's own variables (PATH, HOME, locale stay)."""
    own = {
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "TIME_ZONE", "HTTPS", "BEHIND_PROXY",
        "CSRF_TRUSTED_ORIGINS", "HSTS_SECONDS", "SECURE_SSL_REDIRECT", "DB_TEST_NAME", "SERVE_LAN", "SECRET_KEY_FILE",
        "SITE_URL", "PORT", "BIND", "DEMO",
    }
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in own and not key.startswith(("SALESOPS_", "DJANGO_", "PYTEST_"))
    }
    env["SALESOPS_DATA_DIR"] = str(data_dir)
    env["SALESOPS_TESTING"] = "0"
    return env


def production_environment(data_dir: Path) -> dict[str, str]:
    return {
        **base_environment(data_dir),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64)[:64],
        "ALLOWED_HOSTS": "sales.example.com",
    }


def salesops(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SALESOPS), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )


def test_the_console_command_is_installed() -> None:
    assert SALESOPS.exists(), f"{SALESOPS} is missing: install the project (pip install -e .)"


def test_production_variables_pass_the_deploy_checks_without_warnings(tmp_path: Path) -> None:
    env = production_environment(tmp_path)
    assert len(env["SECRET_KEY"]) == 64
    result = salesops("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS:" not in output


def test_deploy_checks_do_fail_on_a_weak_production_setting(tmp_path: Path) -> None:
    """The check above can fail: turning HTTPS off in production is reported."""
    env = {**production_environment(tmp_path), "HTTPS": "0"}
    result = salesops("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"TIME_ZONE": "Mars/Base"}, "TIME_ZONE"),
        ({"DATABASE_URL": "ftp://x"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://cache:6379"}, "REDIS_URL"),
        ({"LOGIN_FAILURE_LIMIT": "many"}, "LOGIN_FAILURE_LIMIT"),
        ({"ALLOWED_HOSTS": "a.example.com,,b.example.com"}, "ALLOWED_HOSTS"),
    ],
)
def test_a_bad_variable_stops_start_up_naming_it(tmp_path: Path, variables: dict[str, str], named: str) -> None:
    result = salesops("check", env={**production_environment(tmp_path), **variables})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert named in last_line


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
)
def test_production_without_its_required_variables_does_not_start(
    tmp_path: Path, variables: dict[str, str], named: str
) -> None:
    env = {**production_environment(tmp_path), **variables}
    result = salesops("check", env={key: value for key, value in env.items() if value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert named in last_line


def test_development_starts_with_no_variables_at_all(tmp_path: Path) -> None:
    result = salesops("check", env=base_environment(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_redis_url_moves_the_cache_and_jobs_to_redis(tmp_path: Path) -> None:
    """With REDIS_URL the cache and the Huey queue use Redis (make test starts a local Redis)."""
    assert redis_reachable(), "Redis is not running on 127.0.0.1:6379 (make test installs and starts it)."
    key = f"deploy-probe-{secrets.token_hex(4)}"
    probe = (
        "from django.conf import settings; from django.core.cache import cache; "
        "from huey.contrib.djhuey import HUEY; "
        f"cache.set('{key}', 'ok', 30); print(cache.get('{key}'), type(HUEY).__name__, settings.HUEY['huey_class'])"
    )
    env = {**production_environment(tmp_path), "REDIS_URL": "redis://127.0.0.1:6379/15"}
    result = salesops("shell", "--no-imports", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", "RedisHuey", "huey.RedisHuey"]


@pytest.mark.parametrize("time_of_day", ["08:20", "08:30", "09:00", "09:30", "18:00"])
def test_the_checks_find_no_fixed_time_default_at_any_time_of_day(
    monkeypatch: pytest.MonkeyPatch, time_of_day: str
) -> None:
    """The rule settings' times of day (R2, R3, R7) are defaults given as functions: a fixed time would
    make ``check`` and ``check --deploy`` warn (fields.W161) when run within ten seconds of it (Django
    compares the time with the clock in UTC)."""
    from django.core import checks
    from django.utils import timezone

    hour, minute = map(int, time_of_day.split(":"))
    moment = dt.datetime(2026, 11, 26, hour, minute, 5, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    found = [message.id for message in checks.run_checks(tags=[checks.Tags.models])]
    assert "fields.W161" not in found
