"""Turn a FaceFrame into an image of the chosen character.

Per frame only what changed is touched: the 52 weights are blended into the
face's vertex buffer with one matrix product per primitive (positions and
normals, ``w @ D`` with D of shape (52, V*6)) and uploaded with
glBufferSubData, and the head and eye nodes get new poses. Nothing is
re-uploaded when the weights did not change. See tools/bench_render.py for
the speed figures and why the shader and read-back are replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from avatarlink.avatars import Avatar, load_avatar, vertex_normals
from avatarlink.closing import Closing
from avatarlink.errors import UserError
from avatarlink.frame import FaceFrame, quat_from_euler
from avatarlink.render.gl import check_pyopengl, select_platform

SHADER_DIR = Path(__file__).resolve().parent / "shaders"
BACKGROUNDS = {"green": "#00b140"}  # chroma-key green
DEFAULT_BACKGROUND = "#2b3440"
HEAD_SHIFT_GAIN, HEAD_SHIFT_MAX = 0.25, 0.03  # how much head translation shows (metres)


def parse_background(background: str) -> tuple[np.ndarray, bool]:
    """'#RRGGBB', 'green' or 'transparent' -> (RGBA clear colour in 0..1, transparent?)."""
    text = BACKGROUNDS.get(background.lower(), background) if background else DEFAULT_BACKGROUND
    if text.lower() == "transparent":
        return np.zeros(4, np.float32), True
    if len(text) != 7 or text[0] != "#":
        raise UserError(f"bad background {background!r}: use #RRGGBB, 'green' or 'transparent'")
    try:
        rgb = [int(text[i : i + 2], 16) / 255.0 for i in (1, 3, 5)]
    except ValueError:
        raise UserError(f"bad background {background!r}: use #RRGGBB") from None
    return np.array([*rgb, 1.0], np.float32), False


def _look_at(eye: np.ndarray, target: np.ndarray, up=(0.0, 1.0, 0.0)) -> np.ndarray:
    """Pose whose -Z axis points from eye to target (cameras and lights)."""
    f = target - eye
    f = f / np.linalg.norm(f)
    s = np.cross(f, up)
    s = s / np.linalg.norm(s)
    u = np.cross(s, f)
    m = np.eye(4)
    m[:3, 0], m[:3, 1], m[:3, 2], m[:3, 3] = s, u, -f, eye
    return m


def _quat_matrix(q: np.ndarray) -> np.ndarray:
    x, y, z, w = (float(v) for v in q / max(np.linalg.norm(q), 1e-12))
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


class _Morph:
    """One primitive's blend data: rest (V*6,) and deltas (52, V*6) of [pos, normal]."""

    def __init__(self, prim, gl_prim) -> None:
        faces = prim.indices.astype(np.int64)
        base_n = vertex_normals(prim.positions.astype(np.float64), faces)
        deltas = prim.morph_deltas.astype(np.float64)
        active = np.flatnonzero(np.abs(deltas).reshape(len(deltas), -1).max(axis=1) > 0)
        normal_deltas = np.zeros_like(deltas)
        for k in active:
            normal_deltas[k] = vertex_normals(prim.positions + deltas[k], faces) - base_n
        self.rest = np.hstack([prim.positions, base_n]).astype(np.float32).reshape(-1)
        both = np.concatenate([deltas, normal_deltas], axis=2).astype(np.float32)
        # only the shapes that move this primitive: (k, V*6) with k <= 52
        self.rows = active
        self.delta = np.ascontiguousarray(both[active].reshape(len(active), -1))
        self.mask = np.zeros(len(deltas), bool)
        self.mask[active] = True
        self.gl_prim = gl_prim

    def blend(self, weights: np.ndarray) -> np.ndarray:
        """Rest + weighted deltas as one contraction.

        einsum's own loop beats BLAS here: a (k,) x (k, N) product is too
        small to gain from OpenBLAS threads, which then fight llvmpipe's.
        """
        return self.rest + np.einsum("k,kn->n", weights[self.rows], self.delta)


class Renderer(Closing):
    """Offscreen renderer of one character.

    ``render(frame)`` returns uint8 RGB (H, W, 3), or RGBA (H, W, 4) when the
    background is transparent. ``antialias`` is the MSAA sample count: 0 (the
    default) keeps a live 640x480 stream within budget on software GL, where
    4x MSAA about doubles the cost; preview sheets use 4. ``lean=False`` keeps
    pyrender's stock shader, 4x MSAA and depth read-back: only benchmarks use
    it, to show the gain.
    """

    def __init__(
        self,
        avatar: Avatar | str | os.PathLike,
        size: tuple[int, int] = (640, 480),
        background: str = DEFAULT_BACKGROUND,
        platform: str | None = None,
        antialias: int = 0,
        lean: bool = True,
    ) -> None:
        self.platform = select_platform(platform)
        check_pyopengl(self.platform)
        import pyrender

        self.avatar = avatar if isinstance(avatar, Avatar) else load_avatar(avatar)
        self.width, self.height = (int(v) for v in size)
        if not (16 <= self.width <= 8192 and 16 <= self.height <= 8192):
            raise UserError(f"bad render size {self.width}x{self.height}")
        clear, self.transparent = parse_background(background)
        self._flags = pyrender.RenderFlags.RGBA if self.transparent else pyrender.RenderFlags.NONE
        self.scene = pyrender.Scene(bg_color=clear, ambient_light=np.array([0.32, 0.33, 0.36]))
        self._build_scene(pyrender)
        self._add_camera_and_lights(pyrender)
        try:
            self._offscreen = pyrender.OffscreenRenderer(self.width, self.height)
        except Exception as exc:  # the GL stack raises many types here
            raise UserError(f"cannot start headless OpenGL ({self.platform}): {exc}") from None
        if lean:
            meshes = [n for n in self._nodes.values() if n.mesh is not None]
            meshes.sort(key=lambda n: n.name or "")  # stable: same names keep the file's order
            _tune(self._offscreen, int(antialias), meshes, self._lights)
        self._last_weights = np.full(52, np.nan, np.float32)
        self.uploads = 0  # vertex buffer uploads so far (tests check that only changes upload)
        self.render(FaceFrame.untracked(0.0))  # compiles shaders, uploads meshes
        # pyrender filled the face's buffers with the file's normals, which differ in
        # the last bit from the blend's: blend every primitive on the next frame, so
        # that a frame's pixels never depend on which frames came before it
        self._last_weights[:] = np.nan

    # ------------------------------------------------------------------ scene

    def _build_scene(self, pyrender) -> None:
        av = self.avatar
        mats = [
            pyrender.MetallicRoughnessMaterial(
                baseColorFactor=m.base_color, metallicFactor=m.metallic,
                roughnessFactor=m.roughness, emissiveFactor=m.emissive,
            )
            for m in av.materials
        ]  # fmt: skip
        self._morphs: list[_Morph] = []
        gl_meshes = []
        for mesh in av.meshes:
            prims = []
            for prim in mesh.primitives:
                gl_prim = pyrender.Primitive(
                    positions=prim.positions, normals=prim.normals, indices=prim.indices,
                    material=mats[prim.material % len(mats)],
                )  # fmt: skip
                if prim.morph_deltas is not None and np.any(prim.morph_deltas):
                    self._morphs.append(_Morph(prim, gl_prim))
                prims.append(gl_prim)
            gl_meshes.append(pyrender.Mesh(prims, name=mesh.name))
        self._nodes: dict[int, object] = {}
        self._rest = {}

        def add(index: int, parent) -> None:
            node = av.nodes[index]
            mesh = gl_meshes[node.mesh] if node.mesh is not None else None
            gl_node = pyrender.Node(name=node.name, matrix=node.matrix(), mesh=mesh)
            self.scene.add_node(gl_node, parent_node=parent)
            self._nodes[index] = gl_node
            self._rest[index] = node.matrix()
            for child in node.children:
                add(child, gl_node)

        for root in av.roots:
            add(root, None)

    def _face_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """World bounds of the morphing mesh (the face) at rest."""
        world = self.avatar.world_matrices()
        pts = []
        for i, node in enumerate(self.avatar.nodes):
            if node.mesh is None:
                continue
            mesh = self.avatar.meshes[node.mesh]
            if mesh.morph_deltas is None:
                continue
            p = np.vstack([pr.positions for pr in mesh.primitives])
            pts.append(p @ world[i][:3, :3].T + world[i][:3, 3])
        if not pts:
            for i, node in enumerate(self.avatar.nodes):
                if node.mesh is not None:
                    p = np.vstack([pr.positions for pr in self.avatar.meshes[node.mesh].primitives])
                    pts.append(p @ world[i][:3, :3].T + world[i][:3, 3])
        allp = np.vstack(pts)
        return allp.min(axis=0), allp.max(axis=0)

    def _add_camera_and_lights(self, pyrender) -> None:
        lo, hi = self._face_bounds()
        face_h = float(hi[1] - lo[1])
        target = np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2 - 0.1 * face_h, hi[2] * 0.3])
        yfov = np.radians(28.0)
        view_h = 1.7 * face_h
        aspect = self.width / self.height
        if aspect < 1.0:  # portrait: fit the width instead
            view_h /= aspect
        dist = view_h / 2 / np.tan(yfov / 2)
        eye = target + np.array([0.0, 0.0, dist])
        camera = pyrender.PerspectiveCamera(
            yfov=yfov, aspectRatio=aspect, znear=dist * 0.3, zfar=dist * 3.0
        )
        self._camera_pose = _look_at(eye, target)
        self._camera = camera
        self.scene.add(camera, pose=self._camera_pose)
        lights = (  # direction towards the light, colour, intensity
            ((-0.55, 0.55, 0.75), (1.0, 0.95, 0.88), 1.35),  # key: upper image-left, warm
            ((0.75, 0.05, 0.6), (0.85, 0.9, 1.0), 0.55),  # fill: image-right, cool
            ((0.1, 0.6, -0.9), (1.0, 1.0, 1.0), 0.9),  # rim: from behind
        )
        self._lights = []  # key first: the shader's highlight comes from light 0
        for direction, color, intensity in lights:
            d = np.asarray(direction) / np.linalg.norm(direction)
            light = pyrender.DirectionalLight(color=np.array(color), intensity=intensity)
            self._lights.append(self.scene.add(light, pose=_look_at(target + d, target)))

    def project(self, points: np.ndarray) -> np.ndarray:
        """World points (N, 3) to pixel coordinates (N, 2): x right, y down."""
        pts = np.c_[np.asarray(points, np.float64).reshape(-1, 3), np.ones(len(points))]
        view = np.linalg.inv(self._camera_pose)
        clip = pts @ (self._camera.get_projection_matrix(self.width, self.height) @ view).T
        ndc = clip[:, :2] / clip[:, 3:4]
        return np.c_[(ndc[:, 0] + 1) * self.width / 2, (1 - ndc[:, 1]) * self.height / 2]

    # ------------------------------------------------------------------ frames

    def _upload(self, weights: np.ndarray) -> None:
        from OpenGL import GL

        changed = weights != self._last_weights
        changed |= np.isnan(self._last_weights)
        for morph in self._morphs:
            if morph.gl_prim._vaid is None or not np.any(changed & morph.mask):
                continue
            data = morph.blend(weights)
            GL.glBindBuffer(GL.GL_ARRAY_BUFFER, morph.gl_prim._buffers[0])
            GL.glBufferSubData(GL.GL_ARRAY_BUFFER, 0, data.nbytes, data)
            self.uploads += 1
        GL.glBindBuffer(GL.GL_ARRAY_BUFFER, 0)
        self._last_weights = weights.copy()

    def _pose(self, frame: FaceFrame) -> None:
        av = self.avatar
        head = self._rest[av.head].copy()
        head[:3, :3] = head[:3, :3] @ _quat_matrix(frame.head_rotation)
        shift = np.clip(
            HEAD_SHIFT_GAIN * frame.head_translation[:2], -HEAD_SHIFT_MAX, HEAD_SHIFT_MAX
        )
        head[:2, 3] += shift
        self.scene.set_pose(self._nodes[av.head], head)
        for index, gaze in zip(av.eyes, (frame.gaze_left, frame.gaze_right), strict=True):
            eye = self._rest[index].copy()
            yaw, pitch = (float(v) for v in np.clip(gaze, -40.0, 40.0))
            eye[:3, :3] = eye[:3, :3] @ _quat_matrix(quat_from_euler(yaw, pitch, 0.0))
            self.scene.set_pose(self._nodes[index], eye)

    def render(self, frame: FaceFrame) -> np.ndarray:
        """The character making this frame's expression, pose and gaze."""
        weights = np.clip(np.nan_to_num(frame.blendshapes), 0.0, 1.0).astype(np.float32)
        self._pose(frame)
        self._offscreen._platform.make_current()
        self._upload(weights)
        color, _ = self._offscreen.render(self.scene, flags=self._flags)
        return np.ascontiguousarray(color)

    def close(self) -> None:
        """Free this renderer's GL context, leaving other renderers working.

        pyrender's own delete() calls eglTerminate, which tears down the EGL
        display that every renderer in the process shares; so the context is
        destroyed here without terminating the display.
        """
        off, self._offscreen = self._offscreen, None
        if off is None:
            return
        off._platform.make_current()
        off._renderer.delete()
        if self.platform == "egl":
            from OpenGL import EGL

            platform = off._platform
            EGL.eglMakeCurrent(
                platform._egl_display, EGL.EGL_NO_SURFACE, EGL.EGL_NO_SURFACE, EGL.EGL_NO_CONTEXT
            )
            EGL.eglDestroyContext(platform._egl_display, platform._egl_context)
        else:
            off._platform.delete_context()
        off._renderer = off._platform = None  # so its __del__ has nothing left to delete


def _tune(offscreen, samples: int, meshes: list, lights: list) -> None:
    """Swap in the lean shader, the chosen MSAA count and a colour-only read-back.

    pyrender's PBR shader, its fixed 4x multisampling, the depth read-back it
    always does and the ~20 uniforms it re-sends through PyOpenGL for every
    primitive cost most of a frame on a software rasteriser (measured with
    tools/bench_render.py); the character needs none of them.

    ``meshes`` (draw order) and ``lights`` (key first) are the scene's nodes
    in a fixed order: pyrender keeps them in sets, which iterate in the order
    of the nodes' memory addresses, so its own order changes from process to
    process and with every renderer made (the highlight then came from
    whichever light happened to be first).
    """
    from OpenGL import GL
    from pyrender.constants import ProgramFlags, RenderFlags
    from pyrender.renderer import Renderer as PyRenderer
    from pyrender.shader_program import ShaderProgram, ShaderProgramCache

    class CachedProgram(ShaderProgram):
        """Looks each uniform location up once and skips unchanged values."""

        def set_uniform(self, name, value, unsigned=False):
            cache = self.__dict__.setdefault("_values", {})
            locs = self.__dict__.setdefault("_locs", {})
            key = value.tobytes() if isinstance(value, np.ndarray) else (value, unsigned)
            if cache.get(name) == key:
                return
            cache[name] = key
            loc = locs.get(name)
            if loc is None:
                loc = locs[name] = GL.glGetUniformLocation(self._program_id, name)
            if loc == -1:
                return
            if isinstance(value, np.ndarray):
                if value.ndim == 1:
                    if np.issubdtype(value.dtype, np.integer):
                        kind = "u" if unsigned else "i"
                        value = value.astype(np.uint32 if unsigned else np.int32)
                    else:
                        kind, value = "f", value.astype(np.float32)
                    self._FUNC_MAP[(value.shape[0], kind)](loc, 1, value)
                else:
                    value = value.astype(np.float32)
                    self._FUNC_MAP[value.shape](loc, 1, GL.GL_TRUE, value)
            elif isinstance(value, bool | int):
                (GL.glUniform1ui if unsigned else GL.glUniform1i)(loc, int(value))
            else:
                GL.glUniform1f(loc, float(value))

    class CachedPrograms(ShaderProgramCache):
        def get_program(self, vertex_shader, fragment_shader, geometry_shader=None, defines=None):
            defines = defines or {}
            key = (vertex_shader, fragment_shader, geometry_shader, tuple(sorted(defines.items())))
            programs = self.__dict__.setdefault("_fast", {})
            if key not in programs:
                paths = [
                    os.path.join(self.shader_dir, f) if f else None
                    for f in (vertex_shader, fragment_shader, geometry_shader)
                ]
                programs[key] = CachedProgram(*paths, defines=defines)
                self._program_cache[key] = programs[key]
            return programs[key]

    class LeanRenderer(PyRenderer):
        _pass = 0

        def _forward_pass(self, scene, flags, seg_node_map=None):
            """pyrender's forward pass, cut to what opaque, untextured meshes need.

            The GL state is set once, the program, camera and lights are bound
            once, and each primitive only sets its pose and material and draws.
            """
            self._pass += 1
            self._configure_forward_pass_viewport(flags)
            GL.glClearColor(*scene.bg_color)
            GL.glClear(GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT)
            GL.glEnable(GL.GL_MULTISAMPLE)
            GL.glDisable(GL.GL_BLEND)
            GL.glEnable(GL.GL_CULL_FACE)
            GL.glCullFace(GL.GL_BACK)
            GL.glPolygonMode(GL.GL_FRONT_AND_BACK, GL.GL_FILL)
            V, P = self._get_camera_matrices(scene)
            cam_pos = scene.get_pose(scene.main_camera_node)[:3, 3]
            programs = self.__dict__.setdefault("_programs", {})
            program = None
            for node in meshes:
                if not node.mesh.is_visible:
                    continue
                pose = scene.get_pose(node)
                for primitive in node.mesh.primitives:
                    key = (id(primitive), flags)
                    if key not in programs:
                        programs[key] = self._get_primitive_program(
                            primitive, flags, ProgramFlags.USE_MATERIAL
                        )
                    if programs[key] is not program:
                        program = programs[key]
                        program._bind()
                        program.set_uniform("V", V)
                        program.set_uniform("P", P)
                        program.set_uniform("cam_pos", cam_pos)
                        self._bind_lighting(scene, program, node, flags)
                    program.set_uniform("M", pose)
                    material = primitive.material
                    program.set_uniform("material.emissive_factor", material.emissiveFactor)
                    program.set_uniform("material.base_color_factor", material.baseColorFactor)
                    program.set_uniform("material.metallic_factor", material.metallicFactor)
                    program.set_uniform("material.roughness_factor", material.roughnessFactor)
                    GL.glBindVertexArray(primitive._vaid)
                    GL.glDrawElements(
                        primitive.mode, primitive.indices.size, GL.GL_UNSIGNED_INT, None
                    )
            GL.glBindVertexArray(0)
            if program is not None:
                program._unbind()
            GL.glFlush()
            if flags & RenderFlags.OFFSCREEN:  # OSMesa draws to its own buffer instead
                return self._read_main_framebuffer(scene, flags)
            return None

        def _compute_max_n_lights(self, flags):
            # pyrender asks GL for the texture unit count twice per primitive
            cache = self.__dict__.setdefault("_max_lights", {})
            if flags not in cache:
                cache[flags] = super()._compute_max_n_lights(flags)
            return cache[flags]

        def _bind_lighting(self, scene, program, node, flags):
            # the lights are the same for every primitive: bind them once a frame,
            # in their fixed order (pyrender's walks a set); the shader reads only these
            if getattr(program, "_lit_pass", None) == self._pass:
                return
            program._lit_pass = self._pass
            n = min(len(lights), self._compute_max_n_lights(flags)[0])
            program.set_uniform("ambient_light", scene.ambient_light)
            program.set_uniform("n_directional_lights", n)
            for i, light_node in enumerate(lights[:n]):
                b = f"directional_lights[{i}]."
                program.set_uniform(b + "direction", -scene.get_pose(light_node)[:3, 2])
                program.set_uniform(b + "color", light_node.light.color)
                program.set_uniform(b + "intensity", light_node.light.intensity)

        def _configure_main_framebuffer(self):
            fresh = self._main_fb is None or self._main_fb_dims != (
                self.viewport_width, self.viewport_height,
            )  # fmt: skip
            super()._configure_main_framebuffer()
            if fresh and samples != 4:
                w, h = self.viewport_width, self.viewport_height
                GL.glBindRenderbuffer(GL.GL_RENDERBUFFER, self._main_cb_ms)
                GL.glRenderbufferStorageMultisample(GL.GL_RENDERBUFFER, samples, GL.GL_RGBA, w, h)
                GL.glBindRenderbuffer(GL.GL_RENDERBUFFER, self._main_db_ms)
                GL.glRenderbufferStorageMultisample(
                    GL.GL_RENDERBUFFER, samples, GL.GL_DEPTH_COMPONENT24, w, h
                )

        def _read_main_framebuffer(self, scene, flags):
            w, h = self._main_fb_dims
            GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._main_fb_ms)
            GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, self._main_fb)
            GL.glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL.GL_COLOR_BUFFER_BIT, GL.GL_NEAREST)
            GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._main_fb)
            rgba = bool(flags & RenderFlags.RGBA)
            fmt, channels = (GL.GL_RGBA, 4) if rgba else (GL.GL_RGB, 3)
            GL.glPixelStorei(GL.GL_PACK_ALIGNMENT, 1)
            buf = GL.glReadPixels(0, 0, w, h, fmt, GL.GL_UNSIGNED_BYTE)
            image = np.frombuffer(buf, np.uint8).reshape(h, w, channels)
            return np.ascontiguousarray(image[::-1]), None

    offscreen._renderer.__class__ = LeanRenderer
    offscreen._renderer._program_cache = CachedPrograms(shader_dir=str(SHADER_DIR))
