"""Writing output files safely, the one way every command that writes does it: through a
temporary file (or folder) beside the target, renamed into place once complete, so that a failure
or a signal never leaves a half-written output and never loses the old one."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import BinaryIO, Callable

from harmon.errors import OutputExists, OutputNotWritable
from harmon.interrupts import deferred


def temporary_name(path: Path, suffix: str = "tmp") -> Path:
    """A fresh hidden name beside `path` (`.name.<random>.tmp`), for writing before the rename."""
    return path.parent / f".{path.name}.{secrets.token_hex(4)}.{suffix}"


def check_new(path: Path, force: bool) -> None:
    """Raise `OutputExists` when `path` exists and replacing it was not asked for."""
    if path.exists() and not force:
        raise OutputExists(path)


def atomic_write(path: Path, write: Callable[[BinaryIO], None], force: bool = False) -> Path:
    """Create `path` through a temporary file in its folder, renamed over it once complete.

    On any failure the temporary file is removed and `path` is untouched. An existing `path` is
    replaced only with `force`.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputNotWritable(f"cannot write {path}: it is a folder")
    check_new(path, force)
    # Why `deferred`: a signal (Ctrl-C, or SIGTERM, which `harmon.cli.main` turns into an
    # exception) must not land between creating the temporary file and noting that it exists,
    # nor cut its removal short; it is acted on right after instead.
    temp = temporary_name(path)
    created = False
    try:
        with deferred():
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            created = True
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())  # on some file systems a full disk shows only here
        os.replace(temp, path)
    except BaseException as exc:
        if created:
            with deferred():
                try:
                    os.unlink(temp)
                except OSError:
                    pass
        if isinstance(exc, OSError):
            raise OutputNotWritable(f"cannot write {path}: {_why(exc)}") from None
        raise
    return path


def atomic_folder(target: Path, fill: Callable[[Path], None], force: bool = False) -> Path:
    """Create the folder `target` by filling a temporary folder beside it (`fill(folder)`) and
    swapping it into place; the old folder is removed only once the new one is in place, and
    comes back on any failure. An existing `target` is replaced only with `force`."""
    target = Path(target)
    check_new(target, force)
    temp = temporary_name(target)
    created = False
    aside = None
    try:
        with deferred():
            temp.mkdir()
            created = True
        fill(temp)
        with deferred():  # the swap: both renames or, on failure, the old folder back
            if target.exists() or target.is_symlink():
                aside = temporary_name(target, "old")
                os.replace(target, aside)
            os.replace(temp, target)
    except BaseException as exc:
        with deferred():
            if created:
                shutil.rmtree(temp, ignore_errors=True)
            if aside is not None and not target.exists():
                try:
                    os.replace(aside, target)
                    aside = None
                except OSError:  # pragma: no cover - the rename just made failed the other way
                    pass
        if isinstance(exc, OSError):
            raise OutputNotWritable(f"cannot write {target}: {_why(exc)}") from None
        raise
    finally:
        if aside is not None:
            with deferred():
                shutil.rmtree(aside, ignore_errors=True) if aside.is_dir() else aside.unlink(missing_ok=True)
    return target


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
