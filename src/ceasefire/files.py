"""Writing result files without ever replacing what a path names with something else.

A regular file (or a path that does not exist yet) is written atomically: a temporary file next
to it, then a rename, so a crash never leaves half a file. A symbolic link is written through: the
file it points to is replaced, the link stays. A character device or a named pipe (``/dev/null``,
``/dev/stdout``, ``/dev/full``) is written into directly, and a failure (a full disk) is raised,
never hidden by replacing the device with a file. Anything else (a directory, a socket, a block
device) is refused.
"""

from __future__ import annotations

import errno
import os
import stat
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
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        with open(temporary, "wb") as stream:
            stream.write(data)
        if mode is not None:
            os.chmod(temporary, stat.S_IMODE(mode))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
