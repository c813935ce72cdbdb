"""Offline safety checks: staff safeguarding casework, pupil risk and forbidden requests, pupil answers.

Rules are data (YAML lexicons in data/), every decision carries the cues that triggered it and a score,
and thresholds live in SafetySettings. No network, no model downloads, no PyTorch.
"""

from .casework import CaseworkVerdict, SafeguardingCaseworkDetector
from .pupil_risk import ALERT_CATEGORIES, REFUSE_CATEGORIES, PupilRiskDetector, PupilRiskVerdict
from .reply import PupilReplyChecker, ReplyVerdict
from .settings import SafetySettings

__all__ = [
    "ALERT_CATEGORIES",
    "REFUSE_CATEGORIES",
    "CaseworkVerdict",
    "PupilReplyChecker",
    "PupilRiskDetector",
    "PupilRiskVerdict",
    "ReplyVerdict",
    "SafeguardingCaseworkDetector",
    "SafetySettings",
]
