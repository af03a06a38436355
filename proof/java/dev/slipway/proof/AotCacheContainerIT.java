package dev.slipway.proof;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesRegex;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production image starts from its own AOT cache, which AOT_CACHE=off leaves out; and the cache
 * holds whatever machine built it: the cache records whether the
 * training JVM used compressed oops, and a JVM that decides otherwise drops it.
 */
class AotCacheContainerIT {

    /** What a build host with 64 GB of RAM shows the training JVM (more than ~42 GB is enough). */
    static final String BIG_HOST = "-XX:MaxRAM=64g";

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    /**
     * The image is built with {@value #BIG_HOST} added to its JVM flags (JAVA_FLAGS, which the
     * training also runs with), as a big build host would make the training JVM size its heap;
     * then it runs as a small container. The image's flags carry that MaxRAM to the run as well,
     * where it would override the container limit, so the run gives the JVM what a 256m container
     * tells it: -XX:MaxRAM=256m. -XX:AOTMode=on makes the JVM exit rather than drop a cache it cannot use.
     */
    @Test
    void cacheTrainedOnABigHostStartsInASmallContainer() throws Exception {
        String flags = defaultJavaFlags() + " " + BIG_HOST;
        String image = TestImages.image(TestImages.Kind.PROD, List.of("--build-arg", "JAVA_FLAGS=" + flags));

        // The premise: with these flags and no container limit, this JVM turns compressed oops off.
        String bigHostFlags = ContainerEngine.run("run", "--rm", "--entrypoint", "java", image,
                "-XX:+PrintFlagsFinal", "-version").orFail("java -XX:+PrintFlagsFinal").out();
        assertThat(bigHostFlags, matchesRegex("(?s).*\\bUseCompressedOops\\s+= false\\b.*"));

        try (RunningContainer app = RunningContainer.startHardened(image, 8080, "--memory", "256m",
                "-e", "JDK_JAVA_OPTIONS=-XX:MaxRAM=256m -XX:AOTMode=on")) {
            assertEquals(200, app.get("/hello").statusCode());
            assertThat(app.logs(), not(containsString("Unable to use AOT cache")));
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
            // no AOT cache named, no [aot] message: only the image's flags may say AOT (-XX:-AOTRecordTraining)
            assertThat(app.logs(), not(containsString("AOTCache")));
            assertThat(app.logs().lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList(),
                    not(hasItem(containsString("AOT"))));
        }
    }

    /** The production image's JVM flags: the default of the Dockerfile's JAVA_FLAGS build ARG. */
    static String defaultJavaFlags() throws Exception {
        Matcher m = Pattern.compile("(?m)^ARG JAVA_FLAGS=\"([^\"]+)\"").matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(m.find(), "the Dockerfile declares ARG JAVA_FLAGS=\"...\" with a default");
        return m.group(1);
    }
}
