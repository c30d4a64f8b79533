"""What every sender shares: rate limiting, failing closed, closing cleanly."""

from __future__ import annotations

from avatarlink.closing import Closing
from avatarlink.frame import FaceFrame
from avatarlink.osc.spec import SenderSpec, float_option
from avatarlink.osc.transport import UdpTarget


class Sender(Closing):
    """Base class: subclasses implement :meth:`encode_and_send` for one protocol.

    ``send`` substitutes :meth:`FaceFrame.untracked` for any frame without a
    face, so a subclass never sees stale or half-valid numbers, and it lets a
    change of tracking state through at once even when the rate limit would
    hold the frame back: losing the face must reach the receiver promptly.
    """

    kind = ""
    default_rate = 0.0  # Hz; 0 sends every frame

    def __init__(self, spec: SenderSpec, rate: float | None = None) -> None:
        self.spec = spec
        rate = float_option(spec, "rate", rate or self.default_rate, 0.0, 1000.0)
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.target = UdpTarget(spec.host, spec.port, f"--osc {spec.text!r}")
        self._last_time: float | None = None
        self._next_due = 0.0
        self._last_tracked: bool | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} to {self.spec.host}:{self.spec.port}>"

    def send(self, frame: FaceFrame) -> None:
        """Encode and send one frame if it is due; never blocks, never raises on the network."""
        if not self._due(frame):
            return
        tracked = bool(frame.tracked)
        self._last_time = frame.time
        self._last_tracked = tracked
        self.encode_and_send(frame if tracked else FaceFrame.untracked(frame.time))

    def _due(self, frame: FaceFrame) -> bool:
        """Rate limiting on the frames' own clock, in slots of ``interval`` seconds.

        Slots keep their phase, and a frame up to a quarter slot early counts,
        so a 30 fps camera with jittery timestamps still gets 30 Hz through a
        30 Hz limit instead of every other frame. A change of tracking state,
        the first frame and a clock that jumps back are always due.
        """
        t, last = frame.time, self._last_time
        if last is None or t < last or bool(frame.tracked) != self._last_tracked:
            self._next_due = t + self.interval
            return True
        if t < self._next_due - self.interval / 4:
            return False
        slot = self._next_due + self.interval
        self._next_due = slot if t < slot else t + self.interval
        return True

    def encode_and_send(self, frame: FaceFrame) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Leave the receiver in the calm, tracking-inactive state, then :meth:`release`."""
        if self._last_time is not None and self._last_tracked:
            self.encode_and_send(FaceFrame.untracked(self._last_time))
            self._last_tracked = False
        self.release()

    def release(self) -> None:
        """Free the sockets without sending anything more."""
        self.target.close()
