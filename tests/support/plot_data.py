"""Data the plot tests share: hostile segment profiles and a wide journey."""

from __future__ import annotations

import pandas as pd

from cjm_jupyter import Journey

EVIL = "<script>alert(1)</script>"


IMG = "<img src=x onerror=alert(2)>"


def profile() -> pd.DataFrame:
    """Two segments x three columns, as segment_customers' profile frame."""
    rows = []
    for seg, size, share, sign in (("Bargain", 600, 0.6, 1.0), (EVIL, 400, 0.4, -1.0)):
        for rank, (col, kind, typical, sv, rv, eff) in enumerate(
            (
                ("age", "numeric", "34", 35.2, 47.9, -0.9),
                ("device", "categorical", IMG, 0.81, 0.32, 0.49),
                ("orders", "numeric", "6", 6.4, 2.1, 1.3),
            ),
            start=1,
        ):
            rows.append(
                {"segment": seg, "size": size, "share": share, "column": col, "kind": kind,
                 "typical": typical, "segment_value": sv, "rest_value": rv,
                 "effect_size": sign * eff, "rank": rank}
            )  # fmt: skip
    return pd.DataFrame(rows)


STAGES = [
    "Awareness",
    "Research",
    "Comparison",
    "Consideration",
    "Purchase",
    "Payment",
    "Delivery",
    "Onboarding",
    "First use",
    "Support",
    "Renewal",
    "Advocacy",
]


TOUCHPOINTS = [
    "Search engine results",
    "Brand website",
    "Product comparison page",
    "Customer reviews",
    "Social media post",
    "Newsletter signup",
    "Order confirmation email",
    "Delivery tracking page",
    "Customer service chat",
    "Returns portal",
    "Mobile app notification",
    "Loyalty programme",
    "Personalised recommendations",
    "In-store pickup",
    "Payment information form",
    "Account registration",
    "Warranty registration",
    "Satisfaction survey",
    "Help centre article",
    "Referral invitation",
]


THOUGHTS = [
    "I don't have time to read all this — just tell me why it won't break.",
    "Why do I have to create an account before I can see the delivery costs?",
    "The tracking information says delivered but nothing arrived at my door.",
    "Finally, the comparison shows exactly what I need to know.",
]


def wide_journey(n_stages: int = 12, per_stage: int = 20) -> Journey:
    """A 12-stage x 20-touchpoint journey with realistic names and texts."""
    j = Journey("Wide journey: every channel of a subscription business", scenario="Renewing a plan")
    persona = j.add_persona("Busy Bob")
    for s in range(n_stages):
        stage = j.add_stage(STAGES[s % len(STAGES)])
        for t in range(per_stage):
            name = TOUCHPOINTS[(s + t) % len(TOUCHPOINTS)]
            tp = j.add_touchpoint(stage, name, channel=["web", "email", "app", "store"][t % 4], action=name)
            if t % 3 == 0:
                j.set_emotion(
                    persona,
                    touchpoint=tp,
                    score=float((s + t) % 5 - 2),
                    thought=THOUGHTS[(s + t) % len(THOUGHTS)],
                    source="interview",
                )
            if t % 5 == 0:
                j.add_pain_point(
                    "Restructure the information architecture of the help centre",
                    touchpoint=tp,
                    severity=1 + (s + t) % 5,
                )
    return j
