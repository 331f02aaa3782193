"""Plan measures from the MOUs: "Develop a memorandum of understanding" is measured
by the parties that signed the program's MOU."""

from citkit.core.measures import Measurement, register
from citkit.core.models import Program
from citkit.partnerships.models import Mou, MouSignature, MouStatus

IN_THE_WORKS = [
    MouStatus.DRAFT,
    MouStatus.IN_REVIEW,
    MouStatus.APPROVED,
    MouStatus.OUT_FOR_SIGNATURE,
]


@register("mou_parties_signed", "MOU: parties signed, and executed or not")
def mou_parties_signed(program: Program) -> Measurement:
    """The MOU being worked on (the newest not yet executed: a first draft or an
    amendment) counts the parties that signed its current version; with none in the
    works, an executed MOU counts in full."""
    pending = (
        Mou.objects.filter(program=program, status__in=IN_THE_WORKS)
        .order_by("-updated_at", "-id")
        .first()
    )
    executed = (
        Mou.objects.filter(program=program, status=MouStatus.EXECUTED)
        .order_by("-updated_at", "-id")
        .first()
    )
    if pending is None:
        if executed is None:
            return Measurement(0, 1, "No MOU drafted yet")
        parties = executed.parties.count()
        return Measurement(
            parties, parties, f"Executed: {executed.title} ({parties} parties signed)"
        )
    parties = pending.parties.count()
    latest = pending.versions.order_by("-number").first()
    signed = (
        MouSignature.objects.filter(party__mou=pending, version=latest).count() if latest else 0
    )
    state = pending.get_status_display().lower()
    text = f"{pending.title}: {state}, {signed} of {parties} parties signed"
    if executed is not None:
        text += f"; in force: {executed.title}"
    return Measurement(signed, max(parties, 1), text)
