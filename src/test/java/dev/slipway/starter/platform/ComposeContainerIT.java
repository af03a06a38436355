package dev.slipway.starter.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.PackagedApp;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** compose.yaml: the same hardened run as `make serve-prod`, and it really runs that way. */
class ComposeContainerIT {

    private static final Path COMPOSE = Path.of("compose.yaml").toAbsolutePath();
    /** `run` options of serve-prod that are not about how the app runs (naming, detaching, publishing, env). */
    private static final Set<String> NOT_HARDENING = Set.of("-d", "--detach", "--name", "-e", "--env", "-p", "--publish",
            "--network", "--rm", "--replace");

    @Test
    void composeDeclaresWhatServeProdRuns() throws Exception {
        assertEquals(serveProdOptions(), composeOptions(), "serve-prod (make -n serve-prod) and compose.yaml must harden alike");
    }

    @Test
    void theServiceRunsHardenedAnswersOnAppPortAndTurnsHealthy() throws Exception {
        ContainerEngine.require();
        List<String> compose = composeCommand();
        String image = TestImages.image(TestImages.Kind.PROD);
        String project = "it-compose-" + UUID.randomUUID().toString().substring(0, 8);
        int port = PackagedApp.freePort();
        List<String> env = List.of("env", "APP_PORT=" + port, "HOST_IP=127.0.0.1",
                "IMAGE=" + image.substring(0, image.lastIndexOf(':')), "IMAGE_TAG=" + image.substring(image.lastIndexOf(':') + 1));

        run(env, compose, List.of("-p", project, "-f", COMPOSE.toString(), "up", "-d")).orFail("compose up");
        String container = null;
        try {
            container = ContainerEngine.run("ps", "-a", "--filter", "label=com.docker.compose.project=" + project,
                    "--format", "{{.Names}}").orFail("ps").out().trim();
            assertEquals(1, container.lines().count(), "one container for the project: " + container);
            String name = container;
            PackagedApp.awaitReady(port, Duration.ofSeconds(90), () -> {
                String status = inspect(name, "{{.State.Status}}");
                return "running".equals(status) ? null : "container " + name + " is " + status;
            }, () -> ContainerEngine.run("logs", name).out() + ContainerEngine.run("logs", name).err());
            assertEquals(200, PackagedApp.get(port, "/hello").statusCode(), "answers on APP_PORT " + port);
            assertThat(ContainerEngine.run("logs", name).out(), containsString("Listening on: http://0.0.0.0:" + port));
            assertEquals("healthy", awaitHealthy(name, Duration.ofSeconds(60)), "the image's HEALTHCHECK");

            String pid = inspect(name, "{{.State.Pid}}");
            assertEquals("1000", ContainerEngine.exec(Duration.ofSeconds(10), List.of("ps", "-o", "uid=", "-p", pid))
                    .orFail("ps").out().trim(), "runs as uid 1000");
            assertEquals("true", inspect(name, "{{.HostConfig.ReadonlyRootfs}}"), "read-only root filesystem");
            assertThat(inspect(name, "{{json .HostConfig.Tmpfs}}"), containsString("\"/tmp\""));
            assertThat(inspect(name, "{{.HostConfig.SecurityOpt}}"), containsString("no-new-privileges"));
            assertEquals(String.valueOf(256L * 1024 * 1024), inspect(name, "{{.HostConfig.Memory}}"), "256m");
            assertEquals("1000000000", inspect(name, "{{.HostConfig.NanoCpus}}"), "1 CPU");
            if (ContainerEngine.isPodman()) {
                assertEquals("[]", inspect(name, "{{.EffectiveCaps}}"), "no capabilities");
            } else {
                assertThat(inspect(name, "{{.HostConfig.CapDrop}}"), containsString("ALL"));
            }
        } finally {
            run(env, compose, List.of("-p", project, "-f", COMPOSE.toString(), "down")).orFail("compose down");
        }
        assertTrue(ContainerEngine.run("container", "exists", container).exit() != 0 || !ContainerEngine.isPodman(),
                "compose down removed " + container);
    }

    /** serve-prod's hardening, as `name=value` (or `name`), from the recipe make would run. */
    static Set<String> serveProdOptions() {
        String recipe = ContainerEngine.exec(Duration.ofSeconds(30), List.of("make", "-n", "serve-prod", "CONTAINER_ENGINE=podman"))
                .orFail("make -n serve-prod").out().replace("\\\n", " ");
        String run = recipe.lines().filter(l -> l.startsWith("podman run ")).findFirst()
                .orElseThrow(() -> new AssertionError("no `podman run` in make -n serve-prod:\n" + recipe));
        List<String> tokens = new ArrayList<>(Arrays.asList(run.trim().split("\\s+")).subList(2, run.trim().split("\\s+").length));
        Set<String> options = new TreeSet<>();
        for (int i = 0; i < tokens.size() - 1; i++) { // the last token is the image
            String token = tokens.get(i);
            if (!token.startsWith("-")) {
                fail("unexpected `" + token + "` in serve-prod's run command: " + run);
            }
            String flag = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
            boolean takesValue = !token.contains("=") && !Set.of("-d", "--detach", "--read-only", "--rm", "--replace").contains(token);
            String value = token.contains("=") ? token.substring(token.indexOf('=') + 1) : takesValue ? tokens.get(++i) : null;
            if (!NOT_HARDENING.contains(flag)) {
                options.add(value == null ? flag : flag + "=" + value);
            }
        }
        return options;
    }

    /** compose.yaml's service, in the same terms. */
    static Set<String> composeOptions() throws Exception {
        JsonNode app = new YAMLMapper().readTree(COMPOSE.toFile()).path("services").path("app");
        Set<String> options = new TreeSet<>();
        if (app.has("user")) {
            options.add("--user=" + app.path("user").asText());
        }
        if (app.path("read_only").asBoolean(false)) {
            options.add("--read-only");
        }
        app.path("tmpfs").forEach(t -> options.add("--tmpfs=" + t.asText()));
        app.path("cap_drop").forEach(c -> options.add("--cap-drop=" + c.asText()));
        app.path("security_opt").forEach(s -> options.add("--security-opt=" + s.asText()));
        if (app.has("mem_limit")) {
            options.add("--memory=" + app.path("mem_limit").asText());
        }
        if (app.has("cpus")) {
            options.add("--cpus=" + app.path("cpus").asText());
        }
        return options;
    }

    /** podman-compose with Podman; `docker compose` (or docker-compose) with Docker. */
    private static List<String> composeCommand() {
        List<List<String>> candidates = ContainerEngine.isPodman()
                ? List.of(List.of("podman-compose"))
                : List.of(List.of(ContainerEngine.name(), "compose"), List.of("docker-compose"));
        for (List<String> candidate : candidates) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            try {
                if (ContainerEngine.exec(Duration.ofSeconds(30), version).exit() == 0) {
                    return candidate;
                }
            } catch (AssertionError notInstalled) {
                // next
            }
        }
        String message = "no compose tool for " + ContainerEngine.name() + " (tried " + candidates
                + "): compose.yaml was NOT run. Install podman-compose or Docker Compose.";
        if (Boolean.parseBoolean(ContainerEngine.setting("REQUIRE_CONTAINER_TESTS"))) {
            fail(message + " REQUIRE_CONTAINER_TESTS=true makes this a failure.");
        }
        System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
        assumeTrue(false, message);
        return null;
    }

    private static ContainerEngine.Result run(List<String> env, List<String> compose, List<String> args) {
        List<String> command = new ArrayList<>(env);
        command.addAll(compose);
        command.addAll(args);
        return ContainerEngine.exec(Duration.ofMinutes(2), command);
    }

    private static String awaitHealthy(String container, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String status = "";
        while (Instant.now().isBefore(deadline)) {
            if (ContainerEngine.isPodman()) {
                ContainerEngine.run("healthcheck", "run", container); // Podman here runs no health timers
            }
            status = inspect(container, "{{.State.Health.Status}}");
            if ("healthy".equals(status)) {
                return status;
            }
            Thread.sleep(1000);
        }
        return status;
    }

    private static String inspect(String container, String format) {
        return ContainerEngine.run("inspect", "--format", format, container).orFail("inspect " + container).out().trim();
    }
}
