# slipway-starter: `make help` lists the targets. Override any knob (`?=`) as in `make serve APP_PORT=9090`.
SHELL = /usr/bin/env bash
.SHELLFLAGS = -eu -o pipefail -c
.DEFAULT_GOAL := help
.PHONY: help serve test package buildkit-check build build-prod build-native clean serve-prod manifests push deploy

# HTTP port of the app, the images and serve.
APP_PORT ?= 8080
# Maven (the wrapper; maven-toolchains-plugin picks a JDK >= 21), and extra arguments for every call.
MVN ?= ./mvnw
MVN_ARGS ?=
# Container engine: docker when `docker info` answers, else podman; a name or a path to a client.
CONTAINER_ENGINE ?= $(shell docker info >/dev/null 2>&1 && echo docker || echo podman)
CONTAINER_ENGINE := $(CONTAINER_ENGINE)
IS_PODMAN := $(findstring podman,$(CONTAINER_ENGINE))
# The Dockerfiles need BuildKit: Docker before 23.0 uses it with DOCKER_BUILDKIT=1, later ones through buildx.
export DOCKER_BUILDKIT := 1
# Image name (tags jvm, prod, native), and extra arguments for every image build.
IMAGE ?= slipway-starter
IMAGE_BUILD_ARGS ?=
# build-prod's platforms, e.g. linux/amd64,linux/arm64 (others than the host's run emulated); empty: the
# host's. IMAGE_BUILD_ARGS_<arch>: arguments for one architecture (docs/container-images.md).
PLATFORMS ?=
# JDK 25 AOT cache in the production image: on or off.
AOT_CACHE ?= on
# CAs of a TLS-intercepting proxy, for build-prod's Maven stage (a build secret, in no layer) and the tests.
BUILD_CA_FILES ?= $(wildcard /usr/local/share/ca-certificates/*.crt)
export CONTAINER_ENGINE BUILD_CA_FILES
# serve-prod's limits and container name.
SERVE_MEMORY ?= 256m
SERVE_CPUS ?= 1
SERVE_NAME ?= $(notdir $(IMAGE))-serve-prod
# The images' OCI source label: the `origin` remote as an https URL without credentials, else "unknown".
APP_SOURCE ?= $(shell git remote get-url origin 2>/dev/null | sed -E 's#^git@([^:]+):#https://\1/#; \
	s#^ssh://([^@/]+@)?([^/:]+)(:[0-9]+)?/#https://\2/#; s#^(https?://)[^@/]+@#\1#; s#\.git$$##' | grep -E '^https?://')
# Reproducible image builds: the last commit's time (docs/container-images.md, "Rebuilding byte for byte").
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)

APP_VERSION := $(shell sed -n 's:^    <version>\(.*\)</version>:\1:p' pom.xml | head -1)
# Labels from the pom and git. Podman: docker format (keeps HEALTHCHECK), no cache (4.3 reuses stale LABELs).
IMAGE_BUILD = $(CONTAINER_ENGINE) build $(if $(IS_PODMAN),--format docker --no-cache) \
	--build-arg APP_PORT=$(APP_PORT) --build-arg APP_VERSION=$(APP_VERSION) \
	--build-arg APP_REVISION=$$(git rev-parse --verify -q HEAD 2>/dev/null || echo unknown) --build-arg APP_SOURCE=$(APP_SOURCE) \
	$(if $(SOURCE_DATE_EPOCH),--build-arg SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(if $(IS_PODMAN),--timestamp $(SOURCE_DATE_EPOCH))) \
	--build-arg APP_CREATED=$(if $(SOURCE_DATE_EPOCH),$$(date -u -d @$(SOURCE_DATE_EPOCH) +%Y-%m-%dT%H:%M:%SZ 2>/dev/null \
	  || date -u -r $(SOURCE_DATE_EPOCH) +%Y-%m-%dT%H:%M:%SZ),$$(date -u +%Y-%m-%dT%H:%M:%SZ)) $(IMAGE_BUILD_ARGS)

##@ General

help: ## Display this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-15s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

serve: ## Run in dev mode on APP_PORT with hot reload (edit code, then reload the page).
	APP_PORT=$(APP_PORT) $(MVN) $(MVN_ARGS) quarkus:dev

test: ## Run the whole test suite: unit, @QuarkusTest, the packaged app as a process, the container images.
# slipway:root-only:begin (archetype/root-only.txt: cut from the archetype's copy of this file)
	@proof/check-prerequisites
# slipway:root-only:end
	$(MVN) $(MVN_ARGS) verify
# slipway:root-only:begin
	$(MVN) $(MVN_ARGS) -f archetype/pom.xml verify
# slipway:root-only:end

##@ Build

package: ## Package the app into target/quarkus-app (tests skipped; `make test` runs them).
	$(MVN) $(MVN_ARGS) package -DskipTests

buildkit-check: # a docker client without BuildKit (23.0+ without buildx) fails even `build --help`
	@$(CONTAINER_ENGINE) build --help >/dev/null 2>&1 || { echo "$(CONTAINER_ENGINE) cannot build with BuildKit, which the" \
	  "Dockerfiles need: install Docker's buildx plugin (https://docs.docker.com/go/buildx/), or use CONTAINER_ENGINE=podman." >&2; exit 1; }

build: buildkit-check package ## Package the app, then build the JVM image (IMAGE:jvm) from target/quarkus-app.
	$(IMAGE_BUILD) --target jvm -t $(IMAGE):jvm .

IMAGE_BUILD_PROD = $(IMAGE_BUILD) --secret id=build_ca,src=target/build-ca.pem --build-arg AOT_CACHE=$(AOT_CACHE)
comma := ,
PLATFORM_LIST = $(subst $(comma), ,$(PLATFORMS))
arch_of = $(word 2,$(subst /, ,$(1)))
# Podman 4.3 leaves BUILDPLATFORM and TARGETPLATFORM unset under --platform: set them (p: the platform).
PODMAN_PLATFORM_ARGS = --build-arg BUILDPLATFORM=$$($(CONTAINER_ENGINE) info --format '{{.Host.OS}}/{{.Host.Arch}}') \
	--build-arg TARGETPLATFORM=$(p)

build-prod: buildkit-check ## Build the production image (IMAGE:prod) from sources, as `docker build .` does; PLATFORMS=... for others.
	@mkdir -p target && cat /dev/null $(BUILD_CA_FILES) >target/build-ca.pem
ifeq ($(strip $(PLATFORMS)),)
	$(IMAGE_BUILD_PROD) -t $(IMAGE):prod .
else ifneq ($(IS_PODMAN),)
	@# a fresh manifest list: whatever IMAGE:prod was loses that name, no image is removed
	@$(CONTAINER_ENGINE) manifest rm $(IMAGE):prod >/dev/null 2>&1 || $(CONTAINER_ENGINE) untag $(IMAGE):prod >/dev/null 2>&1 || true
	$(CONTAINER_ENGINE) manifest create $(IMAGE):prod
	$(foreach p,$(PLATFORM_LIST),$(IMAGE_BUILD_PROD) --platform $(p) $(PODMAN_PLATFORM_ARGS) $(IMAGE_BUILD_ARGS_$(call arch_of,$(p))) \
	  -t $(IMAGE):prod-$(call arch_of,$(p)) --manifest $(IMAGE):prod . &&) true
else ifeq ($(words $(PLATFORM_LIST)),1)
	$(IMAGE_BUILD_PROD) --platform $(PLATFORMS) $(IMAGE_BUILD_ARGS_$(call arch_of,$(PLATFORMS))) -t $(IMAGE):prod .
else
	@echo "build-prod: several PLATFORMS need Podman, whose manifest list holds them all (CONTAINER_ENGINE=podman);" \
	  "Docker's image store holds one platform per name: build and push them at once with docker buildx build --platform $(PLATFORMS) --push -t REGISTRY/IMAGE:TAG . (a buildx builder of the docker-container driver)." >&2; exit 2
endif

build-native: buildkit-check ## Build the native executable (GraalVM/Mandrel or a builder container), then IMAGE:native.
	@if command -v native-image >/dev/null 2>&1; then $(MVN) $(MVN_ARGS) package -DskipTests -Dnative; \
	elif $(CONTAINER_ENGINE) info >/dev/null 2>&1; then $(MVN) $(MVN_ARGS) package -DskipTests -Dnative -Dquarkus.native.container-build=true \
	  -Dquarkus.native.container-runtime=$(if $(IS_PODMAN),podman,docker) || { echo "build-native: no native-image on PATH, and the build in Quarkus's Mandrel builder image failed (above; it must be pullable): install GraalVM/Mandrel or allow the pull." >&2; exit 1; }; \
	else echo "build-native needs GraalVM/Mandrel (native-image on PATH) or a working container engine to run the Mandrel builder image; found neither ($(CONTAINER_ENGINE) info fails)." >&2; exit 1; fi
	$(IMAGE_BUILD) -f src/main/docker/Dockerfile.native -t $(IMAGE):native .

clean: ## Remove build output.
	$(MVN) $(MVN_ARGS) clean
# slipway:root-only:begin
	$(MVN) $(MVN_ARGS) -f archetype/pom.xml clean
# slipway:root-only:end

##@ Run

serve-prod: ## Run IMAGE:prod hardened (UID 1000, read-only, limits) on APP_PORT, show health, follow logs.
	-@$(CONTAINER_ENGINE) rm -f $(SERVE_NAME) >/dev/null 2>&1
	$(CONTAINER_ENGINE) run -d --name $(SERVE_NAME) --user 1000 --read-only --tmpfs /tmp --cap-drop=ALL \
	  --security-opt=no-new-privileges --memory $(SERVE_MEMORY) --cpus $(SERVE_CPUS) \
	  -e APP_PORT=$(APP_PORT) -p $(APP_PORT):$(APP_PORT) $(IMAGE):prod
	@trap '$(CONTAINER_ENGINE) stop $(SERVE_NAME) >/dev/null; $(CONTAINER_ENGINE) rm $(SERVE_NAME) >/dev/null' EXIT; \
	for _ in $$(seq 60); do $(if $(IS_PODMAN),$(CONTAINER_ENGINE) healthcheck run $(SERVE_NAME) >/dev/null 2>&1 || true;) \
	  [ "$$($(CONTAINER_ENGINE) inspect -f '{{.State.Health.Status}}' $(SERVE_NAME))" = healthy ] && break; sleep 1; done; \
	$(CONTAINER_ENGINE) ps -a --filter name=$(SERVE_NAME) --format '{{.Names}}  {{.Status}}  {{.Ports}}'; \
	echo "http://localhost:$(APP_PORT)/  (Ctrl-C stops and removes the container)"; \
	$(CONTAINER_ENGINE) logs -f $(SERVE_NAME)

##@ Kubernetes

# Registry with its namespace (e.g. ghcr.io/you) and tag that push pushes to and the manifests name, and
# extra arguments of the push (e.g. PUSH_ARGS=--creds=user:token with Podman).
REGISTRY ?=
IMAGE_TAG ?= prod
PUSH_ARGS ?=
# imagePullPolicy: Always for a registry and the mutable tag prod; IfNotPresent for an image loaded by hand.
PULL_POLICY ?= Always
KUBECTL ?= kubectl
IMAGE_REF = $(if $(REGISTRY),$(REGISTRY)/)$(IMAGE):$(IMAGE_TAG)
# push records REF@sha256:... here; the manifests pin that digest for the same IMAGE_REF (IMAGE_DIGEST= : the tag alone).
PUSHED_FILE = target/pushed-image
IMAGE_DIGEST ?= $(shell sed -n 's|^$(IMAGE_REF)@||p' $(PUSHED_FILE) 2>/dev/null)
# Podman skips TLS verification for a loopback registry only, as Docker does by default.
REGISTRY_LOOPBACK = $(filter 127.0.0.1 127.0.0.1:% localhost localhost:% [::1] [::1]:%,$(firstword $(subst /, ,$(REGISTRY))))
REGISTRY_TLS = $(if $(and $(IS_PODMAN),$(REGISTRY_LOOPBACK)),--tls-verify=false)

manifests: ## Write target/kubernetes/kubernetes.yml (image REGISTRY/IMAGE:IMAGE_TAG[@digest of the last push], APP_PORT, PULL_POLICY) and show it.
	$(MVN) $(MVN_ARGS) package -DskipTests -Dquarkus.container-image.image=$(IMAGE_REF) \
	  -Dquarkus.kubernetes.ports.http.container-port=$(APP_PORT) -Dquarkus.kubernetes.image-pull-policy=$(PULL_POLICY)
# quarkus-kubernetes 3.34 drops a digest from the image it is given: it is added here.
	$(if $(IMAGE_DIGEST),sed -i 's|^\( *image: \)$(IMAGE_REF)$$|\1$(IMAGE_REF)@$(IMAGE_DIGEST)|' target/kubernetes/kubernetes.yml \
	  && grep -q 'image: $(IMAGE_REF)@$(IMAGE_DIGEST)$$' target/kubernetes/kubernetes.yml \
	  || { echo "manifests: found no 'image: $(IMAGE_REF)' in target/kubernetes/kubernetes.yml to pin to $(IMAGE_DIGEST)" >&2; exit 1; })
	cat target/kubernetes/kubernetes.yml

push: ## Push IMAGE:prod (make build-prod; a manifest list: every platform) as REGISTRY/IMAGE:IMAGE_TAG (log in first); print and record its digest.
	@[ -n "$(REGISTRY)" ] || { echo "push: REGISTRY is empty: name the registry to push to, e.g. make push REGISTRY=ghcr.io/you" >&2; exit 2; }; \
	mkdir -p target && rm -f $(PUSHED_FILE) target/push-digest
# The registry's digest of the image or list: Podman writes it (--digestfile), Docker lists it in RepoDigests.
	@if $(if $(IS_PODMAN),$(CONTAINER_ENGINE) manifest exists $(IMAGE):prod,false); then set -x; \
	  $(CONTAINER_ENGINE) manifest push --all $(REGISTRY_TLS) $(PUSH_ARGS) --digestfile target/push-digest $(IMAGE):prod docker://$(IMAGE_REF); \
	else set -x; $(CONTAINER_ENGINE) tag $(IMAGE):prod $(IMAGE_REF) \
	  && $(CONTAINER_ENGINE) push $(REGISTRY_TLS) $(PUSH_ARGS) $(if $(IS_PODMAN),--digestfile target/push-digest) $(IMAGE_REF); fi
	@digest=$$(cat target/push-digest 2>/dev/null || $(CONTAINER_ENGINE) image inspect \
	  --format '{{range .RepoDigests}}{{println .}}{{end}}' $(IMAGE_REF) | sed -n 's|^$(REGISTRY)/$(IMAGE)@||p' | head -1); \
	[ -n "$$digest" ] || { echo "push: pushed, but found no digest for $(IMAGE_REF)" >&2; exit 1; }; \
	echo "$(IMAGE_REF)@$$digest" >$(PUSHED_FILE); rm -f target/push-digest; \
	echo "pushed $(IMAGE_REF)@$$digest (make manifests pins this digest)"

deploy: manifests ## Apply the manifests with kubectl to its current context (push first, with the same REGISTRY and IMAGE_TAG).
	@context=$$($(KUBECTL) config current-context) || { echo "deploy: kubectl has no current context: choose a cluster with \`$(KUBECTL) config use-context NAME\`" >&2; exit 2; }; \
	echo "deploy: applying target/kubernetes/kubernetes.yml to context $$context"
	$(KUBECTL) apply -f target/kubernetes/kubernetes.yml
# slipway:root-only:begin

##@ Benchmark (this repository only: the template's proof, proof/bench)

# Java that runs the harness (proof/bench/*.java, one file per concern, no dependencies): JDK 22 or newer,
# which launches multi-file source programs. Default: the first of JAVA_HOME, `java` on PATH and the
# JDKs in the usual install directories that is new enough.
BENCH_JAVA ?= $(shell for j in "$${JAVA_HOME:-}/bin/java" java /usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do \
  v=$$("$$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'); \
  [ "$${v:-0}" -ge 22 ] 2>/dev/null && { echo "$$j"; break; }; done)
BENCH_JAVA := $(BENCH_JAVA)
# Startup runs of each image after a warm-up round (images interleaved), under BENCH_RUN_ARGS and again
# without their --cpus limit; medians are reported, with where the start goes (docs/benchmarks.md).
BENCH_RUNS ?= 5
# Load (wrk, installed with apt-get when missing and root): measured runs, seconds each, warm-up
# seconds, connections.
BENCH_LOAD_RUNS ?= 3
BENCH_LOAD_SECONDS ?= 20
BENCH_WARMUP_SECONDS ?= 10
BENCH_CONNECTIONS ?= 16
# Images to measure, comma-separated (naive, prod, prod-noaot, jvm, floor); empty: every one there is.
BENCH_ONLY ?=
# JDK_JAVA_OPTIONS for every measured container, e.g. BENCH_JAVA_OPTS="-XX:+UseSerialGC -Xmx64m".
BENCH_JAVA_OPTS ?=
# `run` arguments for every measured container: the limits serve-prod uses.
BENCH_RUN_ARGS ?= --memory=$(SERVE_MEMORY) --cpus=$(SERVE_CPUS)
# Build ARG of the root Dockerfile that turns its AOT cache off, for the prod-noaot image, e.g.
# BENCH_NO_AOT_ARG=AOT_CACHE=off; empty: guessed from an ARG named *AOT* that defaults to on/true.
BENCH_NO_AOT_ARG ?=
# More harness arguments (`make bench BENCH_ARGS=--help` lists them), e.g. BENCH_ARGS="--no-rebuild --out /tmp/b".
BENCH_ARGS ?=
BENCH_FLAGS = --runs $(BENCH_RUNS) --load-runs $(BENCH_LOAD_RUNS) --load-seconds $(BENCH_LOAD_SECONDS) \
	--warmup-seconds $(BENCH_WARMUP_SECONDS) --connections $(BENCH_CONNECTIONS) \
	--java-opts "$(BENCH_JAVA_OPTS)" --run-args "$(BENCH_RUN_ARGS)" \
	--build-opts "--secret id=build_ca,src=$(CURDIR)/target/build-ca.pem" \
	$(if $(BENCH_NO_AOT_ARG),--no-aot-arg $(BENCH_NO_AOT_ARG)) $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) $(BENCH_ARGS)

.PHONY: bench
bench: buildkit-check ## Build a naive baseline and every image, measure startup, load, memory, HEALTHCHECK; writes docs/benchmarks.{md,json,svg}.
	@[ -n "$(BENCH_JAVA)" ] || { echo "make bench needs a JDK 22 or newer (multi-file source launcher): set BENCH_JAVA=/path/to/java" >&2; exit 1; }
	@mkdir -p target && cat /dev/null $(BUILD_CA_FILES) >target/build-ca.pem
	$(BENCH_JAVA) proof/bench/Bench.java $(BENCH_FLAGS)

.PHONY: bench-jvm
bench-jvm: ## Only the production image (as built by bench) with each JVM option set: load, replicas; writes target/bench-jvm/.
	@[ -n "$(BENCH_JAVA)" ] || { echo "make bench-jvm needs a JDK 22 or newer: set BENCH_JAVA=/path/to/java" >&2; exit 1; }
	$(BENCH_JAVA) proof/bench/Bench.java $(BENCH_FLAGS) --only prod --no-build --no-rebuild --no-hot-reload --no-healthcheck --out target/bench-jvm

##@ Archetype (this repository only: projects generated from the archetype do not have it)

.PHONY: archetype
archetype: ## Install the archetype into the local Maven repository (tests skipped; `make test` runs them).
	$(MVN) $(MVN_ARGS) -f archetype/pom.xml install -DskipTests -Darchetype.test.skip=true

##@ Release (this repository only; see CHANGELOG.md and .github/workflows/release.yml)

# The version set-version writes into both poms (the root app and the archetype share one).
VERSION ?=
VERSIONS_PLUGIN = org.codehaus.mojo:versions-maven-plugin:2.25.1
# The archetype's release build: the sources and javadoc jars, every file signed (MAVEN_GPG_KEY and
# MAVEN_GPG_PASSPHRASE in the environment), bundled for Maven Central; `make test` ran the tests.
RELEASE_BUILD = $(MVN) $(MVN_ARGS) -f archetype/pom.xml deploy -Prelease -Dmaven.test.skip=true -Darchetype.test.skip=true

.PHONY: set-version
set-version: ## Set the version of the root app and the archetype (they share one): make set-version VERSION=1.2.3
	@[ -n "$(VERSION)" ] || { echo "set-version: VERSION is empty: name the new version, e.g. make set-version VERSION=1.2.3" >&2; exit 2; }
	$(MVN) $(MVN_ARGS) -q $(VERSIONS_PLUGIN):set -DnewVersion=$(VERSION) -DgenerateBackupPoms=false
	$(MVN) $(MVN_ARGS) -q -f archetype/pom.xml $(VERSIONS_PLUGIN):set -DnewVersion=$(VERSION) -DgenerateBackupPoms=false

.PHONY: release-check
release-check:
	@case "$(APP_VERSION)" in *-SNAPSHOT|"") echo "release: the version is '$(APP_VERSION)': Maven Central takes" \
	  "release versions only; set one first, e.g. make set-version VERSION=1.2.3" >&2; exit 2;; esac
	@[ -n "$${MAVEN_GPG_KEY:-}" ] || { echo "release: MAVEN_GPG_KEY is empty: export the armored secret signing key" \
	  "(gpg --armor --export-secret-keys KEYID) and its passphrase as MAVEN_GPG_PASSPHRASE" >&2; exit 2; }

.PHONY: release-bundle
release-bundle: release-check ## Build the signed bundle Maven Central would receive, without uploading: archetype/target/central-publishing/central-bundle.zip.
	$(RELEASE_BUILD) -DskipUpload=true

.PHONY: release-publish
release-publish: release-check ## Build the signed bundle and upload it to Maven Central (the namespace owner's token: settings.xml server `central`).
	$(RELEASE_BUILD)
# slipway:root-only:end
