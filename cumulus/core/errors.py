"""Domain errors shared across apps. Views turn these into clear messages."""


class CumulusError(Exception):
    """Base class: something the user asked for cannot be done, with a reason they can read."""
