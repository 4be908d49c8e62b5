"""SEC: secure accelerator access (`secure_accelerator_access`)."""
