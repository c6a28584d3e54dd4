"""Output formats for code review and CI: sarif, github, gitlab, junit. Not yet implemented."""
