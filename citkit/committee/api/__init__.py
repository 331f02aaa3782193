"""The committee's API routes (see the modules beside this one)."""

from citkit.committee import api_committee
from citkit.committee.api_actions import ActionItemViewSet
from citkit.committee.api_meetings import MeetingViewSet

ROUTES = [
    ("committee/meetings", MeetingViewSet, "api-meeting"),
    ("committee/actions", ActionItemViewSet, "api-action-item"),
    ("committee/seats", api_committee.SeatViewSet, "api-seat"),
    ("committee/subcommittees", api_committee.SubcommitteeViewSet, "api-subcommittee"),
    ("committee/gaps", api_committee.ServiceGapViewSet, "api-gap"),
    ("committee/composition", api_committee.CompositionViewSet, "api-committee-composition"),
]
