"""Model MOU templates a program starts from, written for citkit from the CIT toolkit's
practice (domain.md §2): a *general* memorandum that acknowledges CIT as a shared
community effort, and a *specific* one that sets out what each party does.

They are starting points for the Steering Committee and each party's counsel, not
legal advice: text in square brackets ("[Counsel to insert …]") must be completed
or removed before the memorandum goes out for signature. Placeholders in double
braces are filled by `fill` when a template becomes an MOU:

    {{program}}      the program's name
    {{parties}}      the parties' names in a sentence ("A, B and C")
    {{party_list}}   the parties' names as a Markdown bullet list
"""

import re
from collections.abc import Sequence

from citkit.partnerships.models import ClauseKind, MouKind

PLACEHOLDER = re.compile(r"\{\{\s*(program|parties|party_list)\s*\}\}")
# Characters that would turn a name into Markdown: "*St. Mary's*" must stay a name.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!])")


def _literal(name: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(name.split()))


def _sentence(names: Sequence[str]) -> str:
    names = [_literal(n) for n in names if n.strip()]
    if not names:
        return "[the parties]"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def fill(text: str, *, program_name: str, party_names: Sequence[str]) -> str:
    """The template text with its placeholders filled in; other text is left alone."""
    values = {
        "program": _literal(program_name) or "[the program]",
        "parties": _sentence(party_names),
        "party_list": "\n".join(f"- {_literal(n)}" for n in party_names if n.strip())
        or "- [the parties]",
    }
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def fill_clauses(
    clauses: Sequence[dict], *, program_name: str, party_names: Sequence[str]
) -> list[dict]:
    """Each clause's heading and body filled (the clause dicts are copied)."""
    return [
        {
            **clause,
            "heading": fill(clause["heading"], program_name=program_name, party_names=party_names),
            "body": fill(clause["body"], program_name=program_name, party_names=party_names),
        }
        for clause in clauses
    ]


_GENERAL = {
    "name": "General MOU: CIT as a shared community effort",
    "kind": MouKind.GENERAL.value,
    "description": (
        "A short memorandum in which the partners acknowledge the Crisis Intervention "
        "Team program as a shared effort of the whole community, without setting out "
        "operational duties. Suits a program's first year, or partners whose role is "
        "support rather than operations."
    ),
    "clauses": [
        {
            "kind": ClauseKind.PURPOSE.value,
            "heading": "Purpose",
            "body": (
                "The parties support {{program}}, a Crisis Intervention Team (CIT) "
                "program that brings law enforcement, mental-health and substance-use "
                "providers, and people with lived experience and their families together "
                "so that a person in a mental-health crisis receives a safe, humane "
                "response and is connected with care rather than drawn into the "
                "justice system when that can be avoided.\n\n"
                "CIT is more than a training course. This memorandum records that the "
                "program belongs to the community, and that each party shares in "
                "planning it, carrying it out and keeping it going."
            ),
        },
        {
            "kind": ClauseKind.PARTIES.value,
            "heading": "Parties",
            "body": "This memorandum is made between:\n\n{{party_list}}",
        },
        {
            "kind": ClauseKind.ROLES.value,
            "heading": "Shared commitments",
            "body": (
                "Each party, within its own authority and resources, intends to:\n\n"
                "1. Name a representative to the CIT Steering Committee and take part in "
                "its regular meetings.\n"
                "2. Support the CIT training course and ongoing in-service training, "
                "including by offering speakers, sites or staff time where it can.\n"
                "3. Review its own policies so that they are consistent with the CIT "
                "program, and share proposed changes with the Steering Committee.\n"
                "4. Share what it learns, and data it may lawfully share, so that the "
                "committee can see how the program is working.\n"
                "5. Recognize the officers, clinicians, dispatchers and advocates who "
                "serve people in crisis well."
            ),
        },
        {
            "kind": ClauseKind.OTHER.value,
            "heading": "Nature of this memorandum",
            "body": (
                "This memorandum expresses the parties' shared intent. It does not "
                "transfer funds, create a partnership or joint venture, or give rights "
                "to anyone who is not a party. Each party remains responsible for its "
                "own staff, decisions and legal obligations."
            ),
        },
        {
            "kind": ClauseKind.TERM.value,
            "heading": "Term and renewal",
            "body": (
                "This memorandum takes effect when the last party signs it and "
                "continues for one year. It then renews for further one-year terms "
                "unless a party gives the others written notice, at least 60 days "
                "before the end of a term, that it will not renew. The Steering "
                "Committee reviews it at least once a year."
            ),
        },
        {
            "kind": ClauseKind.TERMINATION.value,
            "heading": "Withdrawal",
            "body": (
                "A party may withdraw at any time by giving the other parties 60 days' "
                "written notice. The memorandum continues between the remaining "
                "parties."
            ),
        },
        {
            "kind": ClauseKind.SIGNATURES.value,
            "heading": "Signatures",
            "body": (
                "Each person signing below confirms that they are authorized to sign "
                "for the party they represent. The memorandum may be signed in "
                "counterparts, each of which counts as an original."
            ),
        },
    ],
}

_SPECIFIC = {
    "name": "Specific MOU: roles, custody transfer and information sharing",
    "kind": MouKind.SPECIFIC.value,
    "description": (
        "An operational memorandum between law enforcement, the local mental-health "
        "authority and a receiving facility: who does what when an officer meets a "
        "person in crisis, how custody passes at the facility, what information "
        "moves between them and under which rules, and the training each commits "
        "to. Draws on the Systems and Data subcommittees' findings; the "
        "confidentiality clause needs each party's counsel."
    ),
    "clauses": [
        {
            "kind": ClauseKind.PURPOSE.value,
            "heading": "Purpose",
            "body": (
                "This memorandum sets out how the parties work together in {{program}} "
                "when a person in a mental-health or substance-use crisis comes into "
                "contact with law enforcement: the role of each party, how a person is "
                "handed from an officer to the receiving facility, and how the parties "
                "share information, report on the program and train their staff.\n\n"
                "Its aims are the safety and dignity of the person in crisis, the "
                "safety of officers and staff, and an officer's quick return to "
                "patrol."
            ),
        },
        {
            "kind": ClauseKind.PARTIES.value,
            "heading": "Parties",
            "body": (
                "This memorandum is made between:\n\n{{party_list}}\n\n"
                "In it, *law enforcement* means each law enforcement agency that is a "
                "party; the *mental-health authority* means the local mental-health "
                "authority or provider that is a party; and the *receiving facility* "
                "means each crisis stabilization unit, assessment center or emergency "
                "department that is a party."
            ),
        },
        {
            "kind": ClauseKind.TERM.value,
            "heading": "Term and renewal",
            "body": (
                "This memorandum takes effect when the last party signs it and runs "
                "for one (1) year. It renews automatically for further one-year terms "
                "unless a party gives the others written notice at least sixty (60) "
                "days before the end of the current term. The Steering Committee "
                "reviews it every year and after any change in a party's services."
            ),
        },
        {
            "kind": ClauseKind.ROLES.value,
            "heading": "Roles and responsibilities",
            "body": (
                "### Law enforcement\n\n"
                "- Dispatches a CIT-trained officer to calls that involve a mental-health "
                "crisis whenever one is available, on every shift.\n"
                "- Leads on scene: secures safety, de-escalates and decides, within the "
                "law and its policies, whether the person is resolved on scene, "
                "referred, or transported to the receiving facility.\n"
                "- Prefers referral or transport to treatment over arrest when the law "
                "and public safety allow.\n"
                "- Names a CIT coordinator who is the contact for the other parties.\n\n"
                "### Mental-health authority\n\n"
                "- Trains officers and dispatchers, and provides clinicians and people "
                "with lived experience as instructors.\n"
                "- Advises officers and dispatch on available services, by phone at any "
                "hour.\n"
                "- Follows up with people referred by officers and connects them with "
                "ongoing care.\n"
                "- Names a clinical contact for the other parties.\n\n"
                "### Receiving facility\n\n"
                "- Accepts people brought by officers **24 hours a day, 7 days a week**, "
                "with no refusal on grounds of capacity, insurance, intoxication that is "
                'not a medical emergency, or the hour (a "no wrong door" entry).\n'
                "- Takes custody of the person so that the officer can return to duty "
                "within **15 minutes** of arrival.\n"
                "- Tells the law enforcement contact promptly if it cannot meet these "
                "commitments for any period, and what officers should do meanwhile."
            ),
        },
        {
            "kind": ClauseKind.CUSTODY_TRANSFER.value,
            "heading": "Custody transfer",
            "body": (
                "1. Before arriving, the officer or dispatch calls the receiving "
                "facility's officer line to say who is coming and when.\n"
                "2. On arrival the officer uses the entrance set aside for law "
                "enforcement and gives a short verbal report of what happened and of "
                "any safety concerns.\n"
                "3. The officer completes the transfer form agreed by the parties; "
                "where an emergency custody or detention order applies, the facility "
                "receives a copy of it.\n"
                "4. Facility staff acknowledge the transfer in writing. From that "
                "moment the facility is responsible for the person and the officer is "
                "free to leave.\n"
                "5. If a transfer takes longer than 15 minutes, the officer tells a "
                "supervisor, and the facility's charge nurse records the reason. The "
                "parties review delays at their regular meetings.\n\n"
                "Throughout, the person is treated with dignity: restraints are used "
                "only when safety requires them, and the person is told what is "
                "happening and why."
            ),
        },
        {
            "kind": ClauseKind.CONFIDENTIALITY.value,
            "heading": "Information sharing and confidentiality",
            "body": (
                "The parties share only the information a task needs, only with the "
                "people who need it, and only as the law allows. Each party keeps the "
                "information it receives secure and uses it only for the purposes of "
                "this memorandum.\n\n"
                "- **Health information (HIPAA).** [Counsel to insert the HIPAA "
                "provisions: the permitted disclosures relied on, for example to "
                "prevent a serious threat to health or safety or for treatment, and "
                "whether a business associate agreement is needed.]\n"
                "- **Criminal justice information (CJIS).** [Counsel to insert the "
                "provisions required by the FBI CJIS Security Policy and state rules for "
                "any criminal justice information shared with non-criminal-justice "
                "parties.]\n"
                "- **Substance-use treatment records (42 CFR Part 2).** [Counsel to "
                "insert the provisions for records of federally assisted substance-use "
                "programs, including consent and the prohibition on re-disclosure.]\n"
                "- **State law.** [Counsel to insert any state mental-health "
                "confidentiality provisions.]\n\n"
                "A party that learns of an unauthorized disclosure tells the party the "
                "information came from without delay."
            ),
        },
        {
            "kind": ClauseKind.DATA.value,
            "heading": "Data sharing and reporting",
            "body": (
                "To show whether the program is working, the parties report to the "
                "Steering Committee's Data subcommittee **every quarter**, in "
                "de-identified form that names no person:\n\n"
                "- law enforcement: the number of crisis calls, how many a CIT officer "
                "attended, and their outcome (resolved on scene, referral or transport, "
                "arrest), and injuries to anyone involved;\n"
                "- the receiving facility: the number of people brought by officers, "
                "the time from arrival to transfer, and any refusals or diversions;\n"
                "- the mental-health authority: the number of referrals from officers "
                "and how many people were connected with ongoing care.\n\n"
                "Counts smaller than [Data subcommittee to set the threshold] are not "
                "published. The committee may publish the combined figures."
            ),
        },
        {
            "kind": ClauseKind.TRAINING.value,
            "heading": "Training commitments",
            "body": (
                "- Law enforcement sends selected officers to the **40-hour CIT course** "
                "and aims to have CIT-trained officers on every shift; it also trains "
                "dispatchers to recognize crisis calls.\n"
                "- The mental-health authority and the receiving facility provide "
                "instructors, site visits and role-play actors for the course.\n"
                "- Every party takes part in **in-service training** at least once a "
                "year, including a review of the custody-transfer procedure.\n"
                "- Advocates and people with lived experience are invited to teach in "
                "every course."
            ),
        },
        {
            "kind": ClauseKind.DISPUTES.value,
            "heading": "Dispute resolution",
            "body": (
                "A problem with a single transfer or call is first taken up between "
                "the parties' named contacts within five working days. If they cannot "
                "resolve it, it goes to the CIT Steering Committee at its next "
                "meeting, and then to the heads of the parties concerned. The parties "
                "keep serving people in crisis while a dispute is resolved."
            ),
        },
        {
            "kind": ClauseKind.TERMINATION.value,
            "heading": "Termination",
            "body": (
                "A party may end its participation by giving the other parties at "
                "least sixty (60) days' written notice. During the notice period the "
                "parties agree how people in crisis will be served once the party has "
                "left. The duties of confidentiality continue after termination."
            ),
        },
        {
            "kind": ClauseKind.SIGNATURES.value,
            "heading": "Signatures",
            "body": (
                "Each person signing below confirms that they are authorized to bind "
                "the party they sign for, and that the party's legal review has been "
                "completed. The memorandum may be signed in counterparts."
            ),
        },
    ],
}

STARTER_TEMPLATES: list[dict] = [_GENERAL, _SPECIFIC]
