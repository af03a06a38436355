package dev.slipway.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesRegex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production log format (APP_LOG_JSON=true) and traces turned on by an OTLP endpoint. The spans
 * go to the SDK's in-memory exporter; the OTLP exporter is left out of this build, so nothing is
 * sent anywhere (no collector runs in the tests).
 */
@QuarkusTest
@TestProfile(JsonLogsAndTracesTest.JsonLogsAndEndpoint.class)
class JsonLogsAndTracesTest {

    public static class JsonLogsAndEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("APP_LOG_JSON", "true",
                    // what `docker run -e OTEL_EXPORTER_OTLP_ENDPOINT=...` sets
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.invalid:4317",
                    "quarkus.otel.exporter.otlp.enabled", "false");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void noSpansYet() {
        spans.reset();
    }

    @Test
    void everyLineIsOneJsonObjectWithTimestampLevelLoggerAndMessage() throws Exception {
        try (ConsoleLog log = new ConsoleLog()) {
            Logger.getLogger(JsonLogsAndTracesTest.class).info("a \"quoted\" line\nwith a second line");
            String line = log.lines().stream().filter(l -> l.contains("quoted")).findFirst().orElseThrow();
            assertFalse(line.contains("\n"), "one line: " + line);
            JsonNode json = JSON.readTree(line);
            assertThat(json.path("timestamp").asText(), matchesRegex("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*"));
            assertEquals("INFO", json.path("level").asText());
            assertEquals(JsonLogsAndTracesTest.class.getName(), json.path("loggerName").asText());
            assertEquals("a \"quoted\" line\nwith a second line", json.path("message").asText());
            assertTrue(json.path("mdc").path("traceId").isMissingNode(), "no trace id outside a request: " + line);
        }
    }

    @Test
    void aFailedRequestIsLoggedWithItsExceptionAndTraceId() throws Exception {
        try (ConsoleLog log = new ConsoleLog()) {
            given().get("/test-routes/failing/42").then().statusCode(500);
            SpanData span = awaitSpan("/test-routes/failing/{id}");
            String line = awaitLine(log, "test failure for item 42");
            JsonNode json = JSON.readTree(line);
            assertEquals("ERROR", json.path("level").asText(), line);
            assertThat(json.path("stackTrace").asText(), containsString("java.lang.IllegalStateException: test failure for item 42"));
            assertThat(json.path("stackTrace").asText(), containsString("at dev.slipway.proof.TestRoutes.failing"));
            assertEquals(span.getTraceId(), json.path("mdc").path("traceId").asText(), "the request's trace id: " + line);
        }
    }

    @Test
    void everyRequestHasASpanNamedAfterItsRoute() {
        given().get("/test-routes/items/7").then().statusCode(200);
        given().queryParam("name", "Ada").get("/hello").then().statusCode(200);
        SpanData item = awaitSpan("/test-routes/items/{id}");
        assertEquals("GET /test-routes/items/{id}", item.getName());
        assertEquals(200L, item.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
        SpanData hello = awaitSpan("/hello");
        assertEquals("GET /hello", hello.getName());
    }

    private SpanData awaitSpan(String route) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            List<SpanData> found = spans.getFinishedSpanItems().stream()
                    .filter(s -> route.equals(s.getAttributes().get(AttributeKey.stringKey("http.route")))).toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
            sleep();
        }
        throw new AssertionError("no span with http.route=" + route + " in " + spans.getFinishedSpanItems());
    }

    private static String awaitLine(ConsoleLog log, String text) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            var line = log.lines().stream().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            sleep();
        }
        throw new AssertionError("no log line with '" + text + "' in " + log.lines());
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
