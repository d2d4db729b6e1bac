"""``make run`` serves a team on the local network the way production does: DEBUG off, a secret key made once
and kept in the data folder (mode 0600), the machine's own names and addresses as allowed hosts, no HTTPS
redirect or HSTS on plain HTTP unless ``HTTPS=1``, static files from whitenoise after collectstatic, and the
friendly error pages (salesops/lan.py, salesops/settings.py, the Makefile).

The last test runs the real ``make run`` on a free port against a temporary data folder and talks to it
over HTTP the way a browser on the network does.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import psutil
import pytest

from salesops import lan
from tests.test_deploy import ROOT, base_environment, salesops

# The warnings Django's deploy check gives for plain HTTP, and only those: HSTS, the HTTPS redirect and
# the two cookies that would then be sent over HTTPS only.
PLAIN_HTTP_WARNINGS = {"security.W004", "security.W008", "security.W012", "security.W016"}

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG, "hosts": settings.ALLOWED_HOSTS, "key": settings.SECRET_KEY,
    "session_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT, "hsts": settings.SECURE_HSTS_SECONDS,
    "site_url": settings.SITE_URL, "storage": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def lan_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """What ``make run`` sets."""
    return {
        **base_environment(data_dir), "DEBUG": "0", "SERVE_LAN": "1", "SECRET_KEY_FILE": str(data_dir / "secret_key"),
        "DJANGO_SETTINGS_MODULE": "salesops.settings", **extra,
    }


def probe(env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


# --- The secret key file ---------------------------------------------------------------------------------


def test_the_secret_key_is_made_once_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"
    key = lan.secret_key_from_file(path)
    assert len(key) >= 80 and len(set(key)) > 20
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert lan.secret_key_from_file(path) == key  # kept: sessions survive a restart
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_two_processes_starting_at_once_agree_on_one_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second to arrive finds the file made meanwhile and takes its key instead of writing its own."""
    path = tmp_path / "secret_key"
    first = lan.secret_key_from_file(path)
    monkeypatch.setattr(Path, "exists", lambda self: False)  # it looked before the first one wrote
    assert lan.secret_key_from_file(path) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]


# --- The machine's names and addresses ---------------------------------------------------------------------


@pytest.fixture
def two_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine on a wired and a wireless network, with a third interface down."""
    inet = socket.AF_INET
    addresses = {
        "lo": [
            SimpleNamespace(family=inet, address="127.0.0.1"), SimpleNamespace(family=socket.AF_INET6, address="::1")
        ],
        "eth0": [SimpleNamespace(family=inet, address="192.168.1.23")],
        "wlan0": [SimpleNamespace(family=inet, address="10.8.0.4")],
        "usb0": [SimpleNamespace(family=inet, address="172.16.9.9")],
    }
    stats = {name: SimpleNamespace(isup=name != "usb0") for name in addresses}
    monkeypatch.setattr(psutil, "net_if_addrs", lambda: addresses)
    monkeypatch.setattr(psutil, "net_if_stats", lambda: stats)
    monkeypatch.setattr(socket, "gethostname", lambda: "Sales-Laptop")


def test_the_lan_addresses_are_those_of_the_interfaces_that_are_up(two_networks: None) -> None:
    assert lan.lan_addresses() == ["10.8.0.4", "192.168.1.23"]


def test_the_allowed_hosts_are_this_machine_by_name_and_address(two_networks: None) -> None:
    assert lan.machine_hosts() == [
        "localhost", "10.8.0.4", "127.0.0.1", "192.168.1.23", "sales-laptop", "sales-laptop.local",
    ]


# --- Settings in LAN mode -------------------------------------------------------------------------------------


def test_lan_mode_is_production_over_plain_http(tmp_path: Path) -> None:
    values = probe(lan_environment(tmp_path))
    assert values["debug"] is False
    assert {"127.0.0.1", "localhost", *lan.lan_addresses()} <= set(values["hosts"])
    assert values["key"] == (tmp_path / "secret_key").read_text().strip()
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert (values["session_secure"], values["csrf_secure"], values["ssl_redirect"], values["hsts"]) == (
        False, False, False, 0,
    )
    assert values["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if lan.lan_addresses():  # links sent out (calendar feeds) name an address the team's phones reach
        assert values["site_url"] == f"http://{lan.lan_addresses()[0]}:8000"
    assert probe(lan_environment(tmp_path))["key"] == values["key"]  # the next start reads the same key


def test_https_1_turns_the_https_protections_back_on(tmp_path: Path) -> None:
    values = probe(lan_environment(tmp_path, HTTPS="1"))
    assert (values["session_secure"], values["csrf_secure"], values["ssl_redirect"]) == (True, True, True)
    assert values["hsts"] >= 31536000


def deploy_warnings(env: dict[str, str]) -> set[str]:
    result = salesops("check", "--deploy", env=env)
    assert result.returncode == 0, result.stderr
    return set(re.findall(r"\(([a-z]+\.[EW]\d+)\)", result.stdout + result.stderr))


def test_deploy_check_on_lan_mode_names_only_what_plain_http_means(tmp_path: Path) -> None:
    assert deploy_warnings(lan_environment(tmp_path)) == PLAIN_HTTP_WARNINGS
    assert deploy_warnings(lan_environment(tmp_path, HTTPS="1")) == set()


def test_an_unreadable_secret_key_file_stops_start_up_naming_it(tmp_path: Path) -> None:
    (tmp_path / "folder-not-file").mkdir()
    env = lan_environment(tmp_path, SECRET_KEY_FILE=str(tmp_path / "folder-not-file"))
    result = salesops("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY_FILE" in result.stderr.strip().splitlines()[-1]


# --- make run, for real ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port: int = probe_socket.getsockname()[1]
        return port


class Server:
    """HTTP to the served site, as a browser sends it: a Host header, cookies kept between requests."""

    def __init__(self, address: str, port: int) -> None:
        self.address, self.port = address, port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, host: str | None = None, body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.address, self.port, timeout=30)
        sent = {"Host": host or f"{self.address}:{self.port}", "Accept-Language": "zh-CN", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    assert "Secure" not in rest, f"{name} would not come back over plain HTTP"
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


@pytest.fixture
def make_run(tmp_path: Path) -> Iterator[tuple[Server, Path, subprocess.Popen[str]]]:
    """``make run DEMO=0`` on a free port with a temporary data folder, stopped the way Ctrl-C stops it."""
    if shutil.which("make") is None:
        pytest.fail("make is needed to test make run")
    port = free_port()
    data = tmp_path / "var"
    env = {**base_environment(data), "PYTHONUNBUFFERED": "1"}
    log = (tmp_path / "make-run.log").open("w+")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}", "DEMO=0"], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    server = Server("127.0.0.1", port)
    try:
        deadline = time.monotonic() + 300
        while True:
            assert process.poll() is None, (tmp_path / "make-run.log").read_text()
            try:
                if server.request("GET", "/health/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "make-run.log").read_text()
            time.sleep(0.5)
        yield server, data, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends to the whole group
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def test_make_run_serves_as_production_does_and_stops_cleanly(
    make_run: tuple[Server, Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    server, data, process = make_run

    # The secret key was made in the data folder, for its owner only.
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600

    status, headers, _ = server.request("GET", "/")
    assert (status, headers["location"]) == (302, "/login/?next=/")

    status, headers, body = server.request("GET", "/login/")
    page = body.decode()
    assert status == 200 and '<html lang="zh-hans">' in page
    assert "strict-transport-security" not in headers  # no HSTS on plain HTTP
    assert "csrftoken" in server.cookies  # a plain (not Secure-only) cookie: the login form works over HTTP

    # Logging in over plain HTTP works: the session and CSRF cookies come back without HTTPS.
    admin = {"DJANGO_SUPERUSER_USERNAME": "boss", "DJANGO_SUPERUSER_PASSWORD": "Lan-Serve-2026!",
             "DJANGO_SUPERUSER_EMAIL": "boss@example.com"}
    created = salesops("createsuperuser", "--noinput", env={**base_environment(data), **admin})
    assert created.returncode == 0, created.stderr
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    form = urlencode({"username": "boss", "password": "Lan-Serve-2026!", "csrfmiddlewaretoken": token[1]})
    status, headers, _ = server.request("POST", "/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{server.port}",
    })
    assert (status, headers["location"]) == (302, "/"), headers
    status, headers, _ = server.request("GET", "/")
    assert (status, headers["location"]) == (302, "/setup/")  # a new organisation's admin starts with the set-up
    assert server.request("GET", "/setup/")[0] == 200

    # Static files: the hashed names collectstatic wrote, served by whitenoise with a long cache life.
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet is not None, page
    status, headers, body = server.request("GET", stylesheet[1], headers={"Accept-Encoding": "gzip"})
    assert (status, headers["content-type"]) == (200, "text/css; charset=\"utf-8\"")
    assert "immutable" in headers["cache-control"] and headers.get("content-encoding") == "gzip"

    status, headers, _ = server.request("GET", "/favicon.ico")
    assert status == 302 and re.fullmatch(r"/static/img/favicon\.[0-9a-f]{12}\.svg", headers["location"])
    status, headers, body = server.request("GET", headers["location"])
    assert (status, headers["content-type"]) == (200, "image/svg+xml") and b"<svg" in body

    # DEBUG is off: an unknown address is the friendly page, not Django's list of URL patterns.
    stranger = Server("127.0.0.1", server.port)
    status, _, body = stranger.request("GET", "/no/such/page/")
    assert status == 404
    assert "页面不存在" in body.decode() and "URLconf" not in body.decode() and "api/" not in body.decode()

    # Another machine on the network reaches it by this machine's address; a foreign host name is refused.
    for address in lan.lan_addresses():
        status, _, _ = Server(address, server.port).request("GET", "/login/")
        assert status == 200, address
    status, _, body = stranger.request("GET", "/login/", host="intruder.example.com")
    assert status == 400 and "请求无法处理" in body.decode()

    # The job consumer runs beside the server, and Ctrl-C stops both.
    group = [p for p in psutil.process_iter(["cmdline"]) if _in_group(p, process.pid)]
    assert any("run_huey" in " ".join(p.info["cmdline"] or []) for p in group)
    assert any("gunicorn" in " ".join(p.info["cmdline"] or []) for p in group)
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)
    time.sleep(0.5)
    assert [p.pid for p in group if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
    log = (tmp_path / "make-run.log").read_text()
    assert f">> serving on http://127.0.0.1:{server.port}/" in log


def _in_group(process: psutil.Process, group: int) -> bool:
    try:
        return os.getpgid(process.pid) == group
    except ProcessLookupError:
        return False
