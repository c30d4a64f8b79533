"""Fire-and-forget UDP: resolve once, never block, never raise while streaming.

The socket is connected so that a bad address fails once, at start, with one
clear line (no route, broadcast without permission), and so that each frame
costs a single ``send``. A receiver that is not running answers with ICMP
"port unreachable", which Linux reports on the next send of a connected
socket as ConnectionRefusedError: we count it and stay quiet for half a
second, so a missing receiver neither stops nor slows the pipeline, and one
that starts later gets data within half a second.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time

from avatarlink.errors import UserError

_DOTTED = re.compile(r"[0-9.]+")
QUIET_S = 0.5
"""How long to stop sending after the kernel says nobody listens."""


def resolve(host: str, port: int, what: str) -> list[tuple]:
    """getaddrinfo for UDP, IPv4 first, with dotted numbers checked locally (no DNS for typos)."""
    if _DOTTED.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise UserError(f"{what}: {host!r} is not a valid IPv4 address") from None
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
    except (OSError, UnicodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "invalid name"
        raise UserError(f"{what}: cannot resolve host {host!r} ({reason})") from None
    # IPv4 first: OSC apps (VRChat, VSeeFace, Unity receivers) mostly bind IPv4 only,
    # and "localhost" often resolves to ::1 first
    return sorted(found, key=lambda info: info[0] != socket.AF_INET)


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
        self._quiet_until = 0.0
        self._missed = False

    def send(self, datagram: bytes) -> None:
        """Send or drop; a full buffer or an absent receiver only bumps ``dropped``."""
        if self._sock is None:
            return
        now = time.monotonic()
        if now < self._quiet_until:
            self.dropped += 1
            self._missed = True
            return
        try:
            self._sock.send(datagram)
            self.sent += 1
        except ConnectionRefusedError:
            self.dropped += 1
            self._missed = True
            self._quiet_until = now + QUIET_S
        except OSError:
            self.dropped += 1

    def back_from_quiet(self) -> bool:
        """True once when sending resumes after datagrams were held back (resend state then)."""
        if self._missed and time.monotonic() >= self._quiet_until:
            self._missed = False
            return True
        return False

    def send_many(self, datagrams: list[bytes]) -> None:
        for datagram in datagrams:
            self.send(datagram)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
