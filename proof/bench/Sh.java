// Plumbing for the bench: run a command, talk to the container engine, log. No measuring here.

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

final class Sh {

    /** Docker or Podman: CONTAINER_ENGINE, else docker when `docker info` answers, else podman. */
    static final String ENGINE = detectEngine();
    static final boolean PODMAN = ENGINE.endsWith("podman");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();

    private Sh() {
    }

    static String detectEngine() {
        String e = System.getenv("CONTAINER_ENGINE");
        if (e != null && !e.isBlank()) {
            return e;
        }
        return run(Path.of("."), 20, true, "docker", "info").contains("Server Version") ? "docker" : "podman";
    }

    static String engineName() {
        return Path.of(ENGINE).getFileName().toString();
    }

    static String engineVersion() {
        return engineName() + " " + engine(true, "version", "--format", PODMAN ? "{{.Client.Version}}" : "{{.Server.Version}}").trim();
    }

    /** `<engine> args...`, failing on a non-zero exit unless lenient. */
    static String engine(boolean lenient, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = ENGINE;
        System.arraycopy(args, 0, cmd, 1, args.length);
        return run(Path.of("."), 3600, lenient, cmd);
    }

    static String engine(String... args) {
        return engine(false, args);
    }

    static String run(Path dir, int timeoutS, String... cmd) {
        return run(dir, timeoutS, false, cmd);
    }

    /** Runs a command, returns stdout+stderr; fails on a non-zero exit unless lenient. */
    static String run(Path dir, int timeoutS, boolean lenient, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    p.getInputStream().transferTo(buf);
                } catch (IOException ignored) {
                    // process gone
                }
            });
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeoutS + " s: " + String.join(" ", cmd));
            }
            reader.join();
            String output = buf.toString(StandardCharsets.UTF_8);
            if (p.exitValue() != 0 && !lenient) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            if (lenient) {
                return "";
            }
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    static int status(URI uri) {
        try {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String get(URI uri) {
        try {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    static long median(List<Long> xs) {
        long[] s = xs.stream().mapToLong(Long::longValue).filter(x -> x >= 0).sorted().toArray();
        return s.length == 0 ? -1 : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double medianD(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length == 0 ? -1 : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String loadAvg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static void log(String s) {
        System.out.println("[bench " + DateTimeFormatter.ofPattern("HH:mm:ss").format(ZonedDateTime.now()) + " load "
                + loadAvg().split(",")[0] + "] " + s);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
