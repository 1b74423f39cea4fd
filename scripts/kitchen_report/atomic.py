"""Write output files so that an interrupted run leaves either the old file or the new one.

Each file is written under a temporary name in its own directory (same file system, so the
rename is atomic) and moved into place with os.replace only once it is complete.
"""

import contextlib
import os
import tempfile
from typing import Iterator


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it; put it straight back
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replacing(path: str) -> Iterator[str]:
    """Yield a temporary path next to `path`; on success it replaces `path`, else it is removed.
    A `path` that is a device or a pipe (/dev/null, /dev/stdout) is yielded itself and written
    through: renaming a file over it would replace the device (as root, /dev/null itself)."""
    if os.path.exists(path) and not os.path.isfile(path) and not os.path.isdir(path):
        yield path
        return
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=directory)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual mode instead
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: str, text: str) -> None:
    with replacing(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
