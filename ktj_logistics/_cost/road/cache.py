"""Road matrices kept on disk, keyed by network, profile and points.

The folder is ``$KTJ_CACHE_DIR`` (``off`` switches the cache off), else
``$XDG_CACHE_HOME/ktj-route``, else ``~/.cache/ktj-route``. A matrix is written to a
temporary file in the same folder and renamed into place, so concurrent planners (the
parts of a large day, two CLI runs) never read half a file; a damaged file is ignored
and rebuilt. Only matrices of at least ``MIN_ENTRIES`` cells are kept (small ones are
faster to compute than to read), and the folder is trimmed to ``MAX_BYTES``, oldest
first.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

MIN_ENTRIES = 20_000
MAX_BYTES = 2 << 30


def default_cache_dir() -> Path | None:
    """Where matrices and parsed networks are kept (None: nowhere)."""
    env = os.environ.get("KTJ_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in {"", "off", "0", "none"} else Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ktj-route"


def cache_key(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        data = p.encode() if isinstance(p, str) else p
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class MatrixCache:
    def __init__(self, folder: Path | None, max_bytes: int = MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def _path(self, key: str) -> Path | None:
        return self.folder / f"matrix-{key[:40]}.npy" if self.folder is not None else None

    def get(self, key: str, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray] | None:
        path = self._path(key)
        if path is None or shape[0] * shape[1] < MIN_ENTRIES or not path.exists():
            return None
        try:
            both = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if both.shape != (2, *shape):
            return None
        return both[0].astype(np.int64), both[1].astype(np.int64)

    def put(self, key: str, distance: np.ndarray, duration: np.ndarray) -> None:
        path = self._path(key)
        if path is None or distance.size < MIN_ENTRIES:
            return
        small = max(int(distance.max(initial=0)), int(duration.max(initial=0))) < 2**31
        both = np.empty((2, *distance.shape), dtype=np.int32 if small else np.int64)
        both[0], both[1] = distance, duration
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".matrix-", suffix=".tmp", dir=path.parent)
        except OSError:
            return  # a read-only disk costs speed, not the plan
        try:
            with os.fdopen(fd, "wb") as f:
                np.save(f, both, allow_pickle=False)
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)  # a full disk: keep nothing half-written
            return
        self._trim()

    def _trim(self) -> None:
        assert self.folder is not None
        files = []
        for p in self.folder.glob("matrix-*.npy"):
            try:
                st = p.stat()
            except OSError:
                continue
            files.append((st.st_mtime, st.st_size, p))
        total = sum(size for _, size, _ in files)
        for _, size, p in sorted(files):
            if total <= self.max_bytes:
                break
            try:
                p.unlink()
                total -= size
            except OSError:
                continue
