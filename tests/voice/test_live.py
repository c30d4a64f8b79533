"""The live path on real PortAudio.

CI machines have no sound card, so the duplex-stream tests run PortAudio's
ALSA backend against ALSA's ``null`` device, configured in a temporary HOME
(``~/.asoundrc``). The null device captures silence, discards playback and
has no clock, so the stream runs flat out: enough to prove that the stream
opens, the callback runs the real engine and xruns are counted, not to
measure real-time behaviour.
"""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

from avatarlink.voice.live import LiveVoice
from avatarlink.voice.presets import session_params
from avatarlink.voice.stream import VoiceProcessor

ASOUNDRC = """
pcm.!default { type plug slave.pcm "nullpcm" }
pcm.nullpcm { type null }
"""

RUN_LIVE = """
import sys, time
from avatarlink.errors import UserError
from avatarlink.voice.live import LiveVoice
try:
    kwargs = eval(sys.argv[1])
    with LiveVoice("anonymous", seed=1, **kwargs) as v:
        time.sleep(0.5)
        print("frames", v.frames, "xruns", v.xruns, "latency", v.latency_seconds, v.active)
except UserError as e:
    print("USERERROR", e)
"""


@pytest.fixture(scope="module")
def null_alsa(tmp_path_factory):
    home = tmp_path_factory.mktemp("alsa_home")
    (home / ".asoundrc").write_text(ASOUNDRC)
    return {**os.environ, "HOME": str(home)}


def live(env, **kwargs):
    result = subprocess.run(
        [sys.executable, "-c", RUN_LIVE, repr(kwargs)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_duplex_stream_runs_the_engine_on_a_null_device(null_alsa):
    out = live(null_alsa, sample_rate=16000, block=160).split()
    assert out[0] == "frames" and int(out[1]) > 1600
    assert out[3] == "0" and float(out[5]) <= 0.040 and out[6] == "True"


def test_missing_device_is_one_clear_line(null_alsa):
    out = live(null_alsa, input="no such microphone")
    assert out.startswith("USERERROR") and "avatarlink devices" in out
    assert live(null_alsa, output=99).startswith("USERERROR")


def test_unsupported_sample_rate_is_one_clear_line(null_alsa):
    # the null device takes any rate PortAudio allows, so only the engine's own
    # limits can be refused here; PortAudio's refusal takes the same path
    assert live(null_alsa, sample_rate=96000).startswith("frames")
    for rate in (4000, 250000):
        out = live(null_alsa, sample_rate=rate)
        assert out.startswith("USERERROR") and f"{rate} Hz is not supported" in out


def test_devices_lists_the_null_device(null_alsa):
    result = subprocess.run(
        [sys.executable, "-m", "avatarlink", "devices"],
        capture_output=True,
        text=True,
        timeout=60,
        env=null_alsa,
    )
    assert result.returncode == 0 and "nullpcm" in result.stdout


def test_xruns_are_counted_from_portaudio_status_flags():
    import sounddevice

    voice = LiveVoice.__new__(LiveVoice)  # the callback alone, without opening a device
    voice._lock, voice._xruns, voice._frames, voice._sd = threading.Lock(), 0, 0, sounddevice
    voice.processor = VoiceProcessor(session_params("deeper", 0), 16000)
    block = np.zeros((160, 1), dtype=np.float32)
    out = np.zeros((160, 1), dtype=np.float32)
    flags = sounddevice.CallbackFlags
    voice._callback(block, out, 160, None, flags())
    under = flags()
    under.output_underflow = True
    voice._callback(block, out, 160, None, under)
    assert voice.xruns == 1 and voice.frames == 320
