"""Send FaceFrames to VR and VTuber apps over OSC / UDP: nothing but expression numbers.

``open_senders(["vrchat", "vmc:127.0.0.1:39539"])`` returns one sender per
spec (see :mod:`avatarlink.osc.spec`), each with ``send(frame)`` (never
blocks, never raises on the network) and ``close()``. Targets:

* ``vrchat``        VRCFaceTracking Unified Expressions v2 + native eye tracking
* ``vmc``           VMC protocol (Unity / EVMC4U, VSeeFace, Warudo, VNyan)
* ``ifacialmocap``  iFacialMocap text stream (VSeeFace, Warudo, VNyan)
* ``raw``           /avatarlink/... for custom receivers
"""

from __future__ import annotations

from collections.abc import Iterable

from avatarlink.osc.ifacialmocap import IFacialMocapSender
from avatarlink.osc.raw import RawSender
from avatarlink.osc.sender import Sender
from avatarlink.osc.spec import SenderSpec, parse_spec
from avatarlink.osc.vmc import VMCSender
from avatarlink.osc.vrchat import VRChatSender

SENDERS: dict[str, type[Sender]] = {
    cls.kind: cls for cls in (VRChatSender, VMCSender, IFacialMocapSender, RawSender)
}

__all__ = ["SENDERS", "Sender", "SenderSpec", "open_senders", "parse_spec"]


def open_senders(specs: Iterable[str], rate: float | None = None) -> list[Sender]:
    """One sender per ``--osc`` spec; ``rate`` (Hz) caps senders whose spec sets none.

    Every spec is parsed before any socket opens, and if one target cannot be
    opened the ones already open are closed: a UserError leaves nothing behind.
    """
    parsed = [parse_spec(text) for text in specs]
    senders: list[Sender] = []
    try:
        for spec in parsed:
            senders.append(SENDERS[spec.kind](spec, rate))
    except BaseException:
        for sender in senders:
            sender.release()
        raise
    return senders
