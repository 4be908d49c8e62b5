"""MET rules; see the catalog in the README's rule index."""
