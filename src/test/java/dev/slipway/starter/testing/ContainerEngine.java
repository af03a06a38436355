package dev.slipway.starter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The container engine CLI (docker or podman) the container tests drive with ProcessBuilder.
 * <p>
 * Which one: the system property or environment variable {@code CONTAINER_ENGINE} (the Makefile
 * exports its own; a name or a path to a client, e.g. {@code /usr/bin/docker}), else docker when
 * {@code docker info} answers, else podman when {@code podman info} does. A docker client must also
 * build with BuildKit (the Dockerfiles use build secrets, cache mounts and {@code COPY --chmod}).
 * {@code -DskipContainerTests} skips every container test; with none working they are skipped
 * loudly, unless {@code REQUIRE_CONTAINER_TESTS=true} (CI) makes that a failure.
 */
public final class ContainerEngine {

    public record Result(int exit, String out, String err) {
        public Result orFail(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " failed with exit " + exit + ":\n" + out + "\n" + err);
            }
            return this;
        }
    }

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    /** Why no engine is usable (null when one is). */
    private static String problem;
    private static final String ENGINE = detect();
    private static final boolean PODMAN = ENGINE != null && (Path.of(ENGINE).getFileName().toString().contains("podman")
            || exec(Duration.ofSeconds(30), List.of(ENGINE, "--version")).out().contains("podman"));

    private ContainerEngine() {
    }

    /** Skips (or, in CI, fails) the calling test class when container tests cannot or must not run. */
    public static void require() {
        assumeTrue(!Boolean.getBoolean("skipContainerTests"), "container tests skipped by -DskipContainerTests");
        if (ENGINE != null) {
            return;
        }
        String message = problem + ": the container tests did NOT run.";
        if (Boolean.parseBoolean(setting("REQUIRE_CONTAINER_TESTS"))) {
            fail(message + " REQUIRE_CONTAINER_TESTS=true makes this a failure.");
        }
        System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
        assumeTrue(false, message);
    }

    public static String name() {
        return ENGINE;
    }

    /** Podman, named so or by path (/usr/bin/podman), or a docker command that is Podman underneath. */
    public static boolean isPodman() {
        return PODMAN;
    }

    /**
     * What every image build of the tests adds for this engine: with Podman, the docker format (it
     * keeps HEALTHCHECK) and --no-cache (Podman 4.3 reuses LABEL/ENV steps across different
     * --build-arg values; the Maven cache mount keeps the rebuild quick).
     */
    public static List<String> buildOptions() {
        return PODMAN ? List.of("--format", "docker", "--no-cache") : List.of();
    }

    public static Result run(String... args) {
        return run(DEFAULT_TIMEOUT, List.of(args));
    }

    public static Result run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ENGINE);
        command.addAll(args);
        return exec(timeout, command);
    }

    /** Runs a command line with its output in temporary files (large outputs never block). */
    public static Result exec(Duration timeout, List<String> command) {
        return exec(timeout, command, null);
    }

    /** The same, in a working directory. */
    public static Result exec(Duration timeout, List<String> command, Path directory) {
        try {
            Path out = Files.createTempFile("engine", ".out");
            Path err = Files.createTempFile("engine", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(directory == null ? null : directory.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                // Docker clients before 23.0 build with BuildKit only when asked (later ones ignore it).
                builder.environment().put("DOCKER_BUILDKIT", "1");
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                            + "\n" + Files.readString(out) + Files.readString(err));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    public static String setting(String name) {
        String value = System.getProperty(name);
        return value != null && !value.isBlank() ? value : System.getenv(name);
    }

    private static String detect() {
        String configured = setting("CONTAINER_ENGINE");
        List<String> candidates = configured != null && !configured.isBlank() ? List.of(configured) : List.of("docker", "podman");
        for (String candidate : candidates) {
            if (succeeds(candidate, "info")) {
                if (succeeds(candidate, "build", "--help")) {
                    return candidate;
                }
                // Docker 23+ without buildx refuses DOCKER_BUILDKIT=1 (even for --help) and would fall
                // back to the legacy builder, which cannot build these Dockerfiles.
                problem = "`" + candidate + " info` answers, but this client cannot build with BuildKit (the Dockerfiles"
                        + " need it for build secrets, cache mounts and COPY --chmod): install Docker's buildx plugin"
                        + " (https://docs.docker.com/go/buildx/), or use Podman with CONTAINER_ENGINE=podman";
                return null;
            }
        }
        problem = configured != null && !configured.isBlank()
                ? "CONTAINER_ENGINE=" + configured + " does not answer (`" + configured + " info` fails)"
                : "No container engine answers (tried `docker info`, `podman info`): install Docker or Podman";
        return null;
    }

    private static boolean succeeds(String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("DOCKER_BUILDKIT", "1");
            Process process = builder.start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
