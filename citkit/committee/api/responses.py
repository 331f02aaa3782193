"""The error answers the committee's endpoints give, for the API schema."""

from drf_spectacular.utils import OpenApiResponse

_ERRORS = {
    400: OpenApiResponse(description="A field is wrong; the body names it. Nothing was written."),
    403: OpenApiResponse(description="Your role may not do this."),
    404: OpenApiResponse(description="No such program or record, or you may not see it."),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: _ERRORS[code] for code in codes}


def crud(serializer) -> dict[str, dict]:
    """`extend_schema_view` arguments documenting a CRUD viewset's answers."""
    from drf_spectacular.utils import extend_schema

    return {
        "list": extend_schema(responses={200: serializer(many=True), **errors(403, 404)}),
        "retrieve": extend_schema(responses={200: serializer, **errors(403, 404)}),
        "create": extend_schema(responses={201: serializer, **errors(400, 403, 404)}),
        "update": extend_schema(responses={200: serializer, **errors(400, 403, 404)}),
        "partial_update": extend_schema(responses={200: serializer, **errors(400, 403, 404)}),
        "destroy": extend_schema(
            responses={204: OpenApiResponse(description="Deleted."), **errors(400, 403, 404)}
        ),
    }
