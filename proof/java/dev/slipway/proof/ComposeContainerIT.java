package dev.slipway.proof;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * compose.yaml really runs, with the compose tool of the engine (podman-compose, `docker compose` or
 * docker-compose): hardened, on APP_PORT, turning healthy. That the file says what serve-prod runs
 * is the project's own ComposeFileTest.
 */
class ComposeContainerIT {

    @Test
    void theServiceRunsHardenedAnswersOnAppPortAndTurnsHealthy() throws Exception {
        ContainerEngine.require();
        List<String> compose = composeCommand();
        Path file = Path.of("compose.yaml").toAbsolutePath();
        String image = TestImages.image(TestImages.Kind.PROD);
        String project = "it-compose-" + UUID.randomUUID().toString().substring(0, 8);
        int port = RunningContainer.freePort();
        List<String> env = List.of("env", "APP_PORT=" + port, "HOST_IP=127.0.0.1",
                "IMAGE=" + image.substring(0, image.lastIndexOf(':')), "IMAGE_TAG=" + image.substring(image.lastIndexOf(':') + 1));

        run(env, compose, List.of("-p", project, "-f", file.toString(), "up", "-d")).orFail("compose up");
        String name = null;
        try {
            name = ContainerEngine.run("ps", "-a", "--filter", "label=com.docker.compose.project=" + project,
                    "--format", "{{.Names}}").orFail("ps").out().trim();
            assertEquals(1, name.lines().count(), "one container for the project: " + name);
            RunningContainer app = new RunningContainer(name, port);
            app.awaitReady(Duration.ofSeconds(90));
            assertEquals(200, app.get("/hello").statusCode(), "answers on APP_PORT " + port);
            assertThat(app.logs(), containsString("Listening on: http://0.0.0.0:" + port));
            assertEquals("healthy", app.awaitHealthy(Duration.ofSeconds(60)), "the image's HEALTHCHECK");
            assertEquals("1000", app.processUid(), "runs as uid 1000");
            assertEquals("true", app.inspect("{{.HostConfig.ReadonlyRootfs}}"), "read-only root filesystem");
            assertThat(app.inspect("{{json .HostConfig.Tmpfs}}"), containsString("\"/tmp\""));
            assertThat(app.inspect("{{.HostConfig.SecurityOpt}}"), containsString("no-new-privileges"));
            assertEquals(String.valueOf(256L * 1024 * 1024), app.inspect("{{.HostConfig.Memory}}"), "256m");
            assertEquals("1000000000", app.inspect("{{.HostConfig.NanoCpus}}"), "1 CPU");
            if (ContainerEngine.isPodman()) {
                assertEquals("[]", app.inspect("{{.EffectiveCaps}}"), "no capabilities");
            } else {
                assertThat(app.inspect("{{.HostConfig.CapDrop}}"), containsString("ALL"));
            }
        } finally {
            run(env, compose, List.of("-p", project, "-f", file.toString(), "down")).orFail("compose down");
        }
        assertNotEquals(0, ContainerEngine.run("inspect", name).exit(), "compose down removed " + name);
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
        assumeTrue(false, message);
        return null;
    }

    private static ContainerEngine.Result run(List<String> env, List<String> compose, List<String> args) {
        List<String> command = new ArrayList<>(env);
        command.addAll(compose);
        command.addAll(args);
        return ContainerEngine.exec(Duration.ofMinutes(2), command);
    }
}
