"""Cross-document duplication: DUP002 (shared paragraphs), DUP004 (overlapping documents). Not yet implemented."""
