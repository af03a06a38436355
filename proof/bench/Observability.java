// What observability costs (issue 16): the production image against the same image built without
// metrics, JSON logs and traces, in one interleaved run: size, run → ready, RSS and USS after load,
// requests/s and p99. Micrometer and the JSON formatter are fixed at build time in Quarkus, so the
// "off" image is built from a temporary copy of the sources whose pom lacks those dependencies; the
// owner's files are never touched.

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

final class Observability {

    /**
     * The observability dependencies (artifactIds), and what goes with each when it is left out: the
     * properties whose key contains one of the words, the main sources that import the package, and
     * Dockerfile lines that contain one of the strings (the AOT training's metrics scrape), and the
     * JDK modules added to the jlink runtime for it (dropped from the Dockerfile's JLINK_MODULES default).
     */
    record Dependency(String artifactId, List<String> propertyWords, String javaPackage, List<String> dockerfileLines, List<String> jdkModules) {
    }

    static final List<Dependency> DEPENDENCIES = List.of(
            new Dependency("quarkus-micrometer-registry-prometheus", List.of("micrometer", "prometheus", "management"), "io.micrometer",
                    List.of("/q/metrics"), List.of("java.management", "jdk.management")),
            new Dependency("quarkus-logging-json", List.of("log.console.json"), "io.quarkus.logging.json", List.of(), List.of()),
            new Dependency("quarkus-opentelemetry", List.of("otel"), "io.opentelemetry", List.of(), List.of()));

    /** A variant measured against the others: built from the working tree (nothing), without some dependencies, or from a git commit. */
    record Variant(String name, List<String> strip, String gitRef, String about) {
        String tag() {
            return Images.PREFIX + name.replaceAll("[^a-z0-9-]", "-");
        }
    }

    static final String ON = "prod", OFF = "prod-obs-off";
    /** Extra variants (--observability-variants), e.g. "no-otel=-quarkus-opentelemetry before=@HEAD". */
    static String extra = "";
    static final Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    static final Map<String, Object> facts = new LinkedHashMap<>();

    private Observability() {
    }

    static List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        v.add(new Variant(ON, List.of(), null, "the production image (root Dockerfile, default target), observability as shipped"));
        v.add(new Variant(OFF, DEPENDENCIES.stream().map(Dependency::artifactId).toList(), null,
                "the same Dockerfile and sources without " + DEPENDENCIES.stream().map(Dependency::artifactId).collect(Collectors.joining(", "))
                        + ", the properties and code that use them, the AOT training's metrics scrape, and the JDK modules added for JVM metrics"));
        for (String spec : Sh.words(extra)) {
            String[] kv = spec.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--observability-variants: NAME=-artifactId[,-artifactId] or NAME=@git-ref, not " + spec);
            }
            if (kv[1].startsWith("@")) {
                String ref = kv[1].substring(1);
                v.add(new Variant(kv[0], List.of(), ref, "the production image built from git " + ref + " ("
                        + Sh.run(Path.of("."), 60, true, "git", "log", "-1", "--format=%s", ref).trim() + ")"));
            } else {
                List<String> strip = List.of(kv[1].replace("-quarkus", "quarkus").split(","));
                v.add(new Variant(kv[0], strip, null, "the production image without " + String.join(", ", strip)));
            }
        }
        return v;
    }

    /** Builds every variant but ON (built by the bench, or here when it is not), then measures them all, interleaved. */
    static void run(Images.Image prod, boolean buildProd, List<String> buildOpts, List<String> runArgs) throws Exception {
        facts.put("engine", Sh.engineVersion());
        facts.put("load_average_start", Sh.loadAvg());
        long t0 = System.nanoTime();
        List<Variant> variants = variants();
        for (Variant v : variants) {
            Images.Image image = new Images.Image(v.name(), prod.dockerfile(), prod.target(), prod.buildArgs(), false, false, v.about());
            if (v.name().equals(ON)) {
                if (buildProd) {
                    Images.build(Path.of("."), image, v.tag(), buildOpts, false);
                }
                continue;
            }
            Path copy = v.gitRef() == null ? DevLoop.tempCopy("obs") : gitCopy(v.gitRef());
            try {
                strip(copy, v.strip());
                Images.build(copy, image, v.tag(), buildOpts, false);
            } finally {
                Sh.deleteTree(copy);
            }
        }
        for (Variant v : variants) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("about", v.about());
            row.put("image_bytes", Images.bytes(v.tag()));
            row.put("aot_cache_bytes", Images.aotCacheLayer(v.tag()));
            rows.put(v.name(), row);
        }
        startup(variants, runArgs);
        load(variants, runArgs);
        facts.put("load_average_end", Sh.loadAvg());
        facts.put("measured", Report.now());
        facts.put("seconds", (System.nanoTime() - t0) / 1_000_000_000L);
        facts.put("run_args", String.join(" ", runArgs));
        Map<String, Object> on = rows.get(ON), off = rows.get(OFF);
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("image_mb", round2((Report.num(on, "image_bytes") - Report.num(off, "image_bytes")) / 1e6));
        delta.put("aot_cache_mb", round2((Report.num(on, "aot_cache_bytes") - Report.num(off, "aot_cache_bytes")) / 1e6));
        delta.put("ready_pct", round2(100.0 * (Report.num(on, "ready_ms") - Report.num(off, "ready_ms")) / Report.num(off, "ready_ms")));
        delta.put("uss_mib", round2((Report.num(on, "uss_kb") - Report.num(off, "uss_kb")) / 1024.0));
        delta.put("rss_mib", round2((Report.num(on, "rss_kb") - Report.num(off, "rss_kb")) / 1024.0));
        delta.put("rps_ratio", round2((double) Report.num(on, "rps") / Report.num(off, "rps")));
        delta.put("p99_ratio", round2(((Number) on.get("p99_ms")).doubleValue() / ((Number) off.get("p99_ms")).doubleValue()));
        facts.put("on_vs_off", delta);
        Sh.log("observability on against off: " + delta);
    }

    static double round2(double d) {
        return Math.round(d * 100) / 100.0;
    }

    /** The files of a git commit, in a temporary directory. */
    static Path gitCopy(String ref) throws IOException {
        Path dir = Files.createTempDirectory(Images.PREFIX + "obs-git-");
        Sh.run(Path.of("."), 120, "sh", "-c", "git archive --format=tar \"$1\" | tar -x -C \"$2\"", "sh", ref, dir.toString());
        return dir;
    }

    /** Leaves the named dependencies out of the copy's pom, with their properties, code and Dockerfile lines. */
    static void strip(Path copy, List<String> artifactIds) throws IOException {
        for (String id : artifactIds) {
            Dependency d = DEPENDENCIES.stream().filter(x -> x.artifactId().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("not an observability dependency: " + id));
            Path pom = copy.resolve("pom.xml");
            String p = Files.readString(pom);
            String stripped = p.replaceAll("(?s)\\n\\s*<dependency>(?:(?!</dependency>).)*<artifactId>" + Pattern.quote(id) + "</artifactId>.*?</dependency>", "");
            if (stripped.equals(p)) {
                throw new IllegalStateException("pom.xml has no dependency " + id);
            }
            Files.writeString(pom, stripped);
            Path props = copy.resolve("src/main/resources/application.properties");
            Files.writeString(props, Files.readAllLines(props).stream()
                    .filter(l -> l.startsWith("#") || !l.contains("=") || d.propertyWords().stream().noneMatch(w -> l.substring(0, l.indexOf('=')).contains(w)))
                    .collect(Collectors.joining("\n", "", "\n")));
            try (var files = Files.walk(copy.resolve("src/main/java"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (Files.readString(f).contains("import " + d.javaPackage() + ".")) {
                        Files.delete(f);
                    }
                }
            }
            Path df = copy.resolve("Dockerfile");
            Files.writeString(df, Files.readAllLines(df).stream().filter(l -> l.trim().startsWith("#") || d.dockerfileLines().stream().noneMatch(l::contains))
                    .map(l -> !d.jdkModules().isEmpty() && l.matches("\\s*ARG\\s+JLINK_MODULES=.*") ? l.replaceAll("\\b(" + String.join("|", d.jdkModules()).replace(".", "\\.") + "),?", "")
                            .replaceAll(",\\s*$", "") : l)
                    .collect(Collectors.joining("\n", "", "\n")));
        }
    }

    /** Run → ready, started in and RSS once ready: every variant once per round, in turn; round 0 warms up. */
    static void startup(List<Variant> variants, List<String> runArgs) throws Exception {
        Map<String, Map<String, List<Long>>> samples = new LinkedHashMap<>();
        for (int round = 0; round <= Bench.runs; round++) {
            for (Variant v : variants) {
                String name = v.tag() + "-run";
                try {
                    Containers.Running c = Containers.start(v.tag(), name, Bench.javaOpts, runArgs, 8080);
                    Containers.Memory mem = Containers.memory(name);
                    Containers.stop(c);
                    long started = Containers.startedMs(name);
                    Sh.log(String.format("  observability %s round %d%s: ready %d ms, started %d ms, rss %s kB", v.name(), round,
                            round == 0 ? " (warm-up)" : "", c.readyMs(), started, mem == null ? "?" : mem.rssKb()));
                    if (round > 0) {
                        Map<String, List<Long>> s = samples.computeIfAbsent(v.name(), k -> new LinkedHashMap<>());
                        s.computeIfAbsent("ready_ms", k -> new ArrayList<>()).add(c.readyMs());
                        s.computeIfAbsent("started_ms", k -> new ArrayList<>()).add(started);
                        s.computeIfAbsent("rss_kb_start", k -> new ArrayList<>()).add(mem == null ? -1 : mem.rssKb());
                    }
                } finally {
                    Containers.remove(name);
                }
            }
        }
        samples.forEach((name, s) -> {
            s.forEach((k, xs) -> rows.get(name).put(k, Sh.median(xs)));
            rows.get(name).put("ready_ms_all", s.get("ready_ms"));
        });
    }

    /**
     * Bench.replicas replicas of every variant side by side (each limited by the run arguments). Each
     * is warmed up; then the measured wrk runs go round the variants' first replicas Bench.loadRuns
     * times, while the other replicas get as much load as the first's warm-up. Then RSS, PSS and USS
     * of each: USS (the larger of a variant's replicas) is what one more replica costs.
     */
    static void load(List<Variant> variants, List<String> runArgs) throws Exception {
        Map<Variant, List<Containers.Running>> running = new LinkedHashMap<>();
        try {
            for (Variant v : variants) {
                List<Containers.Running> rs = new ArrayList<>();
                for (int i = 0; i < Math.max(1, Bench.replicas); i++) {
                    rs.add(Containers.start(v.tag(), v.tag() + "-load-" + i, Bench.javaOpts, runArgs, 8080));
                }
                running.put(v, rs);
            }
            for (Variant v : variants) {
                Sh.log("observability warm-up " + Bench.warmupSeconds + " s per replica: " + v.name());
                for (Containers.Running c : running.get(v)) {
                    Load.run(c.uri("/hello"), Bench.connections, Bench.warmupSeconds);
                }
            }
            Map<String, URI> targets = new LinkedHashMap<>();
            running.forEach((v, rs) -> targets.put(v.name(), rs.get(0).uri("/hello")));
            Map<String, List<Load.Result>> results = Load.rounds("observability load", targets, Bench.loadRuns, Bench.connections, Bench.loadSeconds);
            for (Variant v : variants) {
                List<Containers.Running> rs = running.get(v);
                for (int i = 1; i < rs.size(); i++) { // as much load as the first replica's warm-up
                    Load.run(rs.get(i).uri("/hello"), Bench.connections, Bench.warmupSeconds);
                }
            }
            for (Variant v : variants) {
                List<Load.Result> rs = results.get(v.name());
                Map<String, Object> row = rows.get(v.name());
                row.putAll(Load.summary(rs));
                row.put("rps_all", rs.stream().map(x -> Math.round(x.rps())).toList());
                row.put("p99_ms_all", rs.stream().map(Load.Result::p99Ms).toList());
                List<Containers.Memory> mems = running.get(v).stream().map(c -> Containers.memory(c.name())).toList();
                Sh.log("  observability " + v.name() + " replicas after load: " + mems);
                if (mems.stream().allMatch(java.util.Objects::nonNull)) {
                    row.put("rss_kb", mems.get(0).rssKb());
                    row.put("pss_kb", mems.stream().mapToLong(Containers.Memory::pssKb).max().orElse(-1));
                    row.put("uss_kb", mems.stream().mapToLong(Containers.Memory::ussKb).max().orElse(-1));
                    row.put("replicas", mems);
                }
            }
        } finally {
            running.values().forEach(rs -> rs.forEach(c -> Containers.remove(c.name())));
        }
    }

    // ---- report ----------------------------------------------------------------------------------
    static final String HEADING = "## Observability: what it costs (issue 16)";

    static String json() {
        Map<String, Object> all = new LinkedHashMap<>(facts);
        all.put("variants", rows);
        return Report.value(all);
    }

    static String markdown() {
        StringBuilder s = new StringBuilder(HEADING).append("\n\n");
        Map<String, Object> on = rows.get(ON), off = rows.get(OFF);
        s.append("Measured on ").append(Report.now()).append(" in ").append(facts.get("seconds")).append(" s (builds included), ").append(Sh.engineVersion())
                .append(", `").append(facts.get("run_args")).append("`; load average (1, 5, 15 min) ").append(facts.get("load_average_start"))
                .append(" at the start, ").append(facts.get("load_average_end")).append(" at the end")
                .append(" (2 cores: above 2, other work competed with the bench and every figure is noisier).")
                .append(" The variants are built in the same run and measured interleaved: each startup round starts every variant once, in turn (medians of ")
                .append(Bench.runs).append(" after a warm-up round); ").append(Bench.replicas).append(" replicas of each run side by side under load, `wrk -t1 -c")
                .append(Bench.connections).append(" -d").append(Bench.loadSeconds).append("s` on `GET /hello` goes round the first replicas ")
                .append(Bench.loadRuns).append(" times after a ").append(Bench.warmupSeconds)
                .append(" s warm-up of each replica; RSS of the first replica after load, USS the larger of a variant's replicas (what one more replica costs).\n\n");
        s.append("| variant | size | AOT cache | run → ready | started in | RSS once ready | requests/s (each run) | p50 | p99 (each run) | RSS after load | USS after load |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        rows.forEach((name, m) -> s.append("| ").append(name).append(" | ").append(Report.mb(m.get("image_bytes"))).append(" | ")
                .append(Report.mb(m.get("aot_cache_bytes"))).append(" | ").append(Report.ms(m.get("ready_ms"))).append(" | ").append(Report.ms(m.get("started_ms")))
                .append(" | ").append(Report.mib(m.get("rss_kb_start"))).append(" | ").append(m.get("rps")).append(" (").append(join(m.get("rps_all"))).append(") | ")
                .append(Report.msD(m.get("p50_ms"))).append(" | ").append(Report.msD(m.get("p99_ms"))).append(" (").append(join(m.get("p99_ms_all")))
                .append(") | ").append(Report.mib(m.get("rss_kb"))).append(" | ").append(Report.mib(m.get("uss_kb"))).append(" |\n"));
        if (on != null && off != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) facts.get("on_vs_off");
            s.append("\n| issue 16 target (").append(ON).append(" against ").append(OFF).append(") | measured | verdict |\n| --- | --- | --- |\n");
            verdict(s, "image size + ≤ 5 MB", String.format(Locale.ROOT, "%+.1f MB (AOT cache %+.1f MB)", d.get("image_mb"), d.get("aot_cache_mb")),
                    ((Number) d.get("image_mb")).doubleValue() <= 5);
            verdict(s, "run → ready + ≤ 10 %", String.format(Locale.ROOT, "%+.0f %% (%d → %d ms)", d.get("ready_pct"), Report.num(off, "ready_ms"),
                    Report.num(on, "ready_ms")), ((Number) d.get("ready_pct")).doubleValue() <= 10);
            verdict(s, "USS per replica + ≤ 8 MiB", String.format(Locale.ROOT, "%+.1f MiB", d.get("uss_mib")), ((Number) d.get("uss_mib")).doubleValue() <= 8);
            verdict(s, "requests/s ≥ 0.95×", String.format(Locale.ROOT, "%.2f×", d.get("rps_ratio")), ((Number) d.get("rps_ratio")).doubleValue() >= 0.95);
            verdict(s, "p99 ≤ 1.1×", String.format(Locale.ROOT, "%.2f×", d.get("p99_ratio")), ((Number) d.get("p99_ratio")).doubleValue() <= 1.1);
        }
        s.append("\nVariants:\n");
        variants().forEach(v -> s.append("- **").append(v.name()).append("**: ").append(v.about()).append('\n'));
        return s.toString();
    }

    static void verdict(StringBuilder s, String what, String measured, boolean pass) {
        s.append("| ").append(what).append(" | ").append(measured).append(" | ").append(pass ? "PASS" : "MISS").append(" |\n");
    }

    static String join(Object list) {
        return list instanceof List<?> l ? l.stream().map(x -> x instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : String.valueOf(x))
                .collect(Collectors.joining(", ")) : "–";
    }

    /**
     * Only this phase ran: its section replaces the one in the existing benchmarks.md (or goes before
     * "## Targets"), and its field the "observability" field of benchmarks.json; the rest stays as the
     * last full `make bench` wrote it.
     */
    static void merge(Path out) throws IOException {
        Path mdFile = out.resolve("benchmarks.md"), jsonFile = out.resolve("benchmarks.json");
        String section = markdown() + "\n";
        String md = Files.exists(mdFile) ? Files.readString(mdFile) : "# Benchmarks\n\n";
        int a = md.indexOf(HEADING);
        if (a >= 0) {
            int b = md.indexOf("\n## ", a + HEADING.length());
            md = md.substring(0, a) + section + (b < 0 ? "" : md.substring(b + 1));
        } else {
            int t = md.indexOf("\n## Targets");
            md = t < 0 ? md + "\n" + section : md.substring(0, t + 1) + section + md.substring(t + 1);
        }
        Files.createDirectories(out);
        Files.writeString(mdFile, md);
        String json = Files.exists(jsonFile) ? Files.readString(jsonFile).stripTrailing() : "{\n}";
        Matcher m = Pattern.compile(",\\n  \"observability\": ").matcher(json);
        json = (m.find() ? json.substring(0, m.start()) : json.substring(0, json.lastIndexOf('}')).stripTrailing())
                + ",\n  \"observability\": " + json() + "\n}\n";
        Files.writeString(jsonFile, json);
        Sh.log("wrote the observability section of " + mdFile + " and the observability field of " + jsonFile);
    }
}
