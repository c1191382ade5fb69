"""Stable pseudonymous keys: a keyed hash of (kind, operational id), so analysts never see ids.

The same id always gets the same key under the same secret (incremental extracts line up),
and without the secret a key cannot be turned back into an id, even though ids are sequential.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import pyarrow as pa


def pseudonym(kind: str, value: int | str, *, secret: bytes) -> int:
    """A non-negative 63-bit key for ``value`` of ``kind`` (``child``, ``referral``...)."""
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), key=secret[:64], digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def pseudonyms(kind: str, values: Iterable[int | str], *, secret: bytes) -> pa.Array:
    """``pseudonym`` for many values at once, as an int64 Arrow array."""
    keys = np.fromiter(
        (pseudonym(kind, v, secret=secret) for v in values), dtype=np.int64, count=-1
    )
    return pa.array(keys, pa.int64())


def key_map(kind: str, ids: pa.Array | pa.ChunkedArray, *, secret: bytes) -> pa.Table:
    """A two-column table ``id -> key`` for the distinct non-null ``ids``."""
    distinct = pa.chunked_array([ids]).unique() if isinstance(ids, pa.Array) else ids.unique()
    values = [v for v in distinct.to_pylist() if v is not None]
    return pa.table(
        {"id": pa.array(values, type=distinct.type), "key": pseudonyms(kind, values, secret=secret)}
    )
