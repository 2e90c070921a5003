#!/usr/bin/env bash
# Regenerates the lock files of the kiosk's runtime dependencies, one per Debian architecture:
#
#   packaging/lock-requirements.sh            (needs uv: .venv/bin/pip install uv)
#
# packaging/requirements-amd64.lock and requirements-arm64.lock pin every wheel the package
# carries (the dependencies in pyproject.toml's [project] dependencies and theirs, not [test])
# with its sha256, for Debian 12's Python: CPython 3.11, glibc 2.36 (manylinux_2_36). build-deb.sh
# downloads exactly these with pip's --require-hashes, so a rebuild carries the same wheels.
#
# Two files, not one: the architectures cannot always share versions. Qt's newest aarch64 wheels
# need glibc 2.39, so arm64 is held at the last PySide6 that runs on Debian 12 while amd64 is not.
# Run this after changing the dependencies in pyproject.toml, and commit the result; to take
# newer releases of unchanged dependencies, run it with --upgrade.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
if command -v uv >/dev/null 2>&1; then
    uv=(uv)
elif [ -x "$repo/.venv/bin/uv" ]; then
    uv=("$repo/.venv/bin/uv")
else
    echo "lock-requirements: uv is needed (.venv/bin/pip install uv)" >&2
    exit 1
fi
upgrade=()
case "${1:-}" in
    "") ;;
    --upgrade) upgrade=(--upgrade) ;;
    *) echo "lock-requirements: unknown option '$1' (only --upgrade)" >&2; exit 2 ;;
esac

for pair in amd64:x86_64 arm64:aarch64; do
    arch=${pair%%:*}
    machine=${pair#*:}
    lock="$here/requirements-$arch.lock"
    echo "lock-requirements: $lock (CPython 3.11, ${machine}, manylinux_2_36)" >&2
    (cd "$repo" && UV_CUSTOM_COMPILE_COMMAND="packaging/lock-requirements.sh" "${uv[@]}" pip compile \
        pyproject.toml --quiet --generate-hashes --python-version 3.11 \
        --python-platform "${machine}-manylinux_2_36" "${upgrade[@]}" --output-file "$lock")
done
