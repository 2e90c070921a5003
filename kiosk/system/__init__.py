"""System plumbing: the clock, durable files, logs and redaction, the event-loop watchdog."""
