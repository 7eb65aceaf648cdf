#!/usr/bin/env bash
# Builds a Java 17 runtime base image as a `docker save` tarball, from Debian packages alone,
# for building the Meridian image where no registry (and no Docker daemon) can be reached:
#
#   deploy/container/make-base-tarball.sh /tmp/meridian-base.tar
#   mvn -B -Pimage -pl deploy -am package -DskipTests -Dimage.base=tar:///tmp/meridian-base.tar
#
# Needs root and mmdebstrap (apt-get install mmdebstrap). The result is Debian bookworm with
# openjdk-17-jre-headless, a `meridian` user (uid 10001) and JAVA_HOME set: the same role as
# eclipse-temurin:17-jre, which the image profile uses by default where a registry is reachable.
set -euo pipefail
out="${1:?usage: $0 OUTPUT.tar}"
suite="${SUITE:-bookworm}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Manuals, docs (but their copyright files) and translations are left out; openjdk's
# update-alternatives still needs the man1 directory to exist.
mmdebstrap --variant=minbase --mode=root \
  --include=openjdk-17-jre-headless,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --setup-hook='mkdir -p "$1"/usr/share/man/man1' \
  --customize-hook='chroot "$1" useradd --system --uid 10001 --user-group --home-dir /app meridian' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
  "$suite" "$work/layer.tar"

diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
java_home=/usr/lib/jvm/java-17-openjdk-amd64
cat > "$work/config.json" <<JSON
{
  "architecture": "amd64",
  "os": "linux",
  "config": {
    "Env": [
      "PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "JAVA_HOME=$java_home",
      "LANG=C.UTF-8"
    ]
  },
  "rootfs": {"type": "layers", "diff_ids": ["$diff_id"]},
  "history": [{"created_by": "deploy/container/make-base-tarball.sh ($suite, openjdk-17-jre-headless)"}]
}
JSON
config="$(sha256sum "$work/config.json" | cut -d' ' -f1).json"
mv "$work/config.json" "$work/$config"
cat > "$work/manifest.json" <<JSON
[{"Config": "$config", "RepoTags": ["meridian-base:17-jre"], "Layers": ["layer.tar"]}]
JSON
tar -C "$work" -cf "$out" manifest.json "$config" layer.tar
echo "base image tarball: $out ($diff_id)"
