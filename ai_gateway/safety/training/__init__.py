"""The project's own labelled prompts (held-out and blind rounds) and the script that trains the word model."""
