"""Processes that end with their parent: the sandbox's workers and the Tesseracts they start."""

import signal

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to kill this process when its parent ends (no orphans run on alone)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the process group kill still applies
        pass


def preload_libraries() -> None:
    """Import OpenCV once in the process that forks the jobs: each job is a fresh fork,
    which would otherwise import it again for every OCRed page (0.03-0.05 CPU-s each)."""
    try:
        import cv2  # noqa: F401
    except ImportError:  # a dependency; OCR says so when it needs it
        pass
