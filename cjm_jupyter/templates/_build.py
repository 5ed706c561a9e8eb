"""Build the template journeys from code, and write them as shipped JSON files.

The JSON files in ``cjm_jupyter/templates/data`` are what :func:`cjm_jupyter.templates.load`
reads; this module is their source. After editing a builder, regenerate the files::

    python -m cjm_jupyter.templates._build          # write data/<name>.json
    python -m cjm_jupyter.templates._build --check  # exit 1 when a file is stale

Every builder uses only the public :class:`~cjm_jupyter.Journey` API, so a template
is always a journey the API itself accepts. Ids are the slugs the API derives from
names, which keeps them readable and stable between builds.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..model import Journey

__all__ = ["BUILDERS", "COLLEEN_DESCRIPTION", "DATA_DIR", "GUIDES", "ILLUSTRATIVE", "build", "main"]

#: Folder of the shipped template files.
DATA_DIR = Path(__file__).resolve().parent / "data"

#: ``source`` of Colleen rows whose content the journey-mapping guides give.
GUIDES = "journey-mapping guides"
#: ``source`` of Colleen rows the template made up to show a full map: not in the
#: guides and not data, so always with ``basis="assumed"`` (drawn hollow).
ILLUSTRATIVE = "illustrative"


# -- generic stage frameworks ------------------------------------------------------
def _framework(
    name: str, scenario: str, stages: Sequence[tuple[str, str, Sequence[tuple[str, str, str]]]]
) -> Journey:
    """A current-state skeleton: one placeholder persona and stages with touchpoints.

    ``stages`` holds ``(stage name, description, [(touchpoint, channel, action), ...])``.
    """
    j = Journey(
        name,
        scenario=scenario,
        kind="current_state",
        description="A starting point: rename the persona, then add emotions, pain points and opportunities.",
    )
    j.add_persona(
        "Target customer",
        description="Placeholder persona: replace with the segment this map is about.",
    )
    for stage_name, description, touchpoints in stages:
        stage = j.add_stage(stage_name, description=description)
        for tp_name, channel, action in touchpoints:
            j.add_touchpoint(stage, tp_name, channel=channel, action=action)
    return j


def three_stage() -> Journey:
    """Awareness → interest → decision, the three-stage example of the guides."""
    return _framework(
        "Three-stage journey",
        "A short purchase journey: from first contact to the decision to buy.",
        [
            (
                "Awareness",
                "The customer realises a need and meets the brand.",
                [
                    ("Social media", "social", "Searches for information"),
                    ("Ads", "ads", "Searches for information"),
                ],
            ),
            (
                "Interest",
                "The customer weighs the options.",
                [
                    ("Website", "website", "Compares products"),
                    ("Reviews", "reviews", "Compares products"),
                ],
            ),
            (
                "Decision",
                "The customer chooses and buys.",
                [
                    ("Online store", "online store", "Buys"),
                    ("Offline store", "store", "Buys"),
                ],
            ),
        ],
    )


def four_stage() -> Journey:
    """Investigation → comparison → purchase → activation and feedback."""
    return _framework(
        "Four-stage journey",
        "A considered purchase that needs setting up after the sale.",
        [
            (
                "Investigation",
                "The customer looks into the problem and possible solutions.",
                [
                    ("Search engine", "search", "Searches for information"),
                    ("Blog and guides", "content", "Reads about solutions"),
                    ("Social media", "social", "Asks friends and followers"),
                ],
            ),
            (
                "Comparison",
                "The customer short-lists and compares offers.",
                [
                    ("Product pages", "website", "Compares features and prices"),
                    ("Review sites", "reviews", "Reads reviews"),
                    ("Sales chat", "chat", "Asks questions"),
                ],
            ),
            (
                "Purchase",
                "The customer orders and pays.",
                [
                    ("Checkout", "online store", "Buys"),
                    ("Order confirmation email", "email", "Checks the order"),
                ],
            ),
            (
                "Activation and feedback",
                "The customer installs, starts using the product and tells how it went.",
                [
                    ("Delivery and installation", "delivery", "Receives and sets up the product"),
                    ("Onboarding email", "email", "Learns to use the product"),
                    ("Customer-service call", "phone", "Gets help"),
                    ("Feedback survey", "survey", "Rates the experience"),
                ],
            ),
        ],
    )


def five_stage() -> Journey:
    """Awareness → consideration → purchase → retention → advocacy."""
    return _framework(
        "Five-stage journey",
        "The full customer life cycle, from first contact to recommending the brand.",
        [
            (
                "Awareness",
                "The customer meets the brand.",
                [
                    ("Search engine", "search", "Searches for information"),
                    ("Social media", "social", "Sees posts and recommendations"),
                    ("Ads", "ads", "Notices an ad"),
                ],
            ),
            (
                "Consideration",
                "The customer evaluates the offer against alternatives.",
                [
                    ("Website", "website", "Compares products"),
                    ("Reviews", "reviews", "Reads other customers' experience"),
                    ("Chatbot", "chat", "Asks quick questions"),
                ],
            ),
            (
                "Purchase",
                "The customer buys.",
                [
                    ("Online store", "online store", "Buys online"),
                    ("Physical store", "store", "Buys in a shop"),
                ],
            ),
            (
                "Retention",
                "The customer uses the product and stays.",
                [
                    ("Post-purchase service", "service", "Gets support"),
                    ("Newsletter", "email", "Reads tips and offers"),
                    ("Loyalty programme", "loyalty", "Collects rewards"),
                ],
            ),
            (
                "Advocacy",
                "The customer recommends the brand.",
                [
                    ("Review request", "email", "Writes a review"),
                    ("Referral programme", "referral", "Recommends to friends"),
                    ("Social media", "social", "Shares the experience"),
                ],
            ),
        ],
    )


# -- the worked example: Curious Colleen ----------------------------------------------
# domain.md (the project's distillation of the guides) is the reference for what the
# guides hold: the persona, her goal, struggle and tasks, five opportunities and a
# five-item action plan. Everything else below is made up so the template shows a full
# map; it says so in the map's description and, where a frame has the columns, per row
# (source=ILLUSTRATIVE, basis="assumed"), so nobody reads it as data.

#: The Colleen map's description: what comes from the guides, what is illustrative.
COLLEEN_DESCRIPTION = (
    "Worked example from the journey-mapping guides, filled out to a full map. "
    "From the guides: the persona Curious Colleen (32, married, double income, no children, "
    "self-employed with her partner, research-savvy but short on time, motivated by quality, "
    "frustrated by having to sort through content to find information), her goal (a vacuum "
    "cleaner that won't break again), her struggle (the old one broke; she blames poor quality), "
    "her tasks (research vacuum cleaners, buy one, have it delivered), the five opportunities, "
    "the five-item action plan and the touchpoint optimisations (SEO and quality content; "
    "a clear website; fewer checkout steps and more payment options). "
    "Illustrative, not from the guides and not data: the persona's location, behaviour, needs "
    "and channels; the Trigger and Use stages, the touchpoints' owners and their events; the emotion curve "
    "and its quotes; the pain points' ratings and evidence; every metric and KPI target; the "
    "Backstage and KPIs lanes; the action plan's owners, statuses and due dates. "
    "Rows from the guides have source 'journey-mapping guides', illustrative rows source "
    "'illustrative'; all have basis 'assumed' (drawn hollow) until you measure the map on "
    "your own data."
)
_COLLEEN = dict(
    description=(
        "32, married, double income, no children; self-employed with her partner. "
        "Research-savvy but short on time."
    ),
    avatar="👩",
    age="32",
    gender="female",
    location="City suburb",
    income="Double income, no children",
    occupation="Self-employed, runs a business with her partner",
    psychographics="Research-savvy but short on time; values quality over a low price",
    behaviour=(
        "Researches online before buying; reads reviews; buys durable goods rarely, mid-to-high order value"
    ),
    goals="A new vacuum cleaner that won't break again",
    needs="Key facts and benefits at a glance; trustworthy social proof; a simple purchase and delivery",
    motivations="Quality",
    frustrations=(
        "Having to sort through content to find information; "
        "her old vacuum cleaner broke and she blames its poor quality"
    ),
    channels="Search engine, brand websites, review sites, social media, online store",
)

# (stage, description, [(touchpoint, channel, action, optimisation, owner), ...])
_COLLEEN_STAGES: list[tuple[str, str, list[tuple[str, str, str, str | None, str | None]]]] = [
    (
        "Trigger",
        "The old vacuum cleaner breaks; Colleen blames its poor quality.",
        [("Old vacuum cleaner breaks", "product", "Decides to buy a better one", None, None)],
    ),
    (
        "Research",
        "Colleen researches vacuum cleaners between work tasks.",
        [
            (
                "Search engine",
                "search",
                "Searches for information",
                "Improve SEO; answer 'which vacuum lasts' queries with quality content",
                "Marketing",
            ),
            (
                "Brand website",
                "website",
                "Reads product pages",
                "Clear information hierarchy; benefits first; faster load",
                "E-commerce",
            ),
            ("Review sites", "reviews", "Compares products", "Collect and show more reviews", "CX research"),
            (
                "Social media",
                "social",
                "Looks for real users' opinions",
                "User-generated content",
                "Social media",
            ),
        ],
    ),
    (
        "Purchase",
        "Colleen chooses a model and buys it online.",
        [
            (
                "Product page",
                "online store",
                "Chooses a model",
                "Comparison chart against competitors",
                "E-commerce",
            ),
            ("Checkout", "online store", "Buys", "Fewer steps; more payment options", "E-commerce"),
        ],
    ),
    (
        "Delivery",
        "The vacuum cleaner is delivered.",
        [
            ("Order confirmation email", "email", "Checks the order", None, "E-commerce"),
            ("Delivery tracking", "website", "Tracks the parcel", "Delivery-slot choice", "Logistics"),
        ],
    ),
    (
        "Use",
        "Colleen uses the new vacuum cleaner and decides whether it was worth it.",
        [
            ("First use", "product", "Unboxes and tries it", None, "Product"),
            (
                "Review request email",
                "email",
                "Rates the product",
                "Short review-collection survey",
                "CX research",
            ),
        ],
    ),
]


#: Web-analytics events of each Colleen touchpoint (the map's ``event_map``), so
#: the template can be measured on a log (see ``analytics.make_events``).
_COLLEEN_EVENTS: dict[str, tuple[str, ...]] = {
    "Old vacuum cleaner breaks": ("repair_page_view",),
    "Search engine": ("search_click", "search_ad_click"),
    "Brand website": ("home_view", "category_view"),
    "Review sites": ("review_site_referral",),
    "Social media": ("social_referral",),
    "Product page": ("product_view", "spec_tab_view"),
    "Checkout": ("cart_view", "checkout_start", "order_placed"),
    "Order confirmation email": ("confirmation_email_open",),
    "Delivery tracking": ("tracking_view",),
    "First use": ("product_registration",),
    "Review request email": ("review_email_open", "review_submitted"),
}


def _colleen_base(
    name: str, *, kind: str, scenario: str, description: str
) -> tuple[Journey, str, dict[str, str], dict[str, str]]:
    """Persona, stages and touchpoints shared by the current- and future-state maps.

    Returns the journey, the persona id, stage ids by name and touchpoint ids by name.
    """
    j = Journey(name, scenario=scenario, kind=kind, description=description)
    # The persona is the guides' (a few fields illustrative, as the description says);
    # a persona from a guide is not made from anyone's customer data: assumed.
    persona = j.add_persona("Curious Colleen", **_COLLEEN, source=GUIDES, basis="assumed")
    stages: dict[str, str] = {}
    tps: dict[str, str] = {}
    for stage_name, stage_description, touchpoints in _COLLEEN_STAGES:
        stage = stages[stage_name] = j.add_stage(stage_name, description=stage_description)
        for tp_name, channel, action, optimisation, owner in touchpoints:
            tps[tp_name] = j.add_touchpoint(
                stage, tp_name, channel=channel, action=action, optimisation=optimisation, owner=owner
            )
    for tp_name, events in _COLLEEN_EVENTS.items():
        j.map_events(tps[tp_name], events)
    return j, persona, stages, tps


def colleen() -> Journey:
    """The worked example of the guides as a full current-state map."""
    j, p, st, tp = _colleen_base(
        "Curious Colleen buys a vacuum cleaner",
        kind="current_state",
        scenario=(
            "Fix a known CX problem: research-savvy shoppers leave the site before buying "
            "because they cannot find the benefits fast."
        ),
        description=COLLEEN_DESCRIPTION,
    )
    _colleen_curve(j, p, st, tp)
    pains = _colleen_pain_points(j, p, st, tp)
    _colleen_plan(j, st, tp, pains)
    _colleen_numbers(j, st, tp)
    return j


def _colleen_curve(j: Journey, p: str, st: dict[str, str], tp: dict[str, str]) -> None:
    """Add the emotion curve: illustrative, the guides have no curve and no quotes.

    Every point is ``source=ILLUSTRATIVE``, ``basis="assumed"`` and has no ``n``:
    no interview or survey stands behind it, so the map draws it hollow.
    """
    curve: list[tuple[str | None, str | None, float, str, str]] = [
        (st["Trigger"], None, -2, "frustrated", "It broke again. I knew it was cheap junk."),
        (None, tp["Search engine"], -1, "overwhelmed",
         "Hundreds of results and they all say 'best vacuum 2025'."),
        (None, tp["Brand website"], -1.5, "impatient",
         "I don't have time to read all this — just tell me why it won't break."),
        # fourth, where a second brand-website point was: the other points keep their ids
        (None, tp["Order confirmation email"], -0.5, "unsure",
         "It says 'confirmed', but when does it arrive?"),
        (None, tp["Review sites"], 0.5, "reassured", "Other people had theirs for five years, good sign."),
        (None, tp["Social media"], 0, "indifferent", "Mostly ads, not real users."),
        (None, tp["Product page"], -1, "unsure", "How is this one different from the cheaper model?"),
        (None, tp["Checkout"], 0.5, "relieved", "Done, finally."),
        (None, tp["Delivery tracking"], 1, "calm", "It arrives tomorrow."),
        (None, tp["First use"], 2, "delighted", "Wow, it picks up everything — and it feels solid."),
    ]  # fmt: skip
    for stage, touchpoint, score, feeling, thought in curve:
        j.set_emotion(
            p,
            stage=stage,
            touchpoint=touchpoint,
            score=score,
            feeling=feeling,
            thought=thought,
            source=ILLUSTRATIVE,
            basis="assumed",
        )


def _colleen_pain_points(j: Journey, p: str, st: dict[str, str], tp: dict[str, str]) -> dict[str, str]:
    """Add the pain points; return their ids by a short key.

    Two are the guides' (Colleen's frustration and her struggle); the others are
    illustrative, each the problem behind one of the guides' opportunities, with an
    example of the evidence a team would collect. Severity and frequency are
    illustrative ratings throughout. None is data: all ``basis="assumed"``.
    """
    guides = {"source": GUIDES, "basis": "assumed"}
    illustrative = {"source": ILLUSTRATIVE, "basis": "assumed"}
    content = j.add_pain_point(
        "Has to sort through too much content to find the key facts",
        touchpoint=tp["Brand website"],
        persona=p,
        severity=4,
        frequency=5,
        evidence="The guides: frustrated by having to sort through content to find information",
        **guides,
    )
    benefits = j.add_pain_point(
        "Benefits of each model are not obvious",
        touchpoint=tp["Product page"],
        persona=p,
        severity=4,
        frequency=4,
        evidence="Illustrative: a usability test where 5 of 6 could not name a key benefit within 30 s",
        **illustrative,
    )
    compare = j.add_pain_point(
        "No easy way to compare models with competitors",
        stage=st["Research"],
        persona=p,
        severity=3,
        frequency=4,
        evidence="Illustrative: competitor reviews and social listening asking for comparison charts",
        **illustrative,
    )
    answers = j.add_pain_point(
        "Cannot get quick answers to simple questions",
        stage=st["Purchase"],
        persona=p,
        severity=3,
        frequency=3,
        evidence="Illustrative: support tickets with pre-sales questions",
        **illustrative,
    )
    trust = j.add_pain_point(
        "Doubts that the new one will last longer than the old one",
        stage=st["Trigger"],
        persona=p,
        severity=5,
        frequency=3,
        evidence="The guides: her old vacuum cleaner broke and she blames its poor quality",
        **guides,
    )
    j.add_pain_point(
        "Checkout asks for an account before payment",
        touchpoint=tp["Checkout"],
        severity=3,
        frequency=4,
        evidence="Illustrative: cart abandonment in web analytics",
        **illustrative,
    )
    return {"content": content, "benefits": benefits, "compare": compare, "answers": answers, "trust": trust}


def _colleen_plan(j: Journey, st: dict[str, str], tp: dict[str, str], pains: dict[str, str]) -> None:
    """Add the five opportunities of the worked example and the five-item action plan."""
    # The five opportunities of the worked example.
    fast = j.add_opportunity(
        "Make benefits obvious fast",
        touchpoint=tp["Product page"],
        pain_point=pains["benefits"],
        impact=5,
        effort=2,
    )
    proof = j.add_opportunity(
        "Show social proof", stage=st["Research"], pain_point=pains["trust"], impact=4, effort=2
    )
    j.add_opportunity(
        "Restructure site information hierarchy",
        touchpoint=tp["Brand website"],
        pain_point=pains["content"],
        impact=4,
        effort=4,
    )
    service = j.add_opportunity(
        "Customer-service tools", stage=st["Purchase"], pain_point=pains["answers"], impact=3, effort=3
    )
    charts = j.add_opportunity(
        "Comparison charts against competitors",
        stage=st["Research"],
        pain_point=pains["compare"],
        impact=4,
        effort=3,
    )

    # The five-item action plan, worded as in the guides. The actions frame has no
    # source column: COLLEEN_DESCRIPTION says the owners, statuses and dates are illustrative.
    j.add_action(
        "Add a chatbot for quick answers",
        owner="Customer service",
        status="in_progress",
        due="2026-03-31",
        opportunity=service,
        stage=st["Purchase"],
    )
    j.add_action(
        "Build a comparison tool with benefits and costs",
        owner="E-commerce",
        status="planned",
        due="2026-06-30",
        opportunity=charts,
        stage=st["Research"],
    )
    j.add_action(
        "Put benefit statements on all landing pages",
        owner="Marketing",
        status="in_progress",
        due="2026-02-28",
        opportunity=fast,
        stage=st["Research"],
    )
    j.add_action(
        "Run a social campaign on user-generated content",
        owner="Social media",
        status="planned",
        due="2026-05-31",
        opportunity=proof,
        stage=st["Research"],
    )
    j.add_action(
        "Send review-collection surveys after purchase and pull testimonial quotes from them for the site",
        owner="CX research",
        status="done",
        due="2026-01-15",
        opportunity=proof,
        stage=st["Use"],
    )


def _colleen_numbers(j: Journey, st: dict[str, str], tp: dict[str, str]) -> None:
    """Add the metrics lane, two custom lanes and the goals of the KPIs lane: all illustrative.

    The guides give no numbers. The values show what a metrics lane and a scorecard
    look like; they carry no sample size (nothing was counted), ``source=ILLUSTRATIVE``
    and ``basis="assumed"``, until ``Journey.measure`` adds measured rows beside them.
    """
    # The quantitative lane.
    illustrative = {"source": ILLUSTRATIVE, "basis": "assumed"}
    j.add_metric("Bounce rate", 68.0, touchpoint=tp["Brand website"], unit="%", **illustrative)
    j.add_metric("Conversion rate", 1.8, stage=st["Purchase"], unit="%", **illustrative)
    j.add_metric("Cart abandonment", 74.0, touchpoint=tp["Checkout"], unit="%", **illustrative)
    j.add_metric("Average order value", 249.0, stage=st["Purchase"], unit="€", **illustrative)
    j.add_metric("CSAT", 3.9, stage=st["Use"], unit="1-5", **illustrative)

    j.add_lane(
        "Backstage",
        {
            st["Research"]: "SEO and content team; product data kept in the PIM",
            st["Purchase"]: "Payment provider; fraud checks",
            st["Delivery"]: "Warehouse picks within 24 h; courier partner",
            st["Use"]: "Warranty registration; support desk",
        },
    )
    j.add_lane(
        "KPIs",
        {
            st["Research"]: "Bounce rate < 50%",
            st["Purchase"]: "Conversion rate > 3%",
            st["Use"]: "CSAT ≥ 4.3",
        },
    )
    # The KPIs lane as goals: each names the metric it is about, where that metric
    # is measured (the bounce rate on the brand website, in the Research stage).
    goals = [
        ("Bounce rate", 50.0, "<", "%", {"touchpoint_id": tp["Brand website"]}),
        ("Conversion rate", 3.0, ">", "%", {"stage_id": st["Purchase"]}),
        ("CSAT", 4.3, ">=", "1-5", {"stage_id": st["Use"]}),
    ]
    for name, target, comparison, unit, place in goals:
        j.add(
            "goals",
            name=name,
            target=target,
            comparison=comparison,
            unit=unit,
            description="Illustrative target (not from the guides)",
            **place,
        )


def colleen_future() -> Journey:
    """The Colleen map as the company wants it: the action plan delivered."""
    j, p, st, tp = _colleen_base(
        "Curious Colleen buys a vacuum cleaner (future state)",
        kind="future_state",
        scenario="The target journey once the action plan is delivered; compare it with the current state.",
        description=(
            "Future-state counterpart of the 'colleen' template; same persona, stages and ids. "
            "Illustrative: the guides have no future state. The new touchpoints deliver the guides' "
            "action plan; the emotions and the pain point are made-up design goals (source "
            "'illustrative') and the metrics are targets (source 'target'), all basis 'assumed'."
        ),
    )
    comparison = j.add_touchpoint(
        st["Research"],
        "Comparison tool",
        channel="website",
        action="Compares models side by side",
        owner="E-commerce",
        position=2,
    )
    ugc = j.add_touchpoint(
        st["Research"],
        "User-generated content",
        channel="social",
        action="Sees real owners' videos",
        owner="Social media",
    )
    chatbot = j.add_touchpoint(
        st["Purchase"],
        "Chatbot",
        channel="chat",
        action="Gets quick answers",
        owner="Customer service",
        position=1,
    )
    j.map_events(comparison, "comparison_view")
    j.map_events(ugc, "ugc_video_view")
    j.map_events(chatbot, ("chat_open", "chat_message"))
    # Target emotions are made-up design goals (no team workshop behind them): assumed.
    for place, score, feeling, thought in [
        ({"stage": st["Trigger"]}, -2, "frustrated", "It broke again."),
        ({"touchpoint": tp["Search engine"]}, 0, "focused", "The brand's guide answers exactly my question."),
        ({"touchpoint": tp["Brand website"]}, 1, "informed", "Three benefits, right at the top. Good."),
        ({"touchpoint": comparison}, 1.5, "confident", "Now I see why it costs more — and lasts."),
        (
            {"touchpoint": tp["Review sites"]},
            1,
            "convinced",
            "Hundreds of verified reviews, most after years of use.",
        ),
        ({"touchpoint": ugc}, 1, "reassured", "Real people, real homes."),
        ({"touchpoint": tp["Product page"]}, 1, "sure", "This is the one."),
        ({"touchpoint": chatbot}, 1, "helped", "Got my answer in a minute."),
        ({"touchpoint": tp["Checkout"]}, 1, "relieved", "Guest checkout, two steps."),
        ({"touchpoint": tp["Delivery tracking"]}, 1.5, "calm", "I picked the slot myself."),
        ({"touchpoint": tp["First use"]}, 2, "delighted", "Exactly as promised."),
    ]:
        j.set_emotion(
            p,
            stage=place.get("stage"),
            touchpoint=place.get("touchpoint"),
            score=score,
            feeling=feeling,
            thought=thought,
            source=ILLUSTRATIVE,
            basis="assumed",
        )

    j.add_pain_point(
        "Still has to wait for the courier at home",
        touchpoint=tp["Delivery tracking"],
        persona=p,
        severity=2,
        frequency=3,
        evidence="Illustrative: expected to remain after the plan",
        source=ILLUSTRATIVE,
        basis="assumed",
    )
    j.add_opportunity("Offer pick-up points", touchpoint=tp["Delivery tracking"], impact=2, effort=3)

    # Targets, not measurements: the source says so and the basis is set explicitly.
    j.add_metric(
        "Bounce rate", 45.0, touchpoint=tp["Brand website"], unit="%", source="target", basis="assumed"
    )
    j.add_metric("Conversion rate", 3.0, stage=st["Purchase"], unit="%", source="target", basis="assumed")
    j.add_metric(
        "Cart abandonment", 55.0, touchpoint=tp["Checkout"], unit="%", source="target", basis="assumed"
    )
    j.add_metric("CSAT", 4.4, stage=st["Use"], unit="1-5", source="target", basis="assumed")
    j.add_lane(
        "Backstage",
        {
            st["Research"]: "Comparison data fed from the PIM; UGC moderated weekly",
            st["Purchase"]: "Chatbot trained on support FAQs; guest checkout",
            st["Delivery"]: "Delivery-slot booking with the courier",
            st["Use"]: "Review survey 14 days after delivery",
        },
    )
    return j


def empathy() -> Journey:
    """An empathy map of Curious Colleen: says, thinks, does, feels."""
    j = Journey(
        "Empathy map: Curious Colleen",
        scenario="Understand what drives Colleen when she replaces her vacuum cleaner.",
        kind="empathy_map",
        description="Not ordered in time: four quadrants from interviews and the team's workshop.",
    )
    p = j.add_persona("Curious Colleen", **_COLLEEN)
    entries = [
        ("says", "I want one that won't break again.", "interview"),
        ("says", "Just tell me the three things that matter.", "interview"),
        ("says", "I trust reviews more than ads.", "interview"),
        ("thinks", "The cheap one was a false economy.", "interview"),
        ("thinks", "I don't have time to read ten comparison articles.", "interview"),
        ("thinks", "Are these reviews even real?", "workshop"),
        ("does", "Reads reviews and watches owners' videos", "interview"),
        ("does", "Opens many tabs, then gives up when it takes too long", "analytics"),
        ("does", "Asks her partner and friends for recommendations", "workshop"),
        ("feels", "Frustrated that the old one broke", "interview"),
        ("feels", "Overwhelmed by the amount of content", "interview"),
        ("feels", "Relieved once she finds a trustworthy answer", "workshop"),
    ]
    for quadrant, text, source in entries:
        j.add_empathy(p, quadrant, text, source=source)
    return j


def day_in_the_life() -> Journey:
    """A day of Colleen, with the moments where the brand is (or could be) part of it."""
    j = Journey(
        "A day in the life of Curious Colleen",
        scenario="Find moments in Colleen's day where the brand can help without taking her time.",
        kind="day_in_the_life",
        description="Everything Colleen does in a working day, with and without the brand.",
    )
    p = j.add_persona("Curious Colleen", **_COLLEEN)
    day: list[tuple[str, str, float, str, list[tuple[str, str, str, bool]]]] = [
        (
            "Morning",
            "07:00-09:00",
            0.5,
            "rushed",
            [
                ("Alarm and news on the phone", "phone", "Scrolls headlines in bed", False),
                ("Coffee and inbox", "email", "Skims the brand newsletter", True),
                ("Quick tidy-up", "product", "Vacuums the hallway before clients call", True),
            ],
        ),
        (
            "Work",
            "09:00-12:30",
            -0.5,
            "busy",
            [
                ("Client calls", "phone", "Works with her partner on client projects", False),
                ("Between tasks", "social", "Sees a user video about the vacuum on social media", True),
            ],
        ),
        (
            "Lunch",
            "12:30-13:30",
            1,
            "relaxed",
            [
                ("Lunch at home", "offline", "Eats with her partner", False),
                ("Reads reviews", "reviews", "Looks up a product a friend mentioned", True),
            ],
        ),
        (
            "Afternoon",
            "13:30-18:00",
            -1,
            "tired",
            [
                ("Admin and invoices", "website", "Does the bookkeeping", False),
                ("Parcel arrives", "delivery", "Receives an order from the online store", True),
            ],
        ),
        (
            "Evening",
            "18:00-22:30",
            1,
            "content",
            [
                ("Cooking and cleaning", "product", "Cleans the kitchen floor after dinner", True),
                ("Series and chat", "social", "Chats with friends about home gadgets", False),
            ],
        ),
    ]
    for stage_name, hours, score, feeling, activities in day:
        stage = j.add_stage(stage_name, description=hours)
        for name, channel, action, with_brand in activities:
            j.add_touchpoint(stage, name, channel=channel, action=action, with_brand=with_brand)
        j.set_emotion(p, stage=stage, score=score, feeling=feeling, source="workshop")
    st = dict(zip(j.stages["name"], j.stages["id"], strict=True))
    j.add_lane(
        "Without the brand",
        {
            st["Morning"]: "Phone, news, coffee",
            st["Work"]: "Client work; no time for chores",
            st["Lunch"]: "Lunch with her partner",
            st["Afternoon"]: "Admin; errands",
            st["Evening"]: "Cooking, cleaning, series",
        },
    )
    j.add_lane(
        "With the brand",
        {
            st["Morning"]: "Newsletter with a two-minute cleaning tip",
            st["Work"]: "Owner videos in her social feed",
            st["Lunch"]: "Reviews she trusts, one tap away",
            st["Afternoon"]: "Delivery in the slot she chose",
            st["Evening"]: "The vacuum that makes cleaning quick",
        },
    )
    return j


#: Template builders by name, in the order :func:`cjm_jupyter.templates.names` lists them.
BUILDERS: dict[str, Callable[[], Journey]] = {
    "three_stage": three_stage,
    "four_stage": four_stage,
    "five_stage": five_stage,
    "colleen": colleen,
    "colleen_future": colleen_future,
    "empathy": empathy,
    "day_in_the_life": day_in_the_life,
}


def build(name: str) -> Journey:
    """Build the template ``name`` from code (a new journey on every call).

    Raises
    ------
    ValueError
        ``name`` is not a template.
    """
    try:
        builder = BUILDERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown template {name!r}; known: {', '.join(BUILDERS)}") from None
    built = builder()
    # A template is content, not an edit: made again from its parts it has no
    # updated_at (building it stamped one), so every build is the same file.
    meta = {k: v for k, v in built.meta.items() if k != "updated_at"}
    return Journey(frames=built.frames, **meta)


def main(argv: Sequence[str] | None = None) -> int:
    """Write every template to ``data/<name>.json`` (or, with ``--check``, compare)."""
    parser = argparse.ArgumentParser(
        prog="python -m cjm_jupyter.templates._build", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a shipped file differs from a fresh build"
    )
    parser.add_argument(
        "--out", type=Path, default=DATA_DIR, help="output folder (default: the package's data folder)"
    )
    args = parser.parse_args(argv)
    stale = []
    args.out.mkdir(parents=True, exist_ok=True)
    for name in BUILDERS:
        journey = build(name)
        path = args.out / f"{name}.json"
        if args.check:
            from ..io import read_json

            if not path.exists() or not read_json(path).equals(journey):
                stale.append(name)
            continue
        journey.to_json(path)
        print(f"wrote {path}")
    if stale:
        print(
            f"stale templates: {', '.join(stale)}; run python -m cjm_jupyter.templates._build",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
