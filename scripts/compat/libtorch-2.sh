#!/usr/bin/env bash
# Slow compatibility check (not part of CI): builds lnas against Debian 13's libtorch 2.6 (CPU) in
# a Debian 13 root of its own made with debootstrap, then runs the default test suite there.
#
#   sudo bash scripts/compat/libtorch-2.sh [ROOT]        ROOT defaults to /var/tmp/lnas-deb13
#
# Environment: LNAS_DEB13_MIRROR (default: the first Debian mirror in /etc/apt/sources*),
# LNAS_DATA_DIR (bind-mounted read-only into the root; default ../shared/data when present),
# LNAS_DEB13_BENCH=1 also runs the supernet benchmark against the root's python3-torch 2.6,
# LNAS_DEB13_TESTS=0 skips the test suite, LNAS_DEB13_SETUP_ONLY=1 stops once the root has its packages. Rerunning reuses the root (each stage is skipped when
# done) and copies the current checkout again. Delete ROOT to start over.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
root="${1:-/var/tmp/lnas-deb13}"
root="$(mkdir -p "$root" && cd "$root" && pwd)"
[ "$(id -u)" = 0 ] || { echo "libtorch-2.sh: run as root (debootstrap and chroot need it)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "libtorch-2.sh: debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }

mirror="${LNAS_DEB13_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    grep -oE 'https?://[^ ]*/debian/?( |$)' | grep -v security | head -1 | tr -d ' ' || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
fi
data="${LNAS_DATA_DIR:-}"
if [ -z "$data" ] && [ -d "$repo/../shared/data" ]; then data="$(cd "$repo/../shared/data" && pwd)"; fi
log() { echo "[libtorch-2 $(date -u +%H:%M:%S)] $*"; }
t0=$(date +%s)

# 1. The root (minbase keeps it small; the build tools come in step 3).
if [ ! -f "$root/.lnas-debootstrap-done" ]; then
  log "debootstrap trixie into $root from $mirror"
  debootstrap --variant=minbase --include=ca-certificates trixie "$root" "$mirror"
  touch "$root/.lnas-debootstrap-done"
fi

# 2. Mounts for the chroot, undone on exit.
mounted=()
cleanup() { for ((i=${#mounted[@]}-1; i>=0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done; }
trap cleanup EXIT
mnt() { mkdir -p "${@: -1}"; mount "$@"; mounted+=("${@: -1}"); }
mountpoint -q "$root/proc" || mnt -t proc proc "$root/proc"
mountpoint -q "$root/dev" || mnt --rbind /dev "$root/dev"
mountpoint -q "$root/sys" || mnt --rbind /sys "$root/sys"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt "$@"; }

# 3. Packages: libtorch 2.6 (CPU), OpenBLAS, Node.js + npm (+ Node's headers for node-gyp), the build tools.
pkgs=(libtorch-dev libopenblas0-pthread nodejs npm libnode-dev build-essential python3 python3-numpy python3-onnx redis-server git)
[ "${LNAS_DEB13_BENCH:-0}" = 1 ] && pkgs+=(python3-torch)
if ! in_root dpkg -s "${pkgs[@]}" >/dev/null 2>&1; then
  log "apt-get install ${pkgs[*]}"
  in_root apt-get update -qq
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi
log "in the root: libtorch $(in_root dpkg-query -W -f='${Version}' libtorch-dev), node $(in_root node --version), npm $(in_root npm --version)"
[ "${LNAS_DEB13_SETUP_ONLY:-0}" = 1 ] && { log "root ready (LNAS_DEB13_SETUP_ONLY=1)"; exit 0; }

# Certificate authorities the host added locally (a proxy's, a company's) are trusted in the root too.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null 2>&1 || true
fi

# 4. The checkout (tracked and untracked, not ignored files) copied to /work/lnas; data bind-mounted
#    at /work/shared/data, where the tests look next to the checkout.
dest="$root/work/lnas"
rm -rf "$dest" && mkdir -p "$dest"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' | tar --null -T - -cf -) | tar -xf - -C "$dest"
if [ -n "$data" ]; then
  mountpoint -q "$root/work/shared/data" || { mnt --bind "$data" "$root/work/shared/data"; mount -o remount,bind,ro "$root/work/shared/data" || true; }
fi

# 5. Build (npm ci runs the native build and tsc) and the default suite.
log "npm ci (native build against the root's libtorch, then tsc)"
tb=$(date +%s)
in_root sh -c 'cd /work/lnas && npm ci --no-audit --no-fund' > "$root/work/npm-ci.log" 2>&1 || true
grep -E '^lnas:' "$root/work/npm-ci.log" || true
in_root test -f /work/lnas/build/Release/lnas_native.node || { grep -v 'gyp info' "$root/work/npm-ci.log" | tail -40; log "native build failed (log: $root/work/npm-ci.log)"; exit 1; }
log "build took $(( $(date +%s) - tb )) s"
in_root sh -c 'cd /work/lnas && node -e "import(\"./dist/tensor/runtime.js\").then((r) => { const i = r.engineInfo(); console.log(\"engine: libtorch \" + i.torchVersion + \", CUDA build: \" + i.cudaBuild + \", \" + i.parallel.split(\"\\n\").filter((l) => /OpenMP|MKL|ATen parallel/.test(l)).join(\"; \")); })"' || true
status=0
if [ "${LNAS_DEB13_TESTS:-1}" = 1 ]; then
  log "default test suite"
  tt=$(date +%s)
  in_root sh -c "cd /work/lnas && LNAS_DATA_DIR=${data:+/work/shared/data} node scripts/test.mjs" || status=$?
  log "test suite exit $status after $(( $(date +%s) - tt )) s"
fi
if [ "${LNAS_DEB13_BENCH:-0}" = 1 ]; then
  for t in 1 2; do
    log "supernet bench, $t thread(s), against the root's PyTorch"
    in_root sh -c "cd /work/lnas && node dist/cli/main.js bench supernet --C 8 --layers 5 --batch 32 --threads $t --warmup 1 --repeats 5" || status=$?
  done
fi
log "done in $(( $(date +%s) - t0 )) s, exit $status"
exit $status
