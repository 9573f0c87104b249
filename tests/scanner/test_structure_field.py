"""The structure field every comparison of the kit check rests on, against its definition
written out with NumPy (per pixel: the colour channel with the strongest edge; its gradient's
angle doubled; its strength saturated), on pictures of every channel layout the matcher uses."""

import cv2
import numpy as np
import pytest

from dxday.scanner.detect import EDGE_SOFT, _field


def _definition(channels: np.ndarray, *, sigma: float, pool: float) -> np.ndarray:
    if sigma > 0:
        channels = cv2.GaussianBlur(channels, (0, 0), sigma)
    if channels.ndim == 2:
        channels = channels[:, :, None]
    gx = np.stack([cv2.Sobel(np.ascontiguousarray(channels[:, :, c]), cv2.CV_32F, 1, 0, ksize=3)
                   for c in range(channels.shape[2])], axis=2)
    gy = np.stack([cv2.Sobel(np.ascontiguousarray(channels[:, :, c]), cv2.CV_32F, 0, 1, ksize=3)
                   for c in range(channels.shape[2])], axis=2)
    strength = gx * gx + gy * gy
    # the strongest channel; on a tie, the first of them
    best = np.zeros(strength.shape[:2], int)
    for c in range(1, strength.shape[2]):
        best = np.where(strength[:, :, c] > np.take_along_axis(strength, best[:, :, None],
                                                               2)[:, :, 0], c, best)
    x = np.take_along_axis(gx, best[:, :, None], 2)[:, :, 0]
    y = np.take_along_axis(gy, best[:, :, None], 2)[:, :, 0]
    m = np.sqrt(x * x + y * y)
    scale = 1.0 / ((m + 1e-6) * (m + EDGE_SOFT))
    out = np.stack([(x * x - y * y) * scale, 2 * x * y * scale], axis=2).astype(np.float32)
    return cv2.GaussianBlur(out, (0, 0), pool) if pool > 0 else out


def _picture(shape, seed):
    rng = np.random.default_rng(seed)
    picture = cv2.GaussianBlur(rng.integers(0, 256, shape).astype(np.float32), (0, 0), 1.5)
    picture[: shape[0] // 3] = 128.0  # a flat band
    return picture.reshape(shape)


@pytest.mark.parametrize("shape", [(64, 64, 4), (48, 96, 3), (40, 30, 2), (40, 30), (20, 33, 1),
                                   (4, 1), (4, 1, 3), (1, 9, 4)])
@pytest.mark.parametrize("pool", [0.0, 0.8, 1.3])
def test_field_is_its_definition(shape, pool):
    picture = _picture(shape, seed=sum(shape))
    got = _field(picture, pool=pool)
    expected = _definition(picture, sigma=0.8, pool=pool)
    assert got.shape == shape[:2] + (2,) and got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    # polarity-free: the negative picture has the same field
    np.testing.assert_allclose(_field(255.0 - picture, pool=pool), got, atol=1e-4)
    if min(shape[:2]) > 8:  # the edges are there
        assert np.hypot(got[:, :, 0], got[:, :, 1])[shape[0] // 2:].mean() > 0.05


def test_flat_picture_has_no_structure():
    flat = np.full((32, 40, 3), 77.0, np.float32)
    assert not _field(flat).any()


def test_equal_edges_the_first_channel_decides():
    # the same slope across x in the first channel and across y in the second: the first wins
    y, x = np.mgrid[0:24, 0:24].astype(np.float32)
    picture = np.dstack([x * 8.0, y * 8.0, np.zeros_like(x)])
    field = _field(picture, sigma=0)[6:18, 6:18]  # (unblurred: the two are exactly equal)
    assert (field[:, :, 0] > 0.5).all()  # a horizontal gradient (doubled angle 0), not vertical
    assert np.abs(field[:, :, 1]).max() < 1e-3
