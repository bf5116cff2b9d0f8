"""One algorithm per module, each a thin adapter over the plain-Python domain core."""
