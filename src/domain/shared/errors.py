"""Errors every context raises; the HTTP layer maps each family to one status code."""


class DomainError(Exception):
    """A business rule refused the request."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The entity does not exist (or the caller may not know that it does)."""

    def __init__(self, entity: str, entity_id: object) -> None:
        super().__init__(f"{entity} {entity_id} was not found")
        self.entity = entity
        self.entity_id = entity_id


class Conflict(DomainError):
    """The request is valid on its own but clashes with the current state."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConcurrentChange(Conflict):
    """Another transaction touched the same rows at the same instant and the database gave up
    on this one (a deadlock, a serialization failure); nothing was written, and trying again
    is safe."""

    def __init__(self) -> None:
        super().__init__("another change raced this one; nothing was written, try again")


class InvalidValue(DomainError):
    """A value breaks a rule; `field` names it the way the API spells it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class Unauthenticated(DomainError):
    """No valid credentials. Deliberately vague: it never says which part was wrong."""


class Forbidden(DomainError):
    """The caller is known but their role may not do this."""


class RateLimited(DomainError):
    """Too many attempts; try again after `retry_after_seconds`."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
