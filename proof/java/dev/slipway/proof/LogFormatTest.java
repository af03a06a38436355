package dev.slipway.proof;

import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Tests (like dev mode) log text lines a person reads; JsonLogsAndTracesTest shows APP_LOG_JSON=true. */
@QuarkusTest
class LogFormatTest {

    @Test
    void consoleLinesAreTextInTests() {
        try (ConsoleLog log = new ConsoleLog()) {
            Logger.getLogger(LogFormatTest.class).warn("a text line");
            String line = log.lines().stream().filter(l -> l.contains("a text line")).findFirst().orElseThrow();
            assertThat(line, not(startsWith("{")));
            assertThat(line, containsString("WARN"));
            assertThat(line, containsString("[dev.slipway.proof.LogFormatTest]"));
        }
    }
}
