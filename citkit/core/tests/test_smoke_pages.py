"""The main pages answer for a coordinator, and every page says its language."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/p/riverbend/",
    "/p/riverbend/agencies/",
    "/p/riverbend/agencies/{police}/",
    "/p/riverbend/agencies/{police}/history/",
    "/p/riverbend/people/",
    "/p/riverbend/members/",
    "/p/riverbend/members/add/",
    "/p/riverbend/audit/",
    "/p/riverbend/settings/",
    "/api/docs/",
]


def test_the_program_pages_render_for_a_coordinator(client_for, coordinator, police_a, clinic_a):
    client = client_for(coordinator)
    for url in [
        *(page.format(police=police_a.pk) for page in PAGES),
        "/api/programs/",
        "/api/programs/riverbend/people/",
        "/api/schema/",
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)


def test_every_page_says_it_is_in_english(client, client_for, coordinator, police_a):
    signed_in = client_for(coordinator)
    for url in PAGES:
        response = signed_in.get(url.format(police=police_a.pk), follow=True)
        assert response["Content-Type"].startswith("text/html"), url
        assert '<html lang="en">' in response.content.decode(), url
    for url in ["/accounts/login/", "/p/no-such-program/"]:
        assert '<html lang="en">' in client.get(url, follow=True).content.decode(), url


def test_the_api_docs_page_is_swagger_ui_with_a_language(client_for, coordinator, program_a):
    body = client_for(coordinator).get("/api/docs/").content.decode()
    assert body.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert 'id="swagger-ui"' in body
