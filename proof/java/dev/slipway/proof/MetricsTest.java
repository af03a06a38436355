package dev.slipway.proof;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /q/metrics on the management port: route templates, SLO buckets, JVM metrics, the application tag; no traces by default. */
@QuarkusTest
class MetricsTest {

    // management = true: relative to the management root path, /q
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    @Inject
    InMemorySpanExporter spans;

    private String scrape() {
        return given().when().get(metrics).then().statusCode(200).extract().asString();
    }

    /** The sample lines of one metric, e.g. {@code http_server_requests_seconds_count}. */
    private static List<String> samples(String exposition, String metric) {
        return exposition.lines().filter(l -> l.startsWith(metric + "{")).toList();
    }

    @Test
    void requestsAreCountedByRouteTemplateNotByRawPath() {
        for (String id : List.of("1", "2", "3")) {
            given().get("/test-routes/items/" + id).then().statusCode(200);
        }
        given().queryParam("name", "Ada").get("/hello").then().statusCode(200);
        given().queryParam("name", "Grace").get("/hello").then().statusCode(200);

        List<String> counts = samples(scrape(), "http_server_requests_seconds_count");
        assertThat(counts, hasItem(containsString("uri=\"/test-routes/items/{id}\"")));
        assertThat(counts, hasItem(containsString("uri=\"/hello\"")));
        for (String raw : List.of("/test-routes/items/1", "/test-routes/items/2", "name=", "Ada")) {
            assertThat(counts, not(hasItem(containsString(raw))));
        }
        String items = counts.stream().filter(l -> l.contains("uri=\"/test-routes/items/{id}\"") && l.contains("status=\"200\""))
                .findFirst().orElseThrow();
        assertTrue(Double.parseDouble(items.substring(items.lastIndexOf(' ') + 1)) >= 3, items);
    }

    @Test
    void latencyHasTheSloBucketsPerRoute() {
        given().get("/hello").then().statusCode(200);
        List<String> buckets = samples(scrape(), "http_server_requests_seconds_bucket").stream()
                .filter(l -> l.contains("uri=\"/hello\"") && l.contains("status=\"200\"")).toList();
        for (String le : List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "+Inf")) {
            assertThat(buckets, hasItem(containsString("le=\"" + le + "\"")));
        }
        assertEquals(11, buckets.size(), "the SLO buckets and +Inf, nothing more: " + buckets);
    }

    @Test
    void jvmMemoryGcAndThreadsAreThere() {
        String exposition = scrape();
        for (String metric : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_memory_allocated_bytes_total",
                "jvm_gc_live_data_size_bytes", "jvm_threads_live_threads", "jvm_threads_states_threads", "process_cpu_usage")) {
            assertThat(metric, samples(exposition, metric), not(empty()));
        }
    }

    @Test
    void everySampleIsTaggedWithTheApplicationName() {
        assertEquals("slipway-starter", application, "the application name is the artifactId");
        List<String> sampleLines = scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(sampleLines, not(empty()));
        Pattern tagged = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*\\{(.*,)?application=\"" + Pattern.quote(application) + "\".*");
        sampleLines.forEach(l -> assertTrue(tagged.matcher(l).matches(), l));
    }

    @Test
    void metricsAreNotOnTheApiPortButHealthIs() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void tracesAreOffWithoutAnOtlpEndpoint() {
        spans.reset();
        given().get("/hello").then().statusCode(200);
        given().get("/test-routes/items/7").then().statusCode(200);
        assertThat(spans.getFinishedSpanItems(), empty());
    }
}
