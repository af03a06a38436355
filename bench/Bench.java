// `make bench`: builds the naive baseline image and the project's images, measures them side by
// side and writes docs/benchmarks.json, docs/benchmarks.md and docs/benchmarks.svg (issue 5).
// One file, no dependencies, JDK 17+: java bench/Bench.java [options]   (--help lists them)
// Works with Docker or Podman: CONTAINER_ENGINE, else docker if `docker info` answers, else podman.

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Bench {

    static final String PREFIX = "slipway-bench-";
    static final String[] KEYS = {"image_bytes", "added_bytes", "ready_ms", "started_ms", "rss_kb_start",
            "rss_kb_2000", "stop_ms", "rebuild_s", "rebuild_new_layer_bytes"};
    static final Path GREETING = Path.of("src/main/java/dev/slipway/starter/GreetingResource.java");
    static final String README_START = "<!-- make bench writes from here -->";
    static final String README_END = "<!-- to here -->";
    static final String GREETING_LINE = "return new Greeting(\"Hello, \" + name + \"!\");";

    // ---- options ----------------------------------------------------------------------------
    static int runs = 5;
    static int requests = 2000;
    static String only = "";
    static String javaOpts = "";
    static List<String> runArgs = List.of();
    static List<String> buildOpts = List.of();
    static String noAotArg = "";
    static Path out = Path.of("docs");
    static boolean build = true, rebuild = true, hotReload = true, jvmOptions = true;
    static final List<String> jvmOptionRows = new ArrayList<>();
    static String sweepImage = null;

    static String engine;
    static final List<String> notes = new ArrayList<>();
    static final Map<String, String> jdks = new LinkedHashMap<>();
    static final Map<String, String> rssMethod = new HashMap<>();
    static long aotLayerBytes = -1;
    static long hotReloadFirstMs = -1;
    static String loadAtStart = Report.loadAvg();

    record Variant(String name, String dockerfile, String target, List<String> buildArgs, boolean needsPackage, String about) {
        String tag() {
            return PREFIX + name;
        }
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--java-opts" -> javaOpts = args[++i];
                case "--run-args" -> runArgs = words(args[++i]);
                case "--build-opts" -> buildOpts = words(args[++i]);
                case "--no-aot-arg" -> noAotArg = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--no-build" -> build = false;
                case "--no-rebuild" -> rebuild = false;
                case "--no-hot-reload" -> hotReload = false;
                case "--no-jvm-options" -> jvmOptions = false;
                case "--jvm-options" -> sweepImage = args[++i];
                default -> {
                    System.out.println("""
                            java bench/Bench.java [--runs 5] [--requests 2000] [--only naive,prod,...]
                                [--java-opts 'JDK_JAVA_OPTIONS for every run'] [--run-args 'extra engine run args']
                                [--build-opts 'extra engine build args for the images built from sources (prod)']
                                [--no-aot-arg NAME=VALUE (build arg of the root Dockerfile that turns the AOT cache off)]
                                [--out docs] [--no-build] [--no-rebuild] [--no-hot-reload] [--no-jvm-options]
                            java bench/Bench.java --jvm-options IMAGE   measure JVM option sets (stdout only)""");
                    System.exit(a.equals("--help") ? 0 : 2);
                }
            }
        }
        engine = detectEngine();
        log("engine: " + engine);
        if (sweepImage != null) {
            jvmOptionSweep(sweepImage);
            return;
        }
        long t0 = System.nanoTime();
        List<Variant> variants = variants();
        Map<String, Map<String, Number>> results = new LinkedHashMap<>();
        if (build) {
            if (variants.stream().anyMatch(Variant::needsPackage)) {
                mavenPackage(Path.of("."));
            }
            for (Variant v : variants) {
                buildImage(Path.of("."), v, v.tag());
            }
        }
        for (Variant v : variants) {
            results.put(v.name(), measure(v));
        }
        if (results.containsKey("prod-noaot") && run(Path.of("."), 60, engine, "image", "inspect", "--format", "{{.Id}}", PREFIX + "prod")
                .equals(run(Path.of("."), 60, engine, "image", "inspect", "--format", "{{.Id}}", PREFIX + "prod-noaot"))) {
            notes.add("prod and prod-noaot are the same image: the build ARG did not turn the AOT cache off.");
        }
        if (rebuild) {
            rebuildAll(variants, results);
        }
        long hot = hotReload ? hotReload() : -1;
        if (jvmOptions && results.containsKey("prod")) {
            jvmOptionSweep(PREFIX + "prod");
        }
        writeOutputs(variants, results, hot, (System.nanoTime() - t0) / 1_000_000_000L);
        log("done in " + (System.nanoTime() - t0) / 1_000_000_000L + " s");
    }

    // ---- images -------------------------------------------------------------------------------
    static List<Variant> variants() throws IOException {
        List<Variant> all = new ArrayList<>();
        all.add(new Variant("naive", "bench/Dockerfile.naive", null, List.of(), true,
                "bench/Dockerfile.naive: eclipse-temurin:21-jre, one COPY of target/quarkus-app, root"));
        if (Files.exists(Path.of("Dockerfile"))) {
            String df = Files.readString(Path.of("Dockerfile"));
            all.add(new Variant("prod", "Dockerfile", null, List.of(), false, "root Dockerfile, default target (production)"));
            String arg = noAotArg.isBlank() ? guessNoAotArg(df) : noAotArg;
            if (arg != null && declaresArg(df, arg.split("=", 2)[0])) {
                all.add(new Variant("prod-noaot", "Dockerfile", null, List.of(arg), false,
                        "root Dockerfile with --build-arg " + arg));
            } else {
                notes.add("The root Dockerfile has no build ARG to turn the AOT cache off (looked for "
                        + (arg == null ? "an ARG named like *AOT*" : arg) + "): no prod-noaot variant.");
            }
        } else {
            notes.add("No root Dockerfile yet: no prod image measured.");
        }
        Path jvm = Path.of("src/main/docker/Dockerfile.jvm");
        if (Files.exists(jvm)) {
            // The JVM Dockerfile may be a link to a multi-stage file whose `jvm` stage is the JVM image.
            String target = Pattern.compile("(?im)^FROM\\s.*\\sAS\\s+jvm\\s*$").matcher(Files.readString(jvm)).find() ? "jvm" : null;
            all.add(new Variant("jvm", jvm.toString(), target, List.of(), true,
                    "src/main/docker/Dockerfile.jvm" + (target == null ? "" : " (target `jvm`)") + " on `./mvnw package` output"));
        }
        if (only.isBlank()) {
            return all;
        }
        Set<String> keep = new HashSet<>(Arrays.asList(only.split(",")));
        return all.stream().filter(v -> keep.contains(v.name())).toList();
    }

    /** An ARG whose name mentions AOT: setting it to false (or 0) is taken to turn the cache off. */
    static String guessNoAotArg(String dockerfile) {
        Matcher m = Pattern.compile("(?m)^\\s*ARG\\s+([A-Za-z0-9_]*AOT[A-Za-z0-9_]*)(?:=(\\S*))?").matcher(dockerfile);
        while (m.find()) {
            String def = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            if (def.equals("true") || def.equals("1") || def.equals("yes") || def.equals("on")) {
                return m.group(1) + "=" + (def.equals("1") ? "0" : def.equals("yes") ? "no" : def.equals("on") ? "off" : "false");
            }
        }
        return null;
    }

    static boolean declaresArg(String dockerfile, String name) {
        return Pattern.compile("(?m)^\\s*ARG\\s+" + Pattern.quote(name) + "\\b").matcher(dockerfile).find();
    }

    static void mavenPackage(Path dir) {
        log("./mvnw package in " + dir.toAbsolutePath().normalize());
        run(dir, 1800, "./mvnw", "-B", "-q", "-ntp", "package", "-DskipTests");
    }

    /** A fresh build: an image whose every layer matches this Dockerfile and these ARGs. */
    static void buildImage(Path dir, Variant v, String tag) {
        buildImage(dir, v, tag, false);
    }

    /**
     * {@code useCache}: only for the rebuild pair being measured (time and new layers, not contents). Podman 4.3 (buildah 1.28) reuses a cached
     * ENV or LABEL step when only an ARG value it uses changed (e.g. JAVA_FLAGS), so fresh builds there
     * must not use the layer cache, or the image measured is not the Dockerfile's.
     */
    static void buildImage(Path dir, Variant v, String tag, boolean useCache) {
        log("build " + tag + " from " + v.dockerfile() + (useCache ? " (layer cache)" : ""));
        List<String> cmd = new ArrayList<>(List.of(engine, "build"));
        if (engine.endsWith("podman")) {
            cmd.addAll(List.of("--format", "docker"));
            if (!useCache) {
                cmd.add("--no-cache");
            }
        }
        for (String a : v.buildArgs()) {
            cmd.addAll(List.of("--build-arg", a));
        }
        if (!v.needsPackage()) {
            cmd.addAll(buildOpts);
        }
        if (v.target() != null) {
            cmd.addAll(List.of("--target", v.target()));
        }
        cmd.addAll(List.of("-q", "-f", v.dockerfile(), "-t", tag, "."));
        run(dir, 3600, cmd.toArray(String[]::new));
    }

    /** The image the target stage (else the last) of a Dockerfile starts FROM (stages and ARG defaults resolved). */
    static String baseImage(String dockerfile, String target) throws IOException {
        Map<String, String> argDefaults = new HashMap<>();
        Map<String, String> stages = new HashMap<>();
        String last = "scratch";
        boolean beforeFrom = true;
        for (String line : Files.readAllLines(Path.of(dockerfile))) {
            String l = line.trim();
            Matcher arg = Pattern.compile("(?i)^ARG\\s+(\\w+)=(\\S+)").matcher(l);
            if (beforeFrom && arg.find()) {
                argDefaults.put(arg.group(1), arg.group(2).replace("\"", ""));
            }
            Matcher from = Pattern.compile("(?i)^FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?").matcher(l);
            if (from.find()) {
                beforeFrom = false;
                String image = from.group(1);
                for (var e : argDefaults.entrySet()) {
                    image = image.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
                }
                image = stages.getOrDefault(image, image);
                if (from.group(2) != null) {
                    stages.put(from.group(2), image);
                }
                last = image;
            }
        }
        return target != null && stages.containsKey(target) ? stages.get(target) : last;
    }

    static long imageBytes(String image) {
        return Long.parseLong(run(Path.of("."), 60, engine, "image", "inspect", "--format", "{{.Size}}", image).trim());
    }

    /** Layer sizes from `history`, oldest first. */
    static List<Long> historySizes(String image) {
        List<Long> sizes = new ArrayList<>();
        if (engine.endsWith("podman")) {
            String json = run(Path.of("."), 60, engine, "history", "--format", "json", image);
            Matcher m = Pattern.compile("\"size\":\\s*(\\d+)").matcher(json);
            while (m.find()) {
                sizes.add(0, Long.parseLong(m.group(1)));
            }
        } else {
            for (String s : run(Path.of("."), 60, engine, "history", "--human=false", "--format", "{{.Size}}", image).split("\n")) {
                if (!s.isBlank()) {
                    sizes.add(0, Long.parseLong(s.trim()));
                }
            }
        }
        return sizes;
    }

    /** Bytes of the history entries above those of the base image (all of them for FROM scratch). */
    static long addedBytes(String image, String base) {
        List<Long> mine = historySizes(image);
        int baseCount = base.equals("scratch") ? 0 : historySizes(base).size();
        return mine.subList(Math.min(baseCount, mine.size()), mine.size()).stream().mapToLong(Long::longValue).sum();
    }

    static List<String> layerIds(String image) {
        String s = run(Path.of("."), 60, engine, "image", "inspect", "--format", "{{range .RootFS.Layers}}{{.}} {{end}}", image);
        return words(s.replace("sha256:", ""));
    }

    /** Uncompressed size of each layer of an image, by diff ID, read from the tar `save` writes. */
    static Map<String, Long> layerSizes(String image) throws IOException, InterruptedException {
        Map<String, Long> sizes = new HashMap<>();
        Process p = new ProcessBuilder(engine, "save", image).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (InputStream in = p.getInputStream()) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "").trim();
                if (name.isEmpty()) {
                    break;
                }
                String sizeField = new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim();
                long size = sizeField.isEmpty() ? 0 : Long.parseLong(sizeField, 8);
                Matcher m = Pattern.compile("([0-9a-f]{64})").matcher(name);
                if (m.find() && size > 0) {
                    sizes.merge(m.group(1), size, Math::max);
                }
                in.skipNBytes((size + 511) / 512 * 512);
            }
            in.transferTo(OutputStreamNull.INSTANCE);
        }
        p.waitFor();
        return sizes;
    }

    static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** Bytes of the layers of `after` that `before` does not have (what a push or pull moves). */
    static long newLayerBytes(String before, String after) throws IOException, InterruptedException {
        Set<String> old = new HashSet<>(layerIds(before));
        Map<String, Long> sizes = layerSizes(after);
        long sum = 0;
        for (String id : layerIds(after)) {
            if (!old.contains(id)) {
                if (!sizes.containsKey(id)) {
                    notes.add("`" + engineName() + " save " + after + "` has no uncompressed layer named " + id
                            + ": its size is missing from the rebuild's new layers.");
                }
                sum += sizes.getOrDefault(id, 0L);
            }
        }
        return sum;
    }

    static boolean mentionsAotCache(String historyLine) {
        String l = historyLine.toLowerCase(Locale.ROOT);
        return l.contains("aot") || l.contains(".jsa");
    }

    /** The largest layer whose history line mentions the AOT cache (or a CDS archive), or -1. */
    static long aotCacheLayer(String image) {
        String out;
        if (engine.endsWith("podman")) {
            out = run(Path.of("."), 60, engine, "history", "--format", "json", image);
            long best = -1;
            Matcher m = Pattern.compile("\\{[^{}]*\\}").matcher(out);
            while (m.find()) {
                String entry = m.group();
                Matcher size = Pattern.compile("\"size\":\\s*(\\d+)").matcher(entry);
                if (mentionsAotCache(entry) && size.find()) {
                    best = Math.max(best, Long.parseLong(size.group(1)));
                }
            }
            return best;
        }
        long best = -1;
        out = run(Path.of("."), 60, engine, "history", "--no-trunc", "--human=false", "--format", "{{.Size}}\t{{.CreatedBy}}", image);
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", 2);
            if (f.length == 2 && mentionsAotCache(f[1])) {
                best = Math.max(best, Long.parseLong(f[0].trim()));
            }
        }
        return best;
    }

    // ---- one image, side by side -----------------------------------------------------------------
    record RunResult(long readyMs, long startedMs, long rssStart, long rss2000, long stopMs) {
    }

    static Map<String, Number> measure(Variant v) throws Exception {
        String tag = v.tag();
        Map<String, Number> r = new LinkedHashMap<>();
        r.put("image_bytes", imageBytes(tag));
        r.put("added_bytes", addedBytes(tag, baseImage(v.dockerfile(), v.target())));
        jdks.put(v.name(), jdkOf(tag));
        List<RunResult> rs = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            RunResult one = runOnce(tag, PREFIX + v.name() + "-" + i, javaOpts, runArgs, requests);
            log(String.format("  %s run %d%s: ready %d ms, started %d ms, rss %d/%d kB, stop %d ms", v.name(), i,
                    i == 0 ? " (warm-up)" : "", one.readyMs, one.startedMs, one.rssStart, one.rss2000, one.stopMs));
            if (i > 0) {
                rs.add(one);
            }
        }
        r.put("ready_ms", median(rs, RunResult::readyMs));
        r.put("started_ms", median(rs, RunResult::startedMs));
        r.put("rss_kb_start", median(rs, RunResult::rssStart));
        r.put("rss_kb_2000", median(rs, RunResult::rss2000));
        r.put("stop_ms", median(rs, RunResult::stopMs));
        r.put("rebuild_s", null);
        r.put("rebuild_new_layer_bytes", null);
        if (v.name().equals("prod")) {
            aotLayerBytes = aotCacheLayer(tag);
        }
        return r;
    }

    static long median(List<RunResult> rs, java.util.function.ToLongFunction<RunResult> f) {
        long[] xs = rs.stream().mapToLong(f).sorted().toArray();
        return xs.length % 2 == 1 ? xs[xs.length / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
    }

    static RunResult runOnce(String image, String name, String jdkJavaOptions, List<String> extraRunArgs, int nRequests)
            throws Exception {
        run(Path.of("."), 60, true, engine, "rm", "-f", name);
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(engine, "run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":8080"));
        if (!jdkJavaOptions.isBlank()) {
            cmd.addAll(List.of("-e", "JDK_JAVA_OPTIONS=" + jdkJavaOptions));
        }
        cmd.addAll(extraRunArgs);
        cmd.add(image);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(500)).build();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long readyMs = -1;
        int polls = 0;
        try {
            while (readyMs < 0) {
                if (System.nanoTime() - t0 > 120_000_000_000L) {
                    throw new IllegalStateException(image + " not ready after 120 s: " + logsOf(name));
                }
                if (!p.isAlive() && p.exitValue() != 0) {
                    throw new IllegalStateException(engine + " run failed: " + new String(p.getInputStream().readAllBytes()));
                }
                if (status(http, ready) == 200) {
                    readyMs = (System.nanoTime() - t0) / 1_000_000;
                } else if (!p.isAlive() && ++polls % 100 == 0
                        && run(Path.of("."), 60, true, engine, "inspect", "--format", "{{.State.Status}}", name).contains("exited")) {
                    throw new IllegalStateException(image + " exited before it was ready: " + logsOf(name));
                } else {
                    Thread.sleep(10);
                }
            }
            p.waitFor(60, TimeUnit.SECONDS);
            long rssStart = rssKb(name);
            int live = status(http, URI.create("http://127.0.0.1:" + port + "/q/health/live"));
            String liveNote = image + ": GET /q/health/live answered " + live + " once the image was ready (expected 200).";
            if (live != 200 && !notes.contains(liveNote)) {
                notes.add(liveNote);
                log("  " + liveNote);
            }
            URI hello = URI.create("http://127.0.0.1:" + port + "/hello");
            for (int i = 0; i < nRequests; i++) {
                int s = status(http, hello);
                if (s != 200) {
                    throw new IllegalStateException("GET /hello answered " + s);
                }
            }
            long rss2000 = rssKb(name);
            long s0 = System.nanoTime();
            run(Path.of("."), 60, engine, "stop", "-t", "30", name);
            long stopMs = (System.nanoTime() - s0) / 1_000_000;
            String logs = logsOf(name);
            Matcher m = Pattern.compile("started in (\\d+)\\.(\\d+)s").matcher(logs);
            long startedMs = m.find() ? Long.parseLong(m.group(1)) * 1000 + Long.parseLong((m.group(2) + "00").substring(0, 3)) : -1;
            return new RunResult(readyMs, startedMs, rssStart, rss2000, stopMs);
        } finally {
            run(Path.of("."), 60, true, engine, "rm", "-f", name);
        }
    }

    static int status(HttpClient http, URI uri) {
        try {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String get(HttpClient http, URI uri) {
        try {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static String logsOf(String name) {
        return run(Path.of("."), 60, true, engine, "logs", name);
    }

    /**
     * VmRSS of the container's java process from /proc when the engine runs containers on this host,
     * else the container's memory use from `stats`.
     */
    static long rssKb(String name) {
        String pid = run(Path.of("."), 60, engine, "inspect", "--format", "{{.State.Pid}}", name).trim();
        Path status = Path.of("/proc", pid, "status");
        if (!pid.equals("0") && Files.isReadable(status)) {
            long javaPid = ProcessHandle.of(Long.parseLong(pid))
                    .map(h -> isJava(h.pid()) ? h.pid()
                            : h.descendants().filter(d -> isJava(d.pid())).map(ProcessHandle::pid).findFirst().orElse(h.pid()))
                    .orElse(Long.parseLong(pid));
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(javaPid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rssMethod.put("method", "VmRSS of the java process in /proc/<pid>/status (pid from `"
                                + engineName() + " inspect --format {{.State.Pid}}`)");
                        return Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException e) {
                // fall through to stats
            }
        }
        String usage = run(Path.of("."), 60, engine, "stats", "--no-stream", "--format", "{{.MemUsage}}", name).trim();
        rssMethod.put("method", "container memory from `" + engineName() + " stats` (the engine's containers do not run on this host)");
        Matcher m = Pattern.compile("([0-9.]+)\\s*([kKMG]i?B|B)").matcher(usage);
        if (!m.find()) {
            return -1;
        }
        double n = Double.parseDouble(m.group(1));
        String u = m.group(2);
        double factor = u.startsWith("G") ? 1 << 20 : u.startsWith("M") ? 1 << 10 : u.equalsIgnoreCase("kB") || u.equals("KiB") ? 1 : 1.0 / 1024;
        return Math.round(n * factor);
    }

    static boolean isJava(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim().equals("java");
        } catch (IOException e) {
            return false;
        }
    }

    static String jdkOf(String image) {
        String v = run(Path.of("."), 120, true, engine, "run", "--rm", "--entrypoint", "java", image, "-version");
        return v.lines().filter(l -> l.contains("Runtime Environment")).findFirst()
                .or(() -> v.lines().filter(l -> l.contains(" version ")).findFirst()).orElse("?").trim();
    }

    // ---- rebuild after a one-line change, in a temporary copy ------------------------------------
    static void rebuildAll(List<Variant> variants, Map<String, Map<String, Number>> results) throws Exception {
        Path copy = tempCopy("rebuild");
        try {
            boolean pkg = variants.stream().anyMatch(Variant::needsPackage);
            if (pkg) {
                mavenPackage(copy);
            }
            for (Variant v : variants) {
                // With the layer cache as well: a --no-cache build leaves no layers a later build can reuse.
                buildImage(copy, v, PREFIX + "rebuild-" + v.name() + ":before", true);
            }
            // A marker no earlier run used, so no layer of a previous `make bench` matches the change.
            String run = Long.toString(System.currentTimeMillis(), 36);
            editGreeting(copy, "(rebuilt " + run + ")");
            long pkgNanos = 0;
            if (pkg) {
                long t = System.nanoTime();
                mavenPackage(copy);
                pkgNanos = System.nanoTime() - t;
            }
            for (Variant v : variants) {
                if (!v.needsPackage()) {
                    // Its own one-line change, so that no image's rebuild reuses another's Maven stage.
                    editGreeting(copy, "(rebuilt " + run + " for " + v.name() + ")");
                }
                long t = System.nanoTime();
                buildImage(copy, v, PREFIX + "rebuild-" + v.name() + ":after", true);
                long nanos = System.nanoTime() - t + (v.needsPackage() ? pkgNanos : 0);
                double secs = Math.round(nanos / 1e8) / 10.0;
                long bytes = newLayerBytes(PREFIX + "rebuild-" + v.name() + ":before", PREFIX + "rebuild-" + v.name() + ":after");
                log(String.format("  %s rebuild: %.1f s, %d bytes of new layers", v.name(), secs, bytes));
                results.get(v.name()).put("rebuild_s", secs);
                results.get(v.name()).put("rebuild_new_layer_bytes", bytes);
                run(Path.of("."), 60, true, engine, "rmi", PREFIX + "rebuild-" + v.name() + ":before",
                        PREFIX + "rebuild-" + v.name() + ":after");
            }
        } finally {
            deleteTree(copy);
        }
    }

    static final Map<Path, String> ORIGINALS = new HashMap<>();

    /** Rewrites the greeting line of the copy's original source with a marker (one line changed). */
    static void editGreeting(Path repo, String marker) throws IOException {
        Path f = repo.resolve(GREETING);
        String src = ORIGINALS.computeIfAbsent(f, k -> {
            try {
                return Files.readString(k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!src.contains(GREETING_LINE)) {
            throw new IllegalStateException(GREETING + " no longer has the line the benchmark edits: " + GREETING_LINE);
        }
        Files.writeString(f, src.replace(GREETING_LINE, "return new Greeting(\"Hello, \" + name + \"! " + marker + "\");"));
    }

    /** The files git would put in a clone (tracked and untracked-but-not-ignored), copied to /tmp. */
    static Path tempCopy(String what) throws IOException {
        Path dir = Files.createTempDirectory(PREFIX + what + "-");
        String files = run(Path.of("."), 60, "git", "ls-files", "--cached", "--others", "--exclude-standard");
        for (String f : files.split("\n")) {
            Path src = Path.of(f);
            if (f.isBlank() || !Files.isRegularFile(src)) {
                continue;
            }
            Path dst = dir.resolve(f);
            Files.createDirectories(dst.getParent());
            Files.copy(src, dst, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dir;
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

    // ---- hot reload in `make serve` --------------------------------------------------------------
    static long hotReload() throws Exception {
        Path copy = tempCopy("serve");
        int port = freePort();
        log("make serve on 127.0.0.1:" + port + " in " + copy);
        Path serveLog = copy.resolve("serve.log");
        Process p = new ProcessBuilder("make", "serve", "APP_PORT=" + port, "MVN_ARGS=-B -ntp")
                .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(serveLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(500)).build();
            URI hello = URI.create("http://127.0.0.1:" + port + "/hello");
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (!get(http, hello).contains("Hello")) {
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
                while (!get(http, hello).contains(marker)) {
                    if (System.nanoTime() - t0 > 120_000_000_000L) {
                        throw new IllegalStateException("no reload after 120 s: " + Files.readString(serveLog));
                    }
                    Thread.sleep(10);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                log("  hot reload " + i + (i == 0 ? " (warm-up)" : "") + ": " + ms + " ms");
                if (i > 0) {
                    times.add(ms);
                } else {
                    hotReloadFirstMs = ms;
                }
            }
            times.sort(null);
            return times.get(times.size() / 2);
        } finally {
            stopTree(p);
            deleteTree(copy);
        }
    }

    static void stopTree(Process p) throws InterruptedException {
        List<ProcessHandle> kids = p.descendants().toList();
        kids.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            kids.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (ProcessHandle k : kids) {
            k.onExit().completeOnTimeout(k, 20, TimeUnit.SECONDS).join();
            k.destroyForcibly();
        }
    }

    // ---- JVM options sweep (stdout) --------------------------------------------------------------
    static void jvmOptionSweep(String image) throws Exception {
        String small = "-Xss256k -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=96m";
        String untuned = "-XX:TieredStopAtLevel=4 -XX:+UsePerfData -XX:TrimNativeHeapInterval=0";
        String[][] sets = { // name, JDK_JAVA_OPTIONS (added to the image's own), extra run args
                {"image defaults", "", ""},
                // The image's tuning (C1 only, no perf data, native heap trim) turned back off, to show its effect.
                {"before tuning: full JIT, perf data, no trim", untuned, ""},
                {"before tuning but C1 only", "-XX:+UsePerfData -XX:TrimNativeHeapInterval=0", ""},
                {"G1 instead of Serial", "-XX:-UseSerialGC -XX:+UseG1GC", ""},
                {"Xmx64m", "-Xmx64m", ""},
                {"Xmx32m", "-Xmx32m", ""},
                {"small set", small, ""},
                {"MALLOC_ARENA_MAX=2", "", "-e MALLOC_ARENA_MAX=2"},
        };
        int sweepRuns = Math.min(runs, 3);
        log("JVM option sets on " + image + ", " + sweepRuns + " runs each after a warm-up:");
        System.out.printf("%-34s %8s %10s %9s %9s %7s  %s%n", "set", "ready_ms", "started_ms", "rss_start", "rss_2000",
                "stop_ms", "JDK_JAVA_OPTIONS | run args");
        for (String[] s : sets) {
            List<RunResult> rs = new ArrayList<>();
            List<String> args = new ArrayList<>(runArgs);
            args.addAll(words(s[2]));
            try {
                for (int i = 0; i <= sweepRuns; i++) {
                    RunResult one = runOnce(image, PREFIX + "opts-" + i, (javaOpts + " " + s[1]).trim(), args, requests);
                    if (i > 0) {
                        rs.add(one);
                    }
                }
                System.out.printf("%-34s %8d %10d %9d %9d %7d  %s | %s%n", s[0], median(rs, RunResult::readyMs),
                        median(rs, RunResult::startedMs), median(rs, RunResult::rssStart), median(rs, RunResult::rss2000),
                        median(rs, RunResult::stopMs), s[1], s[2]);
                jvmOptionRows.add(String.format(Locale.ROOT, "| %s | `%s` | %s | %d ms | %d ms | %s | %s | %d ms |", s[0],
                        s[1].isEmpty() ? "(none)" : s[1], s[2].isEmpty() ? "" : "`" + s[2] + "`", median(rs, RunResult::readyMs),
                        median(rs, RunResult::startedMs), Report.mib(median(rs, RunResult::rssStart)),
                        Report.mib(median(rs, RunResult::rss2000)), median(rs, RunResult::stopMs)));
            } catch (IllegalStateException e) {
                System.out.printf("%-34s failed: %s%n", s[0], e.getMessage().lines().limit(4).toList());
                jvmOptionRows.add("| " + s[0] + " | `" + s[1] + "` | " + s[2] + " | failed: "
                        + e.getMessage().lines().filter(l -> l.contains("rror")).findFirst().orElse("see the log") + " | | | | |");
            }
        }
    }

    // ---- outputs ---------------------------------------------------------------------------------
    static void writeOutputs(List<Variant> variants, Map<String, Map<String, Number>> results, long hotMs, long totalS)
            throws IOException {
        Files.createDirectories(out);
        StringBuilder json = new StringBuilder("{\n  \"images\": {\n");
        int i = 0;
        for (var e : results.entrySet()) {
            json.append("    \"").append(e.getKey()).append("\": {");
            int j = 0;
            for (String k : KEYS) {
                json.append(j++ == 0 ? "" : ", ").append('"').append(k).append("\": ").append(e.getValue().get(k));
            }
            json.append(i++ < results.size() - 1 ? "},\n" : "}\n");
        }
        json.append("  },\n  \"hot_reload_ms\": ").append(hotMs < 0 ? "null" : hotMs).append("\n}\n");
        Files.writeString(out.resolve("benchmarks.json"), json);
        Files.writeString(out.resolve("benchmarks.svg"), Report.svg(results));
        String md = Report.markdown(variants, results, hotMs, totalS);
        Files.writeString(out.resolve("benchmarks.md"), md);
        log("wrote " + out.resolve("benchmarks.json") + ", benchmarks.md, benchmarks.svg");
        Path readme = Path.of("README.md");
        if (out.normalize().equals(Path.of("docs")) && Files.exists(readme)) {
            String text = Files.readString(readme);
            int a = text.indexOf(README_START), b = text.indexOf(README_END);
            if (a >= 0 && b > a) {
                // The tables of benchmarks.md, up to its first section after them.
                int end = md.indexOf("\n## JVM options");
                String tables = md.substring(md.indexOf("| image |"), end > 0 ? end : md.indexOf("\n## Images"))
                        .replace("## Targets (issue 5)", "Targets (issue 5):");
                Files.writeString(readme, text.substring(0, a + README_START.length()) + "\n" + Report.stamp(totalS) + "\n\n"
                        + tables.trim() + "\n" + text.substring(b));
                log("updated the Performance section of README.md");
            }
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------
    static String detectEngine() {
        String e = System.getenv("CONTAINER_ENGINE");
        if (e != null && !e.isBlank()) {
            return e;
        }
        try {
            Process p = new ProcessBuilder("docker", "info").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return "docker";
            }
            p.destroyForcibly();
        } catch (IOException ignored) {
            // no docker client
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return "podman";
    }

    static String engineName() {
        return Path.of(engine).getFileName().toString();
    }

    static String engineVersion() {
        String v = run(Path.of("."), 60, true, engine, "version", "--format",
                engine.endsWith("podman") ? "{{.Client.Version}}" : "{{.Server.Version}}").trim();
        return engineName() + " " + v;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    static String run(Path dir, int timeoutS, String... cmd) {
        return run(dir, timeoutS, false, cmd);
    }

    /** Runs a command, returns stdout+stderr; fails on a non-zero exit unless lenient. */
    static String run(Path dir, int timeoutS, boolean lenient, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    p.getInputStream().transferTo(buf);
                } catch (IOException ignored) {
                    // process gone
                }
            });
            reader.start();
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
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void log(String s) {
        System.out.println("[bench " + DateTimeFormatter.ofPattern("HH:mm:ss").format(ZonedDateTime.now()) + "] " + s);
    }
}

/** docs/benchmarks.md and docs/benchmarks.svg from one run's figures. */
class Report {

    static final long MB = 1_000_000L;

    static String markdown(List<Bench.Variant> variants, Map<String, Map<String, Number>> r, long hotMs, long totalS) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n").append(stamp(totalS)).append(" Do not edit by hand: run `make bench` again. Chart: [benchmarks.svg](benchmarks.svg); ")
                .append("data: [benchmarks.json](benchmarks.json).\n\n");
        md.append("| image | size | added on base | run → ready | started in | RSS after start | RSS after ")
                .append(Bench.requests).append(" requests | stop | rebuild after a one-line change | new layers |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (var e : r.entrySet()) {
            Map<String, Number> m = e.getValue();
            md.append("| ").append(e.getKey())
                    .append(" | ").append(mb(m.get("image_bytes")))
                    .append(" | ").append(mb(m.get("added_bytes")))
                    .append(" | ").append(ms(m.get("ready_ms")))
                    .append(" | ").append(ms(m.get("started_ms")))
                    .append(" | ").append(mib(m.get("rss_kb_start")))
                    .append(" | ").append(mib(m.get("rss_kb_2000")))
                    .append(" | ").append(ms(m.get("stop_ms")))
                    .append(" | ").append(m.get("rebuild_s") == null ? "–" : m.get("rebuild_s") + " s")
                    .append(" | ").append(m.get("rebuild_new_layer_bytes") == null ? "–" : mb(m.get("rebuild_new_layer_bytes")))
                    .append(" |\n");
        }
        md.append("\nHot reload in `make serve` (edit → changed response): ")
                .append(hotMs < 0 ? "not measured" : ms(hotMs) + " (median of 3 edits; the first edit after start, not counted: "
                        + ms(Bench.hotReloadFirstMs) + ")").append(".\n\n");
        md.append("MB = 10^6 bytes, MiB = 2^20 bytes. Medians of ").append(Bench.runs)
                .append(" runs after one warm-up run.\n\n");

        md.append("## Targets (issue 5)\n\n| target | measured | verdict |\n| --- | --- | --- |\n");
        Map<String, Number> prod = r.get("prod");
        Map<String, Number> naive = r.get("naive");
        Map<String, Number> noAot = r.get("prod-noaot");
        if (prod == null) {
            md.append("| all | no prod image measured | MISS |\n");
        } else {
            long aot = Bench.aotLayerBytes;
            target(md, "prod image ≤ 120 MB (base and AOT cache included)", num(prod, "image_bytes"), 120 * MB, false, "MB");
            if (noAot != null) {
                target(md, "prod without AOT cache ≤ 80 MB", num(noAot, "image_bytes"), 80 * MB, false, "MB");
            } else if (aot < 0) {
                target(md, "prod (no AOT cache found) ≤ 80 MB", num(prod, "image_bytes"), 80 * MB, false, "MB");
            }
            if (naive != null) {
                long limit = num(naive, "ready_ms") / 3;
                target(md, "prod run → ready ≤ 1/3 of naive (" + num(naive, "ready_ms") + " ms / 3)", num(prod, "ready_ms"), limit, false, "ms");
            }
            target(md, "prod RSS after " + Bench.requests + " requests ≤ 64 MiB", num(prod, "rss_kb_2000"), 64 * 1024, false, "kB");
            if (prod.get("rebuild_new_layer_bytes") != null) {
                long newBytes = num(prod, "rebuild_new_layer_bytes") - Math.max(0, aot);
                target(md, "code-only change adds ≤ 1 MB of new layers besides the AOT cache ("
                        + (aot < 0 ? "no AOT cache layer found" : "AOT cache layer " + mb(aot)) + ")", newBytes, MB, false, "MB");
            }
            if (hotMs >= 0) {
                target(md, "hot reload ≤ 2 s", hotMs, 2000, false, "ms");
            }
        }

        if (md.indexOf("| MISS") >= 0 && !Bench.jvmOptionRows.isEmpty()) {
            md.append("\nWhat was tried for a missed startup or RSS target: the JVM option sets in \"JVM options on the prod image\" ")
                    .append("(docs/benchmarks.md), given at run time to the same prod image.\n");
        }
        if (!Bench.jvmOptionRows.isEmpty()) {
            md.append("\n## JVM options on the prod image\n\n")
                    .append("Each set is given as `JDK_JAVA_OPTIONS` at run time, on top of the image's own options (its `JAVA_TOOL_OPTIONS`; ")
                    .append("the launcher applies `JDK_JAVA_OPTIONS` after them, so they win). Medians of ")
                    .append(Math.min(Bench.runs, 3)).append(" runs after a warm-up; `make bench-jvm` runs only this part. ")
                    .append("\"small set\": `-Xss256k -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=96m`; \"before tuning\" turns the image's C1-only JIT, perf-data switch and native heap trim back off.\n\n")
                    .append("| set | JDK_JAVA_OPTIONS | run args | run → ready | started in | RSS after start | RSS after ")
                    .append(Bench.requests).append(" requests | stop |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
            Bench.jvmOptionRows.forEach(row -> md.append(row).append('\n'));
        }
        md.append("\n## Images\n\n");
        for (Bench.Variant v : variants) {
            md.append("- **").append(v.name()).append("** (`").append(v.tag()).append("`): ").append(v.about())
                    .append("; JDK: `").append(Bench.jdks.getOrDefault(v.name(), "?")).append("`\n");
        }
        md.append("\n## Method\n\n")
                .append("- Engine: `").append(Bench.engineVersion())
                .append("` (`CONTAINER_ENGINE`, else docker when `docker info` answers, else podman). Each image is built by the harness (`./mvnw package` first for the images that copy `target/quarkus-app`).\n")
                .append("- Measured images are fresh builds (on Podman with `--no-cache`, whose 4.3 layer cache can keep a stale ENV after an ARG change); the rebuild after a one-line change uses the layer cache, as a developer's rebuild does.\n")
                .append("- Size: `image inspect --format {{.Size}}`. Added on base: the layers of `history` above the history of the image the last stage starts FROM (all layers for `FROM scratch`).\n")
                .append("- Run → ready: from starting `").append(Bench.engineName())
                .append(" run -d -p 127.0.0.1:<free port>:8080` to the first 200 from `GET /q/health/ready` (polled every 10 ms on loopback). ")
                .append("Started in: the app's own `started in` log line.\n")
                .append("- RSS: ").append(Bench.rssMethod.getOrDefault("method", "not measured"))
                .append(", once ready and again after ").append(Bench.requests)
                .append(" sequential `GET /hello` on one HTTP/1.1 keep-alive connection (java.net.http client in the harness; no h2c upgrade).\n")
                .append("- Stop: time of `").append(Bench.engineName()).append(" stop` (SIGTERM; the app keeps answering for `quarkus.shutdown.delay`, 1 s, then exits).\n")
                .append("- Rebuild: in a temporary copy of the repository (the files git tracks or would add), each image is built once, then one line of `GreetingResource.java` changes and it is built again, timed; ")
                .append("each image built from sources gets a line of its own, so none reuses another's rebuilt Maven stage ")
                .append("(for the images built from `target/quarkus-app`, the time includes `./mvnw package`). New layers: the uncompressed size of the layers of the new image whose diff IDs the old one does not have (sizes from the tar `save` writes).\n")
                .append("- Hot reload: `make serve` on a free loopback port in another temporary copy; the greeting line is rewritten and `GET /hello` is polled until it answers the new text. Median of 3 edits after one warm-up edit.\n");
        if (!Bench.javaOpts.isBlank() || !Bench.runArgs.isEmpty()) {
            md.append("- Extra for every run: `JDK_JAVA_OPTIONS=").append(Bench.javaOpts).append("`, run args `")
                    .append(String.join(" ", Bench.runArgs)).append("`.\n");
        }
        md.append("\n## Machine\n\n")
                .append("- ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(memTotal()).append(" memory, kernel ").append(System.getProperty("os.version"))
                .append(", ").append(System.getProperty("os.arch")).append("\n")
                .append("- Engine: ").append(Bench.engineVersion()).append("; harness JDK ").append(System.getProperty("java.version")).append("\n")
                .append("- Load average (1, 5, 15 min) at the start of the run: ").append(Bench.loadAtStart)
                .append("; at the end: ").append(loadAvg()).append(". Other builds running at the same time make the figures noisy.\n");
        if (!Bench.notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            Bench.notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    static String stamp(long totalS) {
        return "Measured by `make bench` on " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z").format(ZonedDateTime.now())
                + " in " + totalS / 60 + " min " + totalS % 60 + " s (the whole run, builds included), "
                + Runtime.getRuntime().availableProcessors() + " cores, " + Bench.engineVersion()
                + "; load average at the start " + Bench.loadAtStart
                + (Double.parseDouble(Bench.loadAtStart.split(",")[0]) >= 0.5 ? " (the CPU was busy shortly before the run, e.g. with the build that preceded it: the figures may be noisy)." : ".");
    }

    static void target(StringBuilder md, String what, long measured, long limit, boolean unused, String unit) {
        boolean pass = measured <= limit;
        String value = fmt(measured, unit);
        String verdict = pass ? "PASS (" + fmt(limit - measured, unit) + " to spare)"
                : "MISS by " + fmt(measured - limit, unit) + String.format(Locale.ROOT, " (%.0f %% over)", 100.0 * (measured - limit) / limit);
        md.append("| ").append(what).append(" | ").append(value).append(" | ").append(verdict).append(" |\n");
    }

    static String fmt(long v, String unit) {
        return switch (unit) {
            case "MB" -> mb(v);
            case "kB" -> mib(v);
            default -> ms(v);
        };
    }

    static long num(Map<String, Number> m, String k) {
        Number n = m.get(k);
        return n == null ? -1 : n.longValue();
    }

    static String mb(Number bytes) {
        return bytes == null ? "–" : String.format(Locale.ROOT, "%.1f MB", bytes.doubleValue() / MB);
    }

    static String mib(Number kb) {
        return kb == null ? "–" : String.format(Locale.ROOT, "%.1f MiB", kb.doubleValue() / 1024);
    }

    static String ms(Number ms) {
        return ms == null ? "–" : ms.longValue() + " ms";
    }

    static String memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0);
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "? GiB";
    }

    static String loadAvg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Two bar charts side by side: run → ready and image size, one bar per image. */
    static String svg(Map<String, Map<String, Number>> r) {
        int n = r.size();
        int rowH = 34, top = 56, w = 860, h = top + n * rowH + 30;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" font-family=\"sans-serif\" font-size=\"13\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">slipway-starter images: startup and size (make bench)</text>\n");
        Map<String, Number> naive = r.get("naive");
        double readyTarget = naive == null ? -1 : naive.get("ready_ms").doubleValue() / 3;
        panel(s, r, "ready_ms", "run → first 200 on /q/health/ready (ms)", 10, top, 410, rowH, 1, "#3b7dd8",
                readyTarget, "target: naive / 3");
        panel(s, r, "image_bytes", "image size, uncompressed (MB)", 440, top, 410, rowH, MB, "#e08a2c", 120, "target: 120 MB");
        s.append("</svg>\n");
        return s.toString();
    }

    static void panel(StringBuilder s, Map<String, Map<String, Number>> r, String key, String title, int x, int y,
            int width, int rowH, long div, String color, double target, String targetLabel) {
        double max = Math.max(target, r.values().stream().mapToDouble(m -> m.get(key).doubleValue() / div).max().orElse(1));
        int labelW = 90, barMax = width - labelW - 60;
        s.append("<text x=\"").append(x).append("\" y=\"").append(y - 12).append("\" font-weight=\"bold\">")
                .append(title).append("</text>\n");
        int i = 0;
        for (var e : r.entrySet()) {
            double v = e.getValue().get(key).doubleValue() / div;
            int by = y + i * rowH;
            int bw = (int) Math.max(1, Math.round(barMax * v / max));
            s.append("<text x=\"").append(x).append("\" y=\"").append(by + 17).append("\">").append(e.getKey()).append("</text>\n")
                    .append("<rect x=\"").append(x + labelW).append("\" y=\"").append(by + 4).append("\" width=\"").append(bw)
                    .append("\" height=\"").append(rowH - 10).append("\" fill=\"").append(color).append("\"/>\n")
                    .append("<text x=\"").append(x + labelW + bw + 6).append("\" y=\"").append(by + 17).append("\">")
                    .append(String.format(Locale.ROOT, div == 1 ? "%.0f" : "%.1f", v)).append("</text>\n");
            i++;
        }
        if (target > 0) {
            int tx = x + labelW + (int) Math.round(barMax * target / max);
            int bottom = y + r.size() * rowH;
            s.append("<line x1=\"").append(tx).append("\" y1=\"").append(y).append("\" x2=\"").append(tx).append("\" y2=\"")
                    .append(bottom).append("\" stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"5,4\"/>\n")
                    .append("<text x=\"").append(tx).append("\" y=\"").append(bottom + 16)
                    .append("\" fill=\"#c0392b\" text-anchor=\"middle\" font-size=\"12\">").append(targetLabel).append("</text>\n");
        }
    }
}
