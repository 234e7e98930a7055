"""A document's file identity: the SHA-256 of its bytes (its `doc_id`), one home for the
streaming hash that extraction and supersession both need."""

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file's bytes, streamed; None when it cannot be read."""
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None
