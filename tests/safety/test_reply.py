"""Pupil answers: unsuitable content from the model is withheld before the child sees it."""
# ruff: noqa: E501  (example prompts are kept on one line, as people type them)

import pytest

from .examples import REPLIES


def test_reply_asking_a_child_to_keep_a_secret_and_add_on_snapchat_is_withheld(replies):
    verdict = replies.assess("You can tell me anything. Keep this our little secret and add me on Snapchat.", "KS2")
    assert verdict.unsuitable and verdict.category == "grooming_patterns"
    assert verdict.triggers


def test_ordinary_homework_answer_is_shown(replies):
    verdict = replies.assess("The Great Fire of London started in a bakery on Pudding Lane in 1666.", "KS1")
    assert not verdict.unsuitable and verdict.category == "none"


def test_frightening_detail_is_withheld_for_young_children_only(replies):
    text = "The corpses were left in the street and the prisoners were tortured."
    assert replies.assess(text, "KS1").unsuitable
    assert not replies.assess(text, "KS4").unsuitable


@pytest.mark.parametrize("reply,key_stage,expected", REPLIES)
def test_reply_examples(replies, reply, key_stage, expected):
    assert replies.assess(reply, key_stage).unsuitable == expected
