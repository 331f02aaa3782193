"""The committee's API routes (see the modules beside this one)."""

from citkit.committee.api.actions import ActionItemViewSet
from citkit.committee.api.committee import CompositionViewSet, SeatViewSet, SubcommitteeViewSet
from citkit.committee.api.gaps import ServiceGapViewSet
from citkit.committee.api.meetings import MeetingViewSet

ROUTES = [
    ("committee/meetings", MeetingViewSet, "api-meeting"),
    ("committee/actions", ActionItemViewSet, "api-action-item"),
    ("committee/seats", SeatViewSet, "api-seat"),
    ("committee/subcommittees", SubcommitteeViewSet, "api-subcommittee"),
    ("committee/gaps", ServiceGapViewSet, "api-gap"),
    ("committee/composition", CompositionViewSet, "api-committee-composition"),
]
