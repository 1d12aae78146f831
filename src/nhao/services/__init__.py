"""Use cases. Each takes the acting user, runs in one transaction through a
UnitOfWork (audit event and change-log entry included) and returns plain data."""
