"""The shell: context, citizen session, idle watch, lockdown, languages, panel, background calls, stopping."""
