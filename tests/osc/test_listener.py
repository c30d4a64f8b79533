"""The /avatar/change listener: loopback by default, unbothered by garbage."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder

from avatarlink.errors import UserError
from avatarlink.osc.listener import AvatarChangeListener

from .conftest import LOOPBACK, free_udp_port, wait_for


def avatar_change(avatar: str = "avtr_0000", address: str = "/avatar/change") -> bytes:
    builder = OscMessageBuilder(address)
    builder.add_arg(avatar)
    return builder.build().dgram


def garbage(rng: np.random.Generator) -> list[bytes]:
    """Random bytes, truncated messages and bundles, lying sizes, the largest UDP datagram.

    None of it says /avatar/change (a truncated /avatar/change may still parse as
    one, and a needless refresh would be harmless anyway).
    """
    valid = avatar_change(address="/avatar/parameters/VRCEmote")
    bundle = OscBundleBuilder(IMMEDIATELY)
    bundle.add_content(OscMessageBuilder("/avatar/parameters/VRCEmote").build())
    bundled = bundle.build().dgram
    out = [b"", b"\x00", b"/", b"#bundle", b"#bundle\x00" + b"\xff" * 12, b"/avatar/chang"]
    out += [valid[:n] for n in range(1, len(valid) - 1)]
    out += [bundled[:n] for n in range(1, len(bundled) - 1)]
    out += [bundled[:16] + b"\x7f\xff\xff\xff" + bundled[20:]]  # element claims 2 GB
    out += [b"/avatar/parameters/A\x00\x00\x00\x00,s\x00\x00" + b"x" * 60000]  # no NUL
    out += [b"/x\x00\x00," + b"f" * 65000]  # a huge type tag list with no data
    out += [
        rng.integers(0, 256, int(n), dtype=np.uint8).tobytes() for n in rng.integers(1, 2000, 300)
    ]
    out += [b"/" + rng.integers(0, 256, 65506, dtype=np.uint8).tobytes()]  # 65507: UDP's maximum
    return out


def test_binds_loopback_by_default():
    listener = AvatarChangeListener(f"{free_udp_port()}")
    try:
        assert listener.address[0] == LOOPBACK
    finally:
        listener.close()


def test_garbage_neither_crashes_nor_stalls_nor_triggers():
    listener = AvatarChangeListener(f"127.0.0.1:{free_udp_port()}")
    bad = garbage(np.random.default_rng(3))
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for start in range(0, len(bad), 20):  # in bursts the socket buffer can hold
                for datagram in bad[start : start + 20]:
                    sock.sendto(datagram, listener.address)
                sent = min(start + 20, len(bad))
                assert wait_for(lambda n=sent: listener.received == n), "listener stalled"
            assert not listener.changed.is_set()
            # skipped unparsed (another address) or failed to parse; a few parse as junk
            assert listener.ignored + listener.malformed >= len(bad) - 10
            assert listener.malformed > 300
            sock.sendto(avatar_change(), listener.address)  # still listening afterwards
            assert wait_for(listener.changed.is_set)
            assert listener._thread.is_alive()
    finally:
        listener.close()
    assert not listener._thread.is_alive()


def test_avatar_change_inside_a_bundle():
    listener = AvatarChangeListener(f"127.0.0.1:{free_udp_port()}")
    bundle = OscBundleBuilder(IMMEDIATELY)
    bundle.add_content(OscMessageBuilder("/avatar/parameters/Foo").build())
    bundle.add_content(OscMessageBuilder("/avatar/change").build())
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(bundle.build().dgram, listener.address)
        assert wait_for(listener.changed.is_set)
    finally:
        listener.close()


def test_port_in_use_is_one_clear_line():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as busy:
        busy.bind((LOOPBACK, 0))
        port = busy.getsockname()[1]
        with pytest.raises(UserError, match=f"port {port} is in use") as err:
            AvatarChangeListener(f"127.0.0.1:{port}")
    assert "\n" not in str(err.value)
