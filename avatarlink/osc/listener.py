"""Listen for VRChat's ``/avatar/change`` so the full state is resent at once.

VRChat sends it (with the avatar id) to port 9001 when the user switches
avatar; the new avatar starts from its defaults, so every parameter must be
sent again. The socket binds loopback by default: nothing on the network may
poke the bridge. Datagrams are untrusted bytes: anything python-osc cannot
parse is counted and dropped, and a datagram of any size up to the UDP limit
is read whole, so garbage can neither crash nor stall the thread.
"""

from __future__ import annotations

import errno
import socket
import threading

from pythonosc.osc_packet import OscPacket

from avatarlink.errors import UserError
from avatarlink.osc.spec import split_host_port

AVATAR_CHANGE = "/avatar/change"
DEFAULT_LISTEN = "127.0.0.1:9001"
_MAX_DATAGRAM = 65535
_POLL_S = 0.2
_CHANGE_PREFIX = AVATAR_CHANGE.encode() + b"\x00"


class AvatarChangeListener:
    """A daemon thread that sets :attr:`changed` when ``/avatar/change`` arrives."""

    def __init__(self, where: str = DEFAULT_LISTEN, what: str = "listener") -> None:
        host, port = split_host_port(where, 9001, what, lowest=0)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            self._sock.bind((host, port))
        except OSError as exc:
            self._sock.close()
            if exc.errno == errno.EADDRINUSE:
                raise UserError(
                    f"{what}: port {port} is in use (another OSC app such as VRCFaceTracking?); "
                    "close it or add ,listen=off or ,listen=127.0.0.1:PORT"
                ) from None
            raise UserError(f"{what}: cannot listen on {host}:{port} ({exc.strerror})") from None
        self._sock.settimeout(_POLL_S)
        self.address = self._sock.getsockname()
        self.changed = threading.Event()
        self.received = 0
        self.malformed = 0
        self.ignored = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="osc-avatar-change", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._sock.recv(_MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                continue
            self.received += 1
            self.handle(data)

    def handle(self, data: bytes) -> None:
        """Parse one datagram; set :attr:`changed` if it holds ``/avatar/change``.

        VRChat echoes every avatar parameter to this port, dozens of messages a
        frame; a plain message with another address is dropped unparsed so the
        thread stays cheap.
        """
        if data.startswith(b"/") and not data.startswith(_CHANGE_PREFIX):
            self.ignored += 1
            return
        try:
            packet = OscPacket(data)
        except Exception:  # untrusted bytes: any parse failure means "drop it"
            self.malformed += 1
            return
        if any(m.message.address == AVATAR_CHANGE for m in packet.messages):
            self.changed.set()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * _POLL_S + 1)
        self._sock.close()
