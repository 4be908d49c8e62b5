"""Input: find files, read them within bounds, build plain data with positions, trace origins.

Nothing here knows a rule; rules and the engine read what these modules produce.
"""
