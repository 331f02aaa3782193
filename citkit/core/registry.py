"""What each feature app declares about itself, collected in one place.

`core` is the floor: it imports no feature app. A feature app subclasses
`CitkitAppConfig` in its `apps.py` and names, as dotted paths, what it brings:
page URLs, API routes, navigation, audited models, capabilities per role, a demo
step and home-page panels. Core reads those declarations lazily (the first time
a page or URLconf asks), so no app is imported while Django is still starting.
Plan measures and permission policies register themselves when the app's
`measures` and `permissions` modules are imported by `CoreConfig.ready()`.

Adding a capability therefore touches one folder: the app's own.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


class CitkitAppConfig(AppConfig):
    """Base of every feature app's AppConfig. Every declaration is optional."""

    # Pages: this module's `urlpatterns` are mounted at /p/<program>/<url_prefix>.
    page_urls: str = ""
    url_prefix: str = ""
    # API: a list of (route under /api/programs/<program>/, viewset, basename).
    api_routes: str = ""
    # Navigation: a list of NavSection and NavEntry.
    navigation: str = ""
    # Model names of this app whose changes the audit trail can be filtered by.
    audited_models: tuple[str, ...] = ()
    # {role: {capability, ...}}: what each role may do in this app's area.
    capabilities: str = ""
    # A callable(builder) that adds this app's part of the demo program, in order.
    demo_step: str = ""
    demo_order: int = 100
    # A callable(request, program) -> HomePanel | None for the program's home page.
    home_panel: str = ""
    home_order: int = 100


def feature_apps() -> list[CitkitAppConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, CitkitAppConfig)]


def _load(path: str):
    return import_string(path) if path else None


# --- Navigation -----------------------------------------------------------------


Visible = Callable[..., bool]  # (user, program) -> bool


def always(user, program) -> bool:
    return True


@dataclass(frozen=True)
class NavSection:
    """An entry of the main menu. With several visible entries it gets a second row."""

    key: str
    label: str
    order: int
    visible: Visible = always
    # A label for members who see the section differently ("My record").
    label_for: Callable[..., str] | None = None


@dataclass(frozen=True)
class NavEntry:
    """One page in a section; the section links to its first visible entry."""

    section: str
    label: str
    url_name: str
    order: int
    visible: Visible = always


@functools.cache
def navigation() -> tuple[tuple[NavSection, ...], tuple[NavEntry, ...]]:
    sections: list[NavSection] = []
    entries: list[NavEntry] = []
    for config in feature_apps():
        for item in _load(config.navigation) or ():
            (sections if isinstance(item, NavSection) else entries).append(item)
    keys = {s.key for s in sections}
    orphans = [e.label for e in entries if e.section not in keys]
    if orphans:
        raise LookupError(f"Navigation entries name no declared section: {orphans}")
    return (
        tuple(sorted(sections, key=lambda s: (s.order, s.key))),
        tuple(sorted(entries, key=lambda e: (e.order, e.label))),
    )


# --- Audit, capabilities, API, pages ----------------------------------------------


@functools.cache
def audited_models() -> tuple[tuple[str, str], ...]:
    """(app_label, model_name) of every model whose changes the trail can select."""
    found: list[tuple[str, str]] = []
    for config in feature_apps():
        found.extend((config.label, name.lower()) for name in config.audited_models)
    return tuple(found)


@functools.cache
def declared_capabilities() -> dict[str, frozenset[str]]:
    merged: dict[str, set[str]] = {}
    for config in feature_apps():
        for role, capabilities in (_load(config.capabilities) or {}).items():
            merged.setdefault(str(role), set()).update(capabilities)
    return {role: frozenset(caps) for role, caps in merged.items()}


def api_routes() -> list[tuple[str, type, str]]:
    routes: list[tuple[str, type, str]] = []
    for config in feature_apps():
        routes.extend(_load(config.api_routes) or ())
    return routes


def page_urls() -> list[tuple[str, str]]:
    """(url prefix under /p/<program>/, urls module) of every app with pages."""
    return [(c.url_prefix, c.page_urls) for c in feature_apps() if c.page_urls]


# --- Demo and home page -------------------------------------------------------------


def demo_steps() -> list[Callable]:
    configs = sorted((c for c in feature_apps() if c.demo_step), key=lambda c: c.demo_order)
    return [import_string(c.demo_step) for c in configs]


@dataclass
class HomePanel:
    """A block of the program's home page: a template and what it shows."""

    template: str
    context: dict = field(default_factory=dict)


def home_panels(request, program) -> list[HomePanel]:
    configs = sorted((c for c in feature_apps() if c.home_panel), key=lambda c: c.home_order)
    panels = []
    for config in configs:
        panel = import_string(config.home_panel)(request, program)
        if panel is not None:
            panels.append(panel)
    return panels
