"""Writing result files without ever replacing what a path names with something else.

A regular file (or a path that does not exist yet) is written atomically (:func:`atomic_write`): a
temporary file of its own next to it, flushed to disk, then a rename, so a crash never leaves half a
file and two writers of the same file at once leave one of their files whole. A symbolic link is written through: the
file it points to is replaced, the link stays. A character device or a named pipe (``/dev/null``,
``/dev/stdout``, ``/dev/full``) is written into directly, and a failure (a full disk) is raised,
never hidden by replacing the device with a file. Anything else (a directory, a socket, a block
device) is refused.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` as described above; raises :class:`OSError`."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as described above; raises :class:`OSError`."""
    target = Path(os.path.realpath(path))
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            with open(target, "wb") as stream:
                stream.write(data)
            return
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        raise OSError(errno.EINVAL, "is not a regular file", str(path))
    atomic_write(target, data, None if mode is None else stat.S_IMODE(mode))


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace the regular file ``path`` (or create it) with ``data``, all or nothing.

    ``data`` goes to a temporary file of a unique name in the same directory (so that concurrent
    writers never share one), is flushed to disk, gets permission bits ``mode`` (by default those
    of a new file under the umask), then renames onto ``path``. On any failure the temporary is
    removed and ``path`` is as it was. Raises :class:`OSError`.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _new_file_mode() if mode is None else mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    """The permission bits ``open(path, "w")`` gives a new file: 0o666 less the umask (a
    temporary file is made 0o600). Linux tells the umask; elsewhere it is set and put back."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            umask = next(int(line.split()[1], 8) for line in status if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask
