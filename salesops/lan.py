"""Serving a team on the local network (``make run``): the names and addresses this machine answers to,
and a secret key made once and kept in the data folder.

Read by the settings module and the gunicorn configuration, before Django is set up: plain Python only.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import socket
import tempfile
from pathlib import Path

import psutil


def interface_addresses() -> list[str]:
    """The IPv4 address of every network interface that is up, loopback included."""
    stats = psutil.net_if_stats()
    found = {
        address.address
        for name, addresses in psutil.net_if_addrs().items()
        if name in stats and stats[name].isup
        for address in addresses
        if address.family == socket.AF_INET
    }
    return sorted(found, key=ipaddress.IPv4Address)


def lan_addresses() -> list[str]:
    """The addresses other machines on the network reach this one at (no loopback)."""
    return [address for address in interface_addresses() if not ipaddress.IPv4Address(address).is_loopback]


def machine_hosts() -> list[str]:
    """Host names a browser on this machine or the local network may send: localhost, this machine's name
    (and its ``.local`` name, which mDNS resolves on most networks) and every interface address."""
    hosts = ["localhost", *interface_addresses()]
    name = socket.gethostname().strip().lower()
    if name and name != "localhost":
        hosts += [name, f"{name.split('.')[0]}.local"]
    return list(dict.fromkeys(hosts))


def secret_key_from_file(path: Path) -> str:
    """The secret key kept at ``path``; on first use a random one is written there, readable by its owner only.

    The key is written to a private temporary file and then linked into place, so two processes that start
    at once (the job consumer and the web server) agree on one key and never read a half-written file.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-key-")  # mode 0600
        try:
            with os.fdopen(handle, "w", encoding="ascii") as stream:
                stream.write(secrets.token_urlsafe(64) + "\n")
                stream.flush()
                os.fsync(stream.fileno())
            with contextlib.suppress(FileExistsError):  # another process made it first: its key is the one
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="ascii").strip()
