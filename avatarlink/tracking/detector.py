"""MediaPipe face mesh (bundled in the pinned wheel): RGB image -> 478 landmarks per face.

This is the one place landmarks come from. Outside the tracking package they
are available only through :class:`LandmarkDetector`, for the privacy audit's
landmark-dot baseline and its attacker.
"""

from __future__ import annotations

import os

import numpy as np

# MediaPipe's C++ logging goes to stderr; keep the CLI's stderr for our own messages.
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import mediapipe
from mediapipe.framework import calculator_pb2
from mediapipe.framework.formats import detection_pb2, landmark_pb2
from mediapipe.python import packet_creator
from mediapipe.python._framework_bindings import _packet_getter
from mediapipe.python._framework_bindings.image_frame import ImageFormat
from mediapipe.python.solution_base import SolutionBase
from mediapipe.python.solutions import face_mesh

from avatarlink.closing import Closing

MAX_FACES = 2
# Of several faces, one the face detector is this much less sure of than the
# best is a pattern in the background (a building's windows, a logo), not a
# bystander: left to size alone, two of the 146 photos of ../shared/data/faces
# locked onto such a phantom (0.61 and 0.69 beside the real faces' 0.96 and
# 0.95), while real faces alone in a picture score as low as 0.57.
PHANTOM_MARGIN = 0.2
# for finding a face and for keeping it, as face_mesh.FaceMesh's defaults
MIN_CONFIDENCE = 0.5
_DETECTION_SCORE = (
    "facedetectionshortrangecpu__facedetectionshortrange__facedetection__"
    "TensorsToDetectionsCalculator.min_score_thresh"
)

# One serialised NormalizedLandmark with x, y and z set: the field tag (0x0a) and
# length (15), then x, y, z each as a fixed32 tag (0x0d, 0x15, 0x1d) and 4 bytes.
_LANDMARK_BYTES = 17
_TAGS = ((0, b"\x0a"), (1, b"\x0f"), (2, b"\x0d"), (7, b"\x15"), (12, b"\x1d"))


def parse_landmarks(serialized: bytes) -> np.ndarray:
    """A serialised ``NormalizedLandmarkList`` -> (N, 3) float32, without building protos.

    The face mesh writes every landmark as exactly x, y, z, so the message is a
    fixed-stride array of float32s; reading it as one is ~20x faster than
    parsing 478 Python proto objects. Anything else falls back to the parser.
    (The layout is checked with byte slices, which cost less than NumPy calls.)
    """
    n, rest = divmod(len(serialized), _LANDMARK_BYTES)
    if n and not rest and all(serialized[i::_LANDMARK_BYTES] == tag * n for i, tag in _TAGS):
        xyz = np.ndarray(
            (n, 3), dtype="<f4", buffer=serialized, offset=3, strides=(_LANDMARK_BYTES, 5)
        )
        return xyz.astype(np.float32)
    face = landmark_pb2.NormalizedLandmarkList.FromString(serialized)
    return np.array([(p.x, p.y, p.z) for p in face.landmark], dtype=np.float32).reshape(-1, 3)


def face_mesh_graph(video: bool, max_faces: int, scores: bool = False) -> SolutionBase:
    """The wheel's face-mesh graph, as ``face_mesh.FaceMesh`` builds it, run on the caller's thread.

    A frame flows down one chain of calculators, each waiting on the one
    before, so worker threads add nothing but hand-offs: MediaPipe's default
    pool (a thread per core) costs ~8% more CPU a frame than one worker, and
    one worker ~5% more than none. With the ``ApplicationThreadExecutor`` the
    calculators run inside ``wait_until_idle`` on the thread that fed the
    frame (cache-warm, no wake-ups), with the same landmarks, and the other
    cores stay free for the renderer. ``scores`` also reads the face
    detector's detections (only where a face is being chosen).
    """
    config = calculator_pb2.CalculatorGraphConfig()
    wheel_root = os.path.dirname(os.path.dirname(mediapipe.__file__))
    with open(os.path.join(wheel_root, face_mesh._BINARYPB_FILE_PATH), "rb") as f:
        config.ParseFromString(f.read())
    del config.executor[:]
    config.executor.add().type = "ApplicationThreadExecutor"
    return SolutionBase(
        graph_config=config,
        side_inputs={
            "num_faces": max_faces,
            "with_attention": True,  # refine_landmarks: irises and finer lips (478 points)
            "use_prev_landmarks": video,
        },
        calculator_params={
            _DETECTION_SCORE: MIN_CONFIDENCE,
            "facelandmarkcpu__ThresholdingCalculator.threshold": MIN_CONFIDENCE,
        },
        outputs=["multi_face_landmarks", *(["face_detections"] if scores else [])],
    )


def face_area(landmarks: np.ndarray, width: int, height: int) -> float:
    """Bounding-box area in pixels: how prominent a face is."""
    span = landmarks[:, :2].max(axis=0) - landmarks[:, :2].min(axis=0)
    return float(span[0] * width * span[1] * height)


def most_prominent(
    faces: list[np.ndarray], scores: list[float] | None, width: int, height: int
) -> int:
    """Index of the largest face among those the detector is nearly as sure of as the best.

    ``scores``: each face's detection confidence (NaN where unknown, counted
    as sure), or None to go by size alone. See :data:`PHANTOM_MARGIN`.
    """
    sure = range(len(faces))
    if scores is not None:
        known = [s for s in scores if s == s]
        if known:
            floor = max(known) - PHANTOM_MARGIN
            sure = [i for i, s in enumerate(scores) if not s < floor]
    return max(sure, key=lambda i: face_area(faces[i], width, height))


def _detection_scores(packet, faces: list[np.ndarray]) -> list[float]:
    """Each face's detection confidence: the detection whose box holds the mesh's centre.

    NaN where the mesh came from the last frame's landmarks (no detection ran)
    or no box holds it.
    """
    boxes = []
    if packet is not None and not packet.is_empty():
        for raw in _packet_getter._get_serialized_proto_list(packet):
            det = detection_pb2.Detection.FromString(raw)
            b = det.location_data.relative_bounding_box
            boxes.append((b.xmin, b.ymin, b.xmin + b.width, b.ymin + b.height, det.score[0]))
    scores = []
    for lm in faces:
        x, y = lm[:, :2].mean(axis=0).tolist()
        holding = [
            (abs(x - (x0 + x1) / 2) + abs(y - (y0 + y1) / 2), score)
            for x0, y0, x1, y1, score in boxes
            if x0 <= x <= x1 and y0 <= y <= y1
        ]
        scores.append(min(holding)[1] if holding else float("nan"))
    return scores


class LandmarkDetector(Closing):
    """Raw face-mesh landmarks: (478, 3) float32, x and y normalised to [0, 1], z relative depth.

    ``video=True`` tracks between frames (faster, steadier) and expects
    consecutive frames of one stream; ``video=False`` treats each image alone.
    With more than one face, the detector's confidences are read as well
    (:attr:`scores`), to tell a bystander from a phantom.
    """

    def __init__(self, video: bool = False, max_faces: int = MAX_FACES) -> None:
        self._scored = max_faces > 1
        self._mesh = face_mesh_graph(video, max_faces, scores=self._scored)
        # the detection confidence of each face of the last detect_all (None: not read)
        self.scores: list[float] | None = None
        # load the models now (the calculators open on this thread), not in the first frame
        self._mesh._graph.wait_until_idle()

    def detect_all(self, rgb: np.ndarray) -> list[np.ndarray]:
        """Every face found, each (478, 3) float32.

        Feeds the solution's graph directly, as ``FaceMesh.process`` does, but
        reads the landmarks from their serialised bytes: ``process`` builds a
        new namedtuple class and 478 proto objects a face on every call, a
        third of the tracker's Python time. (The wheel is pinned, so these
        internals do not move; ``test_detector`` checks both paths agree.)
        """
        if rgb.ndim != 3 or rgb.shape[2] != 3:
            raise ValueError("the face mesh needs an RGB image")
        mesh = self._mesh
        mesh._graph_outputs.clear()
        mesh._simulated_timestamp += 33333  # as process(): a 30 fps stream
        # a read-only view lets the packet reference the pixels instead of
        # copying them; the graph is idle (done with them) before we return
        pixels = np.ascontiguousarray(rgb).view()
        pixels.flags.writeable = False
        packet = packet_creator.create_image(data=pixels, image_format=ImageFormat.SRGB)
        mesh._graph.add_packet_to_input_stream(
            stream="image", packet=packet.at(mesh._simulated_timestamp)
        )
        mesh._graph.wait_until_idle()
        out = mesh._graph_outputs.get("multi_face_landmarks")
        if out is None or out.is_empty():
            self.scores = [] if self._scored else None
            return []
        faces = [parse_landmarks(s) for s in _packet_getter._get_serialized_proto_list(out)]
        if self._scored:
            self.scores = _detection_scores(mesh._graph_outputs.get("face_detections"), faces)
        return faces

    def detect(self, rgb: np.ndarray) -> np.ndarray | None:
        """The most prominent face (see :func:`most_prominent`), or None."""
        faces = self.detect_all(rgb)
        if not faces:
            return None
        h, w = rgb.shape[:2]
        return faces[most_prominent(faces, self.scores, w, h)]

    def close(self) -> None:
        self._mesh.close()
