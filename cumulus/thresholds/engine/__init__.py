"""Continuum of Need decision support as pure Python (no Django): load a partnership's
continuum file, check it, and suggest a level from facts about a child."""
