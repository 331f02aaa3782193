"""Every named route of a program — page or API — has a case in some app's role matrix.

A new page or endpoint without an entry in `<app>/tests/routes.py` fails here, so
no route ships without its answers for every role being written down and tested.
"""

import importlib

from django.urls import URLPattern, URLResolver, get_resolver

from citkit.core.registry import feature_apps


def _named_routes(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), pattern.name


def program_routes() -> set[str]:
    """Names of the routes under a program: its pages and its API."""
    return {
        name
        for route, name in _named_routes(get_resolver())
        if route.startswith("p/") or (route.startswith("api/") and "programs" in route)
    }


def covered_routes() -> set[str]:
    covered: set[str] = set()
    for config in feature_apps():
        try:
            module = importlib.import_module(f"{config.name}.tests.routes")
        except ModuleNotFoundError:
            continue
        covered.update(case.route for case in module.CASES)
        covered.update(getattr(module, "NOT_PROGRAM_SCOPED", ()))
    return covered


def test_the_collector_finds_pages_and_api_routes():
    routes = program_routes()
    assert {"agency-list", "api-agency-detail", "member-list", "api-audit-list"} <= routes


def test_every_program_route_has_cases_in_a_role_matrix():
    missing = sorted(program_routes() - covered_routes())
    assert not missing, f"routes with no role-matrix case in any <app>/tests/routes.py: {missing}"
