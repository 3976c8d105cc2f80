"""The API contract: requests checked against the pydantic models in schemas.py (spectree), the
OpenAPI 3.1 document generated from the same models at /api/v1/openapi.json, and the reference
page at /api/v1/docs (Swagger UI, self-hosted under static/vendor/)."""

import json
from collections.abc import Callable

from flask import current_app, jsonify, render_template
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import ValidationError
from spectree import Response, SpecTree
from spectree.plugins.base import Context
from spectree.plugins.flask_plugin import FlaskPlugin

from app.api import bp, schemas
from app.core.errors import InvalidInput, NotAuthenticated, ServiceError
from app.core.input import MAX_ID, parsed_json

# operationId (the view's name) -> what the document says about it beyond spectree's part.
OPERATIONS: dict[str, dict] = {}

ERROR_STATUSES = {
    400: "Malformed request: a field of the wrong JSON type, or a text with a NUL character.",
    401: "Not signed in: send a personal API token (`Authorization: Bearer ...`) or a session cookie.",
    403: "Signed in, but not allowed (role, blocked, unconfirmed e-mail, missing CSRF header).",
    404: "No such resource, or one the caller may not see.",
    410: "Gone: the export was downloaded already, or expired.",
    409: "The resource's state does not allow this (already answered, voting closed, ...).",
    422: "The input breaks a rule; `fields` names each field at fault.",
    429: "Too many requests; `Retry-After` says when to try again.",
}


class _Plugin(FlaskPlugin):
    """spectree's Flask plugin, reading the body through app/core/input.py (parsed once, size,
    depth and NUL checked, whatever the content type) and the first value of each query
    argument, as the pages do. Responses are checked against their models when
    API_CHECK_RESPONSES is on (the test suite), so a serialiser cannot drift from the document."""

    def request_validation(self, request, query, json, form, headers, cookies):
        args = {key: request.args.get(key) for key in request.args}
        body = None
        if json is not None:
            body = parsed_json()
            body = {} if body is None else body
        request.context = Context(
            self.model_adapter.validate_obj(query, args) if query else None,
            self.model_adapter.validate_obj(json, body) if json else None,
            None, None, None,
        )

    def validate_response(self, resp, resp_model, skip_validation, force_resp_serialize):
        if isinstance(resp, current_app.response_class) and resp.direct_passthrough:
            return resp, None  # a file (the data export's ZIP): sent as it is, never read here
        check = current_app.config.get("API_CHECK_RESPONSES", current_app.testing)
        response, error = super().validate_response(resp, resp_model, skip_validation or not check,
                                                    force_resp_serialize)
        if error is not None:
            raise error  # a 500 in the tests, with the field that drifted in the log
        return response, None


spec = SpecTree(
    "flask",
    backend=_Plugin,
    mode="strict",
    annotations=False,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    title="Medvirk API",
    version="1",
    description=(
        "JSON over the same services as the site's pages. Reading is open to everyone and shows "
        "what a visitor sees on the site; writing needs a personal API token "
        "(`Authorization: Bearer ...`, made under *Min profil*) or the site's session cookie with "
        "the `X-CSRFToken` header. Messages come in the request's language "
        "(`Accept-Language` or `?lang=nb|nn|en`). Every error has the shape "
        "`{\"error\": {\"code\", \"message\", \"fields\"}}`."
    ),
)


def _field(loc: tuple) -> str:
    names = [part for part in loc if isinstance(part, str)]
    return names[-1] if names else "body"


def _message(error: dict, name: str) -> tuple[str, bool]:
    """The person's message for one pydantic error, and whether it is a wrong type (400)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in {"model_type", "model_attributes_type", "dict_type"} and not error["loc"]:
        return _("Innholdet må være et JSON-objekt."), False
    if kind == "missing" or (error.get("input", 0) is None and kind.endswith("_type")):
        return _("Fyll ut %(name)s.", name=name), False
    if kind == "extra_forbidden":
        return _("Ukjent felt."), False
    if kind in {"string_too_long", "too_long"}:
        limit = ctx.get("max_length")
        if kind == "too_long":
            return _("%(name)s kan ha høyst %(max)s elementer.", name=name, max=limit), True
        return _("%(name)s kan være høyst %(max)s tegn.", name=name, max=limit), False
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        low, high = ctx.get("ge"), ctx.get("le")
        if low is not None and high is not None:
            return _("%(name)s må være et heltall fra %(min)s til %(max)s.", name=name, min=low,
                     max=high), len(error["loc"]) > 1
        if low is not None:
            return _("%(name)s må være minst %(min)s.", name=name, min=low), False
        return _("%(name)s kan være høyst %(max)s.", name=name, max=high), False
    if kind in {"literal_error", "enum"}:
        values = str(ctx.get("expected", "")).replace("'", "")
        return _("Ukjent verdi i %(name)s. Gyldige verdier: %(values)s.", name=name, values=values), False
    if kind.startswith("string"):
        return _("%(name)s må være tekst.", name=name), True
    if kind.startswith("int"):
        return _("%(name)s må være et heltall.", name=name), True
    if kind.startswith("bool"):
        return _("%(name)s må være true eller false.", name=name), True
    if kind.startswith("list"):
        return _("%(name)s må være en liste.", name=name), True
    return _("%(name)s har feil type.", name=name), True


def validation_error(err: ValidationError, model: type | None) -> ServiceError:
    """One error answer for everything pydantic found, in the request's language: 422 when the
    content breaks a limit, 400 (the model's `type_error_status`) when a field has the wrong
    JSON type, as the API answered before the document existed."""
    fields: dict[str, list[str]] = {}
    wrong_type = False
    for error in err.errors():
        name = _field(error["loc"])
        message, is_type = _message(error, name)
        wrong_type = wrong_type or is_type
        fields.setdefault(name, []).append(message)
    status = getattr(model, "type_error_status", 400) if wrong_type else 422
    first = next(iter(fields.values()))[0]
    return (ServiceError if status == 400 else InvalidInput)(first, fields=fields)


def _before(needs_login: bool, json_model: type | None, query_model: type | None) -> Callable:
    def before(req, resp, err, instance, adapter):
        if err is None:
            return
        if needs_login and not current_user.is_authenticated:
            # Who is asking comes first: an anonymous caller learns nothing about the body.
            raise NotAuthenticated(_("Logg inn, eller send en personlig API-nøkkel i Authorization-headeren."))
        model = json_model if err.title == getattr(json_model, "__name__", None) else query_model
        raise validation_error(err, model)

    return before


def _responses(ok: dict) -> Response:
    return Response(**{f"HTTP_{code}": model for code, model in ok.items()})


def operation(*, tags: tuple[str, ...], ok: dict, json: type | None = None, query: type | None = None,
              auth: bool = False, errors: tuple[int, ...] = ()):
    """Document and check one API view. `ok` maps the success status to its response model
    (None: no body); `auth` marks operations that need a signed-in caller; `errors` lists the
    status codes besides the ones every operation can answer (400, 404 for a path id, 429)."""

    def decorate(func):
        OPERATIONS[func.__name__] = {"auth": auth, "errors": errors}
        return spec.validate(
            query=query, json=json, resp=_responses(ok), tags=tags, operation_id=func.__name__,
            before=_before(auth, json, query),
        )(func)

    return decorate


# --- the document -----------------------------------------------------------------------


ERROR_REF = {"$ref": "#/components/schemas/Error"}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "A personal API token, made under Min profil."},
    "session": {"type": "apiKey", "in": "cookie", "name": "session",
                "description": "The site's session cookie; writing also needs the X-CSRFToken header."},
    "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
             "description": "The session's CSRF token (the page's csrf-token meta tag)."},
}


def _error_response(status: int) -> dict:
    return {"description": ERROR_STATUSES[status],
            "content": {"application/json": {"schema": ERROR_REF}}}


def _without_null_defaults(node):
    """pydantic writes `"default": null` for optional fields, which an enum does not allow."""
    if isinstance(node, dict):
        if node.get("default", 0) is None:
            del node["default"]
        for value in node.values():
            _without_null_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _without_null_defaults(value)


def build_document() -> dict:
    """The OpenAPI 3.1 document: spectree's generation from the models, plus what it does
    not know (security per operation, the error answers, path id bounds, the `lang` switch)."""
    doc = json.loads(json.dumps(spec.spec))  # a copy, with tuples as lists
    _without_null_defaults(doc)
    schemas_ = doc["components"]["schemas"]
    schemas_["Error"] = schemas.Error.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in schemas_["Error"].pop("$defs", {}).items():
        schemas_.setdefault(name, sub)
    schemas_.pop("ValidationError", None)
    for key in [k for k in schemas_ if k.startswith("ValidationError")]:
        schemas_.pop(key)
    doc["components"]["securitySchemes"] = SECURITY_SCHEMES
    doc["security"] = []
    doc["servers"] = [{"url": "/", "description": "This site"}]
    for path, operations in doc["paths"].items():
        for op in operations.values():
            func = OPERATIONS[op["operationId"]]
            # spectree documents its own 422 body; ours is the Error shape.
            op["responses"].pop("422", None)
            statuses = {400, 429, *func["errors"]}
            if "{" in path or "requestBody" in op:
                statuses.add(404)  # a path id, or an id in the body, that names nothing visible
            if func["auth"]:
                statuses.update({401, 403})
            if "requestBody" in op or any(p["in"] == "query" for p in op.get("parameters", [])):
                statuses.add(422)
            for status in sorted(statuses):
                op["responses"].setdefault(str(status), _error_response(status))
            if func["auth"]:
                op["security"] = [{"bearer": []}, {"session": [], "csrf": []}]
            else:
                op["security"] = [{}, {"bearer": []}, {"session": []}]
            op.setdefault("parameters", [])
            for param in op["parameters"]:
                if param["in"] == "path" and param["schema"].get("type") == "integer":
                    param["schema"].update({"minimum": 1, "maximum": MAX_ID})
                    param.setdefault("example", 1)
            op["parameters"].append({
                "name": "lang", "in": "query", "required": False,
                "description": "The language of messages: nb (default), nn or en.",
                "schema": {"type": "string", "enum": ["nb", "nn", "en"]},
            })
            if op.get("description") == "":
                op.pop("description")
    return doc


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document of this API."""
    response = jsonify(build_document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/docs")
def docs():
    """The API reference, rendered in the browser from the document (Swagger UI)."""
    return render_template("api/docs.html")
