#!/usr/bin/env bash
# Installs the Debian 12 packages crowdsim needs, only those missing.
# Runs apt-get as root, or through sudo. Safe to run again: it does nothing when all is there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libboost-dev libboost-program-options-dev
  libeigen3-dev libhdf5-dev hdf5-tools nlohmann-json3-dev libdeflate-dev libisal-dev
  catch2 librandom123-dev
  python3 python3-h5py python3-numpy python3-pandas python3-matplotlib
  python3-scipy python3-pytest python3-jsonschema python3-simpy python3-mpmath time
  python3-venv python3-pip python3-setuptools python3-wheel  # the package's venv (make venv)
  pybind11-dev python3-dev                                   # crowdsim._core: runs in the Python process
  python3-nbconvert python3-ipykernel python3-nbformat      # the notebooks, run by make test
  libopenmpi-dev openmpi-bin
  chromium  # headless, for analysis/tests/test_report_browser.py (about 100 MB, 45 s to install)
)
# `install-deps.sh fuzz`: what `make fuzz` needs besides (clang and its libFuzzer runtime).
if [ "${1:-}" = fuzz ]; then packages+=(clang libclang-rt-14-dev); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
