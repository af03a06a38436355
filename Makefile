# slipway-starter: build, run and test the service. `make` or `make help` lists every target.
# Every knob below is `?=`: override it on the command line, e.g. `make serve APP_PORT=9090`.

# Recipes run in bash and stop at the first failing command, pipes included.
SHELL = /usr/bin/env bash
.SHELLFLAGS = -eu -o pipefail -c
.DEFAULT_GOAL := help

# HTTP port the app listens on (the one setting the app, the images and `serve` read).
APP_PORT ?= 8080
# Maven: the wrapper pins Maven 3.9.x; the JDK (>= 21) is picked by maven-toolchains-plugin.
MVN ?= ./mvnw
# Extra Maven arguments for every Maven call, e.g. MVN_ARGS="-B -o" for offline batch mode.
MVN_ARGS ?=

# Container engine: docker when `docker info` answers, else podman (evaluated once).
CONTAINER_ENGINE ?= $(shell docker info >/dev/null 2>&1 && echo docker || echo podman)
CONTAINER_ENGINE := $(CONTAINER_ENGINE)
# Image name; the tags are jvm, prod and native (e.g. slipway-starter:prod).
IMAGE ?= slipway-starter
# Extra arguments for every image build, e.g. IMAGE_BUILD_ARGS="--build-arg JDK_IMAGE=..."
IMAGE_BUILD_ARGS ?=
# JDK 25 AOT cache in the production image (trained during build-prod): on or off.
AOT_CACHE ?= on
# CAs of a TLS-intercepting proxy, trusted by the Maven stage of build-prod (a build secret, in no layer).
BUILD_CA_FILES ?= $(wildcard /usr/local/share/ca-certificates/*.crt)
# Limits for serve-prod (like a small Kubernetes pod or a Hugging Face Space).
SERVE_MEMORY ?= 256m
SERVE_CPUS ?= 1
# Container name for serve-prod: the image's name without its registry path.
SERVE_NAME ?= $(notdir $(IMAGE))-serve-prod
# The images' OCI source label: where their code lives. Default: this checkout's `origin` remote as
# an https URL (user and token dropped); without one the label says "unknown".
APP_SOURCE ?= $(shell git remote get-url origin 2>/dev/null | sed -E 's#^git@([^:]+):#https://\1/#; \
	s#^ssh://([^@/]+@)?([^/:]+)(:[0-9]+)?/#https://\2/#; s#^(https?://)[^@/]+@#\1#; s#\.git$$##' | grep -E '^https?://')

# The container tests (`make test`) use the same engine and CAs.
export CONTAINER_ENGINE BUILD_CA_FILES

# OCI labels from the pom and git. Podman needs the docker format to keep HEALTHCHECK, and
# --no-cache: Podman 4.3 (buildah 1.28) reuses cached LABEL/ENV steps when only a --build-arg
# value changed (the Maven cache mount still makes rebuilds quick).
APP_VERSION := $(shell sed -n 's:^    <version>\(.*\)</version>:\1:p' pom.xml | head -1)
IMAGE_BUILD = $(CONTAINER_ENGINE) build $(if $(findstring podman,$(CONTAINER_ENGINE)),--format docker --no-cache) \
	--build-arg APP_PORT=$(APP_PORT) --build-arg APP_VERSION=$(APP_VERSION) \
	--build-arg APP_REVISION=$$(git rev-parse --verify -q HEAD 2>/dev/null || echo unknown) --build-arg APP_SOURCE=$(APP_SOURCE) \
	--build-arg APP_CREATED=$$(date -u +%Y-%m-%dT%H:%M:%SZ) $(IMAGE_BUILD_ARGS)

##@ General

.PHONY: help
help: ## Display this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-15s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: serve
serve: ## Run in dev mode on APP_PORT with hot reload (edit code, then reload the page).
	APP_PORT=$(APP_PORT) $(MVN) $(MVN_ARGS) quarkus:dev

.PHONY: test
test: ## Run the whole test suite: unit, @QuarkusTest, the packaged app as a process, the container images.
	$(MVN) $(MVN_ARGS) verify
# slipway:root-only:begin (archetype/root-only.txt: cut from the archetype's copy of this file)
	$(MVN) $(MVN_ARGS) -f archetype/pom.xml verify
# slipway:root-only:end

##@ Build

.PHONY: package
package: ## Package the app into target/quarkus-app (tests skipped; `make test` runs them).
	$(MVN) $(MVN_ARGS) package -DskipTests

.PHONY: build
build: package ## Package the app, then build the JVM image (IMAGE:jvm) from target/quarkus-app.
	$(IMAGE_BUILD) --target jvm -t $(IMAGE):jvm .

.PHONY: build-prod
build-prod: ## Build the production image (IMAGE:prod) from sources, as `docker build .` does.
	@mkdir -p target && cat /dev/null $(BUILD_CA_FILES) >target/build-ca.pem
	$(IMAGE_BUILD) --secret id=build_ca,src=target/build-ca.pem --build-arg AOT_CACHE=$(AOT_CACHE) -t $(IMAGE):prod .

.PHONY: build-native
build-native: ## Build the native executable (GraalVM/Mandrel or a builder container), then IMAGE:native.
	@if command -v native-image >/dev/null 2>&1; then \
	  $(MVN) $(MVN_ARGS) package -DskipTests -Dnative; \
	elif $(CONTAINER_ENGINE) info >/dev/null 2>&1; then \
	  $(MVN) $(MVN_ARGS) package -DskipTests -Dnative -Dquarkus.native.container-build=true \
	    -Dquarkus.native.container-runtime=$(CONTAINER_ENGINE) \
	  || { echo "build-native: no native-image on PATH, and the build in Quarkus's Mandrel builder image" \
	            "failed (above; it must be pullable): install GraalVM/Mandrel or allow the pull." >&2; exit 1; }; \
	else \
	  echo "build-native needs GraalVM/Mandrel (native-image on PATH) or a working container engine" \
	       "to run the Mandrel builder image; found neither ($(CONTAINER_ENGINE) info fails)." >&2; \
	  exit 1; \
	fi
	$(IMAGE_BUILD) -f src/main/docker/Dockerfile.native -t $(IMAGE):native .

.PHONY: clean
clean: ## Remove build output.
	$(MVN) $(MVN_ARGS) clean
# slipway:root-only:begin
	$(MVN) $(MVN_ARGS) -f archetype/pom.xml clean
# slipway:root-only:end

##@ Run

.PHONY: serve-prod
serve-prod: ## Run IMAGE:prod hardened (UID 1000, read-only, limits) on APP_PORT, show health, follow logs.
	-@$(CONTAINER_ENGINE) rm -f $(SERVE_NAME) >/dev/null 2>&1
	$(CONTAINER_ENGINE) run -d --name $(SERVE_NAME) \
	  --user 1000 --read-only --tmpfs /tmp --cap-drop=ALL --security-opt=no-new-privileges \
	  --memory $(SERVE_MEMORY) --cpus $(SERVE_CPUS) \
	  -e APP_PORT=$(APP_PORT) -p $(APP_PORT):$(APP_PORT) $(IMAGE):prod
	@trap '$(CONTAINER_ENGINE) stop $(SERVE_NAME) >/dev/null; $(CONTAINER_ENGINE) rm $(SERVE_NAME) >/dev/null' EXIT; \
	for _ in $$(seq 60); do \
	  $(if $(findstring podman,$(CONTAINER_ENGINE)),podman healthcheck run $(SERVE_NAME) >/dev/null 2>&1 || true;) \
	  [ "$$($(CONTAINER_ENGINE) inspect -f '{{.State.Health.Status}}' $(SERVE_NAME))" = healthy ] && break; sleep 1; \
	done; \
	$(CONTAINER_ENGINE) ps -a --filter name=$(SERVE_NAME) --format '{{.Names}}  {{.Status}}  {{.Ports}}'; \
	echo "http://localhost:$(APP_PORT)/  (Ctrl-C stops and removes the container)"; \
	$(CONTAINER_ENGINE) logs -f $(SERVE_NAME)

##@ Benchmark

# Java that runs the harness (a single source file, JDK 17 or newer, no dependencies).
BENCH_JAVA ?= java
# Measured runs of each image after one warm-up run; the medians are reported.
BENCH_RUNS ?= 5
# Images to measure, comma-separated (naive, prod, prod-noaot, jvm); empty: every one there is.
BENCH_ONLY ?=
# JDK_JAVA_OPTIONS for every measured container, e.g. BENCH_JAVA_OPTS="-XX:+UseSerialGC -Xmx64m".
BENCH_JAVA_OPTS ?=
# Extra `run` arguments for every measured container: by default the memory limit serve-prod uses,
# so the JVM sizes its heap from a container limit as it would in production.
BENCH_RUN_ARGS ?= --memory=$(SERVE_MEMORY)
# Build ARG of the root Dockerfile that turns its AOT cache off, for the prod-noaot image, e.g.
# BENCH_NO_AOT_ARG=AOT_CACHE=false; empty: guessed from an ARG named *AOT* that defaults to true.
BENCH_NO_AOT_ARG ?=
# More harness arguments (`java bench/Bench.java --help`), e.g. BENCH_ARGS="--no-rebuild --out /tmp/b".
BENCH_ARGS ?=
BENCH_FLAGS = --runs $(BENCH_RUNS) --java-opts "$(BENCH_JAVA_OPTS)" --run-args "$(BENCH_RUN_ARGS)" \
	$(if $(BENCH_NO_AOT_ARG),--no-aot-arg $(BENCH_NO_AOT_ARG)) $(BENCH_ARGS)

.PHONY: bench
bench: ## Build the naive baseline and every image, measure them side by side; writes docs/benchmarks.{md,json,svg}, docs/builds-and-healthcheck.md.
	@mkdir -p target docs && cat /dev/null $(BUILD_CA_FILES) >target/build-ca.pem
	$(BENCH_JAVA) bench/Bench.java $(BENCH_FLAGS) --build-opts "--secret id=build_ca,src=$(CURDIR)/target/build-ca.pem" \
	  $(if $(BENCH_ONLY),--only $(BENCH_ONLY))
	scripts/measure-builds-and-healthcheck.sh >docs/builds-and-healthcheck.md

.PHONY: bench-jvm
bench-jvm: ## Only the JVM option sets part of bench (JDK_JAVA_OPTIONS on the built prod image); prints the table.
	$(BENCH_JAVA) bench/Bench.java $(BENCH_FLAGS) --jvm-options slipway-bench-prod

# slipway:root-only:begin
##@ Archetype (this repository only: projects generated from the archetype do not have it)

.PHONY: archetype
archetype: ## Install the archetype into the local Maven repository (tests skipped; `make test` runs them).
	$(MVN) $(MVN_ARGS) -f archetype/pom.xml install -DskipTests -Darchetype.test.skip=true
# slipway:root-only:end
