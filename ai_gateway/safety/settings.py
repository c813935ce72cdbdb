"""Thresholds for the offline safety checks; a school may override any of them in its config."""

from pathlib import Path

from pydantic import BaseModel, Field

DATA_DIR = Path(__file__).parent / "data"


class SafetySettings(BaseModel):
    """Scores are sums of the weights in the lexicon files; a decision is a score reaching its threshold."""

    data_dir: Path = Field(default=DATA_DIR, description="folder holding the YAML lexicons")

    # Staff: safeguarding casework about a specific child.
    casework_threshold: float = Field(default=3.0, description="subject + concern + action - framing")
    casework_min_subject: float = Field(default=1.0, description="how sure we must be a real child is meant")
    casework_min_concern: float = Field(default=1.0, description="how much safeguarding content is needed")

    # Pupils: risk disclosures raise a DSL alert; forbidden requests are refused.
    pupil_alert_threshold: float = Field(default=2.0)
    pupil_high_severity: float = Field(default=3.5)
    pupil_refuse_threshold: float = Field(default=2.0)
    # Younger children write less; the same words count a little more from them.
    young_child_boost: float = Field(default=0.3)
    # A word model trained on the project's own examples may add weight to a category, but only when a rule cue
    # has already fired (some score >= pupil_word_model_gate) and the model is this sure.
    pupil_word_model: bool = Field(default=True, description="use data/pupil_risk_word_model.json as a second signal")
    pupil_word_model_probability: float = Field(default=0.97)
    pupil_word_model_weight: float = Field(default=2.0)
    pupil_word_model_gate: float = Field(default=0.5)

    # Pupil answers: a reply scoring this much in any category is withheld.
    reply_threshold: float = Field(default=2.0)

    # Semantic model: all-MiniLM-L6-v2 sentence embeddings (numpy, no PyTorch) + logistic heads trained on the
    # project's own examples (data/semantic_heads.json). A check fires when its rules fire OR the model is this sure.
    # A threshold left at None uses the one chosen on the held-out split at training time (stored with the heads).
    semantic_model: bool = Field(default=True, description="use the sentence encoder and semantic heads")
    semantic_heads: Path | None = Field(default=None, description="heads file; None: data_dir/semantic_heads.json")
    semantic_model_required: bool = Field(
        default=True,
        description="if the model cannot load: True raises EncoderUnavailable (fail closed); False runs on rules alone",
    )
    casework_model_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    casework_model_framed_threshold: float = Field(
        default=0.9, ge=0.0, le=1.0, description="model-only block when the rules read fictional/blank/generic framing"
    )
    casework_model_no_concern_threshold: float = Field(
        default=0.95, ge=0.0, le=1.0, description="model-only block when the rules find no safeguarding concern"
    )
    pupil_alert_model_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    pupil_forbidden_model_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    pupil_model_joking_threshold: float = Field(default=0.9, ge=0.0, le=1.0, description="model-only alert on a joke")
    reply_model_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    # Younger pupils' answers are withheld on less certainty.
    reply_model_threshold_young: float | None = Field(default=None, ge=0.0, le=1.0)
