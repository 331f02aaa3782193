"""The OpenAPI schema is valid and documents every endpoint."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in [
        "/api/programs/{program}/agencies/",
        "/api/programs/{program}/agencies/{agency}/contacts/",
        "/api/programs/{program}/people/",
        "/api/programs/{program}/members/",
        "/api/programs/{program}/audit/",
        "/api/programs/{slug}/",
    ]:
        assert f"{path}:" in text, path


def test_the_schema_and_docs_are_served(client_for, coordinator):
    client = client_for(coordinator)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Swagger UI is served from the vendored sidecar package, not a CDN.
    assert b"cdn." not in docs.content
