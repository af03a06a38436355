#!/usr/bin/env bash
# Measures what `make bench` does not: image build times, the production image's layers, and the
# cost of one HEALTHCHECK, as Markdown on stdout. Sizes, startup, memory and stop time come from
# Bench.java. `make bench` runs both and writes this one's output to docs/builds-and-healthcheck.md:
#   scripts/measure-builds-and-healthcheck.sh       (CONTAINER_ENGINE=docker|podman to choose)
# It builds its own tags (slipway-starter-measure:prod, :jvm) and removes them and its container at the
# end (MEASURE_KEEP=1 keeps the images). Needs GNU time (/usr/bin/time) for the probe's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."

ENGINE=${CONTAINER_ENGINE:-$(docker info >/dev/null 2>&1 && echo docker || echo podman)}
TAG=${MEASURE_TAG:-slipway-starter-measure}
NAME=slipway-starter-measure-$$
PORT=${MEASURE_PORT:-18999}
BUILD=("$ENGINE" build)
[[ $ENGINE == *podman* ]] && BUILD+=(--format docker --no-cache)
cat /dev/null ${BUILD_CA_FILES:-$(ls /usr/local/share/ca-certificates/*.crt 2>/dev/null)} >"${TMPDIR:-/tmp}/$NAME-ca.pem"
cleanup() {
  "$ENGINE" rm -f "$NAME" >/dev/null 2>&1 || true
  [ -n "${MEASURE_KEEP:-}" ] || "$ENGINE" rmi "$TAG:prod" "$TAG:jvm" >/dev/null 2>&1 || true
  rm -f "${TMPDIR:-/tmp}/$NAME-ca.pem"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
row() { printf '| %s | %s |\n' "$1" "$2"; }

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests

log=${TMPDIR:-/tmp}/$NAME-build.log
t0=$(now); "${BUILD[@]}" --secret "id=build_ca,src=${TMPDIR:-/tmp}/$NAME-ca.pem" -t "$TAG:prod" . >"$log" 2>&1 || { cat "$log"; exit 1; }
t1=$(now); "${BUILD[@]}" --target jvm -t "$TAG:jvm" . >"$log" 2>&1 || { cat "$log"; exit 1; }
t2=$(now)
rm -f "$log"

echo "# Builds and HEALTHCHECK"
echo
echo "Measured by \`scripts/measure-builds-and-healthcheck.sh\` (run by \`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'):"
echo "$("$ENGINE" --version), $(nproc) CPUs. Do not edit by hand: run it again."
echo
echo '| measure | value |'
echo '| --- | --- |'
row "prod image build (AOT cache trained), no layer cache, Maven cache mount warm" "$(secs "$t0" "$t1") s"
row "JVM image build from target/quarkus-app, no layer cache" "$(secs "$t1" "$t2") s"
row "prod layers: runtime + libraries / lib / launcher / quarkus / app / AOT cache" \
  "$("$ENGINE" history --format '{{.Size}}|{{.CreatedBy}}' "$TAG:prod" | grep COPY | cut -d'|' -f1 | tac | paste -sd/ | sed 's:/: / :g')"

"$ENGINE" run -d --name "$NAME" --user 1000 --read-only --tmpfs /tmp --cap-drop=ALL \
  --security-opt=no-new-privileges --memory 256m -p "127.0.0.1:$PORT:8080" "$TAG:prod" >/dev/null
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null; do sleep 0.05; done

# One HEALTHCHECK: the image's own command, run in the container (median of 5).
probe=$("$ENGINE" image inspect --format '{{json .Config.Healthcheck}}' "$TAG:prod" 2>/dev/null | grep -o '\[.*\]' \
  || "$ENGINE" image inspect --format '{{json .Healthcheck}}' "$TAG:prod" | grep -o '\[.*\]')
mapfile -t cmd < <(echo "$probe" | tr -d '[]"' | tr ',' '\n' | tail -n +2)
times=()
for _ in 1 2 3 4 5; do
  t0=$(now); "$ENGINE" exec "$NAME" "${cmd[@]}" 2>/dev/null; t1=$(now); times+=("$(secs "$t0" "$t1")")
done
row "one HEALTHCHECK, wall time in the container (\`$ENGINE exec\`, median of 5)" \
  "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) s"
if [ -x /usr/bin/time ] && java_home=$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1) && [ -n "$java_home" ]; then
  flags=("${cmd[@]:1}")
  APP_PORT=$PORT /usr/bin/time -f '%e %M' -o "${TMPDIR:-/tmp}/$NAME.time" \
    "$java_home/bin/java" "${flags[@]/\/app\/quarkus-run.jar/target/quarkus-app/quarkus-run.jar}"
  read -r wall rss <"${TMPDIR:-/tmp}/$NAME.time"; rm -f "${TMPDIR:-/tmp}/$NAME.time"
  row "one HEALTHCHECK, same command on the host's JDK 25 (/usr/bin/time)" "$wall s, peak RSS $((rss / 1024)) MB"
fi
cat <<'EOF_NOTES'

The first build of the production image also downloads Maven and every dependency into the cache
mount. The HEALTHCHECK is a second, short-lived JVM (C1 only, 16 MB heap); its peak memory is
measured on the host (`/usr/bin/time` around the same command and flags on a JDK 25), not inside the
container, which has no `time`; inside, only its wall time is measured, `exec`'s own cost included.
EOF_NOTES
