#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (Vigil's minimum), or explains and fails.
# Order: $JAVA_HOME, the `java` on PATH, then the usual install locations (newest first).
set -u
minimum=21

major_of() {
  local home=$1 version
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  version=${version#1.}
  [ -n "$version" ] && echo "${version%%.*}"
}

accept() {
  local home=$1 major
  major=$(major_of "$home") || return 1
  [ "$major" -ge "$minimum" ] || return 1
  echo "$home"
  exit 0
}

[ -n "${JAVA_HOME:-}" ] && accept "$JAVA_HOME"
if command -v java >/dev/null 2>&1; then
  path_home=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
  [ -n "$path_home" ] && accept "$path_home"
fi
for home in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
    "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* 2>/dev/null | sort -rV); do
  accept "$home"
done

echo "Vigil needs a JDK $minimum or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}, java on PATH:" \
     "$(command -v java >/dev/null 2>&1 && java -version 2>&1 | head -1 || echo none))." >&2
echo "Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it." >&2
exit 1
