"""The fleet client: heartbeats, signed configuration bundles and their record, key rotations."""
