"""HTTP routers by area. Each module exposes ``router``; ``gateway.app`` mounts them under /api/v1."""
