"""What the API fuzz test (core's test_api_fuzz) needs of partnerships: records that
generated bodies point at, and the rules a schema cannot state (between fields, and
the range of a date)."""

import datetime

from citkit.partnerships import services


def records(program, agency) -> dict[str, int]:
    service = services.service_create(
        actor=None, program=program, data={"agency": agency, "name": "CIT officer request"}
    )
    services.install_starter_templates(actor=None, program=program)
    return {"service": service.pk, "template": program.mou_templates.first().pk}


def _in_order(body: dict, low: str, high: str) -> None:
    numbers = isinstance(body.get(low), int) and isinstance(body.get(high), int)
    if numbers and body[high] < body[low]:
        body[low], body[high] = body[high], body[low]


def adjust(case) -> None:
    """A request generated as valid, made to meet the rules the schema cannot state."""
    query = case.query
    if isinstance(query, dict) and isinstance(query.get("at"), str) and query["at"]:
        # A moment within fifty years of now (the lookup refuses any other).
        query["at"] = (
            datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=3)
        ).isoformat()
    body = case.body
    if case.method.upper() not in ("POST", "PUT", "PATCH") or not isinstance(body, dict):
        return
    _in_order(body, "minimum_age", "maximum_age")  # a service's ages
    _in_order(body, "available", "maximum")  # a capacity: no more free than there are
    for field in ("effective_date", "review_date"):
        if isinstance(body.get(field), str):
            body[field] = "2027-03-01"  # an MOU's dates lie within a lifetime of today
    if case.path.endswith("/schedules/") and case.method.upper() == "POST":
        # A weekly schedule says its days (or its first day, whose weekday it takes).
        if not body.get("byday") and not body.get("dtstart"):
            body["byday"] = "MO"
        if body.get("freq") == "MONTHLY" and not body.get("bymonthday"):
            body["byday"] = "1MO"
        for start, end in (("valid_from", "valid_to"), ("dtstart", "until")):
            if isinstance(body.get(start), str) and isinstance(body.get(end), str):
                body[start], body[end] = sorted([body[start], body[end]])
