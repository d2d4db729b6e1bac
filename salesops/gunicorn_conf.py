"""gunicorn's settings for ``make run`` (``gunicorn -c python:salesops.gunicorn_conf``): two workers of four
threads, the access log on standard output, and a start-up line naming the addresses the team can open.

``--bind`` on the command line says where to listen (``make run`` listens on every interface).
"""

from __future__ import annotations

from typing import Any

from salesops.lan import lan_addresses

workers = 2
threads = 4
accesslog = "-"
graceful_timeout = 10
control_socket_disable = True  # no runtime control socket in the home folder (gunicorn 25+; older ones ignore it)


def when_ready(server: Any) -> None:
    """Print the addresses to open: this machine's, and the network's when listening on every interface."""
    urls = []
    for host, port in server.cfg.address:
        if not isinstance(host, str):
            continue  # a unix socket
        if host in ("0.0.0.0", ""):  # noqa: S104 - listening everywhere is what make run asks for
            urls += [f"http://127.0.0.1:{port}/", *(f"http://{address}:{port}/" for address in lan_addresses())]
        else:
            urls.append(f"http://{host}:{port}/")
    print(f">> serving on {'  '.join(urls)}", flush=True)
