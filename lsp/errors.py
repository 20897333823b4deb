"""Domain errors raised by services; views turn them into messages for the user.

Messages are translated (gettext_lazy) by the code that raises them, so a view can
show ``str(error)`` in the user's language.
"""


class DomainError(Exception):
    """A business rule refused the action. ``message`` is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class NotAllowed(DomainError):
    """The actor may not do this."""


class InvalidState(DomainError):
    """The object is not in a state where this action is possible."""
