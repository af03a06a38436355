package dev.slipway.starter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The docker or podman CLI the container tests drive: CONTAINER_ENGINE (a name or a path), else
 * docker when `docker info` answers, else podman. Without one the tests are skipped loudly, unless
 * REQUIRE_CONTAINER_TESTS=true makes that a failure; -DskipContainerTests skips them.
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

    private static String problem;
    private static int reported;
    private static final String ENGINE = detect();
    private static final boolean PODMAN = ENGINE != null && (ENGINE.contains("podman")
            || exec(Duration.ofSeconds(30), List.of(ENGINE, "--version")).out().contains("podman"));

    /** Skips (or with REQUIRE_CONTAINER_TESTS=true fails) the calling test when no engine can run it. */
    public static void require() {
        assumeTrue(!Boolean.getBoolean("skipContainerTests"), "container tests skipped by -DskipContainerTests");
        if (ENGINE == null) {
            String message = problem + ": the container tests did NOT run.";
            if (Boolean.parseBoolean(setting("REQUIRE_CONTAINER_TESTS"))) {
                fail(message + " REQUIRE_CONTAINER_TESTS=true makes this a failure.");
            }
            System.err.print(reported++ > 0 ? "" : "\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n\n"); // once
            assumeTrue(false, message);
        }
    }

    public static String name() {
        return ENGINE;
    }

    public static boolean isPodman() {
        return PODMAN;
    }

    /** Podman keeps HEALTHCHECK only in the docker format, and reuses LABEL/ENV steps across build args without --no-cache. */
    public static List<String> buildOptions() {
        return PODMAN ? List.of("--format", "docker", "--no-cache") : List.of();
    }

    public static Result run(String... args) {
        return run(Duration.ofMinutes(2), List.of(args));
    }

    public static Result run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>(List.of(ENGINE));
        command.addAll(args);
        return exec(timeout, command);
    }

    /** Runs a command, its output in files so that a large one never blocks. */
    public static Result exec(Duration timeout, List<String> command) {
        return exec(timeout, command, null);
    }

    public static Result exec(Duration timeout, List<String> command, Path directory) {
        try {
            Path out = Files.createTempFile("engine", ".out");
            Path err = Files.createTempFile("engine", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .directory(directory == null ? null : directory.toFile());
                builder.environment().put("DOCKER_BUILDKIT", "1"); // Docker clients before 23.0 build with BuildKit only when asked
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("timed out after " + timeout + ": " + command + "\n" + Files.readString(out) + Files.readString(err));
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot run " + command, e);
        }
    }

    /** A system property, else an environment variable. */
    public static String setting(String name) {
        String value = System.getProperty(name);
        return value != null && !value.isBlank() ? value : System.getenv(name);
    }

    private static String detect() {
        String configured = setting("CONTAINER_ENGINE");
        boolean chosen = configured != null && !configured.isBlank();
        for (String candidate : chosen ? List.of(configured) : List.of("docker", "podman")) {
            if (succeeds(candidate, "info")) {
                if (succeeds(candidate, "build", "--help")) {
                    return candidate;
                }
                // Docker 23+ without buildx refuses DOCKER_BUILDKIT=1, even for --help
                problem = "`" + candidate + " info` answers, but it cannot build with BuildKit (the Dockerfiles need it):"
                        + " install Docker's buildx plugin (https://docs.docker.com/go/buildx/), or use CONTAINER_ENGINE=podman";
                return null;
            }
        }
        problem = chosen ? "CONTAINER_ENGINE=" + configured + " does not answer (`" + configured + " info` fails)"
                : "No container engine answers (tried `docker info`, `podman info`): install Docker or Podman";
        return null;
    }

    private static boolean succeeds(String... command) {
        try {
            return exec(Duration.ofSeconds(30), List.of(command)).exit() == 0;
        } catch (AssertionError notInstalled) {
            return false;
        }
    }
}
