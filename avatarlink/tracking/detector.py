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
from mediapipe.framework.formats import landmark_pb2
from mediapipe.python import packet_creator
from mediapipe.python._framework_bindings import _packet_getter
from mediapipe.python._framework_bindings.image_frame import ImageFormat
from mediapipe.python.solution_base import SolutionBase
from mediapipe.python.solutions import face_mesh

from avatarlink.closing import Closing

MAX_FACES = 2
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


def face_mesh_graph(video: bool, max_faces: int) -> SolutionBase:
    """The wheel's face-mesh graph, as ``face_mesh.FaceMesh`` builds it, run on the caller's thread.

    A frame flows down one chain of calculators, each waiting on the one
    before, so worker threads add nothing but hand-offs: MediaPipe's default
    pool (a thread per core) costs ~8% more CPU a frame than one worker, and
    one worker ~5% more than none. With the ``ApplicationThreadExecutor`` the
    calculators run inside ``wait_until_idle`` on the thread that fed the
    frame (cache-warm, no wake-ups), with the same landmarks, and the other
    cores stay free for the renderer.
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
        outputs=["multi_face_landmarks"],
    )


def face_area(landmarks: np.ndarray, width: int, height: int) -> float:
    """Bounding-box area in pixels: how prominent a face is."""
    span = landmarks[:, :2].max(axis=0) - landmarks[:, :2].min(axis=0)
    return float(span[0] * width * span[1] * height)


class LandmarkDetector(Closing):
    """Raw face-mesh landmarks: (478, 3) float32, x and y normalised to [0, 1], z relative depth.

    ``video=True`` tracks between frames (faster, steadier) and expects
    consecutive frames of one stream; ``video=False`` treats each image alone.
    """

    def __init__(self, video: bool = False, max_faces: int = MAX_FACES) -> None:
        self._mesh = face_mesh_graph(video, max_faces)
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
            return []
        return [parse_landmarks(s) for s in _packet_getter._get_serialized_proto_list(out)]

    def detect(self, rgb: np.ndarray) -> np.ndarray | None:
        """The most prominent (largest) face, or None."""
        faces = self.detect_all(rgb)
        if not faces:
            return None
        h, w = rgb.shape[:2]
        return max(faces, key=lambda lm: face_area(lm, w, h))

    def close(self) -> None:
        self._mesh.close()
