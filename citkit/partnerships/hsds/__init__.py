"""Open Referral HSDS 3: the directory as a data package (export and import) and as
the HSDS read API. See docs/hsds.md.

Organizations are our partner agencies, which keep no HSDS id of their own: each
gets one derived from the program and the agency, the same on every export.
"""

import uuid

# Fixed once: every id derived below depends on it, so changing it would give every
# organization, unit and taxonomy term a new id in the next export.
NAMESPACE = uuid.UUID("6f3c1a52-1d2e-4f0b-9a57-2c61b0d3e8a4")


def organization_id(program_slug: str, agency_pk: int) -> uuid.UUID:
    """The HSDS id of a partner agency: stable as long as the program and agency are."""
    return uuid.uuid5(NAMESPACE, f"{program_slug}:agency:{agency_pk}")


def derived_id(*parts: object) -> uuid.UUID:
    """The id of a row we make up from others (an address, a unit, a term, an attribute)."""
    return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts))
