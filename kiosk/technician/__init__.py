"""The technician's tools: PIN access and audit log, the hidden entry, technician mode, diagnostics."""
