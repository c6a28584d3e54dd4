"""Metadata: MET001 (no byline), MET002 (no date). Not yet implemented."""
