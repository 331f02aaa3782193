"""The CIT model's roadmap: the five phases and their steps, from the University of
Memphis CIT Center's implementation toolkit."""

# (phase key, phase name, [(task key, title, measure key)])
ROADMAP = [
    (
        "foundation",
        "Lay the foundation",
        [
            ("learn-model", "Learn about the CIT model", ""),
            ("contact-program", "Contact an existing CIT program", ""),
            ("review-core-elements", "Review the CIT Core Elements", ""),
            ("meet-stakeholders", "Meet stakeholders", ""),
            ("host-meeting", "Host a community meeting", ""),
            ("share-information", "Share information (fact sheets, news)", ""),
            ("shared-goals", "Begin a dialogue to set shared goals", ""),
        ],
    ),
    (
        "commit",
        "Commit",
        [
            ("formalize-committee", "Formalize a Steering Committee", "committee_core_partners"),
            ("select-chair", "Select a chair", "committee_chair"),
            ("seek-funding", "Seek funding", ""),
            (
                "influential-stakeholders",
                "Include influential stakeholders and agency executives",
                "",
            ),
            ("consult-experts", "Consult experts", ""),
            ("assess-needs", "Assess strengths and needs (e.g. Sequential Intercept Model)", ""),
        ],
    ),
    (
        "plan",
        "Make a plan",
        [
            (
                "designate-coordinators",
                "Designate law-enforcement and community CIT coordinators",
                "cit_coordinators",
            ),
            ("site-visit-delegation", "Pick a delegation to visit another program", ""),
            ("choose-host-site", "Choose the host site", ""),
            ("report-current-system", "Report on the current crisis system", ""),
            ("report-site-visit", "Report on the site visit", ""),
            ("develop-timeline", "Develop a timeline", ""),
            (
                "create-subcommittees",
                "Create subcommittees (Systems, Data, Training)",
                "subcommittees_balanced",
            ),
            ("broaden-representation", "Broaden representation", "partners_engaged"),
            ("subcommittee-reports", "Subcommittee reports", "subcommittee_reports"),
        ],
    ),
    (
        "implement",
        "Implement",
        [
            ("develop-memorandum", "Develop a memorandum of understanding", "mou_parties_signed"),
            ("develop-policies", "Develop policies", ""),
            ("recruit-trainers", "Recruit trainers", ""),
            ("select-officers", "Select officers", ""),
            ("adapt-curriculum", "Adapt the curriculum", ""),
            ("train-the-trainer", "Attend a train-the-trainer", ""),
            ("hold-training", "Hold training", ""),
            ("plan-media", "Plan for media attention", ""),
        ],
    ),
    (
        "sustain",
        "Sustain & expand",
        [
            ("meet-regularly", "Meet regularly", "meets_regularly"),
            ("public-awareness", "Raise public awareness", ""),
            ("recognize-service", "Recognize good service", ""),
            ("ongoing-training", "Plan ongoing (in-service) training", ""),
            ("network", "Network with other communities", ""),
            (
                "expand-partnerships",
                "Expand partnerships (corrections, EMS, probation, youth, veterans)",
                "",
            ),
        ],
    ),
]

# Implement tasks that wait on others, as the toolkit orders them.
DEPENDENCIES = {
    "hold-training": [
        "adapt-curriculum",
        "train-the-trainer",
        "select-officers",
        "recruit-trainers",
    ],
    "train-the-trainer": ["recruit-trainers"],
    "plan-media": ["develop-memorandum"],
}
