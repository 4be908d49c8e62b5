"""OPR: AI operator APIs (`robust_controller`)."""
