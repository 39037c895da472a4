"""One run, one folder: how ``--out`` holds exactly one complete plan at every moment.

Layout of an output folder ``OUT``::

    OUT/runs/<run>/        every file of one run, with manifest.json
    OUT/latest -> runs/<run>
    OUT/plan.json -> latest/plan.json, OUT/sheets -> latest/sheets, …  (stable names)

A run writes into ``OUT/runs/.partial-<token>/`` (inside ``OUT``, so personal data never
lands beside it), renames it to ``runs/<run>`` when every exporter has finished, and then
switches ``latest`` with one ``rename(2)`` of a symlink, which is atomic: a reader (or a
run killed at any moment) sees the old run or the new one, never a mix. The stable
top-level names always point through ``latest``, so they switch together with it. Older
runs and partial folders of killed runs are removed under a lock, after the switch.

A folder written before this layout (plain files in ``OUT``) is converted on its first run:
its artefacts move into ``runs/`` and are removed with the old runs.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .._errors import InputError, Issue

RUNS = "runs"
LATEST = "latest"
LOCK = ".lock"
PARTIAL = ".partial-"
RESERVED = {RUNS, LATEST, LOCK}


def _issue(out_dir: Path, message: str, fix: str) -> InputError:
    return InputError([Issue("command line", "--out", message, fix, value=str(out_dir))])


def _nearest_existing(path: Path) -> Path:
    p = path
    while not os.path.lexists(p) and p != p.parent:
        p = p.parent
    return p


def check_out_dir(out_dir: Path, inputs: Path | None = None) -> None:
    """Refuse an ``--out`` that cannot hold a plan, before any planning starts.

    ``inputs`` is the scenario's folder: writing into it (or into a folder holding it)
    could replace an input file named like an artefact (``routes.csv``).
    """
    out = Path(os.path.abspath(out_dir))
    fix = "give a new or empty folder, or one a previous ktj-route plan wrote"
    if os.path.lexists(out) and not out.is_dir():
        raise _issue(out, "is a file, not a folder", fix)
    if inputs is not None:
        scen = Path(os.path.abspath(inputs))
        for a, b in ((out, scen), (out.resolve(), scen.resolve())):
            if a == b or a in b.parents:
                raise _issue(out, "is the scenario's folder (or holds it)", fix)
    existing = _nearest_existing(out)
    if not existing.is_dir():
        raise _issue(out, f"cannot be made: {existing} is a file", fix)
    effective = os.access in os.supports_effective_ids  # what the process may do, as itself
    if not os.access(existing, os.W_OK | os.X_OK, effective_ids=effective):
        raise _issue(out, f"cannot be written ({existing} is read-only)", fix)
    if out.is_dir() and not is_output_folder(out):
        raise _issue(out, "holds files that are not ktj-route outputs", fix)


def is_output_folder(out: Path) -> bool:
    """Empty, written by this layout, or a plain folder of an earlier version's plan."""
    names = {p.name for p in out.iterdir()}
    return not names or LATEST in names or RUNS in names or "plan.json" in names


def current_run(out: Path) -> Path | None:
    """The folder of the run ``out`` shows now (``out`` itself for a plain run folder)."""
    if (out / "manifest.json").is_file() and not (out / LATEST).is_symlink():
        return out
    link = out / LATEST
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    with open(out / LOCK, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _fsync_tree(folder: Path) -> None:
    """Files and folders on disk before the switch, so a power cut cannot show a
    switched ``latest`` over empty files."""
    for root, _dirs, names in os.walk(folder):
        for name in names:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _symlink_atomically(target: str, link: Path) -> None:
    tmp = link.with_name(f".{link.name}.{secrets.token_hex(4)}")
    os.symlink(target, tmp)
    os.replace(tmp, link)


class Run:
    """The folder one run writes into, published by ``publish``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.runs = out / RUNS
        self.folder = self.runs / f"{PARTIAL}{secrets.token_hex(6)}"
        self.published: Path | None = None

    def publish(self, plan_id: str) -> Path:
        """Make this run the one ``out`` shows; older runs go."""
        _fsync_tree(self.folder)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        final = self.runs / f"{stamp}-{plan_id[:12]}-{secrets.token_hex(2)}"
        os.rename(self.folder, final)
        self.published = final
        _fsync_dir(self.runs)
        self._move_legacy()
        names = sorted(p.name for p in final.iterdir() if p.name not in RESERVED)
        for name in names:  # stable names: made once, they always point through latest
            link = self.out / name
            want = f"{LATEST}/{name}"
            if not (link.is_symlink() and os.readlink(link) == want):
                _symlink_atomically(want, link)
        _symlink_atomically(f"{RUNS}/{final.name}", self.out / LATEST)  # the switch
        _fsync_dir(self.out)
        self._tidy(final, set(names))
        return final

    def _move_legacy(self) -> None:
        """An earlier version's plain files: moved into runs/ (removed by ``_tidy``)."""
        if (self.out / LATEST).is_symlink():
            return
        trash = self.runs / f"{PARTIAL}legacy-{secrets.token_hex(4)}"
        for p in list(self.out.iterdir()):
            if p.name in RESERVED or p.is_symlink():
                continue
            trash.mkdir(exist_ok=True)
            os.rename(p, trash / p.name)

    def _tidy(self, keep: Path, names: set[str]) -> None:
        for p in self.runs.iterdir():
            if p != keep:
                _remove(p)
        for p in self.out.iterdir():
            stale = p.is_symlink() and p.name not in RESERVED | names
            if stale and os.readlink(p).startswith(f"{LATEST}/"):
                p.unlink()  # a name the new run does not have (e.g. --format json)


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)


@contextmanager
def new_run(out_dir: Path) -> Iterator[Run]:
    """A fresh run folder inside ``out_dir``; removed again unless it was published."""
    out = Path(os.path.abspath(out_dir))
    check_out_dir(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = errno.errorcode.get(exc.errno or 0, "error")
        raise _issue(out, f"cannot be made ({exc.strerror or why})", "check the path") from None
    with _locked(out):
        (out / RUNS).mkdir(exist_ok=True)
        for p in (out / RUNS).iterdir():  # partial folders of killed runs (we hold the lock)
            if p.name.startswith(PARTIAL):
                _remove(p)
        run = Run(out)
        run.folder.mkdir()
        try:
            yield run
        finally:
            if run.published is None:
                shutil.rmtree(run.folder, ignore_errors=True)
