"""Writing output files safely, the one way every command that writes does it (export, codebook,
plot, schema, init, sensitivity --plot).

- A file (or folder) is written to a temporary beside the target, then put in place by one atomic
  operation, so that a failure or a signal never leaves a half-written output and never loses the
  old one.
- Without `force` the last step cannot clobber: it is a rename that refuses an existing target
  (Linux's `renameat2(RENAME_NOREPLACE)`, else a hard link), so a file that appeared at the path
  while the output was being written wins, and `OutputExists` is raised.
- A symbolic link at the target is never followed, and anything that is not a regular file (a
  folder, a device such as /dev/null, a FIFO, a socket) is never replaced, even with `force`.
- A replaced file keeps its permission bits.
- An output that is, or is inside, one of the `protected` paths (the files and folders of the
  dataset being read) is refused.
- A folder (a data package) replaces only a folder that harmon wrote itself: it carries the
  marker file `MARKER` and only the files harmon puts there.
- Temporaries are named `.<name>.<pid>.<random>.tmp`; those of a process that no longer runs (a
  run killed with SIGKILL) are removed by the next write to the same target.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import secrets
import shutil
import stat
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from harmon.errors import OutputExists, OutputInsideData, OutputNotWritable
from harmon.interrupts import deferred

# The file that marks a folder harmon wrote (a data package): only such a folder is replaced.
MARKER = ".harmon-output"


def temporary_name(path: Path, suffix: str = "tmp") -> Path:
    """A fresh hidden name beside `path` (`.name.<pid>.<random>.tmp`), for writing before the
    rename; the process id tells a later run whether its writer still runs."""
    return path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.{suffix}"


def check_target(path: Path | str, force: bool, protected: Iterable[Path] = (), folder: bool = False) -> Path:
    """Raise unless `path` may be written: not one of `protected` (the dataset's files) or inside one, not a
    symbolic link, not something other than a regular file (a folder when `folder`), and absent
    unless `force`. Return `path` as a Path. Called before any work, and again at the swap."""
    path = Path(path)
    where = resolved(path, parent_only=True)  # once per check, not once per guarded path
    if where is not None:
        for guarded in protected:
            guard = resolved(Path(guarded))
            if guard is not None and where.is_relative_to(guard):  # the path itself, or inside it
                raise OutputInsideData(path, Path(guarded))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise OutputNotWritable(f"cannot write {path}: {_why(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputNotWritable(f"{path} is a symbolic link: not writing through it (remove it, or name the file it points to)")
    wanted = stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
    if not wanted:
        raise OutputNotWritable(f"{path} is {_kind(info.st_mode)}: not replacing it")
    if not force:
        raise OutputExists(path)
    return path


def check_new(path: Path | str, force: bool, protected: Iterable[Path] = ()) -> Path:
    """`check_target` for a file; kept for callers that check before long work."""
    return check_target(path, force, protected)


def atomic_write(
    path: Path | str, write: Callable[[BinaryIO], None], force: bool = False, protected: Iterable[Path] = (),
) -> Path:
    """Create `path` through a temporary file in its folder, put in place once complete.

    On any failure the temporary file is removed and `path` is untouched. An existing regular
    file is replaced only with `force` (keeping its permissions); a file that appears at `path`
    while writing is never replaced without `force` (`OutputExists`).
    """
    return atomic_write_all([(path, write)], force, protected)[0]


def atomic_write_all(
    files: Iterable[tuple[Path | str, Callable[[BinaryIO], None]]], force: bool = False, protected: Iterable[Path] = (),
) -> list[Path]:
    """`atomic_write` for files that belong together (an export and its descriptor): each is
    written to its temporary, then all are put in place one after the other while their folders
    are locked against other harmon processes (`_locked`), so that two runs writing the same
    files leave one run's files, never a mix. Return their paths, in order."""
    protected = tuple(protected)
    targets = [(check_target(path, force, protected), write) for path, write in files]
    for path, _ in targets:
        clean_stale(path)
    temps: list[Path] = []
    try:
        for path, write in targets:
            # Why `deferred`: a signal (Ctrl-C, or SIGTERM, which `harmon.cli.main` turns into an
            # exception) must not land between creating the temporary file and noting that it
            # exists, nor cut its removal short; it is acted on right after instead.
            temp = temporary_name(path)
            with deferred():
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
                temps.append(temp)
            with os.fdopen(fd, "wb") as stream:
                write(stream)
                stream.flush()
                os.fsync(stream.fileno())  # on some file systems a full disk shows only here
        with deferred(), _locked(sorted({path.parent for path, _ in targets})):
            # Every target checked before the first is put in place: both or neither.
            for path, _ in targets:
                check_target(path, force, protected)
            for (path, _), temp in zip(targets, list(temps)):
                _put(temp, path, force)
                temps.remove(temp)
    except BaseException as exc:
        with deferred():
            for temp in temps:
                _remove(temp)
        if isinstance(exc, OSError):
            raise OutputNotWritable(f"cannot write {path}: {_why(exc)}") from None
        raise
    return [path for path, _ in targets]


@contextlib.contextmanager
def _locked(folders: list[Path]) -> Iterator[None]:
    """Hold an exclusive advisory lock (flock) on each of `folders`, in order, while the block
    runs; released when the process ends however it ends. Where the system has no such lock (no
    `fcntl`: Windows) or the folder cannot be locked (some network file systems), the block runs
    unlocked: each file is still put in place whole."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    held: list[int] = []
    try:
        for folder in folders:
            try:
                fd = os.open(folder, os.O_RDONLY)
            except OSError:
                continue
            held.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                pass
        yield
    finally:
        for fd in held:
            os.close(fd)  # closing the descriptor releases its lock


def atomic_folder(
    target: Path | str, fill: Callable[[Path], None], force: bool = False, protected: Iterable[Path] = (),
    owned: Iterable[str] = (),
) -> Path:
    """Create the folder `target` by filling a temporary folder beside it (`fill(folder)`) and
    renaming it into place. The folder carries `MARKER`. With `force`, an existing `target` is
    replaced only if it carries the marker and holds nothing but the marker and `owned` names;
    the old folder is removed only once the new one is in place."""
    target = check_target(target, force, protected, folder=True)
    allowed = {MARKER, *owned}
    if force and target.is_dir():
        _check_owned(target, allowed)
    clean_stale(target)
    temp = temporary_name(target)
    created = False
    aside = None
    try:
        with deferred():
            temp.mkdir()
            created = True
        fill(temp)
        (temp / MARKER).write_text("Written by harmon: `harmon export --force` may replace this folder.\n", encoding="utf-8")
        with deferred():  # the swap: both renames or, on failure, the old folder back
            check_target(target, force, protected, folder=True)
            if os.path.lexists(target):
                _check_owned(target, allowed)
                aside = temporary_name(target, "old")
                os.rename(target, aside)
            _rename_noreplace(temp, target)
            created = False
    except BaseException as exc:
        with deferred():
            if created:
                shutil.rmtree(temp, ignore_errors=True)
            if aside is not None and not os.path.lexists(target):
                try:
                    _rename_noreplace(aside, target)
                    aside = None
                except OSError:  # pragma: no cover - the rename just made failed the other way
                    pass
        if isinstance(exc, FileExistsError):
            raise OutputExists(target) from None
        if isinstance(exc, OSError):
            raise OutputNotWritable(f"cannot write {target}: {_why(exc)}") from None
        raise
    finally:
        if aside is not None:
            with deferred():
                shutil.rmtree(aside, ignore_errors=True)
    return target


def clean_stale(path: Path) -> list[Path]:
    """Remove the temporaries of earlier writes to `path` whose process no longer runs (killed
    with SIGKILL, or by a power cut); return them. Others' temporaries are left alone."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[0-9a-f]{{8}}\.(tmp|old)")
    removed = []
    try:
        names = os.listdir(path.parent if str(path.parent) else ".")
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match and not _running(int(match.group(1))):
            stale = path.parent / name
            with deferred():
                _remove(stale)
            removed.append(stale)
    return removed


def _put(temp: Path, path: Path, force: bool) -> None:
    """Put the complete temporary `temp` at the checked `path`: replace what is there only with
    `force` (keeping its permission bits), else only if nothing is there."""
    if force:
        try:
            os.chmod(temp, stat.S_IMODE(os.lstat(path).st_mode))
        except FileNotFoundError:
            pass
        else:
            os.replace(temp, path)
            return
    try:
        _rename_noreplace(temp, path)
    except FileExistsError:
        raise OutputExists(path) from None


_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


@functools.cache  # looked up on the first rename, not at import: finding the C library takes time
def _renameat2() -> Callable[..., int] | None:
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:  # pragma: no cover - no C library found
        return None
    try:
        function = getattr(ctypes.CDLL(name, use_errno=True), "renameat2")
    except (OSError, AttributeError):  # pragma: no cover - not Linux, or an old C library
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def _rename_noreplace(source: Path, target: Path) -> None:
    """Rename `source` to `target`, raising FileExistsError if `target` exists, atomically."""
    renameat2 = _renameat2()
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_NOREPLACE) == 0:
            return
        import ctypes

        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(target))
    # Where the system cannot rename without replacing: a hard link fails on an existing file;
    # a folder's rename fails onto a non-empty folder (and replaces only an empty one).
    if os.path.isdir(source):
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
        os.rename(source, target)
        return
    os.link(source, target)
    os.unlink(source)


def _check_owned(folder: Path, allowed: set[str]) -> None:
    names = set(os.listdir(folder))
    if MARKER not in names:
        raise OutputNotWritable(f"{folder} is a folder harmon did not write: not replacing it (choose a new folder)")
    foreign = sorted(names - allowed)
    if foreign:
        raise OutputNotWritable(f"{folder} holds files harmon did not write ({', '.join(foreign[:3])}): not replacing it")


def resolved(path: Path, parent_only: bool = False) -> Path | None:
    """`path` with every symbolic link resolved (with `parent_only`, those of its folder only: the
    output's own name is never followed); None when it cannot be resolved (a loop, no access)."""
    try:
        return path.parent.resolve() / path.name if parent_only else path.resolve()
    except (OSError, RuntimeError):
        return None


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process (or an id the system does not know): leave it
    return True


def _remove(path: Path) -> None:
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISREG, "a file")):
        if test(mode):
            return name
    return "not a regular file"  # pragma: no cover


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
