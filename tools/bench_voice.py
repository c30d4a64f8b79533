"""Benchmark the voice changer: accuracy, cost, latency, anonymity, intelligibility, prosody.

Needs the ``bench`` extra and the evaluation data (``../shared/data`` or
AVATARLINK_SHARED_DATA). Prints Markdown tables; nothing is asserted here.

    .venv/bin/python tools/bench_voice.py                 # everything
    .venv/bin/python tools/bench_voice.py --quick         # 2 speakers x 2 utterances, 2 clips
    .venv/bin/python tools/bench_voice.py --only eer      # one section
    .venv/bin/python tools/bench_voice.py --only tracker  # the engine's F0 tracker against Praat
    .venv/bin/python tools/bench_voice.py --presets neutral anonymous --no-peers
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.signal import lfilter

warnings.simplefilter("ignore")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from avatarlink.voice import evaluation as ev  # noqa: E402
from avatarlink.voice.formant import FormantWarp  # noqa: E402
from avatarlink.voice.live import LIVE_BLOCK_SECONDS  # noqa: E402
from avatarlink.voice.lpc import formants  # noqa: E402
from avatarlink.voice.presets import PRESETS, Preset  # noqa: E402
from avatarlink.voice.stream import VoiceParams, VoiceProcessor  # noqa: E402

DATA = Path(os.environ.get("AVATARLINK_SHARED_DATA", REPO.parent / "shared" / "data"))
VPC_MCADAMS = Preset(
    "vpc-mcadams",
    "reference: VoicePrivacy McAdams baseline, alpha random in [0.5, 0.9], pitch kept",
    semitones=(0.0, 0.0),
    mcadams=(0.5, 0.9),
)
NAMES = ["anonymous", "neutral", "deeper", "brighter", "mcadams"]
VOWELS = {"a": (700.0, 1220.0, 2600.0), "e": (600.0, 1700.0, 2700.0), "o": (500.0, 1000.0, 2500.0)}


def table(headers: list[str], rows: list[list]) -> None:
    def cell(v):
        return f"{v:.3g}" if isinstance(v, float) else str(v)

    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for r in rows:
        print("| " + " | ".join(cell(v) for v in r) + " |")
    print(flush=True)


def vowel(f0: float, fmts: tuple[float, ...], rate: int = 16000, seconds: float = 1.0):
    n = int(seconds * rate)
    pulses = np.diff(np.floor(np.arange(n) * f0 / rate), prepend=0.0)
    y = lfilter([1.0], [1.0, -0.9], pulses)
    for f, b in zip(fmts, (80.0, 90.0, 120.0), strict=True):
        r = np.exp(-np.pi * b / rate)
        y = lfilter([1 - r], [1, -2 * r * np.cos(2 * np.pi * f / rate), r * r], y)
    return (0.3 * y / np.abs(y).max()).astype(np.float32)


def accuracy() -> None:
    print("### Synthetic vowels: formant ratio (LPC) and pitch (Praat)\n")
    print("F0 100 Hz; formant ratio = geometric mean over F1-F3 of output/input LPC formants.\n")
    rows = []
    settings = (
        [(0.0, r) for r in (0.85, 0.9, 1.1, 1.2)]
        + [(s, 1.0) for s in (-5.0, -3.0, 3.0, 5.0)]
        + [(-4.0, 0.88), (4.0, 1.15), (4.0, 0.9), (-3.0, 1.1)]
    )
    for semis, ratio in settings:
        f_err, p_err, worst = [], [], 0.0
        for fmts in VOWELS.values():
            x = vowel(100.0, fmts)
            y = ev.ours(x, 16000, VoiceParams(semis, FormantWarp(ratio=ratio)))
            before, after = formants(x[4000:12000], 16000)[:3], formants(y[4000:12000], 16000)
            got = np.array([after[np.argmin(np.abs(after - f * ratio))] / f for f in before])
            f_err.append(np.exp(np.log(got).mean()) / ratio - 1)
            worst = max(worst, float(np.abs(got / ratio - 1).max()))
            f0x = ev.f0_contour(x, 16000)
            f0y = ev.f0_contour(y, 16000)
            p_err.append(np.median(f0y[f0y > 0]) / np.median(f0x[f0x > 0]) / 2 ** (semis / 12) - 1)
        rows.append(
            [
                f"{semis:+.0f}",
                ratio,
                100 * max(f_err, key=abs),
                100 * worst,
                100 * max(p_err, key=abs),
            ]
        )
    table(
        [
            "semitones",
            "formant ratio",
            "ratio error % (worst vowel)",
            "worst single formant %",
            "pitch error % (worst vowel)",
        ],
        rows,
    )


def tracker_section(quick: bool) -> None:
    """The F0 tracker the normaliser and the register rule read, against Praat's (10 ms)."""
    print("### F0 tracker against Praat, per speaker (speech/)\n")
    print(
        "Voicing: share of 5-ms grains where both call it voiced or both unvoiced. "
        "Gross errors: voiced in both, ours more than 20 % off. Level: the mean of "
        "log-F0 over each one's voiced frames (what the normaliser's running mean "
        "estimates), in Hz. Praat searches our range, 60-420 Hz.\n"
    )
    per: dict[str, list[dict[str, float]]] = {}
    for u in ev.load_speech(DATA / "speech", *((2, 2) if quick else (None, None))):
        per.setdefault(u.speaker, []).append(ev.tracker_against_praat(u.audio, u.sample_rate))
    rows = []
    for speaker, figures in per.items():
        mean = {k: np.mean([f[k] for f in figures]) for k in figures[0]}
        ours, praat = (
            np.exp(np.mean([np.log(f[k]) for f in figures])) for k in ("level_ours", "level_praat")
        )
        rows.append(
            [speaker, len(figures), 100 * mean["voicing"], 100 * mean["gross"], float(ours),
             float(praat), float(100 * (ours / praat - 1))]
        )  # fmt: skip
    level_error = np.array([abs(r[-1]) for r in rows])
    table(
        ["speaker", "utt.", "voicing agrees %", "gross errors %", "level, ours", "level, Praat",
         "level error %"],
        rows,
    )  # fmt: skip
    print(
        f"mean |level error| {level_error.mean():.1f} %, worst {level_error.max():.1f} %; "
        f"speakers over 10 %: {int((level_error > 10).sum())} of {len(rows)}\n"
    )


def cost_and_latency(names: list[str]) -> None:
    import soundfile as sf

    print("### Cost and latency\n")
    speech, rate = sf.read(str(DATA / "speech/3005/3005-163389-0000.flac"), dtype="float32")
    rows = []
    for name in names:
        params = PRESETS[name].draw(1)
        for sr in (16000, 48000):
            x = (
                speech
                if sr == rate
                else np.interp(
                    np.arange(int(speech.size * sr / rate)) * rate / sr,
                    np.arange(speech.size),
                    speech,
                ).astype(np.float32)
            )
            cpu = []
            # 10 ms; the engine's 5 ms hop; the live default
            live_block = round(LIVE_BLOCK_SECONDS * sr)
            for block in (sr // 100, VoiceProcessor(params, sr).hop, live_block):
                proc = VoiceProcessor(params, sr)
                t = time.process_time()
                out = np.concatenate(
                    [proc.process(x[i : i + block]) for i in range(0, x.size, block)]
                )
                cpu.append((time.process_time() - t) / (x.size / sr))
            # content delay: lag of the best match between 5 ms energy envelopes
            hop = sr // 200
            env = [np.sqrt(np.add.reduceat(s**2, np.arange(0, s.size, 1))) for s in (x, out)]
            a, b = (np.convolve(e, np.ones(hop), "same") for e in env)
            lags = np.arange(0, int(0.06 * sr))
            score = [np.dot(a[: a.size - k], b[k:]) for k in lags[:: max(1, sr // 8000)]]
            lag = lags[:: max(1, sr // 8000)][int(np.argmax(score))]
            rows.append(
                [
                    name,
                    sr,
                    *cpu,
                    1000 * proc.latency / sr,
                    1000 * proc.max_latency / sr,
                    1000 * lag / sr,
                ]
            )
    identity = VoiceProcessor(VoiceParams(), 16000)
    noise = np.random.default_rng(0).standard_normal(16000)
    y = np.concatenate([identity.process(noise), identity.process(np.zeros(identity.latency))])
    lag = int(np.argmax(np.correlate(y, noise, "full"))) - (noise.size - 1)
    table(
        [
            "preset (seed 1)",
            "rate",
            "CPU s per s (10 ms blocks)",
            "CPU s per s (one 5 ms hop per block)",
            f"CPU s per s ({LIVE_BLOCK_SECONDS * 1000:.0f} ms blocks, the live default)",
            "latency ms (nominal)",
            "latency ms (worst)",
            "measured content delay ms",
        ],
        rows,
    )
    print(
        f"Unchanged settings: output = input delayed by {lag} samples "
        f"({1000 * lag / 16000:.1f} ms), the nominal latency is {identity.latency}.\n"
    )


def _eer_row(method: str, preset: str, r: dict) -> list:
    """One row of the EER table from ``evaluation.speaker_verification``'s figures."""
    return [
        method,
        preset,
        r["eer_original"],
        r["eer_ignorant"],
        r["eer_lazy"],
        r["eer_inverse"],
        r.get("eer_register", "n/a"),  # only presets that go away from the register
        r["f0_correlation_mean"],
        r["f0_correlation_min"],
        r["cpu_per_audio_second"],
        f"{r['genuine_trials']}/{r['impostor_trials']}",
    ]


def eer_section(
    quick: bool, utterances: int | None, names: list[str], peers: bool, seed: int = 0
) -> None:
    print("### Speaker verification (resemblyzer), EER %\n")
    sub = {"max_speakers": 2, "max_utterances": 2} if quick else {"max_utterances": utterances}
    print(f"Subset: {sub or 'all utterances'}; peers on the anonymous preset's draws.\n")
    rows = []
    for preset in [*(PRESETS[n] for n in names), *([VPC_MCADAMS] if peers else [])]:
        r = ev.speaker_verification(DATA / "speech", preset, with_prosody=True, seed=seed, **sub)
        rows.append(_eer_row("avatarlink", preset.name, r))
    peer_sub = sub if utterances or quick else {"max_utterances": 2}
    for method in ("praat-change-gender", "pyworld-warp") if peers else ():
        r = ev.speaker_verification(
            DATA / "speech", "anonymous", method=method, with_prosody=True, seed=seed, **peer_sub
        )
        rows.append(_eer_row(method, "anonymous", r))
    table(
        [
            "method",
            "preset",
            "original",
            "ignorant",
            "lazy-informed",
            "inverse",
            "register-aware",
            "F0 r mean",
            "F0 r min",
            "CPU s/s",
            "genuine/impostor trials",
        ],
        rows,
    )


def wer_section(quick: bool, names: list[str], peers: bool, seed: int = 0) -> None:
    print("### Intelligibility (pocketsphinx), WER %\n")
    clips = 2 if quick else None
    rows = []
    for name in names:
        r = ev.intelligibility(DATA / "speech_transcribed", name, seed=seed, max_clips=clips)
        rows.append(["avatarlink", name, r["clips"], r["wer_original"], r["wer_anonymised"]])
    if peers:
        r = ev.intelligibility(DATA / "speech_transcribed", VPC_MCADAMS, seed=seed, max_clips=clips)
        rows.append(
            ["avatarlink", VPC_MCADAMS.name, r["clips"], r["wer_original"], r["wer_anonymised"]]
        )
    for method in ("praat-change-gender", "pyworld-warp") if peers else ():
        r = ev.intelligibility(
            DATA / "speech_transcribed", "anonymous", method=method, seed=seed, max_clips=clips
        )
        rows.append([method, "anonymous", r["clips"], r["wer_original"], r["wer_anonymised"]])
    table(["method", "preset", "clips", "WER before", "WER after"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small subsets (a smoke run)")
    parser.add_argument("--only", choices=["accuracy", "tracker", "cost", "eer", "wer"])
    parser.add_argument(
        "--utterances", type=int, help="EER: at most this many utterances per speaker"
    )
    parser.add_argument(
        "--presets", nargs="+", choices=NAMES, default=NAMES, help="cost/EER/WER: these presets"
    )
    parser.add_argument(
        "--no-peers", action="store_true", help="EER/WER: skip the reference and library peers"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="EER/WER: the evaluation's base seed of the draws"
    )
    args = parser.parse_args()
    names, peers = args.presets, not args.no_peers
    sections = {
        "accuracy": accuracy,
        "tracker": lambda: tracker_section(args.quick),
        "cost": lambda: cost_and_latency(names),
        "eer": lambda: eer_section(args.quick, args.utterances, names, peers, args.seed),
        "wer": lambda: wer_section(args.quick, names, peers, args.seed),
    }
    for name, run in sections.items():
        if args.only in (None, name):
            t = time.time()
            run()
            print(f"({name}: {time.time() - t:.0f} s wall)\n", flush=True)


if __name__ == "__main__":
    main()
