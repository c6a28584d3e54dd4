"""Boilerplate: BOI001 (boilerplate share) and BOI002 (boilerplate blocks). Not yet implemented."""
