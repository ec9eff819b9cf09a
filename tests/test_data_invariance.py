"""The Draw page's invariance lab: the moves it makes and where a network's confidence breaks."""

import numpy as np
import pytest
from scipy import ndimage

from cnnviz.data.invariance import MOVES, Pose, breaking_point, pose_images, sweep
from cnnviz.data.mnist import sample_digit


def test_a_pose_moves_the_digit_without_re_centring_it():
    image = sample_digit(3)[0] / 255.0
    moved = pose_images(image, [Pose(across=3, down=-2)])[0]
    shift = np.subtract(ndimage.center_of_mass(moved), ndimage.center_of_mass(image))  # (down, across)
    np.testing.assert_allclose(shift, [-2, 3], atol=0.05)
    np.testing.assert_allclose(pose_images(image, [Pose()])[0], image, atol=1e-6)


def test_a_sweep_runs_one_move_through_its_range_and_holds_the_others():
    values, poses = sweep(Pose(across=2, rotation=10), "scale")
    assert values[0] == MOVES["scale"]["low"] and values[-1] == MOVES["scale"]["high"]
    assert all(pose.across == 2 and pose.rotation == 10 for pose in poses)
    assert [pose.scale for pose in poses] == values


def test_a_pose_outside_the_sliders_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="across must be from -8 to 8"):
        Pose(across=20)


def test_breaking_point_finds_the_first_drop_on_each_side():
    values = [-3, -2, -1, 0, 1, 2, 3]
    assert breaking_point(values, [0.1, 0.4, 0.7, 0.9, 0.8, 0.6, 0.55]) == (-2, None)
    assert breaking_point(values, [0.9] * 7, start=2) == (None, None)
