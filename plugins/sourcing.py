"""Sourcing: ATT003 (vague attribution), ATT004 (second-hand sourcing). Not yet implemented."""
