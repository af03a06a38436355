package dev.slipway.archetype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Processes and file copies the archetype's tests share. */
final class Commands {

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Result(int exit, String out) {
    }

    private Commands() {
    }

    /** The repository root: the parent of the archetype module (archetype.pom is set by Failsafe). */
    static Path repositoryRoot() {
        return Path.of(System.getProperty("archetype.pom")).toAbsolutePath().getParent().getParent();
    }

    /** Runs the command in dir with env added to this process's environment; fails the test on a timeout. */
    static Result exec(Path dir, Map<String, String> env, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        // Long builds print a lot: a file, not a pipe that must be drained while waiting.
        Path log = Files.createTempFile("command", ".log");
        try {
            Process process = builder.redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n" + tail(Files.readString(log, StandardCharsets.UTF_8)));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Runs the command (at most 5 minutes) and returns its output; fails the test unless it exits 0. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        return run(dir, Map.of(), Duration.ofMinutes(5), command);
    }

    static String run(Path dir, Map<String, String> env, Duration timeout, String... command)
            throws IOException, InterruptedException {
        Result result = exec(dir, env, timeout, List.of(command));
        assertEquals(0, result.exit(), String.join(" ", command) + ":\n" + tail(result.out()));
        return result.out();
    }

    /**
     * Copies the files git tracks in the repository into copy, as a fresh git repository with all of them
     * staged: what the template is derived from, so builds there never touch the real checkout.
     */
    static void copyTrackedFiles(Path root, Path copy) throws IOException, InterruptedException {
        for (String file : run(root, "git", "ls-files", "-z", "--cached").split("\0")) {
            Path from = root.resolve(file);
            if (!file.isEmpty() && Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(copy.resolve(file).getParent());
                Files.copy(from, copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
        }
        run(copy, "git", "init", "-q");
        run(copy, "git", "add", "-A");
    }

    /** The last 200 lines: enough to see why a build failed. */
    static String tail(String out) {
        List<String> lines = out.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 200), lines.size()));
    }
}
