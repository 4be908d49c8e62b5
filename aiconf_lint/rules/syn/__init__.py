"""SYN: problems with the input itself, found by the loader rather than by a hook."""
