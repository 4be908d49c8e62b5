"""NET rules: Gateway API and Inference Extension wiring; see the README's rule index."""
