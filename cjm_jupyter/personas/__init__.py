"""Personas from data: segment customers, profile the segments, turn one into a persona, check personas.

``import cjm_jupyter`` does not import this package; scikit-learn and scipy
are imported on first use (``pip install "cjm_jupyter[personas]"``).

segment_customers
    k-means segments of a mixed-type customer table with a profile per segment.
behavioural_segments
    The same on how customers moved through a journey (``customer_profiles``).
persona_from_segment
    A persona card filled with a segment's measured facts (``Journey.add_persona_from_segment``).
validate_personas
    Coverage, overlap and trait distance of hand-made personas given as rules.
make_customers
    A seeded customer table with planted segments.
"""

from .behaviour import BEHAVIOUR_FEATURES, DEFAULT_FEATURES, behavioural_segments
from .cards import persona_from_segment
from .profile import profile_segments
from .sample import make_customers
from .segment import SegmentResult, segment_customers
from .validate import PersonaCheck, validate_personas

__all__ = [
    "segment_customers",
    "SegmentResult",
    "profile_segments",
    "behavioural_segments",
    "BEHAVIOUR_FEATURES",
    "DEFAULT_FEATURES",
    "persona_from_segment",
    "validate_personas",
    "PersonaCheck",
    "make_customers",
]
