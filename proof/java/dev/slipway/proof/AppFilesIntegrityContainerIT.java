package dev.slipway.proof;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app cannot change its own files: with a writable root filesystem (plain `docker run`, compose
 * without read_only, Hugging Face Spaces), the app's user, 1000 or any uid in group 0, can neither
 * create, write, delete, rename, chmod, chown nor touch anything under /app, and the app still starts
 * and answers. The images have no shell: a static probe (proof/native/write-probe.c) is mounted
 * read-only and run with `exec` in the running app's container, as the app's user.
 */
class AppFilesIntegrityContainerIT {

    static final Path PROBE_SOURCE = Path.of(System.getProperty("proof.dir", "proof"), "native", "write-probe.c");

    @TempDir
    static Path probeDir;

    @BeforeAll
    static void engineAndProbe() throws Exception {
        ContainerEngine.require();
        // readable by any uid the container runs as (a @TempDir is private to its owner)
        Files.setPosixFilePermissions(probeDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        NativeImageContainerIT.gcc(List.of("-static", "-O2", "-o", probeDir.resolve("write-probe").toString(),
                PROBE_SOURCE.toAbsolutePath().toString()), "the write probe (static: needs libc6-dev's libc.a)");
    }

    static Stream<Arguments> imagesAndUsers() {
        return Stream.of(TestImages.Kind.values())
                .flatMap(kind -> Stream.of(Arguments.of(kind, "1000"), Arguments.of(kind, "4242:0")));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("imagesAndUsers")
    void appUserCannotChangeAnythingUnderAppWithAWritableRoot(TestImages.Kind kind, String user) throws Exception {
        String image = TestImages.image(kind);
        try (RunningContainer app = RunningContainer.start(image, 8080, List.of("--user", user,
                "--cap-drop=ALL", "--security-opt=no-new-privileges", "-v", probeDir + ":/probe:ro"))) {
            app.awaitReady(Duration.ofSeconds(90));
            ContainerEngine.Result probe = ContainerEngine.run(Duration.ofMinutes(1),
                    List.of("exec", "--user", user, app.name, "/probe/write-probe", "/app"));
            List<String> lines = probe.out().lines().toList();
            assertThat("the probe must be able to change /tmp, else it proves nothing:\n" + probe.out() + probe.err(),
                    lines, hasItem("control ok"));
            assertThat(lines, hasItem("uid " + user.split(":")[0] + " gid 0"));
            List<String> checked = lines.stream().filter(l -> l.startsWith("checked ")).map(l -> l.substring(8)).toList();
            assertThat(checked, hasItems(expectedFiles(kind, checked).toArray(String[]::new)));
            assertThat("what the app's user changed under /app", lines.stream().filter(l -> l.startsWith("CHANGED")).toList(), empty());
            assertEquals(0, probe.exit(), probe.out() + probe.err());

            assertEquals(200, app.get("/hello").statusCode(), "the app still answers");
            assertEquals(200, app.get("/q/health/ready").statusCode());
        }
    }

    @ParameterizedTest
    @EnumSource(TestImages.Kind.class)
    void everyFileInTheImageBelongsToRoot(TestImages.Kind kind) {
        String image = TestImages.image(kind);
        String container = ContainerEngine.run("create", "--network", "none", image).orFail("create").out().trim();
        try {
            List<String> entries = ContainerEngine.exec(Duration.ofMinutes(2), List.of("bash", "-c",
                    "\"$0\" export \"$1\" | tar -tv --numeric-owner", ContainerEngine.name(), container))
                    .orFail("export").out().lines().toList();
            assertTrue(entries.stream().anyMatch(e -> e.endsWith(" app/")), String.join("\n", entries));
            List<String> notRoot = entries.stream().filter(e -> !e.split("\\s+")[1].equals("0/0")).toList();
            assertThat("entries not owned by 0:0 (tar -tv --numeric-owner of the exported container)", notRoot, empty());
            List<String> writableUnderApp = entries.stream()
                    .filter(e -> e.matches("\\S+ \\S+ +\\d+ \\S+ \\S+ app/.*"))
                    .filter(e -> e.charAt(5) == 'w' || e.charAt(8) == 'w')
                    .toList();
            assertThat("group- or world-writable under /app", writableUnderApp, empty());
        } finally {
            ContainerEngine.run("rm", "-f", container);
        }
    }

    /** What the probe must have tried: the runner, the jars of each layer, the AOT cache and its args file. */
    private static List<String> expectedFiles(TestImages.Kind kind, List<String> checked) {
        List<String> expected = new ArrayList<>(List.of("/app"));
        if (kind == TestImages.Kind.NATIVE) {
            expected.add("/app/application");
            return expected;
        }
        expected.addAll(List.of("/app/quarkus-run.jar", "/app/lib", "/app/quarkus", "/app/app"));
        for (String layer : List.of("/app/lib/main/", "/app/lib/boot/", "/app/app/")) {
            assertThat("no jar under " + layer, checked.stream().filter(p -> p.startsWith(layer) && p.endsWith(".jar")).toList(),
                    not(empty()));
        }
        if (kind == TestImages.Kind.PROD) {
            expected.addAll(List.of("/app/aot", "/app/aot/app.aot", "/app/aot/jvm.args"));
        }
        return expected;
    }
}
