"""The main pages answer for a coordinator."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_program_pages_render_for_a_coordinator(client_for, coordinator, police_a, clinic_a):
    client = client_for(coordinator)
    for url in [
        "/",
        "/p/riverbend/",
        "/p/riverbend/agencies/",
        f"/p/riverbend/agencies/{police_a.pk}/",
        "/p/riverbend/people/",
        "/p/riverbend/members/",
        "/p/riverbend/audit/",
        "/p/riverbend/settings/",
        "/api/programs/",
        "/api/programs/riverbend/people/",
        "/api/schema/",
        "/api/docs/",
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
