"""OpenCV for the OCR's image steps, loaded once and held to one thread: parallelism comes
from the workers, as tesseract's does (the BLAS OpenCV bundles reads its thread limit when it
loads, and starts a thread pool without one)."""

import os


def cv2():
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import cv2 as opencv
    opencv.setNumThreads(1)
    return opencv
