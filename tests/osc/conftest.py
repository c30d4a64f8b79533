"""Receivers for the OSC tests: liblo's oscdump and a python-osc server, on loopback.

Both are real, independent OSC implementations; every wait is bounded, so a
test that receives too little fails instead of hanging.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from pythonosc.dispatcher import Dispatcher
from pythonosc.osc_packet import OscPacket
from pythonosc.osc_server import BlockingOSCUDPServer
from pythonosc.udp_client import SimpleUDPClient

from avatarlink.frame import FaceFrame, quat_from_euler

LOOPBACK = "127.0.0.1"
WAIT_S = 5.0


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


class OscDump:
    """``oscdump -L PORT`` in a subprocess; :meth:`messages` parses its lines."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_udp_port()
        self._out = tmp / "oscdump.txt"
        self._fh = open(self._out, "w")
        self._proc = subprocess.Popen(
            ["oscdump", "-L", str(self.port)], stdout=self._fh, stderr=subprocess.STDOUT
        )
        probe = SimpleUDPClient(LOOPBACK, self.port)
        ready = wait_for(lambda: probe.send_message("/probe", 1) or "/probe" in self.text(), 5)
        if not ready:
            self.close()
            pytest.fail("oscdump did not start")
        self._skip = len(self.text().splitlines())

    def text(self) -> str:
        return self._out.read_text(errors="replace")

    def messages(self, count: int) -> list[tuple[str, str, list[str]]]:
        """Wait for ``count`` messages after the probes: (address, type tags, argument texts)."""
        wait_for(lambda: len(self._lines()) >= count)
        out = []
        for line in self._lines():
            _stamp, address, *rest = line.split(" ")
            tags = rest[0] if rest else ""
            out.append((address, tags, rest[1:]))
        return out

    def _lines(self) -> list[str]:
        lines = self.text().splitlines()[self._skip :]
        return [ln for ln in lines if " /" in ln and " /probe " not in ln]

    def close(self) -> None:
        self._proc.terminate()
        self._proc.wait(timeout=5)
        self._fh.close()


@pytest.fixture
def oscdump(tmp_path: Path) -> Iterator[OscDump]:
    if shutil.which("oscdump") is None:
        pytest.fail("oscdump is missing: install liblo-tools (bash .ci/install test)")
    dump = OscDump(tmp_path)
    yield dump
    dump.close()


class _RecordingDispatcher(Dispatcher):
    """A python-osc dispatcher that also keeps each datagram, to see bundle boundaries."""

    def __init__(self) -> None:
        super().__init__()
        self.datagrams: list[bytes] = []
        self.lock = threading.Lock()

    def call_handlers_for_packet(self, data: bytes, client_address: tuple) -> list:
        with self.lock:
            self.datagrams.append(data)
        return super().call_handlers_for_packet(data, client_address)


class PythonOscServer:
    """python-osc's BlockingOSCUDPServer (one datagram at a time, in order) on loopback."""

    def __init__(self, port: int = 0) -> None:
        self.dispatcher = _RecordingDispatcher()
        self.messages: list[tuple[str, tuple]] = []
        self.dispatcher.set_default_handler(
            lambda address, *args: self.messages.append((address, args))
        )
        self.server = BlockingOSCUDPServer((LOOPBACK, port), self.dispatcher)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}
        )
        self._thread.start()

    @property
    def datagrams(self) -> list[bytes]:
        with self.dispatcher.lock:
            return list(self.dispatcher.datagrams)

    def wait_datagrams(self, count: int) -> list[bytes]:
        wait_for(lambda: len(self.datagrams) >= count)
        return self.datagrams

    def packets(self, count: int) -> list[list[tuple[str, list]]]:
        """The first ``count`` datagrams decoded by python-osc: [(address, params), ...] each."""
        return [
            [(m.message.address, m.message.params) for m in OscPacket(d).messages]
            for d in self.wait_datagrams(count)[:count]
        ]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def pyosc() -> Iterator[PythonOscServer]:
    server = PythonOscServer()
    yield server
    server.close()


@pytest.fixture
def expressive_frame() -> FaceFrame:
    """A tracked frame with distinct, exactly representable numbers everywhere."""
    shapes = np.arange(52, dtype=np.float32) / 64.0  # k/64: exact in float32 and as %f
    return FaceFrame(
        time=2.5,
        tracked=True,
        blendshapes=shapes,
        head_rotation=quat_from_euler(20.0, 10.0, -5.0),
        head_translation=[0.02, -0.03, -0.6],
        gaze_left=[9.0, -4.5],
        gaze_right=[13.5, 4.5],
    )
