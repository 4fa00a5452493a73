import numpy as np


class CameraRig:
    def __init__(self, intrinsics: np.ndarray):
        self.intrinsics = intrinsics

    def to_rays(self, pixels: np.ndarray) -> np.ndarray:
        rays = []
        for px in pixels:
            homog = np.array([px[0], px[1], 1.0])  # expect-none
            rays.append(np.linalg.inv(self.intrinsics) @ homog)  # expect: L3
        return np.array(rays)

    def to_rays_v2(self, pixels: np.ndarray) -> np.ndarray:
        k_inv = np.linalg.inv(self.intrinsics)
        homog = np.column_stack([pixels, np.ones(len(pixels))])
        return homog @ k_inv.T  # expect-none


def undistort_stream(frames, transform: np.ndarray):
    i = 0
    corrected = []
    while i < len(frames):
        corrected.append(frames[i] @ np.linalg.inv(transform))  # expect: L3
        i += 1
    return corrected


def per_frame_pose(frames):
    # every frame has its own pose matrix: inverting each one is the work
    return [np.linalg.inv(f.pose) @ f.points for f in frames]  # expect-none
