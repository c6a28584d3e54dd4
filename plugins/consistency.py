"""Cross-source consistency: ATT001, ATT002, CON001, CON002. Not yet implemented."""
