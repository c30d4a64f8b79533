import numpy as np

from avatarlink.audit.methods import Blur, Dots, Original, Pixelate, face_box


def test_face_box_grows_the_landmark_box(grid_landmarks):
    # landmarks span 0.3..0.7 of a 200 px side (80 px); 20% margin adds 16 px a side
    assert face_box(grid_landmarks, (200, 200, 3)) == (44, 44, 156, 156)


def test_original_is_a_copy(noise_image):
    out = Original().apply(noise_image, 0.0, None)
    assert np.array_equal(out, noise_image) and out is not noise_image


def test_blur_changes_only_the_face_box(noise_image, grid_landmarks):
    out = Blur().apply(noise_image, 0.0, grid_landmarks)
    x0, y0, x1, y1 = face_box(grid_landmarks, noise_image.shape)
    outside = np.ones(noise_image.shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(out[outside], noise_image[outside])
    # blurred noise loses most of its spread
    assert out[y0:y1, x0:x1].std() < 0.3 * noise_image[y0:y1, x0:x1].std()


def test_pixelate_makes_face_sized_blocks(noise_image, grid_landmarks):
    out = Pixelate().apply(noise_image, 0.0, grid_landmarks)
    x0, y0, x1, y1 = face_box(grid_landmarks, noise_image.shape)
    region = out[y0:y1, x0:x1].reshape(-1, 3)
    # 112 px box, face 80 px wide / 12 blocks -> round(112 / 6.67) = 17 blocks a side
    assert len(np.unique(region, axis=0)) <= 17 * 17
    assert np.array_equal(out[:y0], noise_image[:y0])


def test_box_filters_fail_closed_without_a_face(noise_image):
    for method in (Blur(), Pixelate()):
        out = method.apply(noise_image, 0.0, None)
        assert (out != noise_image).mean() > 0.9


def test_dots_draw_landmarks_on_a_blank_canvas(noise_image, grid_landmarks):
    out = Dots().apply(noise_image, 0.0, grid_landmarks)
    assert out.shape == noise_image.shape
    # only canvas black and dot white (with anti-aliased greys): no camera colour survives
    assert np.all(out[..., 0] == out[..., 1]) and np.all(out[..., 1] == out[..., 2])
    _, xs = np.nonzero(out[..., 0] > 128)
    assert xs.min() >= 0.3 * 200 - 2 and xs.max() <= 0.7 * 200 + 2
    assert not Dots().apply(noise_image, 0.0, None).any()


def test_character_draws_only_from_the_faceframe(noise_image, shared_data):
    from avatarlink.audit.dataset import load_rgb
    from avatarlink.audit.methods import Character

    character = Character()
    try:
        # no face: the character idles, whatever the camera pixels were
        idle_a = character.apply(noise_image, 0.0, None)
        character.reset()
        idle_b = character.apply(255 - noise_image, 0.0, None)
        assert not character.last_frame.tracked
        assert np.array_equal(idle_a, idle_b) and idle_a.shape == noise_image.shape
        face = load_rgb(shared_data / "faces" / "emotion" / "surprise" / "surprise_faceapi.jpg")
        character.reset()
        out = character.apply(face, 0.0, None)
        assert character.last_frame.tracked and out.shape == face.shape
        character.reset()
        idle = character.apply(np.zeros_like(face), 0.0, None)
        # the tracked face moves the character away from its idle pose
        assert np.abs(out.astype(int) - idle.astype(int)).mean() > 1.0
    finally:
        character.close()
