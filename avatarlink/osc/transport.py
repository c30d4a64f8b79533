"""Fire-and-forget UDP: resolve once, never block, never raise while streaming.

The socket is connected so that a bad address fails once, at start, with one
clear line (no route, broadcast without permission), and so that each frame
costs a single ``send``. A receiver that is not running answers with ICMP
"port unreachable", which Linux reports on the next send of a connected
socket as ConnectionRefusedError: we count it and move on, so a missing
receiver never slows or stops the pipeline.
"""

from __future__ import annotations

import ipaddress
import re
import socket

from avatarlink.errors import UserError

_DOTTED = re.compile(r"[0-9.]+")


def resolve(host: str, port: int, what: str) -> list[tuple]:
    """getaddrinfo for UDP, with dotted numbers checked locally (no DNS for typos)."""
    if _DOTTED.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise UserError(f"{what}: {host!r} is not a valid IPv4 address") from None
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
    except (OSError, UnicodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "invalid name"
        raise UserError(f"{what}: cannot resolve host {host!r} ({reason})") from None


class UdpTarget:
    """A non-blocking UDP socket connected to one receiver."""

    def __init__(self, host: str, port: int, what: str) -> None:
        error: OSError | None = None
        for family, kind, proto, _, address in resolve(host, port, what):
            sock = socket.socket(family, kind, proto)
            try:
                sock.connect(address)
            except OSError as exc:
                sock.close()
                error = exc
                continue
            sock.setblocking(False)
            self._sock: socket.socket | None = sock
            self.address = address
            break
        else:
            reason = (error and error.strerror) or "no usable address"
            raise UserError(f"{what}: cannot send to {host}:{port} ({reason})")
        self.sent = 0
        self.dropped = 0

    def send(self, datagram: bytes) -> None:
        """Send or drop; a full buffer or an absent receiver only bumps ``dropped``."""
        if self._sock is None:
            return
        try:
            self._sock.send(datagram)
            self.sent += 1
        except OSError:
            self.dropped += 1

    def send_many(self, datagrams: list[bytes]) -> None:
        for datagram in datagrams:
            self.send(datagram)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
