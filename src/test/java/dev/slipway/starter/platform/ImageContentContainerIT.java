package dev.slipway.starter.platform;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.TestImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the images are made of: their config, their files, their layers and history. */
class ImageContentContainerIT {

    /** Paths (as in `tar -t` of the exported filesystem) that would mean a build tool or cache shipped. */
    private static final List<String> BUILD_TOOLS = List.of("/javac", "/jlink", "/jar", "/mvn", "/mvnw", "/gcc",
            "/cc", "/objcopy", "/apt", "/dpkg", "/bin/sh", "/bin/bash", "/curl", "/wget", ".m2/", "/src/",
            "/var/cache/apt", "/var/lib/apt", "/jmods/", "/include/");

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    @ParameterizedTest
    @EnumSource(TestImages.Kind.class)
    void configHasUserPortHealthcheckEntrypointAndLabels(TestImages.Kind kind) throws Exception {
        JsonNode image = inspect(TestImages.image(kind));
        JsonNode config = image.path("Config");
        assertEquals("1000", config.path("User").asText(), "numeric USER 1000");
        assertTrue(config.path("ExposedPorts").has("8080/tcp"), config.toString());
        assertThat(config.path("Env").toString(), containsString("APP_PORT=8080"));

        JsonNode health = config.has("Healthcheck") ? config.path("Healthcheck") : image.path("Healthcheck");
        List<String> test = JSON.convertValue(health.path("Test"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        assertEquals("CMD", test.get(0), "exec-form HEALTHCHECK, no shell: " + test);
        assertEquals("healthcheck", test.get(test.size() - 1), "the app's own probe: " + test);

        List<String> entrypoint = JSON.convertValue(config.path("Entrypoint"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        assertEquals(kind == TestImages.Kind.NATIVE ? "/app/application" : "java", entrypoint.get(0),
                "exec form: the app is PID 1, not a shell: " + entrypoint);

        JsonNode labels = config.path("Labels");
        assertEquals("slipway-starter", labels.path("org.opencontainers.image.title").asText());
        assertEquals(TestImages.VERSION, labels.path("org.opencontainers.image.version").asText());
        assertEquals("test-revision", labels.path("org.opencontainers.image.revision").asText());
        assertEquals(TestImages.SOURCE, labels.path("org.opencontainers.image.source").asText());
        assertThat(labels.path("org.opencontainers.image.created").asText(), containsString("T"));
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"PROD", "JVM"})
    void dependenciesThenQuarkusCodeThenAppCodeInSeparateLayers(TestImages.Kind kind) {
        // history is newest first; read it oldest first
        List<String> steps = ContainerEngine.run("history", "--no-trunc", "--format", "{{.CreatedBy}}",
                TestImages.image(kind)).orFail("history").out().lines()
                .map(l -> l.replace("# buildkit", "").trim()).filter(l -> l.contains("COPY")).toList().reversed();
        int lib = indexEndingWith(steps, "/app/lib/");
        int jar = indexEndingWith(steps, " /app/");
        int quarkus = indexEndingWith(steps, "/app/quarkus/");
        int app = indexEndingWith(steps, "/app/app/");
        int aot = indexEndingWith(steps, "/app/aot/");
        assertThat(String.join("\n", steps), lib, greaterThan(-1));
        assertThat(String.join("\n", steps), lib, lessThan(jar));
        assertThat(String.join("\n", steps), jar, lessThan(quarkus));
        assertThat(String.join("\n", steps), quarkus, lessThan(app));
        // the production image adds its AOT cache (trained on all of the above) as the very last layer
        assertEquals(kind == TestImages.Kind.PROD ? app + 1 : -1, aot, String.join("\n", steps));
        assertEquals(steps.size() - 1, Math.max(app, aot), "nothing after the app code:\n" + String.join("\n", steps));
    }

    @ParameterizedTest
    @EnumSource(TestImages.Kind.class)
    void noBuildToolsNorCaches(TestImages.Kind kind) throws Exception {
        List<String> files = TestImages.filesOf(TestImages.image(kind));
        assertThat(files, hasItem(kind == TestImages.Kind.NATIVE ? "/app/application" : "/app/quarkus-run.jar"));
        List<String> tools = files.stream()
                .filter(f -> BUILD_TOOLS.stream().anyMatch(t -> t.endsWith("/") ? f.contains(t) : f.endsWith(t)))
                .toList();
        assertThat("build tools or caches in the image", tools, empty());
    }

    @ParameterizedTest
    @EnumSource(TestImages.Kind.class)
    void noCanarySecretInAnyLayerNorInHistory(TestImages.Kind kind) throws Exception {
        String image = TestImages.image(kind);
        Path archive = Files.createTempFile("image", ".tar");
        try {
            ContainerEngine.run(Duration.ofMinutes(3), List.of("save", "-o", archive.toString(), image)).orFail("save");
            assertThat(Files.size(archive), greaterThan(1_000_000L));
            ContainerEngine.Result grep = ContainerEngine.exec(Duration.ofMinutes(2),
                    List.of("grep", "-a", "-c", "-F", TestImages.CANARY, archive.toString()));
            assertEquals("0", grep.out().trim(), "a canary secret is in a layer of " + image);
        } finally {
            Files.deleteIfExists(archive);
        }
        String history = ContainerEngine.run("history", "--no-trunc", image).orFail("history").out();
        String config = ContainerEngine.run("image", "inspect", image).orFail("inspect").out();
        assertThat(history, not(containsString(TestImages.CANARY)));
        assertThat(config, not(containsString(TestImages.CANARY)));
        assertFalse(history.contains("settings.xml") || history.contains(".env"), history);
    }

    static JsonNode inspect(String image) throws Exception {
        return JSON.readTree(ContainerEngine.run("image", "inspect", image).orFail("inspect").out()).get(0);
    }

    private static int indexEndingWith(List<String> steps, String suffix) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).endsWith(suffix)) {
                return i;
            }
        }
        return -1;
    }
}
