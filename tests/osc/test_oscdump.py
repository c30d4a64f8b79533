"""Each sender against liblo's oscdump: exact addresses, type tags and values."""

from __future__ import annotations

import pytest

from avatarlink.frame import ARKIT_NAMES, FaceFrame
from avatarlink.osc import open_senders
from avatarlink.osc.unified import UNIFIED_NAMES

PREFIX = "/avatar/parameters/FT/v2/"
STATUS = [
    f"{base}{name}"
    for base in ("/avatar/parameters/FT/", "/avatar/parameters/")
    for name in ("EyeTrackingActive", "ExpressionTrackingActive", "LipTrackingActive")
]


def floats(args: list[str]) -> list[float]:
    return [float(a) for a in args]


def send_one(spec: str, frame: FaceFrame) -> None:
    (sender,) = open_senders([spec])
    sender.send(frame)
    sender.release()  # no fail-closed frame in these dumps


def test_vrchat_first_frame_is_a_full_refresh(oscdump, expressive_frame):
    send_one(f"vrchat:127.0.0.1:{oscdump.port},listen=off", expressive_frame)
    got = oscdump.messages(6 + len(UNIFIED_NAMES) + 2)
    assert [(a, t, v) for a, t, v in got[:6]] == [(a, "T", ["#T"]) for a in STATUS]
    params = got[6 : 6 + len(UNIFIED_NAMES)]
    assert [a for a, _, _ in params] == [PREFIX + n for n in UNIFIED_NAMES]
    assert {t for _, t, _ in params} == {"f"}
    value = {a.removeprefix(PREFIX): float(v[0]) for a, _, v in params}
    shapes = expressive_frame.blendshapes
    idx = {n: i for i, n in enumerate(ARKIT_NAMES)}
    assert value["JawOpen"] == pytest.approx(shapes[idx["jawOpen"]], abs=1e-6)
    assert value["EyeClosedRight"] == pytest.approx(shapes[idx["eyeBlinkRight"]], abs=1e-6)
    assert value["LipSuckUpper"] == pytest.approx(shapes[idx["mouthRollUpper"]], abs=1e-6)
    assert value["MouthRaiserLower"] == pytest.approx(shapes[idx["mouthShrugLower"]], abs=1e-6)
    assert value["TongueOut"] == pytest.approx(51 / 64, abs=1e-6)
    # blink 0/64 and wide 6/64 on the left: 0.75 open + 0.25 * wide
    assert value["EyeLidLeft"] == pytest.approx(0.75 + 0.25 * 6 / 64, abs=1e-6)
    # gaze left (9, -4.5) deg: looks to the subject's left (= -X) and down; 45 deg = 1
    assert (value["EyeLeftX"], value["EyeLeftY"]) == pytest.approx((-0.2, -0.1), abs=1e-6)
    assert (value["EyeX"], value["EyeY"]) == pytest.approx((-0.25, 0.0), abs=1e-6)
    assert got[-2][:2] == ("/tracking/eye/EyesClosedAmount", "f")
    assert float(got[-2][2][0]) == pytest.approx((0 + 7 / 64) / 2, abs=1e-6)
    # VRChat: pitch positive down, yaw positive to the user's right (degrees)
    assert got[-1][:2] == ("/tracking/eye/CenterPitchYaw", "ff")
    assert floats(got[-1][2]) == pytest.approx([0.0, -11.25], abs=1e-6)


def test_vrchat_binary_encoding(oscdump, expressive_frame):
    frame = expressive_frame.with_weights(jawOpen=0.5)
    send_one(f"vrchat:127.0.0.1:{oscdump.port},listen=off,binary=2", frame)
    got = {a: (t, v) for a, t, v in oscdump.messages(6 + 61 + 61 * 2 + 8 + 2)}
    assert len(got) == 6 + 61 + 61 * 2 + 8 + 2
    # 0.5 * 3 = 1.5 -> 2 = 0b10
    assert [got[f"{PREFIX}JawOpen{b}"] for b in (1, 2)] == [("F", ["#F"]), ("T", ["#T"])]
    assert f"{PREFIX}JawOpenNegative" not in got  # 0..1 parameters carry no sign
    # EyeLeftX = -0.2 -> 0.2 * 3 = 0.6 -> 1 = 0b01, negative
    assert [got[f"{PREFIX}EyeLeftX{b}"][0] for b in (1, 2)] == ["T", "F"]
    assert got[f"{PREFIX}EyeLeftXNegative"] == ("T", ["#T"])


def test_vrchat_untracked_is_calm_and_inactive(oscdump):
    send_one(f"vrchat:127.0.0.1:{oscdump.port},listen=off", FaceFrame.untracked(1.0))
    got = oscdump.messages(6 + 61 + 2)
    assert [(a, t) for a, t, _ in got[:6]] == [(a, "F") for a in STATUS]
    value = {a.removeprefix(PREFIX): float(v[0]) for a, _, v in got[6:-2]}
    assert value.pop("EyeLidLeft") == value.pop("EyeLidRight") == 0.75
    assert set(value.values()) == {0.0}
    assert [(a, floats(v)) for a, _, v in got[-2:]] == [
        ("/tracking/eye/EyesClosedAmount", [0.0]),
        ("/tracking/eye/CenterPitchYaw", [0.0, 0.0]),
    ]


def test_vmc_bundle(oscdump, expressive_frame):
    send_one(f"vmc:127.0.0.1:{oscdump.port}", expressive_frame)
    got = oscdump.messages(59)
    assert len(got) == 59
    assert got[0] == ("/VMC/Ext/OK", "iiii", ["1", "3", "0", "1"])
    assert got[1] == ("/VMC/Ext/T", "f", ["2.500000"])
    assert got[2][:2] == ("/VMC/Ext/Root/Pos", "sfffffff")
    assert got[2][2][0] == '"root"' and floats(got[2][2][1:]) == [0, 0, 0, 0, 0, 0, 1]
    for (address, tags, args), bone in zip(got[3:6], ("Head", "LeftEye", "RightEye"), strict=True):
        assert (address, tags, args[0]) == ("/VMC/Ext/Bone/Pos", "sfffffff", f'"{bone}"')
        assert floats(args[1:4]) == [0.0, 0.0, 0.0]
        assert sum(q * q for q in floats(args[4:])) == pytest.approx(1.0, abs=1e-4)
    qx, qy, qz, qw = expressive_frame.head_rotation.tolist()
    assert floats(got[3][2][4:]) == pytest.approx([qx, -qy, -qz, qw], abs=1e-6)
    blends = got[6:58]
    assert [(a, t) for a, t, _ in blends] == [("/VMC/Ext/Blend/Val", "sf")] * 52
    assert blends[0][2] == ['"EyeBlinkLeft"', "0.000000"]
    assert blends[17][2] == ['"JawOpen"', f"{17 / 64:.6f}"]
    assert blends[51][2] == ['"TongueOut"', f"{51 / 64:.6f}"]
    assert got[58][:2] == ("/VMC/Ext/Blend/Apply", "")


def test_vmc_untracked_reports_tracking_lost(oscdump, expressive_frame):
    (sender,) = open_senders([f"vmc:127.0.0.1:{oscdump.port}"])
    sender.send(expressive_frame)
    sender.close()  # leaves the receiver neutral
    got = oscdump.messages(2 * 59)[59:]
    assert got[0] == ("/VMC/Ext/OK", "iiii", ["1", "3", "0", "0"])
    assert floats(got[3][2][1:]) == [0, 0, 0, 0, 0, 0, 1]
    assert {float(v[1]) for _, _, v in got[6:58]} == {0.0}


def test_raw_bundle(oscdump, expressive_frame):
    send_one(f"raw:127.0.0.1:{oscdump.port}", expressive_frame)
    got = oscdump.messages(4)
    assert got[0] == ("/avatarlink/frame", "dT", ["2.500000", "#T"])
    assert got[1][:2] == ("/avatarlink/arkit", "f" * 52)
    assert floats(got[1][2]) == pytest.approx([k / 64 for k in range(52)], abs=1e-6)
    assert got[2][:2] == ("/avatarlink/head", "f" * 7)
    pose = [*expressive_frame.head_rotation.tolist(), 0.02, -0.03, -0.6]
    assert floats(got[2][2]) == pytest.approx(pose, abs=1e-6)
    assert got[3] == (
        "/avatarlink/gaze",
        "ffff",
        ["9.000000", "-4.500000", "13.500000", "4.500000"],
    )
