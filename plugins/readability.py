"""Readability: RDB001. Not yet implemented."""
