"""Refuse every network connection in this process and record the attempts (guarantee 5, offline).

`install()` replaces socket.socket (Internet families only: local AF_UNIX pipes are not the network),
socket.create_connection, socket.getaddrinfo, gethostbyname(_ex) and socket.socket.connect with versions that record
the attempt and raise OSError. Used by the in-process offline tests and, via `python -c`, in child processes.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

ATTEMPTS: list[str] = []
_saved: dict[str, Any] = {}
NET_FAMILIES = {socket.AF_INET, socket.AF_INET6}


def _refuse(what: str) -> OSError:
    ATTEMPTS.append(what)
    print(f"OFFLINE TEST: network access attempted: {what}", file=sys.stderr, flush=True)
    return OSError(f"network access attempted in an offline test: {what}")


class _NoNetSocket(socket.socket):
    def __init__(self, family: Any = -1, type: Any = -1, proto: Any = -1, fileno: Any = None) -> None:
        if fileno is None and (family == -1 or family in NET_FAMILIES):
            raise _refuse(f"socket.socket(family={family})")
        super().__init__(family, type, proto, fileno)

    def connect(self, address: Any) -> None:
        raise _refuse(f"socket.connect({address!r})")


def install() -> None:
    if _saved:
        return
    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        _saved[name] = getattr(socket, name)
    socket.socket = _NoNetSocket  # type: ignore[misc]
    socket.create_connection = lambda address, *a, **k: (_ for _ in ()).throw(  # type: ignore[assignment]
        _refuse(f"socket.create_connection({address!r})")
    )
    socket.getaddrinfo = lambda host, *a, **k: (_ for _ in ()).throw(_refuse(f"socket.getaddrinfo({host!r})"))  # type: ignore[assignment]
    socket.gethostbyname = lambda host: (_ for _ in ()).throw(_refuse(f"socket.gethostbyname({host!r})"))  # type: ignore[assignment]
    socket.gethostbyname_ex = lambda host: (_ for _ in ()).throw(_refuse(f"socket.gethostbyname_ex({host!r})"))  # type: ignore[assignment]


def uninstall() -> None:
    for name, value in _saved.items():
        setattr(socket, name, value)
    _saved.clear()
