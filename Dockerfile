# The JVM images (docs/container-images.md): `docker build .` builds the production image, Maven inside and
# a JDK 25 AOT cache (AOT_CACHE=off: none); `--target jvm` the same from `./mvnw package` output (the link
# src/main/docker/Dockerfile.jvm). FROM scratch: a jlink runtime, the libraries it links, passwd and /tmp.

# JDK (>= 25, with jlink) of the target architecture; BUILD_JDK_IMAGE runs Maven on the build machine's.
ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG BUILD_JDK_IMAGE=${JDK_IMAGE}
ARG RUNTIME_BASE=scratch
# The images' JAVA_TOOL_OPTIONS, also used to train the AOT cache (docs/container-images.md, "JVM flags");
# JDK_JAVA_OPTIONS overrides them at run time. No ':' in the first flag: image-listing tools read `ARG x=`.
ARG JAVA_FLAGS="-Dfile.encoding=UTF-8 -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -XX:TrimNativeHeapInterval=1000 -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -XX:-AOTRecordTraining"

# --- the app from sources: dependency layer first, then the code ---------------------------------
FROM --platform=$BUILDPLATFORM ${BUILD_JDK_IMAGE} AS build
ARG TARGETARCH
# A TLS-intercepting proxy's CA, as build secret build_ca (make: BUILD_CA_FILES): this stage only.
RUN --mount=type=secret,id=build_ca,required=false \
    if [ -s /run/secrets/build_ca ]; then cat /run/secrets/build_ca >>/etc/ssl/certs/ca-certificates.crt \
      && awk '/BEGIN CERT/ {n++} {print > ("/tmp/build-ca-" n ".pem")}' /run/secrets/build_ca \
      && for ca in /tmp/build-ca-*.pem; do keytool -importcert -noprompt -cacerts -storepass changeit \
           -alias "${ca##*/}" -file "$ca" || exit 1; done >/dev/null 2>&1 && rm /tmp/build-ca-*.pem; fi
WORKDIR /src
# Maven's JVM with C1 only: a build ends before C2 pays off.
ENV MAVEN_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
COPY mvnw pom.xml ./
COPY .mvn/wrapper/maven-wrapper.properties .mvn/wrapper/
# The target's os.arch for OS-specific jars (brotli4j), in maven.config, not for the whole JVM.
RUN if [ -n "${TARGETARCH}" ]; then echo "-Dos.arch=$(echo "${TARGETARCH}" | sed 's/^arm64$/aarch64/')" >.mvn/maven.config; fi
# Dependencies in a cache mount (in no layer), re-resolved only when pom.xml changes.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q dependency:resolve-plugins quarkus:go-offline
COPY src/main/ src/main/
# Tests run in `make test`. Not offline: a builder may keep the layer above but lose the cache mount.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q package -DskipTests
# Reproducible: the SBOM says SOURCE_DATE_EPOCH (the last commit's time), not the time it was made.
ARG SOURCE_DATE_EPOCH
RUN if [ -n "${SOURCE_DATE_EPOCH}" ]; then created=$(date -u -d "@${SOURCE_DATE_EPOCH}" +%Y-%m-%dT%H:%M:%SZ) \
      && sed -i "0,/\"timestamp\" : \"[^\"]*\"/s//\"timestamp\" : \"${created}\"/" target/quarkus-app/sbom/app.cdx.json; \
    fi

# --- trimmed runtime + the shared libraries it links + a user, as a root filesystem -------------
FROM --platform=$TARGETPLATFORM ${JDK_IMAGE} AS runtime
ARG JDK_IMAGE
# jdeps misses jdk.zipfs, which Quarkus needs (without it java exits 1 silently).
ARG JLINK_MODULES=java.base,java.logging,java.management,java.naming,jdk.management,jdk.unsupported,jdk.zipfs
# The loader and libraries the runtime links, from this same JDK image; uid 1000 in group 0, so that
# any `--user <uid>:0` gets the same rights (OpenShift). *.debuginfo (Debian's JDKs) is dropped, and the
# symbol tables jlink keeps (5 MB of libjvm.so) are stripped (binutils: JDK images carry it for jlink).
RUN jlink --add-modules "${JLINK_MODULES}" --strip-debug --no-man-pages --no-header-files \
          --compress=zip-6 --output /rootfs/opt/java \
 && find /rootfs/opt/java -name '*.debuginfo' -delete \
 && find /rootfs/opt/java -name '*.so' -exec strip --strip-unneeded {} + \
 && find /rootfs/opt/java -name '*.so' -o -path '*/bin/java' \
    | xargs ldd | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' \
    | grep -v '^/rootfs/' | sort -u \
    | xargs cp --parents -L -t /rootfs \
 && mkdir -p /rootfs/etc /rootfs/tmp /rootfs/app/sbom /rootfs/app/aot && chmod 1777 /rootfs/tmp && : >/rootfs/app/aot/jvm.args \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:0:app:/tmp:/sbin/nologin\n' >/rootfs/etc/passwd && echo 'root:x:0:' >/rootfs/etc/group
# The runtime's SBOM (CycloneDX 1.6): the JDK as the runtime reports it, its modules, each library's SHA-256.
RUN /rootfs/opt/java/bin/java -XshowSettings:properties -version 2>/tmp/properties \
 && /rootfs/opt/java/bin/java --list-modules >/tmp/modules \
 && (cd /rootfs && find . -path ./opt -prune -o -path ./etc -prune -o -path ./app -prune -o -type f -print | sort | xargs sha256sum) >/tmp/libraries \
 && awk -v image="${JDK_IMAGE}" ' \
      FILENAME ~ /properties$/ { i = index($0, " = "); if (i) { k = substr($0, 1, i - 1); gsub(/ /, "", k); property[k] = substr($0, i + 3) } next } \
      FILENAME ~ /modules$/ { split($1, m, "@"); modules = modules sep1 sprintf("\n        {\"type\": \"library\", \"bom-ref\": \"jdk-module:%s\", \"name\": \"%s\", \"version\": \"%s\"}", m[1], m[1], m[2]); sep1 = ","; next } \
      { path = substr($2, 2); libraries = libraries sep2 sprintf("\n    {\"type\": \"file\", \"bom-ref\": \"file:%s\", \"name\": \"%s\", \"hashes\": [{\"alg\": \"SHA-256\", \"content\": \"%s\"}]}", path, path, $1); sep2 = "," } \
      END { \
        printf "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \"version\": 1,\n  \"metadata\": {\"component\": {\"type\": \"platform\", \"bom-ref\": \"runtime\", \"name\": \"jlink-runtime\", \"version\": \"%s\", \"description\": \"/opt/java and the shared libraries it links, from %s\"}},\n", property["java.runtime.version"], image; \
        printf "  \"components\": [\n    {\"type\": \"platform\", \"bom-ref\": \"jdk\", \"supplier\": {\"name\": \"%s\"}, \"name\": \"jdk\", \"version\": \"%s\",", property["java.vendor"], property["java.runtime.version"]; \
        printf "\n      \"properties\": [{\"name\": \"java.version\", \"value\": \"%s\"}, {\"name\": \"jdk.image\", \"value\": \"%s\"}],", property["java.version"], image; \
        printf "\n      \"components\": [%s\n      ]},%s\n  ]\n}\n", modules, libraries \
      }' /tmp/properties /tmp/modules /tmp/libraries >/rootfs/app/sbom/runtime.cdx.json

# --- what every JVM image shares: runtime, user, port, labels, JVM flags, health, entry point -----
FROM --platform=$TARGETPLATFORM ${RUNTIME_BASE} AS base
COPY --from=runtime /rootfs/ /
ARG APP_PORT=8080
ARG APP_VERSION=unknown
ARG APP_REVISION=unknown
ARG APP_CREATED=unknown
ARG APP_SOURCE
LABEL org.opencontainers.image.title="slipway-starter" \
      org.opencontainers.image.description="Quarkus REST + health service (JVM, jlink runtime)" \
      org.opencontainers.image.version="${APP_VERSION}" \
      org.opencontainers.image.revision="${APP_REVISION}" \
      org.opencontainers.image.created="${APP_CREATED}" \
      org.opencontainers.image.source="${APP_SOURCE:-unknown}" \
      dev.slipway.starter.sbom="/app/sbom/app.cdx.json /app/sbom/runtime.cdx.json"
ARG JAVA_FLAGS
ENV PATH=/opt/java/bin APP_PORT=${APP_PORT} JAVA_TOOL_OPTIONS=${JAVA_FLAGS}
EXPOSE ${APP_PORT} 9000
USER 1000
WORKDIR /app
# A tiny JVM runs the app's probe of /q/health/ready: no curl or shell (docs/container-images.md, "The HEALTHCHECK").
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["java", "-Xint", "-XX:+UseSerialGC", "-Xmx16m", "-Xss256k", "-XX:-UsePerfData", \
         "-cp", "/app/app/*", "dev.slipway.starter.platform.HealthProbe", "healthcheck"]
# Exec form: java is PID 1 and gets SIGTERM. jvm.args is empty here; the production image's holds its AOT flag.
ENTRYPOINT ["java", "@/app/aot/jvm.args", "-jar", "/app/quarkus-run.jar"]
# /app: dependencies, Quarkus code, app code, a layer each; root's, r-x for all (docs/container-images.md).

# --- JVM image from `./mvnw package` output ------------------------------------------------------
FROM base AS jvm
COPY --chmod=555 target/quarkus-app/lib/ /app/lib/
COPY --chmod=444 target/quarkus-app/sbom/app.cdx.json /app/sbom/
COPY --chmod=555 target/quarkus-app/quarkus-run.jar /app/
COPY --chmod=555 target/quarkus-app/quarkus/ /app/quarkus/
COPY --chmod=555 target/quarkus-app/app/ /app/app/

# --- production image without AOT cache: the app built by Maven above ---------------------------
FROM base AS prod-app
COPY --from=build --chmod=555 /src/target/quarkus-app/lib/ /app/lib/
COPY --from=build --chmod=444 /src/target/quarkus-app/sbom/app.cdx.json /app/sbom/
COPY --from=build --chmod=555 /src/target/quarkus-app/quarkus-run.jar /app/
COPY --from=build --chmod=555 /src/target/quarkus-app/quarkus/ /app/quarkus/
COPY --from=build --chmod=555 /src/target/quarkus-app/app/ /app/app/

# --- JDK 25 AOT cache, trained on the image's own runtime, /app and flags (a cache made otherwise
# is ignored): start, call every endpoint, SIGTERM. The heap sized as in an AOT_TRAINING_MEMORY
# container, so the cache's compressed-oops choice matches any container (docs/container-images.md).
FROM --platform=$TARGETPLATFORM ${JDK_IMAGE} AS aot
ARG AOT_CACHE=on
ARG AOT_TRAINING_MEMORY=256m
ARG JAVA_FLAGS
# Copied, not bind-mounted: Podman 4.3's buildah reuses a cached RUN whose mounted stage changed (buildah
# issue #6609), which would ship a stale cache. C1 only: the cache holds no method profiles
# (-AOTRecordTraining), so C2 would only slow the training down.
COPY --from=runtime /rootfs/opt/java/ /opt/java/
COPY --from=prod-app /app/ /app/
RUN mkdir /aot && : >/aot/jvm.args \
 && if [ "${AOT_CACHE}" = on ]; then \
      JAVA_TOOL_OPTIONS="${JAVA_FLAGS}" APP_PORT=8080 /opt/java/bin/java -XX:MaxRAM="${AOT_TRAINING_MEMORY}" \
        -XX:TieredStopAtLevel=1 -Dquarkus.shutdown.delay=0s -XX:AOTCacheOutput=/aot/app.aot -jar /app/quarkus-run.jar & pid=$!; \
      for _ in $(seq 300); do curl -fsS -o /dev/null http://127.0.0.1:8080/q/health/ready && break; sleep 0.2; done; \
      for path in / /hello '/hello?name=aot' /q/health /q/health/live /q/health/ready /q/health/started; do \
        curl -fsS -o /dev/null "http://127.0.0.1:8080${path}" || exit 1; \
      done; \
      curl -fsS -o /dev/null http://127.0.0.1:9000/q/metrics || exit 1; \
      kill -TERM "$pid"; wait "$pid" || true; \
      test -s /aot/app.aot && echo '-XX:AOTCache=/app/aot/app.aot' >/aot/jvm.args; \
    fi

# --- production image (the default target): prod-app plus its AOT cache as the last layer -------
FROM prod-app AS prod
# jvm.args: the AOT flag when there is a cache, nothing otherwise (the entry point reads it).
COPY --from=aot --chmod=555 /aot/ /app/aot/
