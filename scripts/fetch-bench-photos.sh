#!/usr/bin/env bash
# Fetches the real photographs the benchmark suite uploads: Debian's mate-backgrounds package
# (GPL-2+ wallpapers), downloaded with `apt-get download` (no installation, no root needed) and
# unpacked with dpkg-deb; only the chosen files are kept, in a cache folder reused between runs.
#   scripts/fetch-bench-photos.sh [CACHE_DIR]
# CACHE_DIR defaults to $BENCH_PHOTO_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/histogram-bench/photos.
# Prints the folder holding the photos on stdout; progress on stderr. Exits 3 when apt-get or
# dpkg-deb is missing (not Debian or Ubuntu), 4 when the download fails.
set -euo pipefail

cache=${1:-${BENCH_PHOTO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/histogram-bench/photos}}
package=mate-backgrounds
prefix=usr/share/backgrounds/mate
# The suite's photo classes (see bench/suite-images.ts for what each one is).
files=(
  abstract/Elephants.jpg
  abstract/Elephants_5640x3172.jpg
  nature/RainDrops.jpg
  desktop/GreenTraditional.jpg
)

have_all() {
  local f
  for f in "${files[@]}"; do [[ -s "$1/$f" ]] || return 1; done
}

if [[ -f "$cache/VERSION" ]] && have_all "$cache"; then
  echo "$cache"
  exit 0
fi

for tool in apt-get dpkg-deb; do
  if ! command -v "$tool" >/dev/null; then
    echo "fetch-bench-photos: $tool not found: the photos come from Debian's $package package" >&2
    exit 3
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt drops privileges to _apt for downloads; let it write here (else it warns and downloads as root).
chmod 777 "$work"
echo "fetch-bench-photos: apt-get download $package" >&2
if ! (cd "$work" && apt-get download "$package" >&2); then
  echo "fetch-bench-photos: apt-get download $package failed (no package index? run apt-get update)" >&2
  exit 4
fi
deb=$(ls "$work"/${package}_*.deb)
dpkg-deb -x "$deb" "$work/root"
mkdir -p "$cache"
for f in "${files[@]}"; do
  mkdir -p "$cache/$(dirname "$f")"
  cp "$work/root/$prefix/$f" "$cache/$f"
done
dpkg-deb -f "$deb" Package Version > "$cache/VERSION"
(cd "$cache" && sha256sum "${files[@]}" > SHA256SUMS)
echo "fetch-bench-photos: $(basename "$deb") → $cache" >&2
echo "$cache"
