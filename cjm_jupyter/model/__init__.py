"""The journey model: frame specs, validation, change events and :class:`Journey`."""

from .events import Change
from .journey import Journey
from .specs import EMOTION_SCALE, FRAME_NAMES, FRAMES

__all__ = ["Change", "EMOTION_SCALE", "FRAMES", "FRAME_NAMES", "Journey"]
