"""Files that appear whole or not at all.

Every file FusionDesk writes (exports, backups, profiles) is written to a temporary
file in the same folder, flushed to disk, then renamed over the target: a rename within
a folder is atomic, so a reader, a crash or a full disk sees either the previous file,
untouched, or the new one, complete. Never a half-written workbook under the real name.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fusiondesk.core.errors import FileNotWritten

# Readable by others as a normal file would be (the umask still applies); backups pass 0o600.
DEFAULT_MODE = 0o666


@contextmanager
def replacing(path: str | os.PathLike, mode: int = DEFAULT_MODE) -> Iterator[Path]:
    """A fresh temporary path beside `path`; when the block succeeds, it becomes `path`.

    Write the whole content to the yielded path inside the block. On any error the
    temporary file is removed and the previous `path` (if any) is left exactly as it was;
    an `OSError` is raised again as `FileNotWritten`, one sentence naming the file.
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        try:
            os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))
            yield partial
            _flush_to_disk(partial)
            os.replace(partial, target)
            _flush_folder(target.parent)
        except OSError as error:
            raise FileNotWritten(sentence(target, error)) from error
    finally:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass  # the folder vanished or turned read-only: nothing of ours is left to clean


def write_bytes(path: str | os.PathLike, data: bytes, mode: int = DEFAULT_MODE) -> Path:
    """Write `data` as the whole new content of `path`, atomically."""
    with replacing(path, mode) as partial:
        partial.write_bytes(data)
    return Path(path)


def sentence(path: Path, error: OSError) -> str:
    """What went wrong writing `path`, in words a user can act on."""
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        why = "the disk is full. Free some space or choose another folder"
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "permission denied. Choose a folder you can write to"
    elif code in (errno.ENOENT, errno.ENOTDIR):
        why = f"the folder {path.parent} does not exist. Choose an existing folder"
    elif code == errno.EISDIR:
        why = "a folder has that name. Choose a file name"
    elif code == errno.ENAMETOOLONG:
        why = "the name is too long. Choose a shorter one"
    else:
        why = f"{error.strerror or error}. Try again or choose another folder"
    return f"Could not save {path}: {why}; nothing was changed."


def _flush_to_disk(path: Path) -> None:
    # os.replace orders nothing on disk by itself: without fsync a power cut just after
    # the rename can leave the new name pointing at an empty file on some file systems.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _flush_folder(folder: Path) -> None:
    # The rename itself lives in the folder's entry; folders cannot be opened on Windows.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
