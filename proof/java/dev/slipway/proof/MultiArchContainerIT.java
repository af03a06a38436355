package dev.slipway.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both architectures from one command: `make build-prod PLATFORMS=linux/amd64,linux/arm64` with Podman
 * gives the manifest list IMAGE:prod; its arm64 image, built here under QEMU user-mode emulation from
 * the arm64 JDK stand-in ({@code setup --arch arm64}, named through IMAGE_BUILD_ARGS_arm64 as an owner
 * names a base image that is not multi-arch), runs hardened from its own AOT cache, and `make push`
 * pushes the whole list to a registry. Docker 20.10 without buildx cannot hold a list: it must say so.
 * The Podman part runs only with MULTIARCH_PROOF=true: too slow for every `make test`.
 */
class MultiArchContainerIT {

    /** The arm64 JDK stand-in (`setup --arch arm64 --from Dockerfile`); the amd64 one keeps the public name. */
    static final String ARM64_JDK = "localhost/arm64/eclipse-temurin:25-jdk";
    static final String PLATFORMS = "linux/amd64,linux/arm64";
    static final Path BINFMT_AARCH64 = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");
    static final long MAX_IMAGE_BYTES = 120_000_000L;
    static final Duration EMULATED_START = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = TestImages.scratchName();
    private static boolean built;

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    @AfterAll
    static void removeImages() {
        if (built) {
            ContainerEngine.run("manifest", "rm", IMAGE + ":prod");
            ContainerEngine.run("rmi", "-f", IMAGE + ":prod-amd64", IMAGE + ":prod-arm64");
        }
    }

    @Test
    void manifestListHoldsBothArchitectures() throws Exception {
        JsonNode list = JSON.readTree(ContainerEngine.run("manifest", "inspect", list()).orFail("manifest inspect").out());
        assertEquals(List.of("linux/amd64", "linux/arm64"), platformsOf(list), list.toPrettyString());
        assertEquals("amd64", imageArchitecture(IMAGE + ":prod-amd64"));
        assertEquals("arm64", imageArchitecture(IMAGE + ":prod-arm64"));
    }

    @Test
    void arm64ImageRunsHardenedAsUid1000FromItsAotCacheOnAarch64() throws Exception {
        list();
        // readable by uid 1000, which runs the probe (a temporary directory is the test user's alone)
        Path probe = Files.createTempDirectory("arm64-probe",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            copyArm64Uname(probe);
            // AOTMode=on: the JVM refuses to start unless the cache was made by this (aarch64) JVM for these jars
            List<String> options = new ArrayList<>(RunningContainer.HARDENED);
            options.addAll(List.of("--user", "1000", "-e", "JDK_JAVA_OPTIONS=-XX:AOTMode=on", "-v", probe + ":/probe:ro"));
            try (RunningContainer app = RunningContainer.start(IMAGE + ":prod-arm64", 8080, options)) {
                // emulated: seconds on a quiet machine, minutes on a busy one
                Instant start = Instant.now();
                app.awaitReady(EMULATED_START);
                System.out.printf("arm64 image ready under emulation in %d s%n", Duration.between(start, Instant.now()).toSeconds());
                HttpResponse<String> ready = app.get("/q/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                assertThat(ready.body(), containsString("\"status\": \"UP\""));
                assertEquals("{\"message\":\"Hello, Ada!\"}", app.get("/hello?name=Ada").body());
                assertEquals("1000", app.processUid());
                assertThat(app.logs(), containsString("AOTMode=on"));
                // an aarch64 uname, run by the image's own aarch64 loader and libc
                assertEquals("aarch64", ContainerEngine.run("exec", app.name, "/probe/uname", "-m")
                        .orFail("uname -m in " + app.name).out().trim());
                // and the image's JVM says it is an aarch64 JVM
                assertThat(ContainerEngine.run("exec", "-e", "JDK_JAVA_OPTIONS=", app.name, "java", "-XshowSettings:properties", "-version")
                        .orFail("java in " + app.name).err(), containsString("os.arch = aarch64"));
            }
        } finally {
            ContainerEngine.exec(Duration.ofSeconds(30), List.of("rm", "-rf", probe.toString()));
        }
    }

    @Test
    void eachImageShipsItsOwnArchitecturesNativeJarsInTheSameLayers() {
        list();
        String amd64 = IMAGE + ":prod-amd64";
        String arm64 = IMAGE + ":prod-arm64";
        // Maven runs on the build machine: the OS-specific jars (brotli4j's native-linux-*) must be the target's
        assertEquals(List.of("native-linux-aarch64"), nativeJars(arm64));
        assertEquals(List.of("native-linux-x86_64"), nativeJars(amd64));
        assertEquals(layout(amd64), layout(arm64), "the same steps, in the same order, in both images");
        assertEquals(layerCount(amd64), layerCount(arm64));
        long size = Long.parseLong(ContainerEngine.run("image", "inspect", "--format", "{{.Size}}", arm64)
                .orFail("inspect").out().trim());
        System.out.printf("arm64 production image: %.1f MB%n", size / 1e6);
        assertThat("size of " + arm64, size, lessThanOrEqualTo(MAX_IMAGE_BYTES));
    }

    @Test
    void makePushPushesTheWholeList() throws Exception {
        list();
        int port = RunningContainer.freePort();
        Path dir = Files.createTempDirectory("registry");
        Path config = Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("data"), port));
        Process registry = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        try {
            String registryName = "127.0.0.1:" + port + "/proof";
            make("push", "REGISTRY=" + registryName, "IMAGE_TAG=1.0.0", "PUSH_ARGS=--tls-verify=false")
                    .orFail("make push");
            JsonNode pushed = JSON.readTree(ContainerEngine.exec(Duration.ofMinutes(1), List.of("skopeo", "inspect",
                    "--raw", "--tls-verify=false", "docker://" + registryName + "/" + IMAGE + ":1.0.0"))
                    .orFail("skopeo inspect").out());
            assertEquals(List.of("linux/amd64", "linux/arm64"), platformsOf(pushed), pushed.toPrettyString());
        } finally {
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);
            ContainerEngine.exec(Duration.ofSeconds(30), List.of("rm", "-rf", dir.toString()));
        }
    }

    @Test
    void dockerWithoutAManifestListSaysWhatToDo() {
        assumeTrue(!ContainerEngine.isPodman(), "Docker only: Podman builds the list");
        ContainerEngine.Result result = make("build-prod", "PLATFORMS=" + PLATFORMS, "IMAGE=" + IMAGE);
        assertEquals(2, result.exit(), result.out() + result.err());
        List<String> said = result.err().lines().filter(l -> l.startsWith("build-prod:")).toList();
        assertThat(result.err(), said, hasSize(1));
        assertThat(said.get(0), containsString("CONTAINER_ENGINE=podman"));
        assertThat(said.get(0), containsString("docker buildx build --platform " + PLATFORMS + " --push"));
    }

    /**
     * The list, built once by `make build-prod PLATFORMS=...` in the tests' build context; Podman with
     * arm64 emulation only (skipped otherwise, or failed where REQUIRE_CONTAINER_TESTS=true).
     */
    private static synchronized String list() {
        assumeTrue(ContainerEngine.isPodman(), "a manifest list needs Podman (Docker: dockerWithoutAManifestListSaysWhatToDo)");
        if (built) {
            return IMAGE + ":prod";
        }
        assumeTrue(Boolean.parseBoolean(ContainerEngine.setting("MULTIARCH_PROOF")), "the multi-arch proof runs with"
                + " MULTIARCH_PROOF=true (.ci/run runs it as a step of its own): it builds arm64 under emulation,"
                + " about 6 minutes on a quiet 2-core machine");
        String missing = !Files.exists(BINFMT_AARCH64) ? "no QEMU for aarch64 in binfmt_misc (" + BINFMT_AARCH64 + ")"
                : ContainerEngine.run("image", "exists", ARM64_JDK).exit() != 0 ? "no image " + ARM64_JDK : null;
        if (missing != null) {
            String message = missing + ": the arm64 proof did NOT run; ../shared/container-engine/setup --arch arm64"
                    + " --from Dockerfile makes both (.ci/run does).";
            if (Boolean.parseBoolean(ContainerEngine.setting("REQUIRE_CONTAINER_TESTS"))) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        Instant start = Instant.now();
        built = true;
        make("build-prod", "PLATFORMS=" + PLATFORMS, "IMAGE_BUILD_ARGS_arm64=--build-arg JDK_IMAGE=" + ARM64_JDK
                + " --build-arg BUILD_JDK_IMAGE=eclipse-temurin:25-jdk").orFail("make build-prod PLATFORMS=" + PLATFORMS);
        System.out.printf("make build-prod PLATFORMS=%s took %d s%n", PLATFORMS,
                Duration.between(start, Instant.now()).toSeconds());
        return IMAGE + ":prod";
    }

    private static ContainerEngine.Result make(String... args) {
        List<String> command = new ArrayList<>(List.of("make", "IMAGE=" + IMAGE, "CONTAINER_ENGINE=" + ContainerEngine.name()));
        command.addAll(List.of(args));
        return ContainerEngine.exec(Duration.ofMinutes(40), command, TestImages.context());
    }

    private static List<String> platformsOf(JsonNode list) {
        List<String> platforms = new ArrayList<>();
        list.path("manifests").forEach(m -> platforms.add(m.path("platform").path("os").asText() + "/"
                + m.path("platform").path("architecture").asText()));
        return platforms.stream().sorted().toList();
    }

    private static String imageArchitecture(String image) {
        return ContainerEngine.run("image", "inspect", "--format", "{{.Architecture}}", image).orFail("inspect").out().trim();
    }

    private static int layerCount(String image) {
        return Integer.parseInt(ContainerEngine.run("image", "inspect", "--format", "{{len .RootFS.Layers}}", image)
                .orFail("inspect").out().trim());
    }

    /** The image's build steps, oldest first, each as its instruction and destination (content hashes left out). */
    private static List<String> layout(String image) {
        return ContainerEngine.run("history", "--no-trunc", "--format", "{{.CreatedBy}}", image).orFail("history").out()
                .lines().map(line -> {
                    String[] words = line.replace("/bin/sh -c #(nop) ", "").trim().split("\\s+");
                    return words[0] + " " + (words[0].equals("COPY") ? words[words.length - 1] : "");
                }).toList().reversed();
    }

    /** The brotli4j-style native jars in /app/lib, by artifact (version left out). */
    private static List<String> nativeJars(String image) {
        String container = ContainerEngine.run("create", "--network", "none", image).orFail("create").out().trim();
        try {
            return ContainerEngine.exec(Duration.ofMinutes(2), List.of("bash", "-c", "\"$0\" export \"$1\" | tar -t",
                    ContainerEngine.name(), container)).orFail("export").out().lines()
                    .filter(f -> f.contains("app/lib/") && f.contains("native-linux-"))
                    .map(f -> f.replaceAll(".*\\.(native-linux-[a-z0-9_]+)-.*", "$1")).sorted().toList();
        } finally {
            ContainerEngine.run("rm", "-f", container);
        }
    }

    /** /usr/bin/uname of the arm64 stand-in (dynamically linked to the same glibc the image carries). */
    private static void copyArm64Uname(Path dir) throws Exception {
        String container = ContainerEngine.run("create", "--platform", "linux/arm64", ARM64_JDK).orFail("create").out().trim();
        try {
            ContainerEngine.run("cp", container + ":/usr/bin/uname", dir.resolve("uname").toString()).orFail("cp uname");
            byte[] elf = Files.readAllBytes(dir.resolve("uname"));
            // ELF header: e_machine (little-endian, offset 18) 183 is EM_AARCH64
            assertEquals(183, (elf[18] & 0xff) | (elf[19] & 0xff) << 8, "uname of " + ARM64_JDK + " is not aarch64");
        } finally {
            ContainerEngine.run("rm", "-f", container);
        }
    }
}
