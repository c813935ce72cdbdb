import pytest

from ai_gateway.safety import PupilReplyChecker, PupilRiskDetector, SafeguardingCaseworkDetector, SafetySettings


@pytest.fixture(scope="session")
def settings() -> SafetySettings:
    return SafetySettings()


@pytest.fixture(scope="session")
def casework(settings: SafetySettings) -> SafeguardingCaseworkDetector:
    return SafeguardingCaseworkDetector(settings)


@pytest.fixture(scope="session")
def pupil(settings: SafetySettings) -> PupilRiskDetector:
    return PupilRiskDetector(settings)


@pytest.fixture(scope="session")
def replies(settings: SafetySettings) -> PupilReplyChecker:
    return PupilReplyChecker(settings)
