#!/usr/bin/env bash
# Fills the firmware fixture cache that the tests read (docs/fixtures.md):
#   1. mirrors ../shared/firmware (or $VARSGEN_SHARED_FIRMWARE) into the cache as symlinks and
#      checks the sha256 sums listed at the end of its README.md;
#   2. downloads Debian's `ovmf` and `efi-shell-x64` through this machine's own apt
#      configuration and extracts the 4 MiB images and the shell into
#      debian-<codename>-apt/<version>/ with a MANIFEST.txt;
#   3. says how to build EnrollDefaultKeys.efi when no copy is found (tests needing it skip).
# Idempotent; prints one summary line on success, warnings on stderr.
# Exit status: 0 when usable firmware is in the cache, 1 when there is none.
# VARSGEN_FETCH_APT=0 skips step 2 (offline machines, the script's own test).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${VARSGEN_FIXTURES:-$root/target/fixtures}
shared=${VARSGEN_SHARED_FIRMWARE:-$root/../shared/firmware}
packages=(ovmf efi-shell-x64)

warn() { echo "fetch-firmware: $*" >&2; }

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
summary=()

# --- 1. shared fixtures -------------------------------------------------------------------
have_shared=false
if [ -d "$shared" ]; then
  have_shared=true
  shared=$(cd "$shared" && pwd)
  linked=0
  for entry in "$shared"/*; do
    name=$(basename "$entry")
    link="$cache/$name"
    if [ -L "$link" ] || [ ! -e "$link" ]; then
      # -n: replace a link to a directory instead of creating a link inside it.
      [ "$(readlink "$link" 2>/dev/null || true)" = "$entry" ] || ln -sfn "$entry" "$link"
      linked=$((linked + 1))
    else
      warn "$link exists and is not a symlink; left as it is instead of mirroring $entry"
    fi
  done

  # The README ends with a "## sha256" section of "<sum>  <relative path>" lines.
  checked=0 mismatched=0 absent=0
  if [ -f "$shared/README.md" ]; then
    while read -r sum path; do
      if [ ! -f "$shared/$path" ]; then
        absent=$((absent + 1))
        continue
      fi
      actual=$(sha256sum "$shared/$path" | cut -d' ' -f1)
      checked=$((checked + 1))
      if [ "$actual" != "$sum" ]; then
        mismatched=$((mismatched + 1))
        warn "sha256 mismatch: $shared/$path is $actual, README.md says $sum"
      fi
    done < <(awk '/^## sha256/{on=1; next} /^## /{on=0} on && $1 ~ /^[0-9a-f]+$/ && length($1) == 64' "$shared/README.md")
  else
    warn "$shared/README.md is missing; cannot check sha256 sums"
  fi
  summary+=("shared $shared ($linked entries; sha256 $checked checked, $mismatched bad, $absent absent)")
fi

# --- 2. Debian packages through apt -------------------------------------------------------
codename=$( (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true)
[ -n "$codename" ] || codename=unknown
apt_dir="$cache/debian-$codename-apt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Reads one control field of a .deb, with dpkg-deb or, without it, ar and tar.
deb_field() {
  local deb=$1 field=$2
  if command -v dpkg-deb >/dev/null; then
    dpkg-deb -f "$deb" "$field"
  else
    deb_member "$deb" control | tar -xf - -O ./control \
      | awk -v f="$field:" '$1 == f {sub(/^[^:]*: */, ""); print; exit}'
  fi
}

# Writes the uncompressed control or data tar of a .deb to stdout (for machines without dpkg).
deb_member() {
  local deb=$1 kind=$2 member
  member=$(ar t "$deb" | grep "^$kind\.tar")
  case $member in
    *.xz) ar p "$deb" "$member" | xz -dc ;;
    *.gz) ar p "$deb" "$member" | gzip -dc ;;
    *.zst) ar p "$deb" "$member" | zstd -dc ;;
    *) ar p "$deb" "$member" ;;
  esac
}

deb_extract() {
  local deb=$1 dest=$2
  if command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$deb" "$dest"
  else
    deb_member "$deb" data | tar -xf - -C "$dest"
  fi
}

# Copies the wanted files of an extracted package into the version directory; symlinks inside
# the package (OVMF_CODE_4M.ms.fd -> OVMF_CODE_4M.secboot.fd) stay relative symlinks.
install_files() {
  local pkg=$1 version=$2 tree=$3 dest=$4
  local -a files
  case $pkg in
    ovmf) mapfile -t files < <(find "$tree" \( -name 'OVMF_CODE_4M*.fd' -o -name 'OVMF_VARS_4M*.fd' \) | sort) ;;
    efi-shell-x64) mapfile -t files < <(find "$tree" -name 'shellx64.efi' | sort) ;;
  esac
  if [ ${#files[@]} -eq 0 ]; then
    warn "$pkg $version contains none of the expected files"
    return 1
  fi
  mkdir -p "$dest"
  local manifest="$dest/MANIFEST.txt" lines="$tmp/$pkg.manifest" f name target
  : > "$lines"
  for f in "${files[@]}"; do
    name=$(basename "$f")
    if [ -L "$f" ]; then
      target=$(basename "$(readlink "$f")")
      ln -sfn "$target" "$dest/$name"
      echo "$pkg $version $(sha256sum "$(dirname "$f")/$target" | cut -d' ' -f1) $name -> $target" >> "$lines"
    else
      cp -f "$f" "$dest/$name"
      echo "$pkg $version $(sha256sum "$f" | cut -d' ' -f1) $name" >> "$lines"
    fi
  done
  # Keeps the other package's lines; sorted so that reruns give the same file.
  { [ -f "$manifest" ] && grep -v -e '^#' -e "^$pkg " "$manifest" || true; cat "$lines"; } \
    | sort -k4,4 -k1,1 > "$tmp/manifest.new"
  { echo "# Extracted from Debian packages by scripts/fetch-firmware.sh (apt, $codename)."
    echo "# package version sha256 file [-> symlink target]"
    cat "$tmp/manifest.new"; } > "$manifest"
  echo "${#files[@]}"
}

apt_ok=0
apt_notes=()
for pkg in "${packages[@]}"; do
  if [ "${VARSGEN_FETCH_APT:-1}" = 0 ]; then
    apt_notes+=("$pkg: skipped (VARSGEN_FETCH_APT=0)")
    continue
  fi
  if ! command -v apt-get >/dev/null; then
    warn "apt-get not found; cannot download $pkg"
    apt_notes+=("$pkg: no apt")
    continue
  fi
  candidate=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/{print $2}')
  if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then
    # efi-shell-x64 is new in trixie; bookworm's apt sources do not have it.
    apt_notes+=("$pkg: not in $codename's apt sources")
    continue
  fi
  vdir="$apt_dir/${candidate//:/_}"
  if [ -f "$vdir/MANIFEST.txt" ] && grep -q "^$pkg $candidate " "$vdir/MANIFEST.txt"; then
    apt_ok=$((apt_ok + 1))
    apt_notes+=("$pkg $candidate: cached")
    continue
  fi
  mkdir -p "$tmp/$pkg/tree"
  # As root, apt warns that its _apt sandbox user cannot write here; harmless, and only shown
  # when the download fails.
  if ! out=$(cd "$tmp/$pkg" && apt-get download "$pkg" 2>&1); then
    warn "apt-get download $pkg failed: $(echo "$out" | grep -E '^(E|W):' | head -n 3 | tr '\n' ' ')"
    apt_notes+=("$pkg: download failed")
    continue
  fi
  deb=$(ls "$tmp/$pkg"/*.deb)
  version=$(deb_field "$deb" Version)
  deb_extract "$deb" "$tmp/$pkg/tree"
  vdir="$apt_dir/${version//:/_}"
  if count=$(install_files "$pkg" "$version" "$tmp/$pkg/tree" "$vdir"); then
    apt_ok=$((apt_ok + 1))
    apt_notes+=("$pkg $version: $count files")
  else
    apt_notes+=("$pkg $version: nothing extracted")
  fi
done
summary+=("apt ${apt_dir#"$cache"/}: $(IFS=';'; echo "${apt_notes[*]}" | sed 's/;/; /g')")

# --- 3. EnrollDefaultKeys.efi ---------------------------------------------------------------
if [ -z "$(find -L "$cache" -name EnrollDefaultKeys.efi -print -quit 2>/dev/null)" ]; then
  recipe_source=$shared/README.md
  [ -f "$recipe_source" ] || recipe_source=$root/docs/fixtures.md
  warn "EnrollDefaultKeys.efi is in no Debian binary package and was not found in $cache;"
  warn "tests that need it will skip. Build it like this, then copy it to $cache/debian-trixie/:"
  awk '/^##+ How EnrollDefaultKeys.efi was built/{on=1; next} /^##/{on=0} on' "$recipe_source" >&2 \
    || warn "(the recipe is in $shared/README.md; not found here)"
fi

echo "fetch-firmware: $cache: $(IFS='|'; echo "${summary[*]}" | sed 's/|/ + /g')"
# Packages extracted by an earlier run still count when apt cannot be reached now.
if [ "$apt_ok" -eq 0 ] && [ -n "$(find "$apt_dir" -name MANIFEST.txt -print -quit 2>/dev/null)" ]; then
  apt_ok=1
fi
if ! $have_shared && [ "$apt_ok" -eq 0 ]; then
  warn "no firmware fixtures available (no $shared and no Debian package could be fetched)"
  exit 1
fi
