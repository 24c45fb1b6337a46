#!/usr/bin/env bash
# Builds the Debian package of genesys-scim (target/debian/*.deb): the
# binary, its man page, and bash, zsh and fish completions. Needs cargo-deb
# (`cargo install --locked cargo-deb`). Arguments go to `cargo deb`.
#
# The man page and completions are printed by the binary itself, so they are
# generated after the build, into the place [package.metadata.deb] lists
# (target/release/assets/, which cargo-deb maps to the real target and
# profile directory). PROFILE=dev packages an unoptimised build, quickly (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${PROFILE:-release}
case $profile in
  dev) profile_dir=debug ;;
  *) profile_dir=$profile ;;
esac
out="${CARGO_TARGET_DIR:-target}/$profile_dir"

cargo build --locked --profile "$profile" -p scim-cli --bin genesys-scim
mkdir -p "$out/assets"
# gzipped here: cargo-deb leaves files under target/ as they are.
"$out/genesys-scim" man | gzip -9 -n > "$out/assets/genesys-scim.1.gz"
"$out/genesys-scim" completions bash > "$out/assets/genesys-scim.bash"
"$out/genesys-scim" completions zsh > "$out/assets/_genesys-scim"
"$out/genesys-scim" completions fish > "$out/assets/genesys-scim.fish"

cargo deb --package scim-cli --no-build --profile "$profile" "$@"
