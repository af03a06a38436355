// Report: docs/benchmarks.{md,json,svg}, docs/builds-and-healthcheck.md and the README's figures, from one run.

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

final class Report {

    static final String README_START = "<!-- make bench writes from here -->";
    static final String README_END = "<!-- to here -->";
    static final long MB = 1_000_000L;

    private Report() {
    }

    static void write(List<Images.Image> list, long totalS) throws IOException {
        Files.createDirectories(Bench.out);
        Files.writeString(Bench.out.resolve("benchmarks.json"), json(totalS));
        Files.writeString(Bench.out.resolve("benchmarks.svg"), svg());
        String md = markdown(list, totalS);
        Files.writeString(Bench.out.resolve("benchmarks.md"), md);
        Files.writeString(Bench.out.resolve("builds-and-healthcheck.md"), healthcheckMd(totalS));
        Sh.log("wrote " + Bench.out + "/benchmarks.{json,md,svg}, builds-and-healthcheck.md");
        Path readme = Path.of("README.md");
        if (Bench.out.normalize().equals(Path.of("docs")) && Files.exists(readme)) {
            String text = Files.readString(readme);
            int a = text.indexOf(README_START), b = text.indexOf(README_END);
            if (a >= 0 && b > a) { // only where the README has the markers (a generated project's has none)
                String tables = md.substring(md.indexOf("| image |"), md.indexOf("\n## Images")).replaceAll("(?m)^## (.*)$", "**$1**");
                Files.writeString(readme, text.substring(0, a + README_START.length()) + "\n" + stamp(totalS) + "\n\n"
                        + tables.trim() + "\n" + text.substring(b));
                Sh.log("updated the Performance section of README.md");
            }
        }
    }

    // ---- JSON: every figure, by image -------------------------------------------------------------
    static String json(long totalS) {
        StringBuilder j = new StringBuilder("{\n  \"measured\": \"").append(now()).append("\",\n  \"total_s\": ").append(totalS)
                .append(",\n  \"engine\": \"").append(Sh.engineVersion()).append("\",\n  \"load_average_start\": \"").append(Bench.loadAtStart)
                .append("\",\n  \"load_average_end\": \"").append(Sh.loadAvg()).append("\",\n  \"images\": ").append(obj(Bench.images, "  "))
                .append(",\n  \"startup\": ").append(Bench.startup.entrySet().stream().map(e -> "    \"" + e.getKey() + "\": " + obj(e.getValue(), "    "))
                        .collect(Collectors.joining(",\n", "{\n", "\n  }")))
                .append(",\n  \"classes_at_ready\": ").append(obj(Bench.classes, "  "))
                .append(",\n  \"rebuild_steps_s\": ").append(obj(DevLoop.REBUILD_STEPS, "  "))
                .append(",\n  \"load\": ").append(obj(Bench.loadRows, "  "))
                .append(",\n  \"healthcheck\": ").append(obj(Bench.probeRows, "  "))
                .append(",\n  \"replicas\": ").append(value(Bench.replicaFacts))
                .append(",\n  \"hot_reload_ms\": ").append(Bench.hotReloadMs < 0 ? "null" : Bench.hotReloadMs);
        if (!Observability.rows.isEmpty()) {
            j.append(",\n  \"observability\": ").append(Observability.json());
        }
        j.append("\n}\n");
        return j.toString();
    }

    static String obj(Map<String, ? extends Map<String, Object>> m, String indent) {
        return m.entrySet().stream().map(e -> indent + "  " + value(e.getKey()) + ": " + value(e.getValue()))
                .collect(Collectors.joining(",\n", "{\n", "\n" + indent + "}"));
    }

    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> value(e.getKey()) + ": " + value(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Report::value).collect(Collectors.joining(", ", "[", "]"));
        }
        if (v instanceof Containers.Memory m) {
            return "{\"rss_kb\": " + m.rssKb() + ", \"pss_kb\": " + m.pssKb() + ", \"uss_kb\": " + m.ussKb() + "}";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.2f", d);
        }
        if (v instanceof Number) {
            return v.toString();
        }
        return "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- Markdown --------------------------------------------------------------------------------
    static String markdown(List<Images.Image> list, long totalS) {
        StringBuilder md = new StringBuilder("# Benchmarks\n\n").append(stamp(totalS))
                .append(" Do not edit by hand: run `make bench` again. Chart: [benchmarks.svg](benchmarks.svg); data: [benchmarks.json](benchmarks.json).\n\n");
        Map<String, Map<String, Object>> r = Bench.images;
        long floor = num(r.get("floor"), "ready_ms");
        md.append("| image | size | added on base | run → ready | of which the engine (floor) | app: run → ready − floor | started in | RSS once ready | stop | rebuild after a one-line change | new layers |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        r.forEach((name, m) -> md.append("| ").append(name).append(" | ").append(mb(m.get("image_bytes"))).append(" | ").append(mb(m.get("added_bytes")))
                .append(" | ").append(ms(m.get("ready_ms"))).append(" | ").append(floor < 0 ? "–" : ms(floor))
                .append(" | ").append(floor < 0 || name.equals("floor") ? "–" : ms(num(m, "ready_ms") - floor))
                .append(" | ").append(ms(m.get("started_ms"))).append(" | ").append(mib(m.get("rss_kb_start"))).append(" | ").append(ms(m.get("stop_ms")))
                .append(" | ").append(m.get("rebuild_s") == null ? "–" : m.get("rebuild_s") + " s")
                .append(" | ").append(mb(m.get("rebuild_new_layer_bytes"))).append(" |\n"));
        md.append("\nHot reload in `make serve` (edit → changed response): ").append(Bench.hotReloadMs < 0 ? "not measured"
                        : Bench.hotReloadMs + " ms (median of 3 edits; the first edit after start, not counted: " + DevLoop.hotReloadFirstMs + " ms)")
                .append(". MB = 10^6 bytes, MiB = 2^20 bytes. Medians of ").append(Bench.runs).append(" runs after a warm-up round.\n");

        if (!Bench.startup.isEmpty()) {
            md.append("\n## Where the start goes\n\n").append(startupTable());
        }
        if (!Bench.loadRows.isEmpty()) {
            md.append("\n## Under load\n\n`wrk -t1 -c").append(Bench.connections).append(" -d").append(Bench.loadSeconds)
                    .append("s --latency` on `GET /hello`, the container limited to `").append(String.join(" ", Bench.runArgs))
                    .append("`; median of ").append(Bench.loadRuns).append(" runs (range in brackets) after a ").append(Bench.warmupSeconds)
                    .append(" s warm-up. RSS of the java process after the last run.\n\n")
                    .append("| image (JDK_JAVA_OPTIONS at run time) | requests/s | p50 | p99 | errors | RSS after load |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
            Bench.loadRows.forEach((name, m) -> md.append("| ").append(name)
                    .append(m.get("java_opts").toString().isBlank() ? "" : " (`" + m.get("java_opts") + "`)").append(" | ")
                    .append(m.get("rps")).append(" (").append(m.get("rps_min")).append("–").append(m.get("rps_max")).append(") | ")
                    .append(msD(m.get("p50_ms"))).append(" | ").append(msD(m.get("p99_ms"))).append(" | ").append(m.get("errors"))
                    .append(" | ").append(mib(m.get("rss_kb"))).append(" |\n"));
        }
        Map<String, Object> prodLoad = Bench.loadRows.get("prod");
        for (var e : Bench.loadRows.entrySet()) {
            if (prodLoad != null && e.getKey().startsWith("prod, ")) {
                Map<String, Object> m = e.getValue();
                md.append(String.format(Locale.ROOT, "\nprod with `%s` against the image's defaults: %+.0f %% requests/s, p99 %s → %s, RSS after load %+.1f MiB.",
                        m.get("java_opts"), 100.0 * (num(m, "rps") - num(prodLoad, "rps")) / num(prodLoad, "rps"), msD(prodLoad.get("p99_ms")),
                        msD(m.get("p99_ms")), (num(m, "rss_kb") - num(prodLoad, "rss_kb")) / 1024.0));
            }
        }
        if (prodLoad != null) {
            md.append('\n');
        }
        if (!Bench.replicaFacts.isEmpty()) {
            md.append("\n## Memory per replica\n\n").append(replicas()).append('\n');
        }
        if (!Bench.probeRows.isEmpty()) {
            md.append("\n## HEALTHCHECK\n\n").append(probeTable());
        }
        if (!Observability.rows.isEmpty()) {
            md.append('\n').append(Observability.markdown());
        }
        md.append("\n## Targets\n\n| target | measured | verdict |\n| --- | --- | --- |\n");
        targets(md);
        md.append("\n## Images\n\n");
        for (Images.Image v : list) {
            md.append("- **").append(v.name()).append("** (`").append(v.tag()).append("`): ").append(v.about())
                    .append(Bench.jdks.containsKey(v.name()) ? "; JDK: `" + Bench.jdks.get(v.name()) + "`" : "").append('\n');
        }
        md.append("\n## Method\n\n")
                .append("- Every image is built by the harness (`./mvnw package` first for those that copy `target/quarkus-app`); on Podman with `--no-cache`, whose 4.3 layer cache can keep a stale ENV after an ARG change. Size: `image inspect --format {{.Size}}`; added on base: the history entries above those of the image the last stage starts FROM.\n")
                .append("- Interleaved: each startup round starts every image once, in turn (naive, prod, …, then again); the load variants all run at once, idle but for the one under load, and the measured runs go round them. A burst of background load hits every image alike; ratios come from one run.\n")
                .append("- Run → ready: from `").append(Sh.engineName()).append(" run -d -p 127.0.0.1:<free port>:8080 ")
                .append(String.join(" ", Bench.runArgs)).append("` to the first 200 from `GET /q/health/ready` (polled every 10 ms). ")
                .append("The floor is the same for an image that answers at once (the stand-in native runner): the engine's own start and port forwarding, which no image can remove. Started in: the app's own log line.\n")
                .append("- RSS, PSS, USS: `/proc/<pid>/smaps_rollup` of the container's java process (USS = Private_Clean + Private_Dirty: what stopping that replica would free; PSS splits each shared page among its users).\n")
                .append("- HEALTHCHECK: the probe command run ").append(Bench.probes).append(" times with `").append(Sh.engineName())
                .append(" exec` in an idle production container after load. CPU: growth of the container cgroup's CPU time (cpuacct) during the probes, minus its idle rate measured just before; per hour at the image's interval. Memory peak: the largest VmHWM (peak RSS) of a process in the container other than the app, polled every 2 ms.\n")
                .append("- Stop: `").append(Sh.engineName()).append(" stop` (SIGTERM; the app answers for `quarkus.shutdown.delay`, 1 s, then exits).\n")
                .append("- Rebuild: in a temporary copy of the repository, each image is built, one line of `GreetingResource.java` changes, and it is built again with the layer cache, timed (with `./mvnw package` for the images built from `target/quarkus-app`). New layers: uncompressed size of the layers the new image has and the old one has not. Then the same build once more with nothing changed (the engine's cost when every step is cached; no `./mvnw package`).\n")
                .append("- Hot reload: `make serve` in another temporary copy; the greeting line is rewritten and `GET /hello` polled until it answers the new text.\n");
        if (!Bench.javaOpts.isBlank()) {
            md.append("- `JDK_JAVA_OPTIONS=").append(Bench.javaOpts).append("` for every run.\n");
        }
        md.append("\n## Machine\n\n- ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ").append(memTotal())
                .append(" memory, kernel ").append(System.getProperty("os.version")).append(", ").append(System.getProperty("os.arch"))
                .append("; ").append(Sh.engineVersion()).append("; harness JDK ").append(System.getProperty("java.version")).append("\n")
                .append("- Load average (1, 5, 15 min) at the start: ").append(Bench.loadAtStart).append("; at the end: ").append(Sh.loadAvg())
                .append(". Other work on the machine makes the figures noisy (a 2-core machine with a load average above 2 is saturated).\n");
        if (!Bench.notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            Bench.notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    /** The startup breakdown: one row per CPU setting and image, then the classes each loaded by ready. */
    static String startupTable() {
        StringBuilder s = new StringBuilder("Medians of the same runs as above, under each CPU setting (`no_cpu_limit`: the run arguments without `--cpus`). ")
                .append("JVM created: `-Xlog:startuptime`'s \"Create VM\" (the JVM up to `main`, the AOT cache mapped); started in: Quarkus's own log line ")
                .append("(from the start of its static init, after the JVM and the runner's class loading, to its HTTP server listening); run → ready: `").append(Sh.engineName())
                .append(" run` to the first 200 from `GET /q/health/ready`. CPU: the container cgroup's `cpu.stat` read just after that 200: ")
                .append("CPU time used, and time the CPU quota held it back (`throttled`).\n\n")
                .append("| CPU setting | image | run → ready | app: − floor | JVM created | started in | CPU used by ready | throttled by ready |\n")
                .append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        Bench.startup.forEach((setting, rows) -> rows.forEach((name, m) -> s.append("| ").append(setting).append(" | ").append(name)
                .append(" | ").append(ms(m.get("ready_ms"))).append(" | ").append(name.equals("floor") ? "–" : ms(m.get("app_ms")))
                .append(" | ").append(ms(m.get("jvm_create_ms"))).append(" | ").append(ms(m.get("started_ms")))
                .append(" | ").append(ms(m.get("cpu_ms_at_ready"))).append(" | ").append(ms(m.get("cpu_throttled_ms_at_ready"))).append(" |\n")));
        if (!Bench.classes.isEmpty()) {
            s.append("\nClasses loaded by ready (one more run each, no CPU limit, `-Xlog:class+load`): from the AOT cache or the JDK's CDS archive, and from elsewhere (class files parsed, or classes generated, at run time).\n\n")
                    .append("| image | from the cache | from elsewhere |\n| --- | ---: | ---: |\n");
            Bench.classes.forEach((name, m) -> s.append("| ").append(name).append(" | ").append(m.get("from_cache")).append(" | ").append(m.get("other")).append(" |\n"));
        }
        return s.toString();
    }

    static String replicas() {
        StringBuilder s = new StringBuilder("Production replicas side by side, each loaded (wrk as above, two runs of the warm-up's length), then read. ")
                .append("USS is what each extra replica costs; the rest of its RSS is shared with the others (the AOT cache, jars and the JVM's own files).\n\n")
                .append("| JVM options | replica | RSS | PSS | USS |\n| --- | --- | ---: | ---: | ---: |\n");
        Bench.replicaFacts.forEach((name, row) -> {
            List<?> mems = (List<?>) row.get("replicas");
            for (int i = 0; i < mems.size(); i++) {
                if (mems.get(i) instanceof Containers.Memory m) {
                    s.append("| ").append(name).append(row.get("java_opts").toString().isBlank() ? "" : " (`" + row.get("java_opts") + "`)")
                            .append(" | ").append(i + 1).append(" of ").append(mems.size()).append(" | ").append(mib(m.rssKb())).append(" | ")
                            .append(mib(m.pssKb())).append(" | ").append(mib(m.ussKb())).append(" |\n");
                }
            }
        });
        Map<String, Object> d = Bench.replicaFacts.get("image defaults");
        if (d != null && ((List<?>) d.get("replicas")).stream().allMatch(m -> m instanceof Containers.Memory)) {
            List<Containers.Memory> mems = ((List<?>) d.get("replicas")).stream().map(m -> (Containers.Memory) m).toList();
            long uss = mems.stream().mapToLong(Containers.Memory::ussKb).max().orElse(0);
            long shared = mems.get(0).rssKb() - mems.get(0).ussKb();
            s.append("\nWith the image's defaults, N replicas on one node cost about ").append(mib(shared)).append(" shared + N × ").append(mib(uss))
                    .append(": ").append(mems.size()).append(" ≈ ").append(mib(shared + mems.size() * uss)).append(" (sum of PSS measured: ")
                    .append(mib(mems.stream().mapToLong(Containers.Memory::pssKb).sum())).append("), 4 ≈ ").append(mib(shared + 4 * uss))
                    .append(", 10 ≈ ").append(mib(shared + 10 * uss)).append(".\n");
        }
        return s.toString();
    }

    static String probeTable() {
        StringBuilder s = new StringBuilder("| probe | command | exit | CPU per probe | wall per probe | memory peak | CPU-s per hour (one every ")
                .append(Bench.probeRows.values().iterator().next().get("interval_s")).append(" s) |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        Bench.probeRows.forEach((name, m) -> s.append("| ").append(name).append(" | `").append(String.join(" ", (List<?>) m.get("command") instanceof List<?> l ? l.stream().map(Object::toString).toList() : List.of()))
                .append("` | ").append(m.get("exit_code")).append(" | ").append(m.get("cpu_ms")).append(" ms | ").append(m.get("wall_ms")).append(" ms | ")
                .append(num(m, "peak_kb") < 0 ? "–" : mib(m.get("peak_kb"))).append(" | ").append(m.get("cpu_s_per_h")).append(" |\n"));
        return s.toString();
    }

    static void targets(StringBuilder md) {
        Map<String, Map<String, Object>> r = Bench.images;
        Map<String, Object> prod = r.get("prod"), naive = r.get("naive");
        if (prod == null) {
            md.append("| all | no prod image measured | MISS |\n");
            return;
        }
        target(md, "prod image ≤ 120 MB", num(prod, "image_bytes"), 120 * MB, "MB");
        Bench.startup.forEach((setting, rows) -> {
            if (rows.containsKey("naive") && rows.containsKey("prod") && rows.containsKey("floor")) {
                long naiveApp = num(rows.get("naive"), "app_ms");
                target(md, "prod run → ready − floor ≤ 1/4 of naive's, " + setting + " (" + naiveApp + " ms / 4)",
                        num(rows.get("prod"), "app_ms"), naiveApp / 4, "ms");
            }
        });
        if (!Bench.loadRows.isEmpty()) {
            var best = Bench.loadRows.entrySet().stream().max((a, b) -> Long.compare(num(a.getValue(), "rps"), num(b.getValue(), "rps"))).get();
            double bestP99 = Bench.loadRows.values().stream().mapToDouble(m -> ((Number) m.get("p99_ms")).doubleValue()).filter(x -> x >= 0).min().orElse(-1);
            target(md, "prod requests/s ≥ 0.9 × the best (" + best.getKey() + ", " + best.getValue().get("rps") + ")",
                    -num(prod, "rps"), -Math.round(0.9 * num(best.getValue(), "rps")), "rps");
            target(md, String.format(Locale.ROOT, "prod p99 ≤ 1.2 × the best (%.2f ms)", bestP99),
                    Math.round(((Number) prod.get("p99_ms")).doubleValue() * 100), Math.round(bestP99 * 1.2 * 100), "ms/100");
        }
        if (prod.get("uss_kb") != null) {
            target(md, "memory per extra replica (the larger USS of " + Bench.replicas + " prod replicas after load) ≤ 64 MiB", num(prod, "uss_kb"), 64 * 1024, "kB");
        }
        if (prod.get("rebuild_s") != null) {
            target(md, "prod rebuilt after a one-line change ≤ 8 s (the same build with nothing changed: " + prod.get("rebuild_unchanged_s") + " s)",
                    Math.round(((Number) prod.get("rebuild_s")).doubleValue() * 10), 80, "ds");
        }
        if (prod.get("healthcheck_cpu_s_per_h") != null) {
            target(md, "HEALTHCHECK ≤ 18 CPU-s per hour (0.5 % of a CPU)", Math.round(((Number) prod.get("healthcheck_cpu_s_per_h")).doubleValue() * 10), 180, "s/10");
        }
    }

    static void target(StringBuilder md, String what, long measured, long limit, String unit) {
        boolean pass = measured <= limit;
        String verdict = pass ? "PASS (" + fmt(limit - measured, unit) + " to spare)"
                : "MISS by " + fmt(measured - limit, unit) + String.format(Locale.ROOT, " (%.0f %%)", 100.0 * (measured - limit) / Math.abs(limit));
        md.append("| ").append(what).append(" | ").append(fmt(measured, unit)).append(" | ").append(verdict).append(" |\n");
    }

    static String fmt(long v, String unit) {
        return switch (unit) {
            case "MB" -> mb(v);
            case "kB" -> mib(v);
            case "rps" -> Math.abs(v) + " req/s";
            case "ms/100" -> String.format(Locale.ROOT, "%.2f ms", v / 100.0);
            case "s/10" -> String.format(Locale.ROOT, "%.1f CPU-s/h", v / 10.0);
            case "ds" -> String.format(Locale.ROOT, "%.1f s", v / 10.0);
            default -> v + " ms";
        };
    }

    // ---- builds and HEALTHCHECK page -------------------------------------------------------------
    static String healthcheckMd(long totalS) {
        StringBuilder s = new StringBuilder("# Builds and HEALTHCHECK\n\n").append(stamp(totalS)).append(" Do not edit by hand: run `make bench` again.\n\n");
        s.append("| image | build (no layer cache; Maven's cache mount warm) | rebuild after a one-line change (layer cache) | new layers | the same build again, nothing changed |\n| --- | ---: | ---: | ---: | ---: |\n");
        Bench.images.forEach((n, m) -> s.append("| ").append(n).append(" | ").append(m.get("build_s") == null ? "–" : m.get("build_s") + " s")
                .append(" | ").append(m.get("rebuild_s") == null ? "–" : m.get("rebuild_s") + " s").append(" | ")
                .append(mb(m.get("rebuild_new_layer_bytes"))).append(" | ")
                .append(m.get("rebuild_unchanged_s") == null ? "–" : m.get("rebuild_unchanged_s") + " s").append(" |\n"));
        s.append("\nThe images built from `target/quarkus-app` (naive, jvm) also need `./mvnw package` first; their rebuild time includes it.\n");
        if (!DevLoop.REBUILD_STEPS.isEmpty()) {
            s.append("\n## Where a rebuild's seconds go\n\nThe slowest steps of each rebuild above (").append(Sh.PODMAN
                    ? "Podman: from a step's `STEP` line to the next" : "BuildKit's own time of each step").append(").\n\n| image | step | seconds |\n| --- | --- | ---: |\n");
            DevLoop.REBUILD_STEPS.forEach((image, steps) -> steps.forEach((step, secs) -> s.append("| ").append(image).append(" | `")
                    .append(step.replace("|", "\\|").replace("`", "'")).append("` | ").append(secs).append(" |\n")));
        }
        if (Bench.images.containsKey("prod")) {
            s.append("\nProduction image layers (newest last): ").append(Images.history(Images.PREFIX + "prod").stream()
                    .filter(l -> l.size() > 0).map(l -> mb(l.size())).collect(Collectors.joining(" / "))).append(".\n");
        }
        if (!Bench.probeRows.isEmpty()) {
            s.append("\n## HEALTHCHECK cost\n\n").append(probeTable());
        }
        return s.toString();
    }

    // ---- chart -----------------------------------------------------------------------------------
    /** Three bar charts: run → ready, requests/s under load, image size; one bar per image. */
    static String svg() {
        Map<String, Map<String, Object>> r = Bench.images;
        int rowH = 30, top = 56, w = 1290, h = top + Math.max(r.size(), Bench.loadRows.size()) * rowH + 30;
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h
                + "\" font-family=\"sans-serif\" font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                + "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" + Images.ARTIFACT + " images (make bench)</text>\n");
        panel(s, r, "ready_ms", "run → first 200 (ms)", 10, top, 1, "#3b7dd8", 120);
        panel(s, Bench.loadRows, "rps", "requests/s under load", 440, top, 1, "#2c9c5a", 200);
        panel(s, r, "image_bytes", "image size, uncompressed (MB)", 870, top, MB, "#e08a2c", 120);
        return s.append("</svg>\n").toString();
    }

    static void panel(StringBuilder s, Map<String, Map<String, Object>> r, String key, String title, int x, int y, long div, String color, int labelW) {
        double max = r.values().stream().mapToDouble(m -> num(m, key) / (double) div).max().orElse(1);
        int barMax = 410 - labelW - 50;
        s.append("<text x=\"").append(x).append("\" y=\"").append(y - 12).append("\" font-weight=\"bold\">").append(title).append("</text>\n");
        int i = 0;
        for (var e : r.entrySet()) {
            double v = Math.max(0, num(e.getValue(), key) / (double) div);
            int by = y + i++ * 30, bw = (int) Math.max(1, Math.round(barMax * v / Math.max(max, 1e-9)));
            s.append("<text x=\"").append(x).append("\" y=\"").append(by + 17).append("\" font-size=\"11\">").append(e.getKey().replace("&", "&amp;")).append("</text>\n")
                    .append("<rect x=\"").append(x + labelW).append("\" y=\"").append(by + 4).append("\" width=\"").append(bw)
                    .append("\" height=\"20\" fill=\"").append(color).append("\"/>\n<text x=\"").append(x + labelW + bw + 6).append("\" y=\"")
                    .append(by + 17).append("\">").append(String.format(Locale.ROOT, div == 1 ? "%.0f" : "%.1f", v)).append("</text>\n");
        }
    }

    // ---- formatting ------------------------------------------------------------------------------
    static String stamp(long totalS) {
        return "Measured by `make bench` on " + now() + " in " + totalS / 60 + " min " + totalS % 60 + " s (builds included), "
                + Runtime.getRuntime().availableProcessors() + " cores, " + Sh.engineVersion() + "; load average at the start "
                + Bench.loadAtStart + ", at the end " + Sh.loadAvg() + ".";
    }

    static String now() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z").format(ZonedDateTime.now());
    }

    static long num(Map<String, Object> m, String k) {
        return m == null || !(m.get(k) instanceof Number n) ? -1 : n.longValue();
    }

    static String mb(Object bytes) {
        return bytes instanceof Number n ? String.format(Locale.ROOT, "%.1f MB", n.doubleValue() / MB) : "–";
    }

    static String mib(Object kb) {
        return kb instanceof Number n && n.longValue() >= 0 ? String.format(Locale.ROOT, "%.1f MiB", n.doubleValue() / 1024) : "–";
    }

    static String ms(Object ms) {
        return ms instanceof Number n && n.longValue() >= 0 ? n.longValue() + " ms" : "–";
    }

    static String msD(Object ms) {
        return ms instanceof Number n && n.doubleValue() >= 0 ? String.format(Locale.ROOT, "%.2f ms", n.doubleValue()) : "–";
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
}
