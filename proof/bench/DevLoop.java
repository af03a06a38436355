// The developer's loop: rebuild after a one-line change, and hot reload in `make serve`, each in a
// temporary copy of the repository so the working tree is never touched.

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

final class DevLoop {

    static final String GREETING_LINE = "return new Greeting(\"Hello, \" + name + \"!\");";
    static long hotReloadFirstMs = -1;

    private DevLoop() {
    }

    /** The resource whose greeting line the bench edits (found by its line, so the package may be any). */
    static Path greetingFile(Path repo) throws IOException {
        try (var files = Files.walk(repo.resolve("src/main/java"))) {
            return files.filter(f -> f.getFileName().toString().equals("GreetingResource.java")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no GreetingResource.java under src/main/java: the bench edits its greeting line"));
        }
    }

    /** Per image: rebuild time and new layer bytes after a one-line change, and the time of the same build with nothing changed. */
    static Map<String, Number[]> rebuild(List<Images.Image> images, List<String> buildOpts, List<String> notes) throws Exception {
        Map<String, Number[]> out = new HashMap<>();
        Path copy = tempCopy("rebuild");
        try {
            boolean pkg = images.stream().anyMatch(Images.Image::needsPackage);
            if (pkg) {
                Images.mavenPackage(copy);
            }
            for (Images.Image v : images) {
                // With the layer cache: a --no-cache build leaves no layers a later build can reuse.
                Images.build(copy, v, Images.PREFIX + "rebuild-" + v.name() + ":before", buildOpts, true);
            }
            // A marker no earlier run used, so no layer of a previous `make bench` matches the change.
            String run = Long.toString(System.currentTimeMillis(), 36);
            editGreeting(copy, "(rebuilt " + run + ")");
            long pkgNanos = 0;
            if (pkg) {
                long t = System.nanoTime();
                Images.mavenPackage(copy);
                pkgNanos = System.nanoTime() - t;
            }
            for (Images.Image v : images) {
                if (!v.needsPackage()) {
                    // Its own one-line change, so that no image's rebuild reuses another's Maven stage.
                    editGreeting(copy, "(rebuilt " + run + " for " + v.name() + ")");
                }
                String before = Images.PREFIX + "rebuild-" + v.name() + ":before", after = Images.PREFIX + "rebuild-" + v.name() + ":after";
                long t = System.nanoTime();
                Map<String, Double> steps = Images.buildTimed(copy, v, after, buildOpts);
                double secs = Math.round((System.nanoTime() - t + (v.needsPackage() ? pkgNanos : 0)) / 1e8) / 10.0;
                long bytes = Images.newLayerBytes(before, after, notes);
                // The same build again, nothing changed: what the engine costs when every step is cached.
                t = System.nanoTime();
                Images.build(copy, v, after, buildOpts, true);
                double unchanged = Math.round((System.nanoTime() - t) / 1e8) / 10.0;
                Sh.log(String.format("  %s rebuild: %.1f s (nothing changed: %.1f s), %d bytes of new layers; slowest steps: %s",
                        v.name(), secs, unchanged, bytes, slowest(steps, 3)));
                out.put(v.name(), new Number[] {secs, bytes, unchanged});
                Map<String, Object> row = new LinkedHashMap<>();
                slowest(steps, 5).forEach((step, s) -> row.put(step, Math.round(s * 10) / 10.0));
                if (v.needsPackage()) {
                    row.put("./mvnw package (before the image build)", Math.round(pkgNanos / 1e8) / 10.0);
                }
                REBUILD_STEPS.put(v.name(), row);
                Sh.engine(true, "rmi", before, after);
            }
        } finally {
            Sh.deleteTree(copy);
        }
        return out;
    }

    static final Map<Path, String> ORIGINALS = new HashMap<>();
    /** The slowest steps of each image's rebuild: {image: {step: seconds}}. */
    static final Map<String, Map<String, Object>> REBUILD_STEPS = new LinkedHashMap<>();

    /** The n slowest steps, slowest first, each named by its first 90 characters. */
    static Map<String, Double> slowest(Map<String, Double> steps, int n) {
        Map<String, Double> top = new LinkedHashMap<>();
        steps.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n)
                .forEach(e -> top.merge(e.getKey().length() > 90 ? e.getKey().substring(0, 87) + "..." : e.getKey(), e.getValue(), Double::sum));
        return top;
    }

    /** Rewrites the greeting line of the copy's original source with a marker (one line changed). */
    static void editGreeting(Path repo, String marker) throws IOException {
        Path f = greetingFile(repo);
        String src = ORIGINALS.computeIfAbsent(f, k -> {
            try {
                return Files.readString(k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!src.contains(GREETING_LINE)) {
            throw new IllegalStateException(f + " no longer has the line the benchmark edits: " + GREETING_LINE);
        }
        Files.writeString(f, src.replace(GREETING_LINE, "return new Greeting(\"Hello, \" + name + \"! " + marker + "\");"));
    }

    /** The files git would put in a clone (tracked and untracked-but-not-ignored), copied to /tmp. */
    static Path tempCopy(String what) throws IOException {
        Path dir = Files.createTempDirectory(Images.PREFIX + what + "-");
        for (String f : Sh.run(Path.of("."), 60, "git", "ls-files", "--cached", "--others", "--exclude-standard").split("\n")) {
            Path src = Path.of(f);
            if (!f.isBlank() && Files.isRegularFile(src)) {
                Path dst = dir.resolve(f);
                Files.createDirectories(dst.getParent());
                Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return dir;
    }

    /** `make serve` on a free loopback port; the greeting line is edited and /hello polled for the new text. Median of 3, ms. */
    static long hotReload() throws Exception {
        Path copy = tempCopy("serve");
        int port = Sh.freePort();
        Sh.log("make serve on 127.0.0.1:" + port + " in " + copy);
        Path serveLog = copy.resolve("serve.log");
        Process p = new ProcessBuilder("make", "serve", "APP_PORT=" + port, "MVN_ARGS=-B -ntp")
                .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(serveLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            URI hello = URI.create("http://127.0.0.1:" + port + "/hello");
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (!Sh.get(hello).contains("Hello")) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("make serve did not answer: " + Files.readString(serveLog));
                }
                Thread.sleep(200);
            }
            List<Long> times = new ArrayList<>();
            for (int i = 0; i <= 3; i++) {
                String marker = "(reload " + i + ")";
                Thread.sleep(1500);
                long t0 = System.nanoTime();
                editGreeting(copy, marker);
                while (!Sh.get(hello).contains(marker)) {
                    if (System.nanoTime() - t0 > 120_000_000_000L) {
                        throw new IllegalStateException("no reload after 120 s: " + Files.readString(serveLog));
                    }
                    Thread.sleep(10);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                Sh.log("  hot reload " + i + (i == 0 ? " (warm-up)" : "") + ": " + ms + " ms");
                if (i > 0) {
                    times.add(ms);
                } else {
                    hotReloadFirstMs = ms;
                }
            }
            return Sh.median(times);
        } finally {
            List<ProcessHandle> kids = p.descendants().toList();
            kids.forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            for (ProcessHandle k : kids) {
                k.onExit().completeOnTimeout(k, 20, TimeUnit.SECONDS).join();
                k.destroyForcibly();
            }
            Sh.deleteTree(copy);
        }
    }
}
