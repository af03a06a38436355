package dev.slipway.proof;

import dev.slipway.starter.platform.HealthProbe;
import dev.slipway.starter.testing.RunningContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The packaged app ({@code target/quarkus-app/quarkus-run.jar}) as a real process, started with
 * the JDK that runs the tests and the environment given; its output goes to a file.
 */
public final class PackagedApp implements AutoCloseable {

    public final Process process;
    public final Path output;

    private PackagedApp(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static PackagedApp start(Map<String, String> env) throws IOException {
        return launch(env);
    }

    /** The same jar run as the container HEALTHCHECK runs it. */
    public static PackagedApp startHealthcheck(Map<String, String> env) throws IOException {
        return launch(env, HealthProbe.COMMAND);
    }

    private static PackagedApp launch(Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = "target/quarkus-app/quarkus-run.jar";
        Path output = Files.createTempFile("packaged-app", ".log");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().remove("APP_PORT");
        builder.environment().remove("APP_REQUIRED_SECRETS");
        // a free management (metrics) port, so that parallel runs and a running `make serve` never collide
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(RunningContainer.freePort()));
        builder.environment().putAll(env);
        return new PackagedApp(builder.start(), output);
    }

    /** Waits until readiness answers 200, or fails with the process output. */
    public void awaitReady(int port, Duration timeout) throws Exception {
        awaitReady(port, timeout, () -> process.isAlive() ? null : "app exited with " + process.exitValue(), this::output);
    }

    /**
     * Polls readiness on a loopback port until it answers 200. {@code ended} says why the app can no
     * longer get ready (it exited) or null while it runs; {@code diagnostics} (its output) goes into
     * every failure.
     */
    public static void awaitReady(int port, Duration timeout, Callable<String> ended, Callable<String> diagnostics)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String why = ended.call();
            if (why != null) {
                throw new AssertionError(why + ":\n" + diagnostics.call());
            }
            try {
                if (RunningContainer.get(port, "/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // retry
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not ready on port " + port + " within " + timeout + ":\n" + diagnostics.call());
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("app still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(output);
    }
}
