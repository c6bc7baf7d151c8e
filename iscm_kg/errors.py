"""The toolkit's error types: each carries a message meant for the person at the terminal."""


class IscmError(Exception):
    """A usage or runtime error: the CLI prints its message on one line and exits 2."""


class InputError(IscmError):
    """Input that cannot be read: a missing file or a syntax error, with file and line."""
