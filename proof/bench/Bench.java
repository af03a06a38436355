// `make bench`: builds a naive baseline image and the project's images, measures them side by side
// and writes docs/benchmarks.{md,json,svg}, docs/builds-and-healthcheck.md and the README's figures.
// JDK 22+ (multi-file source launcher, no dependencies): java proof/bench/Bench.java [--help]
// One file per concern: Images (build), Containers (run and measure), Load (wrk), DevLoop (rebuild,
// hot reload), Report (outputs), Sh (plumbing). This file is the plan: what runs, in what order.
// Docker or Podman: CONTAINER_ENGINE, else docker when `docker info` answers, else podman.

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class Bench {

    // ---- options (Makefile: BENCH_*) ------------------------------------------------------------
    static int runs = 5;                 // startup runs per image after a warm-up round
    static int loadRuns = 3;             // wrk runs per load variant
    static int loadSeconds = 20;         // each
    static int warmupSeconds = 10;       // wrk before the measured runs, per variant
    static int connections = 16;
    static int replicas = 2;             // production replicas run side by side for PSS/USS
    static int probes = 20;              // HEALTHCHECK runs measured per probe command
    static String only = "";
    static String javaOpts = "";
    static List<String> runArgs = List.of("--memory=256m", "--cpus=1");
    static List<String> buildOpts = List.of();
    static String noAotArg = "";
    static Path out = Path.of("docs");
    static boolean build = true, rebuild = true, hotReload = true, load = true, healthcheck = true;
    /** What observability costs (Observability): after the load phase; or alone, merged into the existing outputs. */
    static boolean observability = true, observabilityOnly = false;

    /**
     * JVM option sets run under load on the production image besides its defaults (JDK_JAVA_OPTIONS,
     * applied after the image's JAVA_TOOL_OPTIONS, so they win): {label, options, run only when the
     * image's flags contain this (else the set is the image's default)}.
     */
    static final String[][] JVM_SETS = {
            {"C1 only", "-XX:TieredStopAtLevel=1", ""},
            // a lever for a CPU-limited start: C1 compiles a method after 5x the calls (so fewer, later
            // compilations compete with startup for the CPU); C2 and peak throughput unchanged
            {"C1 compiles later", "-XX:Tier3InvocationThreshold=1000 -XX:Tier3MinInvocationThreshold=500 -XX:Tier3CompileThreshold=10000", ""},
            {"full JIT (C1 + C2)", "-XX:TieredStopAtLevel=4", "TieredStopAtLevel"},
    };

    /** Besides the defaults, replicas are also measured with this set when the image's flags contain the third element. */
    static final String[] REPLICA_SET = {"AOT cache at a random address (the JDK's default)",
            "-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=1", "ArchiveRelocationMode=0"};

    /** The probe the production image used before it ran HealthProbe directly (issue 11, "before"). */
    static final List<String> PROBE_BEFORE = List.of("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx16m", "-Xss256k",
            "-XX:-UsePerfData", "-jar", "/app/quarkus-run.jar", "healthcheck");

    static final List<String> notes = new ArrayList<>();
    static final String loadAtStart = Sh.loadAvg();

    /** What the run found, for Report. */
    static final Map<String, Map<String, Object>> images = new LinkedHashMap<>();
    static final Map<String, Map<String, Object>> loadRows = new LinkedHashMap<>();
    static final Map<String, Map<String, Object>> replicaFacts = new LinkedHashMap<>();
    static final Map<String, Map<String, Object>> probeRows = new LinkedHashMap<>();
    /** Startup by CPU setting (cpuSettings) and image; classes loaded by ready, by image. */
    static final Map<String, Map<String, Map<String, Object>>> startup = new LinkedHashMap<>();
    static final Map<String, Map<String, Object>> classes = new LinkedHashMap<>();
    static final Map<String, String> jdks = new LinkedHashMap<>();
    static final Map<String, Double> buildSeconds = new LinkedHashMap<>();
    static long aotLayerBytes = -1, hotReloadMs = -1;

    public static void main(String[] args) throws Exception {
        parse(args);
        long t0 = System.nanoTime();
        Sh.log("engine: " + Sh.engineVersion() + "; load average " + loadAtStart);
        if (load) {
            Load.ensureWrk();
        }
        List<Images.Image> all = Images.all(noAotArg, notes);
        List<Images.Image> list = only.isBlank() ? all
                : all.stream().filter(i -> List.of(only.split(",")).contains(i.name())).toList();
        if (observabilityOnly) {
            Observability.run(all.stream().filter(i -> i.name().equals("prod")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no production image (root Dockerfile) to measure")), build, buildOpts, runArgs);
            Observability.merge(out);
            Sh.log("done in " + (System.nanoTime() - t0) / 1_000_000_000L + " s");
            return;
        }
        if (build) {
            buildAll(list);
        }
        for (Images.Image i : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image_bytes", Images.bytes(i.tag()));
            m.put("added_bytes", Images.addedBytes(i.tag(), Images.baseImage(i.dockerfile(), i.target())));
            m.put("build_s", buildSeconds.get(i.name()));
            images.put(i.name(), m);
            if (!i.floor()) {
                jdks.put(i.name(), Images.jdkOf(i.tag()));
            }
        }
        if (images.containsKey("prod")) {
            aotLayerBytes = Images.aotCacheLayer(Images.PREFIX + "prod");
        }
        startupRounds(list);
        if (load) {
            loadPhase(list);
        }
        if (images.containsKey("prod") && (load || healthcheck)) {
            replicasAndProbe();
        }
        if (observability && load && images.containsKey("prod")) {
            Observability.run(list.stream().filter(i -> i.name().equals("prod")).findFirst().orElseThrow(), false, buildOpts, runArgs);
        }
        if (rebuild) {
            DevLoop.rebuild(list.stream().filter(i -> !i.floor()).toList(), buildOpts, notes)
                    .forEach((name, r) -> {
                        images.get(name).put("rebuild_s", r[0]);
                        images.get(name).put("rebuild_new_layer_bytes", r[1]);
                        images.get(name).put("rebuild_unchanged_s", r[2]);
                    });
        }
        if (hotReload) {
            hotReloadMs = DevLoop.hotReload();
        }
        Report.write(list, (System.nanoTime() - t0) / 1_000_000_000L);
        Sh.log("done in " + (System.nanoTime() - t0) / 1_000_000_000L + " s");
    }

    static void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--load-runs" -> loadRuns = Integer.parseInt(args[++i]);
                case "--load-seconds" -> loadSeconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--replicas" -> replicas = Integer.parseInt(args[++i]);
                case "--probes" -> probes = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--java-opts" -> javaOpts = args[++i];
                case "--run-args" -> runArgs = Sh.words(args[++i]);
                case "--build-opts" -> buildOpts = Sh.words(args[++i]);
                case "--no-aot-arg" -> noAotArg = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--no-build" -> build = false;
                case "--no-rebuild" -> rebuild = false;
                case "--no-hot-reload" -> hotReload = false;
                case "--no-load" -> load = false;
                case "--no-healthcheck" -> healthcheck = false;
                case "--no-observability" -> observability = false;
                case "--observability-only" -> observabilityOnly = true;
                case "--observability-variants" -> Observability.extra = args[++i];
                default -> {
                    System.out.println("""
                            java proof/bench/Bench.java [--runs 5] [--load-runs 3] [--load-seconds 20] [--warmup-seconds 10]
                                [--connections 16] [--replicas 2] [--probes 20] [--only naive,prod,prod-noaot,jvm,floor]
                                [--java-opts 'JDK_JAVA_OPTIONS for every run'] [--run-args '--memory=256m --cpus=1']
                                [--build-opts 'extra build args for the images built from sources (prod)']
                                [--no-aot-arg NAME=VALUE (build arg of the root Dockerfile that turns the AOT cache off)]
                                [--out docs] [--no-build] [--no-rebuild] [--no-hot-reload] [--no-load] [--no-healthcheck]
                                [--no-observability] [--observability-only (only prod against prod-obs-off; --no-build: prod as it is;
                                  merged into the existing outputs)] [--observability-variants 'NAME=-artifactId[,...] NAME=@git-ref ...']""");
                    System.exit(args[i].equals("--help") ? 0 : 2);
                }
            }
        }
    }

    static void buildAll(List<Images.Image> list) {
        if (list.stream().anyMatch(Images.Image::needsPackage)) {
            Images.mavenPackage(Path.of("."));
        }
        if (list.stream().anyMatch(Images.Image::floor)) {
            Images.compileStandIn(Path.of("."));
        }
        for (Images.Image i : list) {
            long t = System.nanoTime();
            Images.build(Path.of("."), i, i.tag(), buildOpts, false);
            buildSeconds.put(i.name(), Math.round((System.nanoTime() - t) / 1e8) / 10.0);
        }
    }

    /** One container started in the startup rounds: an image with JDK_JAVA_OPTIONS. */
    record StartVariant(String name, Images.Image image, String javaOpts) {
    }

    /** Every image as it is, then prod with each of JVM_SETS that applies (as in the load phase). */
    static List<StartVariant> startVariants(List<Images.Image> list) {
        List<StartVariant> variants = new ArrayList<>();
        for (Images.Image i : list) {
            variants.add(new StartVariant(i.name(), i, javaOpts));
        }
        list.stream().filter(i -> i.name().equals("prod")).findFirst().ifPresent(prod -> {
            String flags = Images.inspect(prod.tag(), "{{json .Config.Env}}");
            for (String[] set : JVM_SETS) {
                if (!flags.contains(set[1]) && flags.contains(set[2])) {
                    variants.add(new StartVariant("prod, " + set[0], prod, (javaOpts + " " + set[1]).trim()));
                }
            }
        });
        return variants;
    }

    /**
     * The CPU settings every image starts under: the run arguments as given (--cpus=1 by default),
     * and the same without the CPU limit. Keys name them in the JSON: cpus_&lt;n&gt;, no_cpu_limit.
     */
    static Map<String, List<String>> cpuSettings() {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        List<String> unlimited = new ArrayList<>();
        String cpus = null;
        for (int i = 0; i < runArgs.size(); i++) {
            String a = runArgs.get(i);
            if (a.startsWith("--cpus=")) {
                cpus = a.substring(7);
            } else if (a.equals("--cpus") && i + 1 < runArgs.size()) {
                cpus = runArgs.get(++i);
            } else {
                unlimited.add(a);
            }
        }
        if (cpus != null) {
            settings.put("cpus_" + cpus.replace('.', '_'), runArgs);
        }
        settings.put("no_cpu_limit", unlimited);
        return settings;
    }

    /**
     * Run → ready and where it goes (JVM created, Quarkus started in, CPU used and throttled by
     * ready), RSS once ready, stop: the images one after another in each round (naive, prod, …,
     * naive, prod, …), under each CPU setting in turn, so a burst of background load hits them alike.
     * Round 0 warms up. The figures of the first setting (the run arguments as given) are the
     * images' headline figures. Then one run per image counts the classes it loaded by ready.
     */
    static void startupRounds(List<Images.Image> list) throws Exception {
        Map<String, List<String>> settings = cpuSettings();
        // setting -> image -> metric -> samples
        Map<String, Map<String, Map<String, List<Long>>>> samples = new LinkedHashMap<>();
        for (int round = 0; round <= runs; round++) {
            for (var setting : settings.entrySet()) {
                for (StartVariant v : startVariants(list)) {
                    Images.Image i = v.image();
                    String name = i.tag() + "-run";
                    try {
                        Containers.Running c = Containers.start(i.tag(), name, (v.javaOpts() + " -Xlog:startuptime").trim(), setting.getValue(), 8080);
                        Containers.Cpu cpu = Containers.cpu(name);
                        Containers.Memory mem = Containers.memory(name);
                        long stopMs = Containers.stop(c);
                        long started = Containers.startedMs(name), jvm = Containers.jvmCreateMs(name);
                        Sh.log(String.format("  %s %s round %d%s: ready %d ms, JVM created %d ms, started %d ms, CPU %d ms (%d throttled),"
                                + " rss %s kB, stop %d ms", v.name(), setting.getKey(), round, round == 0 ? " (warm-up)" : "", c.readyMs(), jvm,
                                started, cpu.usageUs() / 1000, cpu.throttledUs() / 1000, mem == null ? "?" : mem.rssKb(), stopMs));
                        if (round > 0) {
                            Map<String, List<Long>> s = samples.computeIfAbsent(setting.getKey(), k -> new LinkedHashMap<>())
                                    .computeIfAbsent(v.name(), k -> new LinkedHashMap<>());
                            s.computeIfAbsent("ready_ms", k -> new ArrayList<>()).add(c.readyMs());
                            s.computeIfAbsent("jvm_create_ms", k -> new ArrayList<>()).add(jvm);
                            s.computeIfAbsent("started_ms", k -> new ArrayList<>()).add(started);
                            s.computeIfAbsent("cpu_ms_at_ready", k -> new ArrayList<>()).add(cpu.usageUs() < 0 ? -1 : cpu.usageUs() / 1000);
                            s.computeIfAbsent("cpu_throttled_ms_at_ready", k -> new ArrayList<>()).add(cpu.throttledUs() < 0 ? -1 : cpu.throttledUs() / 1000);
                            s.computeIfAbsent("rss_kb_start", k -> new ArrayList<>()).add(mem == null ? -1 : mem.rssKb());
                            s.computeIfAbsent("stop_ms", k -> new ArrayList<>()).add(stopMs);
                        }
                    } catch (IllegalStateException e) {
                        if (!i.floor()) {
                            throw e;
                        }
                        // The floor is a reference, not the subject: without it the rest still holds.
                        notes.add("The floor image did not start (" + e.getMessage().lines().findFirst().orElse("") + "): no floor.");
                        Sh.log("  " + notes.getLast());
                        list = list.stream().filter(x -> !x.floor()).toList();
                        images.remove(i.name());
                        samples.values().forEach(m -> m.remove(i.name()));
                        break;
                    } finally {
                        Containers.remove(name);
                    }
                }
            }
        }
        String headline = settings.keySet().iterator().next();
        samples.forEach((setting, byImage) -> {
            Map<String, Map<String, Object>> rows = startup.computeIfAbsent(setting, k -> new LinkedHashMap<>());
            byImage.forEach((name, s) -> {
                Map<String, Object> row = rows.computeIfAbsent(name, k -> new LinkedHashMap<>());
                s.forEach((k, v) -> row.put(k, Sh.median(v)));
            });
            Map<String, Object> floor = rows.get("floor");
            if (floor != null) {
                rows.forEach((name, row) -> row.put("app_ms", Report.num(row, "ready_ms") - Report.num(floor, "ready_ms")));
            }
        });
        startup.getOrDefault(headline, Map.of()).forEach((name, row) -> {
            if (!images.containsKey(name)) {
                return; // a JVM option set on prod: in the breakdown only
            }
            for (String k : List.of("ready_ms", "started_ms", "rss_kb_start", "stop_ms")) {
                images.get(name).put(k, row.get(k));
            }
        });
        Map<String, Object> floor = images.get("floor");
        if (floor != null) {
            images.forEach((name, m) -> m.put("floor_ms", floor.get("ready_ms")));
        }
        for (Images.Image i : list) {
            if (!i.floor()) {
                String name = i.tag() + "-classes";
                try {
                    Containers.start(i.tag(), name, (javaOpts + " -Xlog:class+load").trim(), settings.get("no_cpu_limit"), 8080);
                    Containers.Classes n = Containers.classes(name);
                    Sh.log(String.format("  %s: %d classes from the AOT cache or CDS archive, %d from elsewhere by ready", i.name(), n.fromCache(), n.other()));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("from_cache", n.fromCache());
                    row.put("other", n.other());
                    classes.put(i.name(), row);
                } finally {
                    Containers.remove(name);
                }
            }
        }
    }

    record LoadVariant(String label, String image, String javaOpts) {
    }

    /**
     * All load variants run side by side, idle but for the one under load (1 CPU each): each is
     * warmed up, then the measured runs go round the variants loadRuns times.
     */
    static void loadPhase(List<Images.Image> list) throws Exception {
        List<LoadVariant> variants = new ArrayList<>();
        for (Images.Image i : list) {
            if (!i.floor()) {
                variants.add(new LoadVariant(i.name(), i.tag(), javaOpts));
            }
            if (i.name().equals("prod")) {
                String flags = Images.inspect(i.tag(), "{{json .Config.Env}}");
                for (String[] set : JVM_SETS) {
                    if (!flags.contains(set[1]) && flags.contains(set[2])) {
                        variants.add(new LoadVariant("prod, " + set[0], i.tag(), (javaOpts + " " + set[1]).trim()));
                    }
                }
            }
        }
        Map<LoadVariant, Containers.Running> running = new LinkedHashMap<>();
        try {
            int n = 0;
            for (LoadVariant v : variants) {
                running.put(v, Containers.start(v.image(), Images.PREFIX + "load-" + n++, v.javaOpts(), runArgs, 8080));
            }
            for (LoadVariant v : variants) {
                Sh.log("warm-up " + warmupSeconds + " s: " + v.label());
                Load.run(running.get(v).uri("/hello"), connections, warmupSeconds);
            }
            Map<String, URI> targets = new LinkedHashMap<>();
            running.forEach((v, c) -> targets.put(v.label(), c.uri("/hello")));
            Map<String, List<Load.Result>> results = Load.rounds("load", targets, loadRuns, connections, loadSeconds);
            for (LoadVariant v : variants) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("java_opts", v.javaOpts());
                row.putAll(Load.summary(results.get(v.label())));
                Containers.Memory mem = Containers.memory(running.get(v).name());
                row.put("rss_kb", mem == null ? -1 : mem.rssKb());
                loadRows.put(v.label(), row);
                if (images.containsKey(v.label())) {
                    images.get(v.label()).putAll(row);
                }
            }
        } finally {
            running.values().forEach(c -> Containers.remove(c.name()));
        }
    }

    /**
     * Production replicas side by side, each loaded (two wrk runs of the warm-up's length), then RSS,
     * PSS and USS of each; the same with REPLICA_SET where it applies. Then, in an idle replica, what
     * the HEALTHCHECK costs.
     */
    static void replicasAndProbe() throws Exception {
        String image = Images.PREFIX + "prod";
        Map<String, String> sets = new LinkedHashMap<>();
        sets.put("image defaults", javaOpts);
        if (Images.inspect(image, "{{json .Config.Env}}").contains(REPLICA_SET[2])) {
            sets.put(REPLICA_SET[0], (javaOpts + " " + REPLICA_SET[1]).trim());
        }
        for (var set : sets.entrySet()) {
            List<Containers.Running> rs = new ArrayList<>();
            try {
                List<Containers.Memory> mems = new ArrayList<>();
                for (int i = 0; i < Math.max(1, replicas); i++) {
                    Containers.Running c = Containers.start(image, Images.PREFIX + "replica-" + i, set.getValue(), runArgs, 8080);
                    rs.add(c);
                    if (load) {
                        Load.run(c.uri("/hello"), connections, warmupSeconds);
                        Load.run(c.uri("/hello"), connections, warmupSeconds);
                    }
                }
                rs.forEach(c -> mems.add(Containers.memory(c.name())));
                Sh.log("replicas, " + set.getKey() + ": " + mems);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("java_opts", set.getValue());
                row.put("replicas", mems);
                replicaFacts.put(set.getKey(), row);
                if (set.getKey().equals("image defaults") && mems.stream().allMatch(java.util.Objects::nonNull)) {
                    images.get("prod").put("pss_kb", mems.stream().mapToLong(Containers.Memory::pssKb).max().orElse(-1));
                    images.get("prod").put("uss_kb", mems.stream().mapToLong(Containers.Memory::ussKb).max().orElse(-1));
                }
                if (healthcheck && set.getKey().equals("image defaults")) {
                    probe(rs.get(0));
                }
            } finally {
                rs.forEach(c -> Containers.remove(c.name()));
            }
        }
    }

    /**
     * Probes measured beside the image's own: the same JVM probe on the app's class path with the
     * app's AOT cache (a cache is tied to a class path, not to a main class), and, as the floor no
     * probe can go under, the engine's `exec` of a command that does not exist.
     */
    static Map<String, List<String>> probeCandidates(List<String> own) {
        Map<String, List<String>> candidates = new LinkedHashMap<>();
        int cp = own.indexOf("-cp");
        if (!own.isEmpty() && own.get(0).equals("java") && cp > 0 && cp + 2 < own.size()) {
            List<String> withCache = new ArrayList<>(own.subList(0, cp));
            withCache.addAll(List.of("-XX:AOTCache=/app/aot/app.aot", "-cp", "/app/quarkus-run.jar"));
            withCache.addAll(own.subList(cp + 2, own.size()));
            candidates.put("candidate: the same probe on the app's class path, with the app's AOT cache", withCache);
        }
        candidates.put("reference: the engine's `exec` alone (of a command that does not exist)", List.of("/no-such-command"));
        return candidates;
    }

    static void probe(Containers.Running c) throws Exception {
        Containers.Probe own = Containers.probeOf(c.image());
        if (own == null) {
            notes.add(c.image() + " declares no exec-form HEALTHCHECK: its cost is not measured.");
            return;
        }
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("the image's HEALTHCHECK", own.command());
        if (!own.command().equals(PROBE_BEFORE)) {
            commands.put("before: the runner jar's `healthcheck` command", PROBE_BEFORE);
        }
        commands.putAll(probeCandidates(own.command()));
        for (var e : commands.entrySet()) {
            Containers.ProbeCost cost = Containers.probeCost(c, e.getValue(), probes);
            double perHour = cost.cpuMsPerProbe() < 0 ? -1 : cost.cpuMsPerProbe() / 1000 * 3600 / own.intervalS();
            Sh.log(String.format("  probe %s: exit %d, %.0f ms CPU, %.0f ms wall, peak +%d kB, %.1f CPU-s/h at %.0f s", e.getKey(),
                    cost.exitCode(), cost.cpuMsPerProbe(), cost.wallMsPerProbe(), cost.peakKb(), perHour, own.intervalS()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("command", e.getValue());
            row.put("exit_code", cost.exitCode());
            row.put("cpu_ms", Math.round(cost.cpuMsPerProbe()));
            row.put("wall_ms", Math.round(cost.wallMsPerProbe()));
            row.put("peak_kb", cost.peakKb());
            row.put("interval_s", own.intervalS());
            row.put("cpu_s_per_h", Math.round(perHour * 10) / 10.0);
            probeRows.put(e.getKey(), row);
        }
        images.get("prod").put("healthcheck_cpu_s_per_h", probeRows.get("the image's HEALTHCHECK").get("cpu_s_per_h"));
    }
}
