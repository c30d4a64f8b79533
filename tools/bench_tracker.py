"""Benchmark the face tracker against Google's Face Landmarker; prints tables.

    .venv/bin/python tools/bench_tracker.py                 # every clip in shared/data/video
    .venv/bin/python tools/bench_tracker.py --clips liveportrait_d18 --stages 60
    .venv/bin/python tools/bench_tracker.py --cache /tmp/bench_cache --only agreement

``--cache DIR`` keeps, per clip, our tracker's landmarks (and the tongue's
colour sample) and Google's blendshapes and transformation matrices in
``DIR/<clip>.npz``; later runs replay the landmarks through the solver and the
filters exactly as :class:`FaceTracker` does, in seconds instead of minutes.
Keep DIR outside the repository (the landmarks come from third-party video).

Figures (issue 2):
  1. per-shape Pearson r of our 52 coefficients against Google's blendshapes,
     per clip and pooled over all clips (Google's own spread shown: where Google
     barely moves a shape, r says little);
  2. "beyond Google": the shapes Google leaves near zero, ours on the grimace clips;
  3. head pose: mean absolute error of yaw / pitch / roll against Google's
     facial transformation matrix;
  4. speed: per-stage milliseconds (face mesh, solver, filters), our tracking +
     solving against Google's landmarker with blendshapes, same frames, same run;
  5. stability: a still image repeated, frame-to-frame std of each filtered
     coefficient; blink latency of the filter on the clips' real blinks;
  6. stills (``--only stills``): other people, one photo each (faces/emotion/
     and faces/identity/): a fresh FaceTracker on the photo repeated, against
     Google's landmarker in IMAGE mode, per-shape r across each set of photos
     and the mean per emotion.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from avatarlink.frame import ARKIT_INDEX, ARKIT_NAMES, N_SHAPES
from avatarlink.metrics import pearson
from avatarlink.tracking import FaceTracker, LandmarkDetector, open_source
from avatarlink.tracking.calibration import Calibration
from avatarlink.tracking.landmarker import GoogleLandmarker
from avatarlink.tracking.neutral import AutoNeutral
from avatarlink.tracking.solver import pose as solver_pose
from avatarlink.tracking.solver import solve, tongue
from avatarlink.tracking.tracker import _filter_for_frames, euler_from_matrix

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
TARGETS = (
    "eyeBlinkLeft", "eyeBlinkRight", "jawOpen", "mouthSmileLeft", "mouthSmileRight",
    "browInnerUp", "browOuterUpLeft", "browOuterUpRight",
    "eyeLookDownLeft", "eyeLookInLeft", "eyeLookOutLeft", "eyeLookUpLeft",
    "eyeLookDownRight", "eyeLookInRight", "eyeLookOutRight", "eyeLookUpRight",
    "mouthPucker", "mouthFunnel",
)  # fmt: skip
BEYOND = (
    "cheekPuff", "cheekSquintLeft", "cheekSquintRight",
    "noseSneerLeft", "noseSneerRight", "eyeWideLeft", "eyeWideRight",
)  # fmt: skip
# Google's spread below this and r is mostly its noise against ours
MEANINGFUL_STD = 0.05
SECTIONS = ("agreement", "beyond", "pose", "speed", "stability", "stills")
# Shapes compared on the stills (one photo per person: expression, not motion)
STILL_SHAPES = (
    "mouthSmileLeft", "mouthSmileRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight",
    "browDownLeft", "browDownRight", "jawOpen", "mouthPucker", "mouthFunnel",
    "eyeBlinkLeft", "eyeBlinkRight", "eyeWideLeft", "eyeWideRight",
    "eyeLookDownLeft", "eyeLookDownRight", "eyeLookUpLeft", "eyeLookUpRight",
    "mouthFrownLeft", "mouthFrownRight", "mouthStretchLeft", "mouthStretchRight",
)  # fmt: skip
# Frames a photo is repeated for our tracker (fewer than the auto-neutral needs
# to start learning: a photo has no "relaxed face over time" to learn from)
STILL_REPEATS = 10
# Marks a cached clip recording whose interleaved CPU is split as record_clip says
# (older recordings billed Google's worker threads to ours, and are recorded again)
RECORDING = "cpu_split_by_thread"


def record_landmarks(tracker: FaceTracker) -> list[np.ndarray]:
    """The list each of ``tracker``'s solves appends its landmarks to (a measuring hook)."""
    seen: list[np.ndarray] = []
    solve_frame = tracker._solve

    def recording_solve(rgb: np.ndarray, landmarks: np.ndarray):
        seen.append(landmarks)
        return solve_frame(rgb, landmarks)

    tracker._solve = recording_solve
    return seen


def record_clip(path: Path, model: Path) -> dict[str, np.ndarray]:
    """Our tracker's landmarks and Google's output on every frame of one clip.

    ``landmarks`` / ``google`` are NaN where that side found no face; per-frame
    wall and CPU times of both are kept for the speed table. Our CPU is this
    thread's: FaceTracker.process runs on the calling thread alone (its face mesh
    has no workers), so whatever else the process spends meanwhile is Google's
    worker threads finishing their frame, and is billed to Google.
    """
    rec: dict[str, list] = {k: [] for k in ("t", "width", "height", "landmarks", "fill")}
    rec.update({k: [] for k in ("google", "gmatrix", "t_ours", "t_google", "cpu_ours")})
    rec["cpu_google"] = []
    with open_source(path) as src, FaceTracker() as tracker:
        seen = record_landmarks(tracker)
        with GoogleLandmarker(model, max_faces=1) as landmarker:
            for t, rgb in src:
                seen.clear()
                t0, c0, th0 = time.perf_counter(), time.process_time(), time.thread_time()
                frame = tracker.process(rgb, t)
                t1, c1, th1 = time.perf_counter(), time.process_time(), time.thread_time()
                faces = landmarker.detect_all(rgb, t)
                t2, c2 = time.perf_counter(), time.process_time()
                h, w = rgb.shape[:2]
                lm = seen[0] if (frame.tracked and seen) else np.full((478, 3), np.nan)
                rec["t"].append(t)
                rec["width"].append(w)
                rec["height"].append(h)
                rec["landmarks"].append(np.asarray(lm, dtype=np.float32))
                rec["fill"].append(tongue.mouth_fill(rgb, lm) if frame.tracked else 0.0)
                if faces:
                    rec["google"].append(faces[0].shapes)
                    rec["gmatrix"].append(faces[0].rotation)
                else:
                    rec["google"].append(np.full(N_SHAPES, np.nan))
                    rec["gmatrix"].append(np.full((3, 3), np.nan))
                rec["t_ours"].append(t1 - t0)
                rec["t_google"].append(t2 - t1)
                rec["cpu_ours"].append(th1 - th0)
                rec["cpu_google"].append((c2 - c1) + (c1 - c0) - (th1 - th0))
    return {k: np.array(v) for k, v in rec.items()}


def replay(rec: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Solver, auto-neutral and filters over recorded landmarks, as FaceTracker runs them.

    Returns ours (filtered), raw (unfiltered), pose and Google's, on the frames
    where both found a face.
    """
    cal = Calibration.default()
    neutral, rigid, flt = AutoNeutral(), solver_pose.RigidTemplate(), _filter_for_frames()
    ours, raw, pose, google, gpose = ([] for _ in range(5))
    lost = False
    for i, t in enumerate(rec["t"]):
        lm = rec["landmarks"][i]
        if np.isnan(lm[0, 0]):
            flt.reset()
            lost = True
            continue
        if lost:  # a new lock: the tracker learns the person afresh
            rigid.reset()
            neutral.reset()
            lost = False
        w, h = int(rec["width"][i]), int(rec["height"][i])
        sol = solve(
            lm, w, h, cal.rest, cal.span, rigid=rigid, tongue_fill=rec["fill"][i],
            adapt=neutral.update,
        )  # fmt: skip
        vec = np.concatenate(
            [sol.shapes, sol.gaze_left, sol.gaze_right, euler_from_matrix(sol.rotation),
             sol.translation]
        )  # fmt: skip
        out = flt(vec, float(t))
        if np.isnan(rec["google"][i][0]):
            continue
        ours.append(np.clip(out[:N_SHAPES], 0.0, 1.0))
        raw.append(sol.shapes)
        pose.append(out[N_SHAPES + 4 : N_SHAPES + 7])
        google.append(rec["google"][i])
        gpose.append(euler_from_matrix(rec["gmatrix"][i]))
    both = ~np.isnan(rec["landmarks"][:, 0, 0]) & ~np.isnan(rec["google"][:, 0])
    result = {
        k: np.array(v)
        for k, v in (
            ("ours", ours),
            ("raw", raw),
            ("pose", pose),
            ("google", google),
            ("gpose", gpose),
        )
    }
    for k in ("t_ours", "t_google", "cpu_ours", "cpu_google"):
        result[k] = rec[k][both]
    return result


def load_clip(path: Path, model: Path, cache: Path | None) -> dict[str, np.ndarray]:
    """The clip's recording, from ``cache`` when it is there (and written there when not)."""
    if cache is None:
        return record_clip(path, model)
    file = cache / f"{path.stem}.npz"
    if file.exists():
        with np.load(file) as npz:
            if RECORDING in npz:
                return dict(npz)
        print(f"  {file} predates the per-thread CPU split: recording it again")
    rec = record_clip(path, model)
    rec[RECORDING] = np.array(1)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(file, **rec)
    return rec


def _centred(results: dict[str, dict[str, np.ndarray]], key: str) -> np.ndarray:
    return np.concatenate([r[key] - r[key].mean(axis=0) for r in results.values()])


def _leave_one_out(results: dict[str, dict[str, np.ndarray]], k: int) -> np.ndarray:
    """Pooled r of shape ``k`` with each clip left out in turn (one value per clip)."""
    clips = list(results)
    return np.array(
        [
            pearson(
                np.concatenate([results[c]["ours"][:, k] for c in clips if c != out]),
                np.concatenate([results[c]["google"][:, k] for c in clips if c != out]),
            )
            for out in clips
        ]
    )


def agreement_table(results: dict[str, dict[str, np.ndarray]]) -> None:
    """Per clip, pooled, "within": pooled after removing each clip's mean from both
    sides, i.e. without the per-person offsets (pooled minus within shows how much of
    the pooled r comes from agreeing on each person's resting level), and "loco": the
    range of the pooled r with one clip left out (a change that helps only one clip
    moves one end of it)."""
    clips = list(results)
    print("\n## 1. Pearson r against Google's blendshapes (ours filtered; google std in brackets)")
    head = "".join(f" {c[-12:]:>18s}" for c in clips)
    print(f"{'shape':20s}{head} {'pooled':>8s} {'within':>7s} {'loco':>9s}  target")
    pooled_ours = np.concatenate([results[c]["ours"] for c in clips])
    pooled_google = np.concatenate([results[c]["google"] for c in clips])
    within_ours, within_google = _centred(results, "ours"), _centred(results, "google")
    misses = []
    for k, name in enumerate(ARKIT_NAMES):
        cells = ""
        for c in clips:
            o, g = results[c]["ours"][:, k], results[c]["google"][:, k]
            cells += f" {pearson(o, g):7.2f} [{g.std():6.3f}]  "
        r_all = pearson(pooled_ours[:, k], pooled_google[:, k])
        r_within = pearson(within_ours[:, k], within_google[:, k])
        loco = _leave_one_out(results, k)
        target = ""
        if name in TARGETS:
            meaningful = [
                pearson(results[c]["ours"][:, k], results[c]["google"][:, k])
                for c in clips
                if results[c]["google"][:, k].std() >= MEANINGFUL_STD
            ]
            worst = min(meaningful) if meaningful else float("nan")
            ok = r_all >= 0.85
            target = (
                f">=0.85 {'met' if ok else 'MISSED'} (worst clip with google std>=.05: {worst:.2f})"
            )
            if not ok:
                misses.append(name)
        spread = f"{loco.min():4.2f}-{loco.max():4.2f}"
        print(f"{name:20s}{cells} {r_all:8.2f} {r_within:7.2f} {spread}  {target}")
    print(f"targets missed (pooled r < 0.85): {', '.join(misses) or 'none'}")


def beyond_table(results: dict[str, dict[str, np.ndarray]]) -> None:
    clips = [c for c in results if c.startswith("liveportrait")]
    print("\n## 2. Beyond Google: max / std over each grimace clip (ours | google)")
    print(f"{'shape':18s}" + "".join(f" {c:>34s}" for c in clips))
    for name in BEYOND:
        k = ARKIT_INDEX[name]
        cells = ""
        for c in clips:
            o, g = results[c]["ours"][:, k], results[c]["google"][:, k]
            cells += f"   ours {o.max():4.2f}/{o.std():4.2f} | google {g.max():4.2f}/{g.std():5.3f}"
        print(f"{name:18s}{cells}")


def pose_table(results: dict[str, dict[str, np.ndarray]]) -> None:
    print("\n## 3. Head pose: mean absolute error against Google's transformation matrix (deg)")
    print(f"{'clip':20s} {'yaw':>6s} {'pitch':>6s} {'roll':>6s}   google range yaw/pitch/roll")
    errors = []
    for c, r in results.items():
        err = np.abs(r["pose"] - r["gpose"])
        errors.append(err)
        span = np.ptp(r["gpose"], axis=0)
        mae = err.mean(axis=0)
        cells = " ".join(f"{v:6.2f}" for v in mae)
        print(f"{c:20s} {cells}   " + " ".join(f"{v:5.1f}" for v in span))
    mae = np.concatenate(errors).mean(axis=0)
    print(f"{'all frames':20s} {mae[0]:6.2f} {mae[1]:6.2f} {mae[2]:6.2f}   target <= 3")


def separate_passes(clips: list[Path], model: Path) -> tuple[list[float], list[float]]:
    """(CPU ms, wall ms) per frame of our tracker and of Google's, each alone over every frame.

    Interleaved in one loop, each runs in the other's wake (Google's worker
    threads finish their frame while ours starts, and both evict the caches),
    so the fair comparison runs them one after the other on the same decoded
    frames.
    """
    totals = {"ours": np.zeros(2), "google": np.zeros(2)}
    count = 0
    for clip in clips:
        with open_source(clip) as src:
            frames = list(src)
        count += len(frames)
        with FaceTracker() as tracker:
            c0, t0 = time.process_time(), time.perf_counter()
            for t, rgb in frames:
                tracker.process(rgb, t)
            totals["ours"] += (time.process_time() - c0, time.perf_counter() - t0)
        with GoogleLandmarker(model, max_faces=1) as landmarker:
            c0, t0 = time.process_time(), time.perf_counter()
            for t, rgb in frames:
                landmarker.detect_all(rgb, t)
            totals["google"] += (time.process_time() - c0, time.perf_counter() - t0)
    return (list(totals["ours"] / count * 1000), list(totals["google"] / count * 1000))


def speed_table(
    results: dict[str, dict[str, np.ndarray]], clip: Path, n: int, clips: list[Path], model: Path
) -> None:
    """CPU milliseconds (all threads of this process; the interleaved rows split them as
    :func:`record_clip` says) are what a frame costs; wall-clock milliseconds also count
    waiting for a core, so on a shared machine they are inflated."""
    print(f"\n## 4. Speed (per frame; stages on {n} frames of {clip.stem})")
    with open_source(clip) as src:
        frames = [rgb for (_, rgb), _ in zip(src, range(n), strict=False)]
    h, w = frames[0].shape[:2]
    mesh = {}
    # two faces wanted and one in view: the face detector runs on every frame, as
    # while (re)locking; one face: the mesh follows its last face, as while locked
    for faces in (2, 1):
        with LandmarkDetector(video=True, max_faces=faces) as det:
            c0, t0 = time.process_time(), time.perf_counter()
            found = [det.detect(rgb) for rgb in frames]
            mesh[faces] = (
                (time.process_time() - c0) / n * 1000,
                (time.perf_counter() - t0) / n * 1000,
            )
        if faces == 2:
            landmarks = found
    cal = Calibration.default()
    neutral = AutoNeutral()
    flt = _filter_for_frames()
    reps = max(1, 1500 // n)
    c0, t0 = time.process_time(), time.perf_counter()
    for _ in range(reps):
        for lm in landmarks:
            solve(lm, w, h, cal.rest, cal.span, adapt=neutral.update)
    solver = (
        (time.process_time() - c0) / (reps * n) * 1000,
        (time.perf_counter() - t0) / (reps * n) * 1000,
    )
    vec = np.zeros(N_SHAPES + 10)
    c0, t0 = time.process_time(), time.perf_counter()
    for i in range(reps * n):
        flt(vec + (i % 7) * 0.01, i / 30)
    filt = (
        (time.process_time() - c0) / (reps * n) * 1000,
        (time.perf_counter() - t0) / (reps * n) * 1000,
    )
    both = (solver[0] + filt[0], solver[1] + filt[1])
    ours = [
        np.concatenate([r[k] for r in results.values()]).mean() * 1000
        for k in ("cpu_ours", "t_ours")
    ]
    google = [
        np.concatenate([r[k] for r in results.values()]).mean() * 1000
        for k in ("cpu_google", "t_google")
    ]
    alone, google_alone = separate_passes(clips, model)
    print(f"{'stage':48s} {'CPU ms':>7s} {'wall ms':>8s}")
    rows = [
        ("face mesh, 2 faces: detector every frame (lock)", mesh[2], ""),
        ("face mesh, 1 face: follows its face (locked)", mesh[1], ""),
        ("solver (pose, 52 shapes, gaze, auto-neutral)", solver, ""),
        ("One Euro filters (62 channels)", filt, ""),
        ("solver + filters", both, "target <= 1 ms"),
        ("FaceTracker.process, interleaved with Google", ours, f"{1000 / ours[1]:5.1f} fps wall"),
        ("Google landmarker, interleaved with ours", google, f"{1000 / google[1]:5.1f} fps wall"),
        ("FaceTracker.process, alone (every clip frame)", alone, f"{1000 / alone[1]:5.1f} fps"),
        (
            "Google landmarker, alone (same frames)",
            google_alone,
            f"{1000 / google_alone[1]:.1f} fps",
        ),
    ]
    for label, (cpu, wall), note in rows:
        print(f"{label:48s} {cpu:7.2f} {wall:8.2f}   {note}")
    for how, (g, o) in (("interleaved", (google, ours)), ("alone", (google_alone, alone))):
        label = f"speed-up (Google / ours), {how}"
        print(f"{label:48s} {g[0] / o[0]:6.2f}x {g[1] / o[1]:7.2f}x   target >= 2x")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} (2 cores)")


def stability_table(results: dict[str, dict[str, np.ndarray]], clips: list[Path]) -> None:
    print("\n## 5. Stability")
    print("still image (first frame of each clip, 90 repeats, first 15 skipped):")
    print(f"{'clip':20s} {'max std':>8s}  shape")
    for clip in clips:
        with open_source(clip) as src:
            _, rgb = next(iter(src))
        with FaceTracker() as tracker:
            shapes = np.array([tracker.process(rgb, i / 30).blendshapes for i in range(90)])
        std = np.diff(shapes[15:], axis=0).std(axis=0)
        k = int(std.argmax())
        print(f"{clip.stem:20s} {std[k]:8.4f}  {ARKIT_NAMES[k]}   target <= 0.02")
    print("blink latency: frames from our unfiltered eyeBlink crossing 0.8 (after < 0.2")
    print("within the 5 frames before) to the filtered one crossing 0.8:")
    lags = []
    for c, r in results.items():
        for name in ("eyeBlinkLeft", "eyeBlinkRight"):
            k = ARKIT_INDEX[name]
            raw, out = r["raw"][:, k], r["ours"][:, k]
            for i in range(5, len(raw)):
                if raw[i] > 0.8 >= raw[i - 1] and raw[i - 5 : i].min() < 0.2:
                    after = np.flatnonzero(out[i:] > 0.8)
                    lag = int(after[0]) if after.size else -1
                    lags.append(lag)
                    print(f"  {c:20s} {name:14s} frame {i:4d}: {lag} frame(s)")
    if lags:
        print(f"blinks: {len(lags)}, worst latency {max(lags)} frame(s)   target <= 2")
    else:
        print("no full blink (< 0.2 to > 0.8 within 5 frames) in these clips")


def record_stills(folder: Path, model: Path) -> dict[str, np.ndarray]:
    """Our landmarks (a fresh tracker, the photo repeated) and Google's IMAGE-mode shapes per photo.

    NaN rows where either found no face.
    """
    paths = sorted(folder.glob("*/*.jpg"))
    rec: dict[str, list] = {k: [] for k in ("name", "width", "height", "landmarks", "google")}
    with GoogleLandmarker(model, max_faces=1, video=False) as landmarker:
        for path in paths:
            with open_source(path) as src:
                _, rgb = next(iter(src))
            with FaceTracker() as tracker:
                seen = record_landmarks(tracker)
                for i in range(STILL_REPEATS):
                    tracker.process(rgb, i / 30)
            faces = landmarker.detect_all(rgb)
            rec["name"].append(f"{path.parent.name}/{path.stem}")
            rec["width"].append(rgb.shape[1])
            rec["height"].append(rgb.shape[0])
            lm = seen[-1] if seen else np.full((478, 3), np.nan)
            rec["landmarks"].append(np.asarray(lm, dtype=np.float32))
            rec["google"].append(faces[0].shapes if faces else np.full(N_SHAPES, np.nan))
    return {k: np.array(v) for k, v in rec.items()}


def _stills(folder: Path, model: Path, file: Path | None) -> tuple[np.ndarray, np.ndarray, list]:
    """Ours (solved from the recorded landmarks), Google's and the names, for one folder."""
    if file is not None and file.exists():
        with np.load(file) as npz:
            rec = dict(npz)
    else:
        rec = record_stills(folder, model)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(file, **rec)
    cal = Calibration.default()
    ok = ~np.isnan(rec["landmarks"][:, 0, 0]) & ~np.isnan(rec["google"][:, 0])
    ours = np.array(
        [
            solve(lm, int(w), int(h), cal.rest, cal.span).shapes
            for lm, w, h in zip(
                rec["landmarks"][ok], rec["width"][ok], rec["height"][ok], strict=True
            )
        ]
    )
    return ours, rec["google"][ok], list(rec["name"][ok])


def stills_table(data: Path, model: Path, cache: Path | None) -> None:
    """Different people than the clips: does a shape agree across faces, not only over time?

    Our side is what a fresh FaceTracker gives on the photo repeated (the
    default neutral: too few frames for the auto-neutral, the filters settled
    on a constant input), replayed from the landmarks as :func:`solve` computes it.
    The identity photos (mostly relaxed or smiling) are a second, independent
    set: a change that helps the clips and both sets is not fitted to one.
    """
    ours, google, names = _stills(
        data / "faces" / "emotion", model, cache / "stills.npz" if cache else None
    )
    id_ours, id_google, _ = _stills(
        data / "faces" / "identity", model, cache / "stills_identity.npz" if cache else None
    )
    emotions = sorted({n.split("/")[0] for n in names})
    label = np.array([n.split("/")[0] for n in names])
    print(
        f"\n## 6. Stills: {len(names)} photos of other people (faces/emotion) and "
        f"{len(id_ours)} identity photos (faces/identity), one face each"
    )
    print("r across the emotion photos, across the identity photos, then the mean per emotion")
    print("(ours / google)")
    head = " ".join(f"{e[:9]:>11s}" for e in emotions)
    print(f"{'shape':18s} {'r emo':>6s} {'r id':>6s}  {head}")
    for name in STILL_SHAPES:
        k = ARKIT_INDEX[name]
        cells = " ".join(
            f"{ours[label == e, k].mean():4.2f}/{google[label == e, k].mean():4.2f} "
            for e in emotions
        )
        r_id = pearson(id_ours[:, k], id_google[:, k])
        print(f"{name:18s} {pearson(ours[:, k], google[:, k]):6.2f} {r_id:6.2f}  {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--clips", nargs="*", help="clip names (default: every clip)")
    parser.add_argument("--stages", type=int, default=150, help="frames for the per-stage timing")
    parser.add_argument(
        "--cache",
        type=Path,
        help="folder (outside the repo) for per-clip landmarks and Google's output: "
        "later runs replay them through the solver instead of running the face mesh",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        choices=SECTIONS,
        help="print only these tables (default: all)",
    )
    args = parser.parse_args()
    sections = args.only or SECTIONS
    model = args.data / "models" / "face_landmarker.task"
    if "stills" in sections:
        stills_table(args.data, model, args.cache)
        if set(sections) == {"stills"}:
            return
    videos = sorted((args.data / "video").glob("*.mp4"))
    if args.clips:
        videos = [v for v in videos if v.stem in args.clips]
    results = {}
    for clip in videos:
        print(f"tracking {clip.name} ...", flush=True)
        results[clip.stem] = replay(load_clip(clip, model, args.cache))
    if "agreement" in sections:
        agreement_table(results)
    if "beyond" in sections:
        beyond_table(results)
    if "pose" in sections:
        pose_table(results)
    if "speed" in sections:
        speed_table(results, videos[0], args.stages, videos, model)
    if "stability" in sections:
        stability_table(results, videos)


if __name__ == "__main__":
    main()
