package dev.slipway.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The production image, run hardened: metrics on the management port only, JSON logs, the HEALTHCHECK on APP_PORT. */
public class ObservabilityContainerIT {

    /** The image's management port (Quarkus's default), where Prometheus scrapes /q/metrics. */
    public static final int MANAGEMENT_PORT = 9000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The production image, hardened, with its management port reachable on 127.0.0.1:{@link Metrics#port}. */
    public record Metrics(RunningContainer app, int port) implements AutoCloseable {
        public static Metrics start(String... extraOptions) throws Exception {
            int port = RunningContainer.freePort();
            List<String> options = new ArrayList<>(List.of(extraOptions));
            options.addAll(List.of("-p", "127.0.0.1:" + port + ":" + MANAGEMENT_PORT));
            return new Metrics(RunningContainer.startHardened(TestImages.image(TestImages.Kind.PROD), 8080,
                    options.toArray(String[]::new)), port);
        }

        public String scrape() throws Exception {
            var response = RunningContainer.get(port, "/q/metrics");
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        }

        @Override
        public void close() {
            app.close();
        }
    }

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    @Test
    void servesMetricsOnTheManagementPortOnlyAndStaysHealthy() throws Exception {
        String image = TestImages.image(TestImages.Kind.PROD);
        assertThat(ContainerEngine.run("image", "inspect", "--format", "{{json .Config.ExposedPorts}}", image)
                .orFail("inspect").out(), containsString(MANAGEMENT_PORT + "/tcp"));
        try (Metrics metrics = Metrics.start("--user", "1000")) {
            RunningContainer app = metrics.app();
            assertEquals(200, app.get("/hello?name=Ada").statusCode());
            assertEquals(404, app.get("/q/metrics").statusCode(), "no metrics on the API port");
            String exposition = metrics.scrape();
            assertThat(exposition, containsString("http_server_requests_seconds_count{application=\"slipway-starter\","));
            assertThat(exposition, containsString("uri=\"/hello\""));
            assertThat(exposition, not(containsString("Ada")));
            // the jlink runtime has what the JVM binders read (java.management, jdk.management)
            for (String metric : List.of("jvm_memory_used_bytes{", "jvm_gc_max_data_size_bytes{", "jvm_threads_live_threads{",
                    "process_cpu_usage{")) {
                assertThat(exposition, containsString(metric));
            }
            assertEquals("healthy", app.awaitHealthy(Duration.ofSeconds(60)), "the HEALTHCHECK still probes APP_PORT");
        }
    }

    @Test
    void logsJsonLinesAndTextWithAppLogJsonFalse() throws Exception {
        try (Metrics metrics = Metrics.start()) {
            // but the JVM's own notice of the image's JAVA_TOOL_OPTIONS, printed before any Java code runs
            List<String> lines = metrics.app().logs().lines().filter(l -> !l.isBlank() && !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
            assertFalse(lines.isEmpty());
            for (String line : lines) {
                JsonNode json = JSON.readTree(line);
                for (String field : List.of("timestamp", "level", "loggerName", "message")) {
                    assertFalse(json.path(field).asText().isEmpty(), field + " in " + line);
                }
            }
            assertThat(String.join("\n", lines), containsString("Management interface listening on http://0.0.0.0:" + MANAGEMENT_PORT));
        }
        try (Metrics metrics = Metrics.start("-e", "APP_LOG_JSON=false")) {
            String started = metrics.app().logs().lines().filter(l -> l.contains("Listening on")).findFirst().orElseThrow();
            assertThat(started, not(startsWith("{")));
            assertThat(started, containsString("INFO  [io.quarkus]"));
        }
    }

    @Test
    void startupErrorsStayOnePlainLineEachInEitherLogFormat() {
        String image = TestImages.image(TestImages.Kind.PROD);
        for (String json : List.of("true", "false")) {
            String name = TestImages.scratchName();
            List<String> lines;
            try {
                ContainerEngine.run("run", "-d", "--name", name, "-e", "APP_LOG_JSON=" + json, "-e", "APP_PORT=abc",
                        "-e", "APP_REQUIRED_SECRETS=API_TOKEN", image).orFail("run");
                assertEquals("2", ContainerEngine.run("wait", name).orFail("wait").out().trim());
                // what `docker logs` shows
                ContainerEngine.Result logs = ContainerEngine.run("logs", name).orFail("logs");
                lines = (logs.out() + logs.err()).lines()
                        .filter(l -> !l.isBlank() && !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
            } finally {
                ContainerEngine.run("rm", "-f", name);
            }
            assertEquals(List.of("ERROR: APP_PORT='abc' is not a valid port: set APP_PORT to a whole number from 1 to 65535"
                            + " (or leave it unset for 8080)",
                    "ERROR: API_TOKEN is not set, and APP_REQUIRED_SECRETS lists it as required: pass it at run time"
                            + " (e.g. docker run -e API_TOKEN=...) or remove it from APP_REQUIRED_SECRETS"),
                    lines, "APP_LOG_JSON=" + json);
        }
    }
}
