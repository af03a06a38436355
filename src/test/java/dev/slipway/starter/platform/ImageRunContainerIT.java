package dev.slipway.starter.platform;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import dev.slipway.starter.testing.TestImages.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The images run as they are deployed: read-only root, no capabilities, any uid in group 0, the port from APP_PORT. */
public class ImageRunContainerIT {

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"PROD", "NATIVE"})
    public void servesAsUid1000HardenedAndTurnsHealthy(Kind kind) throws Exception {
        // No --user: uid 1000 must be the image's own default, not what the test asks for.
        try (RunningContainer app = RunningContainer.startHardened(TestImages.image(kind), 8080)) {
            assertEquals("{\"message\":\"Hello, Ada!\"}", app.get("/hello?name=Ada").body());
            assertThat(app.get("/").body(), containsString("\"status\":\"UP\""));
            assertEquals("healthy", app.awaitHealthy(Duration.ofSeconds(60)));
            assertEquals("1000", app.processUid());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"PROD", "NATIVE"})
    void servesAsAnyUidInGroupZeroOnThePortFromAppPort(Kind kind) throws Exception {
        try (RunningContainer app = RunningContainer.startHardened(TestImages.image(kind), 7860, "--user", "4242:0", "-e", "APP_PORT=7860")) {
            assertEquals(200, app.get("/hello").statusCode());
            assertThat(app.logs(), containsString("Listening on: http://0.0.0.0:7860"));
            assertEquals("healthy", app.awaitHealthy(Duration.ofSeconds(60)), "the HEALTHCHECK follows APP_PORT");
            assertEquals("4242", app.processUid());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"PROD", "NATIVE"})
    void stopsOnSigtermWithExit143AfterTheDrain(Kind kind) throws Exception {
        try (RunningContainer app = RunningContainer.startHardened(TestImages.image(kind), 8080)) {
            Instant start = Instant.now();
            ContainerEngine.run("stop", "-t", "10", app.name).orFail("stop");
            long millis = Duration.between(start, Instant.now()).toMillis();
            assertEquals("143", app.inspect("{{.State.ExitCode}}"), "java is PID 1 and ends on SIGTERM with 128+15:\n" + app.logs());
            assertThat("stop took " + millis + " ms, 1 s of it the readiness drain", millis, lessThan(5000L));
        }
    }
}
