# One layout for every JVM image of this service (see docs/container-images.md):
#   docker build .               production image (default target `prod`): Maven builds the app
#                                inside, nothing but Docker or Podman needed; JDK 25 AOT cache
#                                trained in the build (--build-arg AOT_CACHE=off: none)
#   docker build --target jvm .  the same image from `./mvnw package` output (target/quarkus-app);
#                                src/main/docker/Dockerfile.jvm is a link to this file
#   docker build --platform linux/arm64 .   another architecture: Maven runs on the build machine's
#                                own (BUILDPLATFORM), only jlink and the AOT training run emulated
#                                (TARGETPLATFORM, named on the other stages for Podman 4.3)
# Base images are data: JDK_IMAGE may be any JDK 25 image that has jlink. The image itself is
# FROM scratch (RUNTIME_BASE): a trimmed jlink runtime plus exactly the shared libraries it links, copied from
# JDK_IMAGE (so they always match it), a passwd file and /tmp: no shell, package manager or tool.

# JDK for jlink and the AOT training, of the target architecture (the runtime is made from it).
ARG JDK_IMAGE=eclipse-temurin:25-jdk
# JDK that runs Maven, on the build machine's own architecture (no emulation: the jars are the same
# for every target). The same name by default, as public JDK images are multi-arch; name it apart
# only where JDK_IMAGE is one architecture's image.
ARG BUILD_JDK_IMAGE=${JDK_IMAGE}
# Under the runtime: nothing (the runtime stage brings libc & co). A distroless image also works.
ARG RUNTIME_BASE=scratch
# Container-fit JVM defaults (the images' JAVA_TOOL_OPTIONS, also used to train the AOT cache);
# JDK_JAVA_OPTIONS given at run time overrides any of them. Heap from the container limit, the
# Serial GC (small heaps, 1-2 CPUs), exit on OOM so the orchestrator restarts; no perf data file and
# a periodic native heap trim cut RSS. The full JIT (C1 + C2, the JVM's default) serves more
# requests/s than C1 only (-XX:TieredStopAtLevel=1: less memory, lower peak): docs/container-images.md,
# "JVM flags". ArchiveRelocationMode=0 maps the AOT cache at the address it was made for, as JDKs
# before 20 did, instead of a random one that the JVM must patch page by page: its pages then stay
# clean and shared by every replica on a node (docs/container-images.md, "JVM flags"). The first
# flag has no ':' on purpose: tools that list the images a Dockerfile needs read `ARG x=...`
# defaults up to the next '='.
ARG JAVA_FLAGS="-Dfile.encoding=UTF-8 -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -XX:TrimNativeHeapInterval=1000 -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"

# --- app from sources: dependency layer first, then the code ------------------------------------
FROM --platform=$BUILDPLATFORM ${BUILD_JDK_IMAGE} AS build
ARG TARGETARCH
# Behind a TLS-intercepting proxy, pass its CA as a build secret (`make build-prod` does so from
# BUILD_CA_FILES): trusted by curl and Java in this build stage only, never in the image.
RUN --mount=type=secret,id=build_ca,required=false \
    if [ -s /run/secrets/build_ca ]; then \
      cat /run/secrets/build_ca >>/etc/ssl/certs/ca-certificates.crt \
      && awk '/BEGIN CERT/ {n++} {print > ("/tmp/build-ca-" n ".pem")}' /run/secrets/build_ca \
      && for ca in /tmp/build-ca-*.pem; do \
           keytool -importcert -noprompt -cacerts -storepass changeit -alias "${ca##*/}" -file "$ca" \
           || exit 1; \
         done >/dev/null 2>&1 && rm /tmp/build-ca-*.pem; \
    fi
WORKDIR /src
# Maven's own JVM (which also runs the Quarkus build) with C1 only: a build ends before C2 pays
# off, and a one-line change rebuilds in about half the time.
ENV MAVEN_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
COPY mvnw pom.xml ./
COPY .mvn/wrapper/maven-wrapper.properties .mvn/wrapper/
# Maven picks OS-specific dependencies (brotli4j's native-linux-<arch> jar) by os.arch: give it the
# target's (Java's name for arm64 is aarch64) as a command-line -D, in .mvn/maven.config (set after
# Maven's console has loaded its own native library, which a JVM-wide -Dos.arch would break).
RUN if [ -n "${TARGETARCH}" ]; then echo "-Dos.arch=$(echo "${TARGETARCH}" | sed 's/^arm64$/aarch64/')" >.mvn/maven.config; fi
# Dependencies and plugins resolved once and kept in a cache mount (never in a layer); this step
# re-runs only when pom.xml changes. Not dependency:go-offline: it also fetches the optional
# integrations of the extensions (quarkus-grpc, ...), which the build never uses.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q dependency:resolve-plugins quarkus:go-offline
COPY src/main/ src/main/
# Tests run in `make test` / CI, not in the image build. Not offline (-o): where a builder keeps
# this step's layer but has lost the cache mount, Maven fetches what is missing.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q package -DskipTests
# Reproducible: Quarkus's SBOM generator stamps the time it ran; with SOURCE_DATE_EPOCH (`make
# build-prod` passes the last commit's time) the SBOM says that time, so its layer rebuilds identical.
ARG SOURCE_DATE_EPOCH
RUN if [ -n "${SOURCE_DATE_EPOCH}" ]; then \
      created=$(date -u -d "@${SOURCE_DATE_EPOCH}" +%Y-%m-%dT%H:%M:%SZ) \
      && sed -i "0,/\"timestamp\" : \"[^\"]*\"/s//\"timestamp\" : \"${created}\"/" target/quarkus-app/sbom/app.cdx.json; \
    fi

# --- trimmed runtime + the shared libraries it links + a user, as a root filesystem -------------
FROM --platform=$TARGETPLATFORM ${JDK_IMAGE} AS runtime
ARG JDK_IMAGE
# jdeps finds all but jdk.zipfs, which Quarkus needs (without it java exits 1 silently).
ARG JLINK_MODULES=java.base,java.logging,java.management,java.naming,jdk.management,jdk.unsupported,jdk.zipfs
# Some JDK builds (Debian's) leave *.debuginfo files beside the stripped libraries: dropped.
# The dynamic loader, libc and every other library the runtime links come from this same JDK
# image, so they always match it. uid 1000 has group 0, so that `--user <any uid>:0` gets the
# same rights (OpenShift style).
RUN jlink --add-modules "${JLINK_MODULES}" --strip-debug --no-man-pages --no-header-files \
          --compress=zip-6 --output /rootfs/opt/java \
 && find /rootfs/opt/java -name '*.debuginfo' -delete \
 && find /rootfs/opt/java -name '*.so' -o -path '*/bin/java' \
    | xargs ldd | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' \
    | grep -v '^/rootfs/' | sort -u \
    | xargs cp --parents -L -t /rootfs \
 && mkdir -p /rootfs/etc /rootfs/tmp /rootfs/app && chmod 1777 /rootfs/tmp \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:0:app:/tmp:/sbin/nologin\n' >/rootfs/etc/passwd \
 && printf 'root:x:0:\n' >/rootfs/etc/group
# The runtime's SBOM (CycloneDX 1.6), beside the app's: the JDK it was linked from (vendor and
# version, as the linked runtime itself reports them), each module with its version
# (`java --list-modules`), each shared library with its SHA-256. Written here, so it always
# describes the runtime it lies beside.
RUN /rootfs/opt/java/bin/java -XshowSettings:properties -version 2>/tmp/properties \
 && /rootfs/opt/java/bin/java --list-modules >/tmp/modules \
 && (cd /rootfs && find . -path ./opt -prune -o -path ./etc -prune -o -path ./app -prune -o -type f -print \
     | sort | xargs sha256sum) >/tmp/libraries \
 && mkdir -p /rootfs/app/sbom \
 && awk -v image="${JDK_IMAGE}" ' \
      FILENAME ~ /properties$/ { i = index($0, " = "); if (i) { k = substr($0, 1, i - 1); gsub(/ /, "", k); property[k] = substr($0, i + 3) } next } \
      FILENAME ~ /modules$/ { split($1, m, "@"); modules = modules sep1 sprintf("\n        {\"type\": \"library\", \"bom-ref\": \"jdk-module:%s\", \"name\": \"%s\", \"version\": \"%s\"}", m[1], m[1], m[2]); sep1 = ","; next } \
      { path = substr($2, 2); libraries = libraries sep2 sprintf("\n    {\"type\": \"file\", \"bom-ref\": \"file:%s\", \"name\": \"%s\", \"hashes\": [{\"alg\": \"SHA-256\", \"content\": \"%s\"}]}", path, path, $1); sep2 = "," } \
      END { \
        printf "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \"version\": 1,\n"; \
        printf "  \"metadata\": {\"component\": {\"type\": \"platform\", \"bom-ref\": \"runtime\", \"name\": \"jlink-runtime\", \"version\": \"%s\", \"description\": \"/opt/java and the shared libraries it links, from %s\"}},\n", property["java.runtime.version"], image; \
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
# (the SBOM label is named after the app's package, a reverse-DNS name of its owner's: OCI defines none)

ARG JAVA_FLAGS
ENV PATH=/opt/java/bin \
    APP_PORT=${APP_PORT} \
    JAVA_TOOL_OPTIONS=${JAVA_FLAGS}
# The management interface (Prometheus metrics on /q/metrics): QUARKUS_MANAGEMENT_PORT, default 9000.
EXPOSE ${APP_PORT} 9000
USER 1000
WORKDIR /app
# The app's own probe of /q/health/ready on APP_PORT: no curl or shell needed. A small, short-lived
# JVM (interpreter only, 16 MB heap, no perf data) that runs the probe class straight from the app's
# jar, so it loads no Quarkus class; every 30 s (Docker's default). docs/container-images.md, "The HEALTHCHECK".
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["java", "-Xint", "-XX:+UseSerialGC", "-Xmx16m", "-Xss256k", "-XX:-UsePerfData", \
         "-cp", "/app/app/*", "dev.slipway.starter.platform.HealthProbe", "healthcheck"]
# Exec form: java is PID 1 and gets SIGTERM (`docker stop` takes ~1 s and exits 143).
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]

# The app goes in as dependencies, then Quarkus-generated code, then the application, so a code
# change rebuilds only the last, small layer. Owned by root (COPY's default) and r-x for all: the
# app's user (1000, or any uid in group 0) reads it and can neither write, replace nor chmod it,
# even with a writable root filesystem (an owner could chmod its files back to writable). /app itself
# comes from the runtime stage, owned by root: BuildKit's WORKDIR would create it owned by USER.

# --- JVM image from `./mvnw package` output ------------------------------------------------------
FROM base AS jvm
COPY --chmod=555 target/quarkus-app/lib/ /app/lib/
COPY --chmod=444 target/quarkus-app/sbom/app.cdx.json /app/sbom/
COPY --chmod=555 target/quarkus-app/quarkus-run.jar /app/
COPY --chmod=555 target/quarkus-app/quarkus/ /app/quarkus/
COPY --chmod=555 target/quarkus-app/app/ /app/app/

# --- production image without AOT cache: the app built by Maven above ----------------------------
FROM base AS prod-app
COPY --from=build --chmod=555 /src/target/quarkus-app/lib/ /app/lib/
COPY --from=build --chmod=444 /src/target/quarkus-app/sbom/app.cdx.json /app/sbom/
COPY --from=build --chmod=555 /src/target/quarkus-app/quarkus-run.jar /app/
COPY --from=build --chmod=555 /src/target/quarkus-app/quarkus/ /app/quarkus/
COPY --from=build --chmod=555 /src/target/quarkus-app/app/ /app/app/

# --- JDK 25 AOT cache (JEP 483/514), trained on the image's own runtime, paths and flags --------
# A cache made by another JVM or for other jars is silently ignored, so the training runs the
# jlink runtime and the very /app files of the image: it starts the app, calls every endpoint,
# stops it with SIGTERM, and the JVM writes the cache as it exits. --build-arg AOT_CACHE=off
# leaves it out (the JVM then gets no AOT flag at all).
# The cache also records choices the JVM makes from its heap size, and a run-time JVM that chose
# otherwise drops it: UseCompressedOops and UseCompressedClassPointers above all (JDK 25
# FileMapHeader::validate; JEP 483, "Consistency of training and subsequent runs"). With
# MaxRAMPercentage set, the JVM no longer caps its heap below 32 GB, and over 32 GB it turns
# compressed oops off (Arguments::set_heap_size): on a build host with more than ~42 GB of RAM the
# cache would be dead in every container. So the training JVM sizes its heap as in a container of
# AOT_TRAINING_MEMORY (MaxRAM on the command line wins over JAVA_TOOL_OPTIONS): the usual limit,
# serve-prod's and the Kubernetes manifests'. Any limit under ~42 GB at run time then agrees.
# No readiness drain on SIGTERM (quarkus.shutdown.delay) in training: nobody is there to drain.
FROM --platform=$TARGETPLATFORM ${JDK_IMAGE} AS aot
ARG AOT_CACHE=on
ARG AOT_TRAINING_MEMORY=256m
ARG JAVA_FLAGS
COPY --from=runtime /rootfs/opt/java/ /opt/java/
COPY --from=prod-app /app/ /app/
RUN mkdir /aot && : >/aot/jvm.args \
 && if [ "${AOT_CACHE}" = on ]; then \
      JAVA_TOOL_OPTIONS="${JAVA_FLAGS}" APP_PORT=8080 /opt/java/bin/java -XX:MaxRAM="${AOT_TRAINING_MEMORY}" \
        -Dquarkus.shutdown.delay=0s -XX:AOTCacheOutput=/aot/app.aot -jar /app/quarkus-run.jar & pid=$!; \
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
COPY --from=aot --chmod=555 /aot/ /app/aot/
# @argfile: the AOT flag when there is a cache, nothing otherwise.
ENTRYPOINT ["java", "@/app/aot/jvm.args", "-jar", "/app/quarkus-run.jar"]
