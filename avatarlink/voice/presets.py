"""Voice presets: ranges, not fixed settings.

Each session draws its exact pitch shift and formant warp at random within
the preset's ranges, so that knowing the preset's name does not give the
inverse (an attacker who undoes the midpoint is still off by the draw).
``seed`` makes a run repeatable; ``None`` draws from the OS entropy.

``anonymous`` also draws its *direction* (up or down, pitch and formants
together, so the voice stays natural): its midpoint is the unchanged voice,
so an attacker inverting the midpoint inverts nothing. It shifts from a
normalised voice rather than the speaker's: F0 level and vocal-tract length
are first replaced by drawn targets (``avatarlink.voice.pitch``,
``avatarlink.voice.tract``), so the output's tract length carries only the
session's draw, never the speaker's. Nineteen sessions in twenty
then go *away* from the speaker's own register (up for a low voice, down for
a high one) and one in twenty towards it: a shift towards the speaker's
register lands near the voice it should hide. What keeps one speaker's
sessions apart is the rest of the draw, above all a ±12 dB/octave equaliser
tilt. Resemblyzer, seeds 0-8 (ignorant / lazy-informed EER, mean): away
three times in four with a ±9 tilt 31.4 / 30.7 (seeds 0-5), nineteen in
twenty with ±12 38.8 / 27.3. The price: the output's register tells an
attacker the speaker's the other way round, nineteen times in twenty.
And the normalisation plus the shift away exceed the engine's ±8 semitones
for most voices, so most sessions come out 8 semitones from the speaker's
own pitch: an attacker who knows this shifts them back
(``evaluation.undo_register``, EER 23-25 % on seeds 0-2).

Every preset also normalises the long-term spectrum to the standard speech
spectrum with a per-session random tilt (``avatarlink.voice.ltas``): the
average colour of a voice and of its microphone is a speaker cue that no
pitch or formant shift removes, and it has no inverse.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from avatarlink.voice.formant import FormantWarp
from avatarlink.voice.stream import VoiceParams


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    semitones: tuple[float, float]
    formant_ratio: tuple[float, float] | None = None
    mcadams: tuple[float, float] | None = None
    either_direction: bool = False
    equalise: float = 0.0
    tilt: tuple[float, float] = (0.0, 0.0)  # dB per octave, the equaliser target's
    # F0 normalisation (avatarlink.voice.pitch): output mean F0 drawn log-uniformly (Hz)
    f0_target: tuple[float, float] | None = None
    f0_spread: tuple[float, float] = (1.0, 1.0)
    formant_follow: tuple[float, float] = (0.0, 0.0)
    formant_wobble: tuple[float, float] = (0.0, 0.0)  # depth; period 2-4 s, phase drawn
    # VTL normalisation (avatarlink.voice.tract): output vocal-tract length drawn (cm)
    vtl_target: tuple[float, float] | None = None
    # with either_direction and an F0 target: the chance that the drawn shift goes
    # away from the speaker's own register (stream.register_direction) rather than
    # towards it; 0 draws up or down regardless of the speaker
    away: float = 0.0

    def draw(self, seed: int | None = None) -> VoiceParams:
        """This session's exact settings."""
        rng = np.random.default_rng(seed)
        if self.away > 0:
            sign = 1.0 if rng.uniform() < self.away else -1.0  # away from the register, or towards
        else:
            sign = float(rng.choice([-1.0, 1.0])) if self.either_direction else 1.0
        semitones = sign * float(rng.uniform(*self.semitones))
        ratio = float(rng.uniform(*self.formant_ratio)) if self.formant_ratio else 1.0
        if self.mcadams is not None:
            alpha = float(rng.uniform(*self.mcadams))
            warp = FormantWarp(alpha=alpha if sign > 0 else 1.0 / alpha)
        else:
            warp = FormantWarp(ratio=ratio if sign > 0 else 1.0 / ratio)
        tilt = float(rng.uniform(*self.tilt)) if self.equalise > 0 else 0.0
        if self.f0_target is None:
            params = VoiceParams(semitones, warp, equalise=self.equalise, tilt=tilt)
        else:  # the pitch shift moves the drawn target: semitones from it
            target = float(np.exp(rng.uniform(*np.log(self.f0_target))))
            register = {}
            if self.away > 0:  # the engine picks up or down from the speaker's register
                register = {"register_semitones": semitones, "register_formant": ratio}
                warp = FormantWarp()
            else:
                target *= 2 ** (semitones / 12)
            params = VoiceParams(
                0.0,
                warp,
                **register,
                equalise=self.equalise,
                tilt=tilt,
                f0_target=target,
                f0_spread=float(rng.uniform(*self.f0_spread)),
                formant_follow=float(rng.uniform(*self.formant_follow)),
                formant_wobble=float(rng.uniform(*self.formant_wobble)),
                wobble_seconds=float(rng.uniform(2.0, 4.0)),
                wobble_phase=float(rng.uniform(0.0, 2 * np.pi)),
            )
        if self.vtl_target is None:
            return params
        return replace(params, vtl_target=float(rng.uniform(*self.vtl_target)))

    def midpoint(self) -> VoiceParams:
        """The centre of the ranges: what an attacker who knows the preset would invert.

        The equalisation is left out: it has no inverse.
        """
        semitones = 0.0 if self.either_direction else float(np.mean(self.semitones))
        if self.either_direction:
            return VoiceParams(semitones)
        if self.mcadams is not None:
            return VoiceParams(semitones, FormantWarp(alpha=float(np.mean(self.mcadams))))
        ratio = float(np.mean(self.formant_ratio)) if self.formant_ratio else 1.0
        return VoiceParams(semitones, FormantWarp(ratio=ratio))


_EQ = {"equalise": 1.0, "tilt": (-3.0, 3.0)}

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "deeper",
            "a deep voice: the pitch level set to a drawn 90-105 Hz, formants 3-6 % lower",
            semitones=(0.0, 0.0),
            # a level, not a shift: a voice already deep is not pushed into a growl
            # (shifting -2..-4 semitones with formants x0.90-0.95 cost pocketsphinx
            # 21-31 points of WER on a low male reader; this costs 4-10)
            f0_target=(90.0, 105.0),
            formant_ratio=(0.94, 0.97),  # lower formants cost pocketsphinx the most
            **_EQ,
        ),
        Preset(
            "brighter",
            "higher pitch and a shorter vocal tract",
            semitones=(2.5, 5.0),
            formant_ratio=(1.10, 1.20),
            **_EQ,
        ),
        Preset(
            "anonymous",
            "neutral anonymous voice: pitch level and tract length normalised to a drawn "
            "voice, then moved up or down together: away from the speaker's own register "
            "in nineteen sessions of twenty, towards it in one",
            semitones=(3.8, 6.8),  # from the target: 100-120 Hz below, 185-225 Hz above
            formant_ratio=(1.04, 1.08),  # from the target tract: about 14.6-17.6 cm
            either_direction=True,
            f0_target=(145.0, 155.0),
            vtl_target=(15.8, 16.3),
            equalise=1.0,
            tilt=(-12.0, 12.0),  # four times the others': what sets one speaker's sessions apart
            away=0.95,
        ),
        Preset(
            "neutral",
            "F0 normalised: the speaker's pitch level replaced by a drawn target, "
            "formants following the level change",
            semitones=(0.0, 0.0),
            f0_target=(130.0, 180.0),
            formant_follow=(0.25, 0.35),
            **_EQ,
        ),
        Preset(
            "mcadams",
            "VoicePrivacy-style McAdams pole warp with a small pitch change",
            semitones=(-1.5, 1.5),
            mcadams=(0.75, 0.9),
            **_EQ,
        ),
    )
}


def get_preset(name: str) -> Preset:
    """A preset by name (ValueError naming the choices otherwise)."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown voice preset {name!r}; choose one of {', '.join(PRESETS)}"
        ) from None


def session_params(preset: str | Preset | VoiceParams, seed: int | None = None) -> VoiceParams:
    """Exact settings for a session from a preset name, a Preset, or fixed settings."""
    if isinstance(preset, VoiceParams):
        return preset
    if isinstance(preset, str):
        preset = get_preset(preset)
    return preset.draw(seed)
