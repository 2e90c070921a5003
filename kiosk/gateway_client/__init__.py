"""The gateway client: HTTP pool, circuit breaker, access token, errors and the typed client."""
