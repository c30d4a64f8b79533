"""Round trips through python-osc's server for every sender, with the vrchat refresh logic."""

from __future__ import annotations

import re
import socket
import time
from dataclasses import replace

import numpy as np
import pytest
from pythonosc.udp_client import SimpleUDPClient

from avatarlink.frame import ARKIT_NAMES, FaceFrame, quat_from_euler
from avatarlink.osc import open_senders
from avatarlink.osc.ifacialmocap import IFM_NAMES, encode_frame
from avatarlink.osc.transport import QUIET_S
from avatarlink.osc.unified import UNIFIED_NAMES

from .conftest import LOOPBACK, PythonOscServer, free_udp_port, wait_for

PREFIX = "/avatar/parameters/FT/v2/"
N_FULL = 6 + len(UNIFIED_NAMES) + 2  # status bools, parameters, native eye


def frames(n: int, start: float = 0.0, fps: float = 30.0) -> list[FaceFrame]:
    """A smooth, realistic stream: every shape drifts a little each frame."""
    rng = np.random.default_rng(7)
    walk = np.clip(0.3 + np.cumsum(rng.normal(0, 0.02, (n, 52)), axis=0), 0, 1)
    return [FaceFrame(start + i / fps, True, walk[i]) for i in range(n)]


def addresses(server, count: int) -> list[str]:
    """Addresses of the first ``count`` messages, across datagrams and bundles."""
    wait_for(lambda: len(flat(server)) >= count)
    return [address for address, _ in flat(server)][:count]


def flat(server) -> list[tuple[str, list]]:
    return [m for packet in server.packets(len(server.datagrams)) for m in packet]


def test_vmc_and_raw_one_bundle_per_frame(pyosc):
    senders = open_senders([f"vmc:127.0.0.1:{pyosc.port}", f"raw:127.0.0.1:{pyosc.port}"])
    stream = frames(5)
    for frame in stream:
        for sender in senders:
            sender.send(frame)
    packets = pyosc.packets(10)
    for sender in senders:
        sender.release()
    vmc = [p for p in packets if p[0][0] == "/VMC/Ext/OK"]
    raw = [p for p in packets if p[0][0] == "/avatarlink/frame"]
    assert len(vmc) == len(raw) == 5
    for packet, frame in zip(vmc, stream, strict=True):
        assert [a for a, _ in packet[-53:]] == ["/VMC/Ext/Blend/Val"] * 52 + [
            "/VMC/Ext/Blend/Apply"
        ]
        blends = dict(params for _, params in packet[-53:-1])
        assert [blends[n[0].upper() + n[1:]] for n in ARKIT_NAMES] == pytest.approx(
            frame.blendshapes.tolist(), abs=1e-6
        )
    for packet, frame in zip(raw, stream, strict=True):
        assert packet[0][1] == [frame.time, True]
        assert packet[1][1] == pytest.approx(frame.blendshapes.tolist(), abs=1e-6)


def parse_ifacialmocap(text: str) -> tuple[dict[str, int], dict[str, list[float]]]:
    """An independent reading of the format: name-int pairs, then =head#... and eyes."""
    shapes_part, _, pose_part = text.partition("=")
    shapes = {m[0]: int(m[1]) for m in re.findall(r"([A-Za-z_]+)-(\d+)\|", shapes_part)}
    pose = {
        m[0]: [float(x) for x in m[1].split(",")]
        for m in re.findall(r"([A-Za-z]+)#([-0-9.,]+)\|", pose_part)
    }
    return shapes, pose


def test_ifacialmocap_text(expressive_frame):
    """Not OSC (python-osc's server rejects it), so a plain UDP socket receives it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind((LOOPBACK, 0))
        receiver.settimeout(5)
        (sender,) = open_senders([f"ifacialmocap:127.0.0.1:{receiver.getsockname()[1]}"])
        sender.send(expressive_frame)
        sender.close()
        tracked, neutral = (receiver.recv(65535).decode("ascii") for _ in range(2))
    shapes, pose = parse_ifacialmocap(tracked)
    assert list(shapes) == list(IFM_NAMES) and len(shapes) == 52
    assert shapes["eyeBlink_L"] == 0 and shapes["jawOpen"] == round(17 / 64 * 100)
    assert shapes["mouthSmile_R"] == round(24 / 64 * 100) and "mouthLeft" in shapes
    assert shapes["tongueOut"] == round(51 / 64 * 100)
    # head: yaw 20 (to the subject's left), pitch 10 (chin up), roll -5, as RH Euler angles
    assert pose["head"] == pytest.approx([-10.0, 20.0, 5.0, 0.02, -0.03, -0.6], abs=1e-3)
    assert pose["rightEye"] == pytest.approx([-4.5, 13.5, 0.0], abs=1e-3)
    assert pose["leftEye"] == pytest.approx([4.5, 9.0, 0.0], abs=1e-3)
    shapes, pose = parse_ifacialmocap(neutral)
    assert set(shapes.values()) == {0} and pose["head"] == [0.0] * 6


@pytest.fixture
def vrchat(pyosc):
    listen = free_udp_port()
    spec = f"vrchat:127.0.0.1:{pyosc.port},listen=127.0.0.1:{listen},refresh=2,threshold=0.05"
    (sender,) = open_senders([spec])
    yield sender, listen
    sender.close()


def test_vrchat_sends_only_what_moved_then_refreshes(pyosc, vrchat):
    sender, _ = vrchat
    base = FaceFrame(0.0, True)
    sender.send(base)  # full refresh
    sender.send(replace(base.with_weights(jawOpen=0.04), time=0.1))
    sender.send(replace(base.with_weights(jawOpen=0.2), time=0.2))
    got = addresses(pyosc, N_FULL + 2 + 3)
    first, rest = got[:N_FULL], got[N_FULL:]
    assert len(first) == N_FULL and first[0].endswith("EyeTrackingActive")
    # 0.04 is under the threshold: only the native eye messages; then 0.2 moves JawOpen
    assert rest == [
        "/tracking/eye/EyesClosedAmount", "/tracking/eye/CenterPitchYaw",
        PREFIX + "JawOpen", "/tracking/eye/EyesClosedAmount", "/tracking/eye/CenterPitchYaw",
    ]  # fmt: skip
    sender.send(replace(base.with_weights(jawOpen=0.2), time=2.3))  # refresh=2 s has passed
    assert len(addresses(pyosc, 2 * N_FULL + 5)) == 2 * N_FULL + 5


def test_vrchat_avatar_change_triggers_full_refresh(pyosc, vrchat):
    sender, listen = vrchat
    sender.send(FaceFrame(0.0, True))
    sender.send(FaceFrame(0.1, True))
    assert len(addresses(pyosc, N_FULL + 2)) == N_FULL + 2
    SimpleUDPClient(LOOPBACK, listen).send_message("/avatar/change", "avtr_test")
    assert wait_for(sender.listener.changed.is_set)
    sender.send(FaceFrame(0.2, True))
    got = addresses(pyosc, 2 * N_FULL + 2)
    assert len(got) == 2 * N_FULL + 2 and sender.refreshes == 2
    assert sorted(got[N_FULL + 2 :]) == sorted(got[:N_FULL])


def test_vrchat_losing_the_face_fails_closed(pyosc, vrchat):
    sender, _ = vrchat
    sender.send(FaceFrame(0.0, True).with_weights(jawOpen=0.9, mouthSmileLeft=0.7))
    stale = FaceFrame(0.05, False).with_weights(jawOpen=0.9)  # a tracker's leftovers
    sender.send(stale)  # within 1/30 s, yet sent at once: tracking state changed
    sender.send(FaceFrame(0.1, False))
    sender.send(FaceFrame(0.2, False))
    wait_for(lambda: len(flat(pyosc)) >= 2 * N_FULL)
    values = dict(flat(pyosc)[N_FULL:])
    assert values[PREFIX + "JawOpen"] == [0.0] and values[PREFIX + "MouthSmileLeft"] == [0.0]
    assert values["/avatar/parameters/FT/LipTrackingActive"] == [False]
    assert values["/tracking/eye/CenterPitchYaw"] == [0.0, 0.0]
    wait_for(lambda: len(flat(pyosc)) > 2 * N_FULL, timeout=0.3)
    assert len(flat(pyosc)) == 2 * N_FULL  # nothing more while no face is seen


def test_rate_limit_drops_frames_between_slots(pyosc):
    (sender,) = open_senders([f"raw:127.0.0.1:{pyosc.port},rate=10"])
    for frame in frames(30):  # one second at 30 fps
        sender.send(frame)
    sender.release()
    times = [p[0][1][0] for p in pyosc.packets(10)]
    assert wait_for(lambda: len(pyosc.datagrams) > 10, timeout=0.3) is False
    assert np.diff(times) == pytest.approx([0.1] * 9, abs=1e-6)


def test_absent_receiver_neither_raises_nor_blocks():
    port = free_udp_port()  # nobody listens: the kernel answers "port unreachable"
    senders = open_senders([f"{kind}:127.0.0.1:{port}" for kind in ("vmc", "raw", "ifacialmocap")])
    senders += open_senders([f"vrchat:127.0.0.1:{port},listen=off"])
    for frame in frames(20):
        for sender in senders:
            sender.send(frame)
    for sender in senders:
        sender.close()
        assert sender.target.dropped > 0


def test_a_failed_open_releases_what_was_opened():
    listen = free_udp_port()
    with pytest.raises(Exception, match="cannot send to"):
        open_senders([f"vrchat,listen=127.0.0.1:{listen}", "vmc:255.255.255.255"])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((LOOPBACK, listen))  # the vrchat listener let go of its port


@pytest.mark.parametrize(("bundle", "bits"), [(0, 0), (1, 3)])
def test_vrchat_datagrams(pyosc, bundle, bits):
    spec = f"vrchat:127.0.0.1:{pyosc.port},listen=off,binary={bits},bundle={bundle}"
    (sender,) = open_senders([spec])
    sender.send(FaceFrame(0.0, True))
    sender.release()
    n_messages = N_FULL + (len(UNIFIED_NAMES) * bits + 8 if bits else 0)
    wait_for(lambda: len(flat(pyosc)) >= n_messages)
    assert len(flat(pyosc)) == n_messages
    datagrams = pyosc.datagrams
    if bundle:  # a full refresh with 3-bit binary parameters in a handful of datagrams
        assert all(d.startswith(b"#bundle\x00") and len(d) <= 1400 for d in datagrams)
        assert len(datagrams) < n_messages / 10
    else:
        assert len(datagrams) == n_messages and not any(d.startswith(b"#") for d in datagrams)


def test_ifacialmocap_head_angles_match_the_frame_convention():
    from scipy.spatial.transform import Rotation

    from avatarlink.frame import euler_from_quat
    from avatarlink.osc.ifacialmocap import head_angles

    for q in Rotation.random(100, random_state=4).as_quat():
        yaw, pitch, roll = euler_from_quat(q)
        if abs(pitch) < 80:  # away from gimbal lock, where Euler angles are not unique
            assert head_angles(q) == pytest.approx((yaw, pitch, roll), abs=1e-3)


@pytest.mark.parametrize("kind", ["vmc", "raw", "ifacialmocap"])
def test_untracked_frames_never_carry_stale_numbers(kind):
    """A tracker's leftovers in an untracked frame must not reach the receiver."""
    stale = FaceFrame(
        1.0, False, np.full(52, 0.9), quat_from_euler(30, 10, 5), [0.1, 0.1, -0.5], [20, 5], [20, 5]
    )
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind((LOOPBACK, 0))
        receiver.settimeout(5)
        (sender,) = open_senders([f"{kind}:127.0.0.1:{receiver.getsockname()[1]}"])
        sender.send(stale)
        sender.release()
        sent = receiver.recv(65535)
    (neutral,) = open_senders([f"{kind}:127.0.0.1:9"])
    expected = (
        encode_frame(FaceFrame.untracked(1.0))
        if kind == "ifacialmocap"
        else neutral.frame_bundle(FaceFrame.untracked(1.0))
    )
    neutral.release()
    assert sent == expected


def test_rate_limit_lets_a_jittery_camera_through_at_full_rate():
    (sender,) = open_senders(["raw:127.0.0.1:9,rate=30"])
    jitter = np.random.default_rng(1).uniform(-0.004, 0.004, 300)
    times = np.arange(300) / 30 + jitter
    sent = []
    for t in times:
        before = sender.target.sent + sender.target.dropped
        sender.send(FaceFrame(float(t), True))
        sent.append(sender.target.sent + sender.target.dropped > before)
    sender.release()
    assert sum(sent) >= 295
    (sender,) = open_senders(["raw:127.0.0.1:9,rate=30"])
    sixty = [FaceFrame(i / 60, True) for i in range(600)]  # a 60 fps camera, 10 s
    for frame in sixty:
        sender.send(frame)
    sender.release()
    assert 295 <= sender.target.sent + sender.target.dropped <= 305


def test_a_receiver_that_starts_late_gets_the_full_state():
    port = free_udp_port()
    (sender,) = open_senders([f"vrchat:127.0.0.1:{port},listen=off"])
    for i in range(10):  # nobody listens: the kernel refuses, the sender goes quiet
        sender.send(FaceFrame(i / 30, True))
    assert sender.target.dropped > 0 and sender.refreshes == 1
    server = PythonOscServer(port)
    try:
        time.sleep(QUIET_S + 0.1)
        sender.send(FaceFrame(0.5, True))  # nothing moved, but the receiver missed it all
        assert len(addresses(server, N_FULL)) == N_FULL and sender.refreshes == 2
    finally:
        sender.release()
        server.close()
