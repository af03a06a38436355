package dev.slipway.starter.platform;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.TestImages;
import dev.slipway.starter.testing.RunningContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesRegex;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The images (production, JVM, and native when there is a native executable), run the way they are deployed: hardened, any UID, limits. */
class ImageRunContainerIT {

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    @ParameterizedTest
    @EnumSource(TestImages.Kind.class)
    void servesAsUid1000HardenedAndTurnsHealthy(TestImages.Kind kind) throws Exception {
        try (RunningContainer app = RunningContainer.startHardened(TestImages.image(kind), 8080, "--user", "1000")) {
            HttpResponse<String> root = app.get("/");
            assertEquals(200, root.statusCode());
            assertThat(root.body(), containsString("\"name\":\"slipway-starter\""));
            assertEquals("{\"message\":\"Hello, Ada!\"}", app.get("/hello?name=Ada").body());
            assertEquals(200, app.get("/hello").statusCode());
            HttpResponse<String> ready = app.get("/q/health/ready");
            assertEquals(200, ready.statusCode());
            assertThat(ready.body(), containsString("\"status\": \"UP\""));
            assertEquals(200, app.get("/q/health/live").statusCode());
            assertEquals(200, app.get("/q/health/started").statusCode());
            assertEquals("healthy", app.awaitHealthy(Duration.ofSeconds(60)));
            assertEquals("1000", app.processUid(), "the app runs as uid 1000");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"PROD", "NATIVE"})
    void startsWithAnyUidInGroupZero(TestImages.Kind kind) throws Exception {
        try (RunningContainer app = RunningContainer.startHardened(TestImages.image(kind), 8080, "--user", "4242:0")) {
            assertEquals(200, app.get("/hello").statusCode());
            assertEquals("healthy", app.awaitHealthy(Duration.ofSeconds(60)));
            assertEquals("4242", app.processUid());
        }
    }

    /** Hugging Face Spaces' port: not the images' 8080. */
    private static final int OTHER_PORT = 7860;

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"PROD", "NATIVE"})
    void portComesFromAppPortAtRunTime(TestImages.Kind kind) throws Exception {
        int port = OTHER_PORT;
        try (RunningContainer app = RunningContainer.startHardened(TestImages.image(kind), port, "-e", "APP_PORT=" + port)) {
            assertThat(app.logs(), matchesRegex("(?s).*Listening on: http://[0-9.]+:" + port + "\\b.*"));
            assertEquals("healthy", app.awaitHealthy(Duration.ofSeconds(60)), "the HEALTHCHECK follows APP_PORT");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"JVM", "NATIVE"})
    void portComesFromTheAppPortBuildArg(TestImages.Kind kind) throws Exception {
        int port = OTHER_PORT;
        String image = TestImages.image(kind, List.of("--build-arg", "APP_PORT=" + port));
        assertThat(ContainerEngine.run("image", "inspect", "--format", "{{json .Config.ExposedPorts}}", image)
                .orFail("inspect").out(), containsString(port + "/tcp"));
        try (RunningContainer app = RunningContainer.startHardened(image, port)) {
            assertEquals(200, app.get("/").statusCode());
        }
    }

    @Test
    void productionImageStartsFromItsOwnAotCache() throws Exception {
        String image = TestImages.image(TestImages.Kind.PROD);
        assertThat(TestImages.filesOf(image), hasItem("/app/aot/app.aot"));
        // AOTMode=on makes the JVM refuse to start when the cache does not match this JVM and class path
        try (RunningContainer app = RunningContainer.startHardened(image, 8080, "-e", "JDK_JAVA_OPTIONS=-XX:AOTMode=on")) {
            assertEquals(200, app.get("/hello").statusCode());
        }
    }

    @Test
    void aotCacheCanBeTurnedOffAtBuildTime() throws Exception {
        String image = TestImages.image(TestImages.Kind.PROD, List.of("--build-arg", "AOT_CACHE=off"));
        assertThat(TestImages.filesOf(image), not(hasItem("/app/aot/app.aot")));
        try (RunningContainer app = RunningContainer.startHardened(image, 8080)) {
            assertEquals(200, app.get("/hello").statusCode());
            assertThat(app.logs(), not(containsString("AOT")));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"PROD", "NATIVE"})
    void stopsFastWithSigtermExitCode(TestImages.Kind kind) throws Exception {
        try (RunningContainer app = RunningContainer.startHardened(TestImages.image(kind), 8080)) {
            Instant start = Instant.now();
            ContainerEngine.run("stop", "-t", "10", app.name).orFail("stop");
            long millis = Duration.between(start, Instant.now()).toMillis();
            assertEquals("143", app.inspect("{{.State.ExitCode}}"),
                    "the app is PID 1 (exec form) and ends on SIGTERM with 128+15:\n" + app.logs());
            assertThat("stop took " + millis + " ms (1 s of it is the readiness drain)", millis, lessThan(5000L));
        }
    }

    @Test
    void servesThousandsOfRequestsIn256MegabytesWithoutErrors() throws Exception {
        try (RunningContainer app = RunningContainer.startHardened(TestImages.image(TestImages.Kind.PROD), 8080, "--memory", "256m", "--cpus", "1")) {
            int requests = 3000;
            AtomicInteger errors = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    String path = i % 3 == 0 ? "/" : i % 3 == 1 ? "/hello?name=n" + i : "/q/health/ready";
                    done.add(pool.submit(() -> {
                        try {
                            if (app.get(path).statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(0, errors.get(), "errors out of " + requests + " requests:\n" + app.logs());
            assertEquals("running", app.inspect("{{.State.Status}}"));
            assertEquals("false", app.inspect("{{.State.OOMKilled}}"));
        }
    }
}
