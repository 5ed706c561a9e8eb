"""The journey model: frame specs, validation, change events and :class:`Journey`."""

from .events import Change
from .fields import NOT_GIVEN, NotGiven
from .journey import Journey
from .specs import EMOTION_SCALE, FRAME_NAMES, FRAMES

# NOT_GIVEN / NotGiven: the default (and its type) of the keywords that may leave a cell as
# it is (Journey.update_*, personas.persona_from_segment): public, as they are in signatures
__all__ = ["Change", "EMOTION_SCALE", "FRAMES", "FRAME_NAMES", "Journey", "NOT_GIVEN", "NotGiven"]
