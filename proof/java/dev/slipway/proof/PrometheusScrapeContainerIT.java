package dev.slipway.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.proof.ObservabilityContainerIT.Metrics;
import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production container's metrics, checked by Prometheus's own tools (Debian's `prometheus`
 * package, proof/debian-packages.txt): `promtool check metrics` parses the exposition, and a real
 * Prometheus server, started here on loopback, scrapes the container and answers a PromQL query.
 */
class PrometheusScrapeContainerIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 20;

    @BeforeAll
    static void engineAndTools() {
        ContainerEngine.require();
        for (String tool : List.of("/usr/bin/promtool", "/usr/bin/prometheus")) {
            assertTrue(Files.isExecutable(Path.of(tool)), tool + " is missing: apt-get install prometheus (proof/debian-packages.txt)");
        }
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        try (Metrics metrics = Metrics.start()) {
            traffic(metrics);
            // the Prometheus text format (0.0.4), the one promtool parses; a scrape negotiates OpenMetrics (next test)
            HttpResponse<String> text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/q/metrics"))
                    .header("Accept", "text/plain; version=0.0.4").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, text.statusCode());
            assertThat(text.headers().firstValue("Content-Type").orElse(""), containsString("version=0.0.4"));
            Path exposition = Files.createTempFile("metrics", ".txt");
            try {
                Files.writeString(exposition, text.body());
                ProcessBuilder promtool = new ProcessBuilder("promtool", "check", "metrics")
                        .redirectInput(exposition.toFile()).redirectErrorStream(true);
                Process process = promtool.start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(process.waitFor(60, TimeUnit.SECONDS));
                // 0: clean; 3: parsed, with lint findings (in metrics of Micrometer's binders: names, help texts); 1: not parsable
                System.out.println("promtool check metrics: exit " + process.exitValue() + (out.isBlank() ? "" : ", lint findings:\n" + out));
                assertTrue(process.exitValue() == 0 || process.exitValue() == 3, "promtool exit " + process.exitValue() + ":\n" + out);
                assertThat(out, not(containsString("error")));
                assertThat("our own metrics lint clean", out, not(containsString("http_server_requests")));
            } finally {
                Files.deleteIfExists(exposition);
            }
        }
    }

    @Test
    void prometheusScrapesTheContainerAndAnswersForHello(@TempDir Path dir) throws Exception {
        try (Metrics metrics = Metrics.start()) {
            int port = RunningContainer.freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: app
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(metrics.port()));
            Path log = dir.resolve("prometheus.log");
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                traffic(metrics);
                JsonNode series = awaitSeries(port, "http_server_requests_seconds_count{uri=\"/hello\",status=\"200\"}", log);
                JsonNode labels = series.path("metric");
                assertEquals(TestImages.APP_NAME, labels.path("application").asText(), series.toString());
                assertEquals("app", labels.path("job").asText());
                assertThat(series.toString(), Double.parseDouble(series.path("value").get(1).asText()), greaterThanOrEqualTo((double) REQUESTS));
                assertEquals("1", awaitSeries(port, "up{job=\"app\"}", log).path("value").get(1).asText());
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static void traffic(Metrics metrics) throws Exception {
        for (int i = 0; i < REQUESTS; i++) {
            assertEquals(200, metrics.app().get("/hello?name=n" + i).statusCode());
        }
    }

    /** The first series of an instant query once it has one (Prometheus scrapes every second), with its value. */
    private static JsonNode awaitSeries(int port, String query, Path log) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.body();
                JsonNode result = JSON.readTree(last).path("data").path("result");
                if (response.statusCode() == 200 && result.size() > 0) {
                    return result.get(0);
                }
            } catch (java.io.IOException notUpYet) {
                last = notUpYet.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no series for " + query + " within 60 s; last answer: " + last + "\nprometheus log:\n" + Files.readString(log));
    }
}
