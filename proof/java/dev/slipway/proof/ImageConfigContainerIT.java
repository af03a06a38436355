package dev.slipway.proof;

import dev.slipway.starter.platform.ImageContentContainerIT;
import dev.slipway.starter.platform.ImageRunContainerIT;
import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the images are made of (config, labels, files, layer order), the APP_PORT build arg, the
 * production image under load in 256 MB, and the JVM image run hardened. (The project's ImageContentContainerIT checks that no
 * canary secret reaches a layer.)
 */
class ImageConfigContainerIT {

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

    /** The runtime stage strips what jlink leaves: libjvm.so's symbol table (5 MB) goes, its dynamic symbols stay. */
    @Test
    void libjvmHasDynamicSymbolsButNoSymbolTable() throws Exception {
        String libjvm = "/opt/java/lib/server/libjvm.so";
        List<String> sections = elfSectionNames(SbomContainerIT.copyOut(TestImages.image(TestImages.Kind.PROD), libjvm).get(libjvm));
        assertThat(sections, hasItem(".dynsym"));
        assertThat(sections, not(hasItem(".symtab")));
    }

    /** The section names of a 64-bit little-endian ELF file (x86-64, aarch64). */
    private static List<String> elfSectionNames(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x464c457f, b.getInt(0), "an ELF file");
        assertEquals(2, elf[4], "64-bit ELF");
        long sectionHeaders = b.getLong(0x28);
        int entrySize = Short.toUnsignedInt(b.getShort(0x3a));
        int count = Short.toUnsignedInt(b.getShort(0x3c));
        int namesIndex = Short.toUnsignedInt(b.getShort(0x3e));
        long names = b.getLong((int) (sectionHeaders + (long) namesIndex * entrySize + 0x18));
        List<String> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int start = (int) (names + b.getInt((int) (sectionHeaders + (long) i * entrySize)));
            int end = start;
            while (elf[end] != 0) {
                end++;
            }
            result.add(new String(elf, start, end - start, StandardCharsets.US_ASCII));
        }
        return result;
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"JVM", "NATIVE"})
    void portComesFromTheAppPortBuildArg(TestImages.Kind kind) throws Exception {
        int port = 7860; // Hugging Face Spaces' port, not the images' 8080
        String image = TestImages.image(kind, List.of("--build-arg", "APP_PORT=" + port));
        assertThat(ContainerEngine.run("image", "inspect", "--format", "{{json .Config.ExposedPorts}}", image)
                .orFail("inspect").out(), containsString(port + "/tcp"));
        try (RunningContainer app = RunningContainer.startHardened(image, port)) {
            assertEquals(200, app.get("/").statusCode());
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

    /** The project's own run and canary tests, which build only the production (and native) image, on the JVM image. */
    @Test
    void jvmImageServesAsUid1000HardenedTurnsHealthyAndHoldsNoCanary() throws Exception {
        new ImageRunContainerIT().servesAsUid1000HardenedAndTurnsHealthy(TestImages.Kind.JVM);
        new ImageContentContainerIT().noCanarySecretInAnyLayerNorInHistory(TestImages.Kind.JVM);
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
