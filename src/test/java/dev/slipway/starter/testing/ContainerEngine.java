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
 * exports its own), else docker when {@code docker info} answers, else podman when
 * {@code podman info} does. {@code -DskipContainerTests} skips every container test; with none
 * working they are skipped loudly, unless {@code REQUIRE_CONTAINER_TESTS=true} (CI) makes that a failure.
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
    private static final String ENGINE = detect();

    private ContainerEngine() {
    }

    /** Skips (or, in CI, fails) the calling test class when container tests cannot or must not run. */
    public static void require() {
        assumeTrue(!Boolean.getBoolean("skipContainerTests"), "container tests skipped by -DskipContainerTests");
        if (ENGINE != null) {
            return;
        }
        String message = "No container engine answers (tried CONTAINER_ENGINE, `docker info`, `podman info`): "
                + "the container tests did NOT run. Install Docker or Podman to run them.";
        if (Boolean.parseBoolean(setting("REQUIRE_CONTAINER_TESTS"))) {
            fail(message + " REQUIRE_CONTAINER_TESTS=true makes this a failure.");
        }
        System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
        assumeTrue(false, message);
    }

    public static String name() {
        return ENGINE;
    }

    public static boolean isPodman() {
        return ENGINE != null && ENGINE.contains("podman");
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
                Process process = new ProcessBuilder(command)
                        .directory(directory == null ? null : directory.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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
        if (configured != null && !configured.isBlank()) {
            return answers(configured) ? configured : null;
        }
        for (String candidate : List.of("docker", "podman")) {
            if (answers(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean answers(String engine) {
        try {
            Process process = new ProcessBuilder(engine, "info").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
