"""The character files: reproducible, valid glTF, loadable by third-party readers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from avatarlink.avatars import AVATAR_DIR, DEFAULT_AVATAR, list_avatars, load_avatar
from avatarlink.errors import UserError
from avatarlink.frame import ARKIT_NAMES

from .conftest import NAMES


def test_at_least_six_characters_and_the_default_exists():
    assert len(NAMES) >= 6
    assert DEFAULT_AVATAR in NAMES


def test_licence_and_preview_sheets_are_present():
    assert "CC0" in (AVATAR_DIR / "LICENSE").read_text()
    for name in NAMES:
        assert (AVATAR_DIR / "previews" / f"{name}.png").stat().st_size > 10_000


def test_rebuild_is_byte_identical(repo_root, tmp_path):
    subprocess.run(
        [sys.executable, str(repo_root / "tools" / "build_avatars.py"), "--out", str(tmp_path)],
        check=True, capture_output=True,
    )  # fmt: skip
    built = sorted(p.name for p in tmp_path.glob("*.glb"))
    assert built == sorted(f"{n}.glb" for n in NAMES)
    for name in built:
        assert (tmp_path / name).read_bytes() == (AVATAR_DIR / name).read_bytes(), name


def test_khronos_validator_reports_no_errors(repo_root):
    node = shutil.which("node")
    validator = repo_root / "node_modules" / "gltf-validator"
    if node is None or not validator.is_dir():
        if __import__("os").environ.get("CI") == "true":
            pytest.fail("node and node_modules/gltf-validator are needed (run npm install)")
        pytest.skip("needs node and `npm install` (gltf-validator)")
    files = [str(AVATAR_DIR / f"{n}.glb") for n in NAMES]
    proc = subprocess.run(
        [node, str(repo_root / "tools" / "validate_gltf.js"), *files],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    reports = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(reports) == len(files), proc.stderr
    for report in reports:
        assert report["errors"] == 0, report["messages"]
        assert report["warnings"] == 0, report["messages"]
    assert proc.returncode == 0


@pytest.mark.parametrize("name", NAMES)
def test_loads_in_trimesh_and_pyrender(name):
    import trimesh

    from avatarlink.render import select_platform

    select_platform()  # pyrender imports OpenGL: the platform must be fixed first
    import pyrender

    scene = trimesh.load(AVATAR_DIR / f"{name}.glb")
    assert isinstance(scene, trimesh.Scene)
    triangles = sum(len(g.faces) for g in scene.dump())
    assert triangles == load_avatar(name).triangles
    assert 5_000 < triangles <= 20_000
    gl_scene = pyrender.Scene.from_trimesh_scene(scene)
    assert len(gl_scene.mesh_nodes) == len(scene.graph.nodes_geometry)


@pytest.mark.parametrize("name", NAMES)
def test_structure_targets_nodes_materials(name):
    avatar = load_avatar(name)
    morphing = [m for m in avatar.meshes if m.target_names]
    assert morphing, "no mesh carries morph targets"
    for mesh in morphing:
        assert mesh.target_names == list(ARKIT_NAMES)
        deltas = mesh.morph_deltas
        assert deltas.shape[0] == 52
        moved = np.abs(deltas).reshape(52, -1).max(axis=1)
        still = [n for n, m in zip(ARKIT_NAMES, moved, strict=True) if m <= 5e-4]
        assert not still, still
        assert np.all(moved < 0.05), "a shape leaves the face"
    head = avatar.nodes[avatar.head]
    assert head.name == "head"
    for eye in avatar.eyes:
        assert eye in _descendants(avatar, avatar.head)
    left, right = (avatar.nodes[i].translation for i in avatar.eyes)
    assert left[0] > 0 > right[0], "eyeLeft is the character's own left (+X)"
    assert all(0.0 <= m.roughness <= 1.0 and m.base_color.shape == (4,) for m in avatar.materials)
    assert len({tuple(np.round(m.base_color, 3)) for m in avatar.materials}) >= 8


@pytest.mark.parametrize("name", NAMES)
def test_no_dark_lines_on_the_face_but_the_lashes(name):
    # whiskers from the mouth corners were read as the mouth (a pressed, wider smile)
    avatar = load_avatar(name)
    lash = [i for i, m in enumerate(avatar.materials) if m.name == "lash"]
    static = [m for m in avatar.meshes if not m.target_names and m.name != "eye"]
    assert not [p for m in static for p in m.primitives if p.material in lash]


def _descendants(avatar, index):
    out = set()
    for child in avatar.nodes[index].children:
        out |= {child} | _descendants(avatar, child)
    return out


def test_list_avatars_reports_triangles_and_paths():
    infos = {a.name: a for a in list_avatars()}
    for name in NAMES:
        assert infos[name].path.is_file()
        assert infos[name].triangles == load_avatar(name).triangles


def test_avatars_command_lists_every_character(capsys):
    from avatarlink.cli import main

    assert main(["avatars"]) == 0
    out = capsys.readouterr().out
    for name in NAMES:
        assert name in out
    assert "triangles" in out


def test_unknown_name_is_a_user_error():
    with pytest.raises(UserError, match="unknown avatar 'nobody'"):
        load_avatar("nobody")


@pytest.mark.parametrize(
    "damage",
    ["empty", "garbage", "truncated", "bad_json", "no_head", "wrong_names", "bad_index"],
)
def test_malformed_files_are_user_errors(tmp_path, damage):
    good = (AVATAR_DIR / f"{DEFAULT_AVATAR}.glb").read_bytes()
    path = tmp_path / f"{damage}.glb"
    path.write_bytes(_damaged(good, damage))
    with pytest.raises(UserError) as info:
        load_avatar(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def _damaged(data: bytes, damage: str) -> bytes:
    import struct

    if damage == "empty":
        return b""
    if damage == "garbage":
        return b"not a glb at all, just text" * 10
    if damage == "truncated":
        return data[: len(data) // 2]
    n = struct.unpack_from("<I", data, 12)[0]
    doc = json.loads(data[20 : 20 + n])
    rest = data[20 + n :]
    if damage == "bad_json":
        text = b"{" * n
    else:
        if damage == "no_head":
            for node in doc["nodes"]:
                node["name"] = node["name"].replace("head", "hat")
        elif damage == "wrong_names":
            doc["meshes"][0]["extras"]["targetNames"] = ["a", "b"]
        elif damage == "bad_index":
            doc["meshes"][0]["primitives"][0]["indices"] = 99999
        text = json.dumps(doc).encode()
        text += b" " * (-len(text) % 4)
    body = struct.pack("<I4s", len(text), b"JSON") + text + rest
    return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body
