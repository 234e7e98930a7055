"""Small pure functions that turn printed Thai values into canonical ones.

Every normalizer either returns a value or raises a subclass of `Rejected` with a
human-readable reason; none of them guesses.
"""


class Rejected(ValueError):
    """A printed value that cannot be turned into a canonical one; `str(e)` says why."""
