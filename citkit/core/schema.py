"""What the OpenAPI schema says about errors, for every operation at once.

Every endpoint can answer 401 (no or a bad token), 403 (the member's role may
not do this), 404 (no such program or record, or one the member may not see:
outsiders learn nothing) and 400 (input that names what is wrong, field by
field). drf-spectacular documents only the success; this hook adds the rest, so
that clients and the schema-driven test (test_api_fuzz.py) know every answer.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "What was wrong: `detail` for the request as a whole, or one list of "
    "messages per field (`non_field_errors` for the record as a whole).",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object"},
        ]
    },
}

ERRORS = {
    "400": "The input was refused; the body names each field that is wrong.",
    "401": "No valid token or session.",
    "403": "Your role in this program may not do this.",
    "404": "No such program, record or page (cursor), or one you may not see.",
}


def _response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


# Text that must not be empty must hold something visible: the API drops
# surrounding spaces and control characters from what it is sent, so " " or an
# ESC alone is as empty as "" (JSON Schema's pattern matches anywhere in the text).
VISIBLE = r"[^\s\x00-\x1f\x7f]"


def _require_visible_text(component: dict) -> None:
    for prop in component.get("properties", {}).values():
        text = prop.get("type") == "string" and not prop.get("readOnly")
        plain = not ({"format", "pattern", "enum"} & prop.keys())
        if text and plain and prop.get("minLength", 0) >= 1:
            prop["pattern"] = VISIBLE


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error answers to every operation,
    and say of required text that it must hold a visible character."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name, component in schemas.items():
        if name.endswith("Request"):
            _require_visible_text(component)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, _response(description))
    return result
