package dev.slipway.proof;

import dev.slipway.starter.testing.RunningContainer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Debian's docker-registry (the CNCF distribution registry, proof/debian-packages.txt) on a free
 * loopback port, storing in a temporary directory; stopped and deleted on close. Plain HTTP, as a
 * loopback registry may be: Docker allows it by default, Podman with --tls-verify=false.
 */
public final class LocalRegistry implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Path dir;
    private final Process process;
    /** host:port, e.g. 127.0.0.1:41234. */
    public final String address;

    private LocalRegistry(Path dir, Process process, String address) {
        this.dir = dir;
        this.process = process;
        this.address = address;
    }

    public static LocalRegistry start() throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: install Debian's docker-registry (proof/debian-packages.txt;"
                    + " .ci/run installs it)");
        }
        Path dir = Files.createTempDirectory("registry");
        String address = "127.0.0.1:" + RunningContainer.freePort();
        Path config = Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                """.formatted(dir.resolve("storage"), address));
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(dir, process, address);
        try {
            registry.awaitUp(Duration.ofSeconds(30));
            return registry;
        } catch (Throwable e) {
            registry.close();
            throw e;
        }
    }

    private void awaitUp(Duration timeout) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<String> v2 = client.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (v2.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("docker-registry did not answer on " + address + " within " + timeout + ": " + log());
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
