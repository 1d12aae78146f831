"""The Sync page: signed bundle files in and out, what they leave to review, keys."""
