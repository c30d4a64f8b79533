"""Errors that reach the user as one clear line instead of a traceback."""


class UserError(Exception):
    """A problem the user can fix (bad path, busy port, missing device).

    The CLI prints ``avatarlink: <message>`` and exits with ``exit_code``;
    the message must never contain anything identifying (no pixels, no
    landmarks), only what went wrong and how to fix it.
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
