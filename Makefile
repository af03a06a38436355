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
# slipway:root-only:begin (archetype/root-only.txt: cut from the archetype's copy of this file)
	$(MVN) $(MVN_ARGS) -f archetype/pom.xml verify
# slipway:root-only:end

##@ Build

.PHONY: build
build: ## Package the app into target/quarkus-app (tests skipped; `make test` runs them).
	$(MVN) $(MVN_ARGS) package -DskipTests

.PHONY: clean
clean: ## Remove build output.
	$(MVN) $(MVN_ARGS) clean
# slipway:root-only:begin
	$(MVN) $(MVN_ARGS) -f archetype/pom.xml clean
# slipway:root-only:end

# slipway:root-only:begin
##@ Archetype (this repository only: projects generated from the archetype do not have it)

.PHONY: archetype
archetype: ## Install the archetype into the local Maven repository (tests skipped; `make test` runs them).
	$(MVN) $(MVN_ARGS) -f archetype/pom.xml install -DskipTests -Darchetype.test.skip=true
# slipway:root-only:end
