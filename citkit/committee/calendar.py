"""The committee's meetings as an iCalendar feed, and the signed token that opens it.

A calendar app cannot sign in, so the subscription URL carries `?token=...`: the user's
and the program's ids and the user's feed secret (`core.credentials.feed_secret`),
signed with the site's SECRET_KEY. The token does not expire; it stops working as soon
as the user leaves the program or loses the committee capability (checked on every
fetch), when the owner asks for a new address or their credentials are revoked (a new
feed secret: password changed or reset, account deactivated, a membership ended), and
when SECRET_KEY changes.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from icalendar import Calendar, Event

from citkit.core.credentials import feed_secret
from citkit.core.permissions import has_capability

FEED_SALT = "citkit.committee.meetings-feed"
FEED_CAPABILITY = "view_committee"


def _signer() -> signing.Signer:
    # No timestamp: the address stays the same every time the user looks at it.
    return signing.Signer(salt=FEED_SALT)


def feed_token(user, program) -> str:
    secret = feed_secret(user)
    # Before a user's first new address there is no secret, and the token is the one
    # given out before secrets existed, so those subscriptions keep working.
    value = [user.pk, program.pk, secret] if secret else [user.pk, program.pk]
    return _signer().sign_object(value)


def feed_user(token: str, program):
    """The user a token was issued to, if it is genuine, current (made with the user's
    feed secret of now), for this program, and the user may still read the committee's
    meetings; otherwise None."""
    try:
        value = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, list) or len(value) not in (2, 3):
        return None
    user_id, program_id, secret = (*value, "") if len(value) == 2 else value
    if not (isinstance(user_id, int) and isinstance(program_id, int) and isinstance(secret, str)):
        return None
    if program_id != program.pk:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(secret, feed_secret(user)):
        return None
    if not has_capability(user, program, FEED_CAPABILITY):
        return None
    return user


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def uid(meeting) -> str:
    """Stable across fetches and edits, so calendar apps update the event in place."""
    return f"meeting-{meeting.pk}@citkit"


def _description(meeting, url: str) -> str:
    lines = []
    if meeting.call_link:
        lines.append(f"Join online: {meeting.call_link}")
    items = list(meeting.agenda_items.all())
    if items:
        lines.append("")
        lines.append("Agenda:")
        lines += [f"{n}. {item.title}" for n, item in enumerate(items, start=1)]
    if url:
        lines.append("")
        lines.append(f"Details: {url}")
    return "\n".join(lines).strip()


def meetings_calendar(program, meetings, *, url_for=None) -> bytes:
    """One VEVENT per meeting, times in UTC; cancelled meetings stay in the feed with
    STATUS:CANCELLED so subscribed calendars remove them. `url_for(meeting)` gives each
    meeting's absolute page address (the feed is read outside the site)."""
    cal = Calendar()
    cal.add("prodid", "-//citkit//Committee meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = f"{program.name}: committee meetings"
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = _utc(timezone.now())
    for meeting in meetings:
        event = Event()
        event.add("uid", uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(meeting.starts_at))
        event.add("dtend", _utc(meeting.ends_at))
        event.add("summary", meeting.title)
        location = meeting.location or meeting.call_link
        if location:
            event.add("location", location)
        url = url_for(meeting) if url_for else ""
        if url:
            event.add("url", url)
        description = _description(meeting, url)
        if description:
            event.add("description", description)
        cancelled = meeting.status == meeting.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()
