# Slipway starter: build, run and test the service. `make` or `make help` lists every target.
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

##@ General

.PHONY: help
help: ## Display this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-15s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: serve
serve: ## Run in dev mode on APP_PORT with hot reload (edit code, then reload the page).
	APP_PORT=$(APP_PORT) $(MVN) $(MVN_ARGS) quarkus:dev

.PHONY: test
test: ## Run the whole test suite: unit, @QuarkusTest and the packaged app as a real process.
	$(MVN) $(MVN_ARGS) verify

##@ Build

.PHONY: build
build: ## Package the app into target/quarkus-app (tests skipped; `make test` runs them).
	$(MVN) $(MVN_ARGS) package -DskipTests

.PHONY: clean
clean: ## Remove build output.
	$(MVN) $(MVN_ARGS) clean

##@ Benchmark

# Java that runs the harness (a single source file, JDK 17 or newer, no dependencies).
BENCH_JAVA ?= java
# Measured runs of each image after one warm-up run; the medians are reported.
BENCH_RUNS ?= 5
# Images to measure, comma-separated (naive, prod, prod-noaot, jvm); empty: every one there is.
BENCH_ONLY ?=
# JDK_JAVA_OPTIONS for every measured container, e.g. BENCH_JAVA_OPTS="-XX:+UseSerialGC -Xmx64m".
BENCH_JAVA_OPTS ?=
# Extra `run` arguments for every measured container, e.g. BENCH_RUN_ARGS="--memory=256m".
BENCH_RUN_ARGS ?=
# More harness arguments (`java bench/Bench.java --help`), e.g. BENCH_ARGS="--no-rebuild --out /tmp/b".
BENCH_ARGS ?=
BENCH_FLAGS = --runs $(BENCH_RUNS) --java-opts "$(BENCH_JAVA_OPTS)" --run-args "$(BENCH_RUN_ARGS)" $(BENCH_ARGS)

.PHONY: bench
bench: ## Build the naive baseline and every image, measure them side by side; writes docs/benchmarks.{md,json,svg}.
	CONTAINER_ENGINE=$(CONTAINER_ENGINE) $(BENCH_JAVA) bench/Bench.java $(BENCH_FLAGS) $(if $(BENCH_ONLY),--only $(BENCH_ONLY))

.PHONY: bench-jvm
bench-jvm: ## Measure container-fit JVM option sets (JDK_JAVA_OPTIONS) against the built prod image; prints a table.
	CONTAINER_ENGINE=$(CONTAINER_ENGINE) $(BENCH_JAVA) bench/Bench.java $(BENCH_FLAGS) --jvm-options slipway-bench-prod
