"""The one hierarchy of service errors; app/core/errorpages.py maps it to HTTP."""


class ServiceError(Exception):
    """A rule was broken; the message is already translated for the person."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str = "", fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class NotAllowed(ServiceError):
    status_code = 403
    code = "forbidden"


class NotAuthenticated(ServiceError):
    status_code = 401
    code = "unauthorized"


class InvalidState(ServiceError):
    """The action does not fit the object's current state (already voted, closed, ...)."""

    status_code = 409
    code = "conflict"


class InvalidInput(ServiceError):
    """The input has the right shape but breaks a rule; `fields` names the culprits."""

    status_code = 422
    code = "invalid"
