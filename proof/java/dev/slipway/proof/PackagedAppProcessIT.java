package dev.slipway.proof;

import dev.slipway.starter.testing.RunningContainer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The packaged app as a real process: the port from APP_PORT, the HEALTHCHECK command, the readiness
 * drain on SIGTERM, and refusing bad settings. (The project's PackagedAppIT runs its endpoint tests
 * against the packaged app with @QuarkusIntegrationTest.)
 */
class PackagedAppProcessIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BAD_CONFIG_EXIT_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void servesOnThePortFromAppPort() throws Exception {
        int port = RunningContainer.freePort();
        try (PackagedApp app = PackagedApp.start(Map.of("APP_PORT", Integer.toString(port)))) {
            app.awaitReady(port, START_TIMEOUT);

            HttpResponse<String> root = RunningContainer.get(port, "/");
            assertEquals(200, root.statusCode());
            assertThat(root.body(), containsString("\"name\":\"slipway-starter\""));
            assertThat(root.body(), containsString("\"status\":\"UP\""));

            HttpResponse<String> hello = RunningContainer.get(port, "/hello?name=Grace");
            assertEquals(200, hello.statusCode());
            assertEquals("{\"message\":\"Hello, Grace!\"}", hello.body());

            HttpResponse<String> ready = RunningContainer.get(port, "/q/health/ready");
            assertEquals(200, ready.statusCode());
            assertThat(ready.body(), containsString("\"status\": \"UP\""));
            assertThat(app.output(), containsString("Listening on: http://0.0.0.0:" + port));
        }
    }

    @Test
    void healthcheckCommandReportsReadiness() throws Exception {
        int port = RunningContainer.freePort();
        try (PackagedApp probeBeforeStart = PackagedApp.startHealthcheck(Map.of("APP_PORT", Integer.toString(port)))) {
            assertEquals(1, probeBeforeStart.awaitExit(BAD_CONFIG_EXIT_TIMEOUT), "nothing listens yet");
        }
        try (PackagedApp app = PackagedApp.start(Map.of("APP_PORT", Integer.toString(port)))) {
            app.awaitReady(port, START_TIMEOUT);
            try (PackagedApp probe = PackagedApp.startHealthcheck(Map.of("APP_PORT", Integer.toString(port)))) {
                assertEquals(0, probe.awaitExit(BAD_CONFIG_EXIT_TIMEOUT), probe.output());
            }
        }
    }

    @Test
    void readinessTurnsDownOnShutdownWhileTheServerStillAnswers() throws Exception {
        int port = RunningContainer.freePort();
        try (PackagedApp app = PackagedApp.start(Map.of("APP_PORT", Integer.toString(port),
                "QUARKUS_SHUTDOWN_DELAY", "5s"))) {
            app.awaitReady(port, START_TIMEOUT);
            app.process.destroy(); // SIGTERM, as docker stop and Kubernetes send

            HttpResponse<String> ready = awaitReadinessNot200(port);
            assertEquals(503, ready.statusCode());
            assertThat(ready.body(), containsString("\"status\": \"DOWN\""));
            assertThat(ready.body(), containsString("Graceful Shutdown"));
            assertEquals(200, RunningContainer.get(port, "/hello").statusCode(), "still serving while draining");

            int exit = app.awaitExit(Duration.ofSeconds(20));
            assertEquals(143, exit, "SIGTERM ends the JVM with 128+15:\n" + app.output());
        }
    }

    private static HttpResponse<String> awaitReadinessNot200(int port) throws Exception {
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> ready = RunningContainer.get(port, "/q/health/ready");
            if (ready.statusCode() != 200) {
                return ready;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("readiness stayed 200 for 2 s after SIGTERM");
    }

    @Test
    void badAppPortStopsStartupWithOneClearLine() throws Exception {
        for (String bad : new String[] {"abc", "0", "65536"}) {
            try (PackagedApp app = PackagedApp.start(Map.of("APP_PORT", bad))) {
                int exit = app.awaitExit(BAD_CONFIG_EXIT_TIMEOUT);
                String output = app.output();
                assertNotEquals(0, exit, output);
                assertThat(output, containsString("ERROR: APP_PORT='" + bad
                        + "' is not a valid port: set APP_PORT to a whole number from 1 to 65535"));
                assertThat(output, not(containsString("Exception")));
            }
        }
    }

    @Test
    void missingRequiredSecretStopsStartupNamingTheVariable() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("APP_PORT", Integer.toString(RunningContainer.freePort()),
                "APP_REQUIRED_SECRETS", "API_TOKEN"))) {
            int exit = app.awaitExit(BAD_CONFIG_EXIT_TIMEOUT);
            String output = app.output();
            assertNotEquals(0, exit, output);
            assertThat(output, containsString("ERROR: API_TOKEN is not set, and APP_REQUIRED_SECRETS lists it as required"));
            assertThat(output, not(containsString("Exception")));
        }
    }

    @Test
    void requiredSecretGivenStartsNormally() throws Exception {
        int port = RunningContainer.freePort();
        try (PackagedApp app = PackagedApp.start(Map.of("APP_PORT", Integer.toString(port),
                "APP_REQUIRED_SECRETS", "API_TOKEN", "API_TOKEN", "not-a-real-token"))) {
            app.awaitReady(port, START_TIMEOUT);
            assertThat(app.output(), not(containsString("not-a-real-token")));
        }
    }
}
