"""Applying a signed key rotation (config/rotation.py) to a kiosk's bundle store.

The rotation is checked against the key that owns the store's version floor: the key that
signed the bundle that set the floor, remembered in ``record.json`` even after it is un-pinned
(for a record written before that was remembered: the installed bundle's key, if still pinned).
The new key must be pinned in ``security.trusted_keys``. On success the floor becomes the
rotation's, the new key owns it, the old key is retired, and a pending bundle of the old key is
dropped; the configuration in force does not change (a new bundle above the floor replaces it).
"""

from __future__ import annotations

import hashlib
import logging

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from config import rotation as rotations
from config.bundle import BundleRefused, Reason, parse_public_key
from kiosk.fleet.config_updates import BundleStore
from kiosk.system.durable_files import remove_durably

log = logging.getLogger("fleet")


def floor_owner(store: BundleStore) -> Ed25519PublicKey | None:
    """The key whose rotation the store would accept, or None when no key owns its floor."""
    recorded = store._record().get("floor_key")
    if isinstance(recorded, str):
        try:
            return parse_public_key(recorded)
        except ValueError:
            log.warning("record.json names an unreadable floor key; using the installed bundle's key")
    installed = store.installed()
    if installed is not None and installed.header.key_id not in store.retired_keys():
        return store.keys.get(installed.header.key_id or "")
    return None


def apply_rotation(store: BundleStore, data: bytes) -> rotations.Rotation:
    """Verify and apply a key rotation; :class:`BundleRefused` (recorded like a bundle's) when refused."""
    with store._locked():
        try:
            rotation = rotations.verify(data, floor_owner(store), store.group, store.clock.now())
            if store.keys.get(rotation.new_key_id) is None:
                raise BundleRefused(Reason.UNKNOWN_KEY, f"the rotation hands over to key {rotation.new_key_id}, "
                                                        f"which this kiosk does not trust yet: pin it in "
                                                        f"security.trusted_keys first")
        except BundleRefused as refused:
            store._note_refusal(refused, hashlib.sha256(data).hexdigest())
            raise
        record = store._record()
        before = store.accepted_version
        retired = [*store.retired_keys(), rotation.from_key_id]
        record.update(highest_version=rotation.version_floor, floor_key=rotation.new_key,
                      retired_keys=sorted(set(retired)), skip_through=rotation.version_floor,
                      last_rotation={"from_key_id": rotation.from_key_id, "new_key_id": rotation.new_key_id,
                                     "version_floor": rotation.version_floor, "previous_floor": before,
                                     "at": store._now()})
        store._write_json(store.record_path, record)
        pending = store.pending()
        if pending is not None and pending.header.key_id == rotation.from_key_id:
            remove_durably(store.pending_path)
    log.warning("key rotation applied: key %s retired, key %s now owns the version floor, lowered from %d to %d",
                rotation.from_key_id, rotation.new_key_id, before, rotation.version_floor,
                extra={"event": "bundle_key_rotated"})
    return rotation
