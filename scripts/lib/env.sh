# Sourced by every script: finds a JDK >= 25 (JAVA_HOME first, then /usr/lib/jvm) and sets
# JAVA_HOME/PATH so that Maven and java both use it. Fails with one line when none exists.
tessera_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}
tessera_find_jdk() {
  local cand major
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    major=$(tessera_java_major "$cand")
    case "$major" in ''|*[!0-9]*) continue ;; esac
    if [ "$major" -ge 25 ]; then echo "$cand"; return 0; fi
  done
  return 1
}
TESSERA_JDK=$(tessera_find_jdk) || {
  echo "tessera: no JDK >= 25 found (looked at JAVA_HOME and /usr/lib/jvm/*); install one, e.g. Temurin 25, or set JAVA_HOME" >&2
  exit 1
}
export JAVA_HOME="$TESSERA_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
command -v mvn >/dev/null 2>&1 || { echo "tessera: Maven (mvn) not found on PATH; install it (apt-get install maven)" >&2; exit 1; }
TESSERA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TESSERA_JVM_FLAGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
# The serial collector with a small initial heap: tensors live off-heap, so the Java heap holds small
# handles and short-lived garbage (a few tens of MB live). G1 sized its heap for the JIT warm-up's
# garbage and kept it: a ResNet-18 training loop at 8x3x224x224 peaked at 1121-1234 MB resident with
# G1, 722-735 MB with these, and its first 5 steps ran 13-15% faster (alternating runs, 2 cores).
TESSERA_JVM_FLAGS="$TESSERA_JVM_FLAGS -XX:+UseSerialGC -Xms64m"
# The JVM's heap in transparent huge pages where the kernel offers them (THP "madvise" or "always";
# the guard keeps the JVM from warning elsewhere). A fresh JVM allocates gigabytes of short-lived
# objects while the JIT warms the Vector API kernels up, and on this VM each 4 KB page's first touch
# costs ~13 us: with 2 MB pages the first 50 matmuls at 512 took 0.89-0.96 s instead of 1.30-1.32,
# the first 5 ResNet-18 training steps 8.9-12.2 s instead of 13.1-15.8 (bench-coldstart, alternating).
if grep -qs '\[always\]\|\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled; then
  TESSERA_JVM_FLAGS="$TESSERA_JVM_FLAGS -XX:+UseTransparentHugePages"
fi
