#!/usr/bin/env bash
# Assembles the filesystem of the sample server's container image from a Native AOT publish and the files of the
# system it runs on (Debian or Ubuntu, OpenSSL 3): the binary and appsettings.json in /app, and only what the binary
# loads -- the C library and the dynamic loader, OpenSSL's libssl and libcrypto (loaded by .NET at run time, not
# linked, so ldd does not list them), OpenSSL's configuration (openssl.cnf) and its modules (ossl-modules,
# engines-3) -- plus /etc/passwd and /etc/group naming the non-root user 1000 (app) and a writable /tmp.
#
# The Dockerfile's final stage is exactly this tree (it runs this script in its build stage and copies the result
# into a scratch image); check-image.sh builds an image from it locally and runs it.
#
# Usage: assemble-rootfs.sh PUBLISH_DIR ROOTFS_DIR
set -euo pipefail

publish="${1:?usage: assemble-rootfs.sh PUBLISH_DIR ROOTFS_DIR}"
rootfs="${2:?usage: assemble-rootfs.sh PUBLISH_DIR ROOTFS_DIR}"
binary="$publish/Sessions.SampleServer"
[[ -x "$binary" ]] || { echo "assemble-rootfs.sh: no executable $binary (publish with -p:PublishAot=true)" >&2; exit 1; }
[[ "$(head -c 4 "$binary" | tail -c 3)" == "ELF" ]] \
  || { echo "assemble-rootfs.sh: $binary is not a native executable" >&2; exit 1; }

rm -rf "$rootfs"
mkdir -p "$rootfs"/{app,etc,tmp,proc,dev,usr/lib,usr/lib64}
chmod 1777 "$rootfs/tmp"
# The merged-/usr layout of Debian and Ubuntu: /lib and /lib64 are links into /usr.
ln -s usr/lib "$rootfs/lib"
ln -s usr/lib64 "$rootfs/lib64"

install -m 0755 "$binary" "$rootfs/app/Sessions.SampleServer"
[[ -f "$publish/appsettings.json" ]] && install -m 0644 "$publish/appsettings.json" "$rootfs/app/appsettings.json"

# copy_file PATH: the file PATH resolves to, at the same place in the image, and PATH itself as a link to it.
copy_file() {
  local path="$1" real
  real="$(readlink -f "$path")"
  [[ -e "$rootfs$real" ]] || { mkdir -p "$rootfs$(dirname "$real")"; cp -p "$real" "$rootfs$real"; }
  if [[ "$real" != "$path" && ! -e "$rootfs$path" && ! -L "$rootfs$path" ]]; then
    mkdir -p "$rootfs$(dirname "$path")"
    ln -s "$real" "$rootfs$path"
  fi
}

# copy_dependencies FILE: every shared library ldd says FILE needs (the loader included).
copy_dependencies() {
  local dep
  for dep in $(ldd "$1" | grep -o '/[^ ]*'); do
    copy_file "$dep"
  done
}

libdir="$(dirname "$(ldconfig -p | awk '/libcrypto\.so\.3 .*x86-64/ {print $NF; exit}')")"
[[ -f "$libdir/libssl.so.3" && -f "$libdir/libcrypto.so.3" ]] \
  || { echo "assemble-rootfs.sh: OpenSSL 3 (libssl.so.3) is not installed here" >&2; exit 1; }

copy_dependencies "$binary"
for library in "$libdir/libssl.so.3" "$libdir/libcrypto.so.3" "$libdir"/ossl-modules/*.so "$libdir"/engines-3/*.so; do
  [[ -e "$library" ]] || continue
  copy_file "$library"
  copy_dependencies "$library"
done

# OpenSSL reads OPENSSLDIR/openssl.cnf (/usr/lib/ssl on Debian and Ubuntu, a link to /etc/ssl/openssl.cnf).
openssldir="$(openssl version -d 2>/dev/null | sed -n 's/^OPENSSLDIR: "\(.*\)"$/\1/p')"
openssldir="${openssldir:-/usr/lib/ssl}"
copy_file "$openssldir/openssl.cnf"

cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
app:x:1000:1000:app:/tmp:/sbin/nologin
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
app:x:1000:
GROUP

echo "assemble-rootfs.sh: $(find "$rootfs" -type f | wc -l) files, $(du -sk "$rootfs" | cut -f1) KiB in $rootfs"
