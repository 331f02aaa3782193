"""The partnerships block of the program's home page: what is open now, and the
MOUs that wait on the reader (their signature, their review)."""

from django.utils import timezone

from citkit.core.permissions import has_capability, own_agency_id
from citkit.core.registry import HomePanel
from citkit.partnerships import hours
from citkit.partnerships.models import Mou, MouStatus
from citkit.partnerships.services import outstanding_parties


def panel(request, program) -> HomePanel | None:
    user = request.user
    if not has_capability(user, program, "view_directory"):
        return None
    open_now = hours.open_now(program, at=timezone.now())
    mous = Mou.objects.visible_to(user, program)
    to_sign: list[Mou] = []
    agency = own_agency_id(user, program)
    if agency is not None and has_capability(user, program, "sign_own_mous"):
        for mou in mous.filter(status=MouStatus.OUT_FOR_SIGNATURE, parties__agency_id=agency):
            if any(p.agency_id == agency for p in outstanding_parties(mou)):
                to_sign.append(mou)
    in_review = (
        list(mous.filter(status=MouStatus.IN_REVIEW))
        if has_capability(user, program, "review_mous")
        else []
    )
    return HomePanel(
        "partnerships/_home_panel.html",
        {
            "open_count": sum(1 for o in open_now if o.open),
            "open_24_7": sum(1 for o in open_now if o.open_24_7),
            "in_force": mous.filter(status=MouStatus.EXECUTED).count(),
            "to_sign": to_sign,
            "in_review": in_review,
        },
    )
