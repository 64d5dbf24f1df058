"""drf-spectacular: error answers every operation can give, documented once for all."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Je Feld eine Liste deutscher Fehlermeldungen; `non_field_errors` für "
    "Fehler, die kein einzelnes Feld betreffen.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

_COMMON = {
    "401": "Nicht angemeldet oder Token ungültig.",
    "403": "Angemeldet, aber ohne das nötige Recht.",
    "404": "Nicht gefunden (auch: Objekt einer anderen Kommune, ungültige Seite).",
    "429": "Zu viele Anfragen; `Retry-After` nennt die Wartezeit in Sekunden.",
}


def _response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool):
    """Postprocessing hook: 400/401/403/404/429 on every operation of the data endpoints."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("FieldErrors", FIELD_ERRORS)
    error_ref = {"$ref": "#/components/schemas/Error"}
    field_ref = {"$ref": "#/components/schemas/FieldErrors"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, text in _COMMON.items():
                responses.setdefault(code, _response(text, error_ref))
            # Bad filters and bodies name the field; a schema endpoint has no filters.
            responses.setdefault("400", _response("Ungültige Angaben.", field_ref))
    return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "leitwerk.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token aus `leitwerk token create`: `Authorization: Bearer lw_…`. "
            "Es handelt als seine Person in seiner Kommune.",
        }
