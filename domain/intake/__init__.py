"""Intake of the ministry's patch deliveries: encoding, validation, repair, storage."""
