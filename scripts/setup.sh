#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian/Ubuntu machine, only where it is missing:
# a C/C++ toolchain, cmake and libclang (HiGHS builds from source through cmake; its Rust
# bindings are generated with libclang), and the Rust toolchain pinned in rust-toolchain.toml
# (with rustfmt and clippy). Safe to run again: it changes nothing when everything is there.
# Sourced by demo.sh and test.sh (so PATH reaches the build).

# The version rust-toolchain.toml pins; a distro cargo older than this is bypassed by rustup's.
POSTFIT_RUST="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../rust-toolchain.toml")"

setup_say() { echo "setup: $*" >&2; }

# libclang.so for bindgen, on any architecture: llvm-config first, then the usual places.
setup_find_libclang() {
  local dir
  if [ -n "${LIBCLANG_PATH:-}" ] && ls "$LIBCLANG_PATH"/libclang*.so* >/dev/null 2>&1; then
    echo "$LIBCLANG_PATH"; return 0
  fi
  for cfg in llvm-config $(compgen -c llvm-config- 2>/dev/null | sort -rV); do
    if command -v "$cfg" >/dev/null 2>&1; then
      dir="$("$cfg" --libdir 2>/dev/null || true)"
      if [ -n "$dir" ] && ls "$dir"/libclang*.so* >/dev/null 2>&1; then echo "$dir"; return 0; fi
    fi
  done
  for f in /usr/lib/llvm-*/lib/libclang*.so* /usr/lib/*/libclang*.so* /usr/lib/libclang*.so* \
           /usr/lib64/libclang*.so* /usr/local/lib/libclang*.so*; do
    if [ -e "$f" ]; then dirname "$f"; return 0; fi
  done
  return 1
}

# Runs a command as root: directly, or through sudo keeping DEBIAN_FRONTEND.
setup_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    env DEBIAN_FRONTEND=noninteractive "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo env DEBIAN_FRONTEND=noninteractive "$@"
  else
    return 99
  fi
}

need_apt=()
command -v cc >/dev/null 2>&1 || need_apt+=(build-essential)
command -v c++ >/dev/null 2>&1 || need_apt+=(g++)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v cmake >/dev/null 2>&1 || need_apt+=(cmake)
# bindgen needs libclang.so; clang brings its headers.
if ! setup_find_libclang >/dev/null || ! command -v clang >/dev/null 2>&1; then
  need_apt+=(libclang-dev clang)
fi
command -v curl >/dev/null 2>&1 || need_apt+=(curl ca-certificates)
command -v git >/dev/null 2>&1 || need_apt+=(git)

if [ ${#need_apt[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    setup_say "missing: ${need_apt[*]}; this script knows only apt-get: install them with your package manager, then run it again"
    return 1 2>/dev/null || exit 1
  fi
  setup_say "installing ${need_apt[*]}"
  if ! { setup_as_root apt-get update -qq && setup_as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null; }; then
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
      setup_say "not root and no sudo: ask an administrator to run"
      setup_say "  apt-get install -y ${need_apt[*]}"
      setup_say "then run this script again (everything else installs into your home folder)"
    else
      setup_say "apt-get failed; install these yourself: ${need_apt[*]}"
    fi
    return 1 2>/dev/null || exit 1
  fi
fi
# Not exported as LIBCLANG_PATH: clang-sys searches the same places itself, and a changed
# environment variable would make cargo rebuild HiGHS for a later plain `cargo build`.

if [ -x "$HOME/.cargo/bin/cargo" ]; then
  case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) export PATH="$HOME/.cargo/bin:$PATH" ;; esac
fi
# A distro cargo (no rustup) older than the pinned toolchain cannot build postfit: install
# rustup's toolchain into the home folder instead (no root needed).
setup_cargo_too_old() {
  local have
  have="$(cargo --version 2>/dev/null | awk '{print $2}')"
  [ -z "$have" ] && return 0
  [ "$(printf '%s\n%s\n' "$POSTFIT_RUST" "$have" | sort -V | head -n1)" != "$POSTFIT_RUST" ]
}
if ! command -v rustup >/dev/null 2>&1 && setup_cargo_too_old; then
  if command -v cargo >/dev/null 2>&1; then
    setup_say "cargo $(cargo --version | awk '{print $2}') is older than $POSTFIT_RUST (rust-toolchain.toml); installing rustup's toolchain in ~/.cargo"
  else
    setup_say "installing the Rust toolchain $POSTFIT_RUST with rustup"
  fi
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal \
    --default-toolchain "$POSTFIT_RUST" --component rustfmt,clippy
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if command -v rustup >/dev/null 2>&1; then
  # rust-toolchain.toml names the channel and components; this installs them if missing.
  (cd "$(dirname "${BASH_SOURCE[0]}")/.." && rustup show active-toolchain >/dev/null 2>&1) \
    || rustup toolchain install "$POSTFIT_RUST" --profile minimal --component rustfmt,clippy
fi
