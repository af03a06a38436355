// Build: the images the bench measures, and what can be read from an image without running it.

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class Images {

    /** The project's artifactId: names the scratch images and the native runner, so the bench has no name of its own. */
    static final String ARTIFACT = pomValue("artifactId");
    static final String VERSION = pomValue("version");
    static final String PREFIX = ARTIFACT + "-bench-";
    /** The stand-in native executable's source (a test fixture of the native-image tests). */
    static final Path STAND_IN = Path.of("proof/native/stand-in-runner.c");

    /**
     * One image: how it is built. {@code floor}: an image that starts instantly, measured only for
     * the engine's own run → first 200.
     */
    record Image(String name, String dockerfile, String target, List<String> buildArgs, boolean needsPackage,
            boolean floor, String about) {
        String tag() {
            return PREFIX + name;
        }
    }

    private Images() {
    }

    static String pomValue(String tag) {
        try {
            // The project's own element: the first one at 4 spaces of indentation (not the parent's or a dependency's).
            Matcher m = Pattern.compile("(?m)^    <" + tag + ">([^<]+)</" + tag + ">").matcher(Files.readString(Path.of("pom.xml")));
            return m.find() ? m.group(1).trim() : "app";
        } catch (IOException e) {
            return "app";
        }
    }

    static List<Image> all(String noAotArg, List<String> notes) throws IOException {
        List<Image> all = new ArrayList<>();
        all.add(new Image("naive", "proof/bench/Dockerfile.naive", null, List.of(), true, false,
                "proof/bench/Dockerfile.naive: eclipse-temurin:21-jre, one COPY of target/quarkus-app, root"));
        if (Files.exists(Path.of("Dockerfile"))) {
            String df = Files.readString(Path.of("Dockerfile"));
            all.add(new Image("prod", "Dockerfile", null, List.of(), false, false, "root Dockerfile, default target (production)"));
            String arg = noAotArg.isBlank() ? guessNoAotArg(df) : noAotArg;
            if (arg != null && Pattern.compile("(?m)^\\s*ARG\\s+" + Pattern.quote(arg.split("=", 2)[0]) + "\\b").matcher(df).find()) {
                all.add(new Image("prod-noaot", "Dockerfile", null, List.of(arg), false, false, "root Dockerfile with --build-arg " + arg));
            } else {
                notes.add("The root Dockerfile has no build ARG to turn the AOT cache off: no prod-noaot image.");
            }
        }
        Path jvm = Path.of("src/main/docker/Dockerfile.jvm");
        if (Files.exists(jvm)) {
            // Dockerfile.jvm may be a link to the multi-stage root Dockerfile, whose `jvm` stage is the JVM image.
            String target = Pattern.compile("(?im)^FROM\\s.*\\sAS\\s+jvm\\s*$").matcher(Files.readString(jvm)).find() ? "jvm" : null;
            all.add(new Image("jvm", jvm.toString(), target, List.of(), true, false,
                    jvm + (target == null ? "" : " (target `jvm`)") + " on `./mvnw package` output"));
        }
        Path nativeFile = Path.of("src/main/docker/Dockerfile.native");
        if (Files.exists(nativeFile) && Files.exists(STAND_IN)) {
            all.add(new Image("floor", nativeFile.toString(), null, List.of(), false, true,
                    nativeFile + " around the stand-in runner compiled from " + STAND_IN
                            + " with the host's gcc: a C program that answers at once, so its run → ready is the engine's own cost"));
        } else {
            notes.add("No " + STAND_IN + " or src/main/docker/Dockerfile.native: the engine floor is not measured.");
        }
        return all;
    }

    /** An ARG whose name mentions AOT with an on-like default: its off-like value turns the cache off. */
    static String guessNoAotArg(String dockerfile) {
        Matcher m = Pattern.compile("(?m)^\\s*ARG\\s+([A-Za-z0-9_]*AOT[A-Za-z0-9_]*)=(\\S*)").matcher(dockerfile);
        while (m.find()) {
            String off = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "true" -> "false";
                case "on" -> "off";
                case "1" -> "0";
                case "yes" -> "no";
                default -> null;
            };
            if (off != null) {
                return m.group(1) + "=" + off;
            }
        }
        return null;
    }

    static void mavenPackage(Path dir) {
        Sh.log("./mvnw package in " + dir.toAbsolutePath().normalize());
        Sh.run(dir, 1800, "./mvnw", "-B", "-q", "-ntp", "package", "-DskipTests");
    }

    /** The stand-in native executable where Dockerfile.native expects `./mvnw package -Dnative` output. */
    static void compileStandIn(Path dir) {
        Path runner = Path.of("target", ARTIFACT + "-" + VERSION + "-runner");
        Sh.log("gcc " + STAND_IN + " -> " + runner);
        // The link line of the stand-in's own header: the libraries a Quarkus native executable links.
        Sh.run(dir, 300, "gcc", "-O2", "-o", runner.toString(), STAND_IN.toString(), "-Wl,--no-as-needed", "-lz", "-lm",
                "-l:libpthread.so.0", "-l:libdl.so.2", "-l:librt.so.1", "-l:libstdc++.so.6");
    }

    /**
     * {@code useCache}: only for the rebuild after a one-line change. Podman 4.3 (buildah 1.28) reuses a
     * cached ENV or LABEL step when only an ARG value it uses changed, so measured builds there use
     * --no-cache, or the image measured would not be the Dockerfile's.
     */
    static void build(Path dir, Image v, String tag, List<String> buildOpts, boolean useCache) {
        Sh.log("build " + tag + " from " + v.dockerfile() + (useCache ? " (layer cache)" : ""));
        List<String> cmd = new ArrayList<>(List.of(Sh.ENGINE, "build"));
        if (Sh.PODMAN) {
            cmd.addAll(List.of("--format", "docker"));
            if (!useCache) {
                cmd.add("--no-cache");
            }
        }
        v.buildArgs().forEach(a -> cmd.addAll(List.of("--build-arg", a)));
        if (!v.needsPackage()) {
            cmd.addAll(buildOpts);
        }
        if (v.target() != null) {
            cmd.addAll(List.of("--target", v.target()));
        }
        cmd.addAll(List.of("-q", "-f", v.dockerfile(), "-t", tag, "."));
        Sh.run(dir, 3600, cmd.toArray(String[]::new));
    }

    /**
     * {@link #build} with the layer cache and the engine's progress, timing each step: {step: seconds},
     * in build order. Docker (BuildKit, --progress=plain) prints each step's time; for Podman, a step
     * lasts from its "STEP" line to the next.
     */
    static Map<String, Double> buildTimed(Path dir, Image v, String tag, List<String> buildOpts) throws IOException {
        Sh.log("build " + tag + " from " + v.dockerfile() + " (layer cache, steps timed)");
        List<String> cmd = new ArrayList<>(List.of(Sh.ENGINE, "build"));
        cmd.addAll(Sh.PODMAN ? List.of("--format", "docker") : List.of("--progress=plain"));
        v.buildArgs().forEach(a -> cmd.addAll(List.of("--build-arg", a)));
        if (!v.needsPackage()) {
            cmd.addAll(buildOpts);
        }
        if (v.target() != null) {
            cmd.addAll(List.of("--target", v.target()));
        }
        cmd.addAll(List.of("-f", v.dockerfile(), "-t", tag, "."));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        Map<String, Double> steps = new java.util.LinkedHashMap<>();
        Map<String, String> buildkitSteps = new HashMap<>();
        Pattern podmanStep = Pattern.compile("^(?:\\[\\d+/\\d+\\] )?STEP \\d+/\\d+: (.*)$");
        Pattern buildkitStep = Pattern.compile("^#(\\d+) (\\[[^\\]]+\\] .*)$");
        Pattern buildkitDone = Pattern.compile("^#(\\d+) DONE ([0-9.]+)s$");
        String current = null;
        long currentStart = 0;
        StringBuilder out = new StringBuilder();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                out.append(line).append('\n');
                long now = System.nanoTime();
                Matcher m = podmanStep.matcher(line);
                Matcher k = buildkitStep.matcher(line);
                Matcher d = buildkitDone.matcher(line);
                if (m.find()) {
                    if (current != null) {
                        steps.merge(current, (now - currentStart) / 1e9, Double::sum);
                    }
                    current = m.group(1);
                    currentStart = now;
                } else if (k.find()) {
                    buildkitSteps.putIfAbsent(k.group(1), k.group(2));
                } else if (d.find() && buildkitSteps.containsKey(d.group(1))) {
                    steps.merge(buildkitSteps.get(d.group(1)), Double.parseDouble(d.group(2)), Double::sum);
                }
            }
        }
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("failed: " + String.join(" ", cmd) + "\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (current != null) {
            steps.merge(current, (System.nanoTime() - currentStart) / 1e9, Double::sum);
        }
        return steps;
    }

    static long bytes(String image) {
        return Long.parseLong(Sh.engine("image", "inspect", "--format", "{{.Size}}", image).trim());
    }

    static String inspect(String image, String format) {
        return Sh.engine(true, "image", "inspect", "--format", format, image).trim();
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

    /** Size and CreatedBy of each history entry, oldest first. */
    record Layer(long size, String createdBy) {
    }

    static List<Layer> history(String image) {
        List<Layer> layers = new ArrayList<>();
        if (Sh.PODMAN) { // Podman's --format ignores --human=false: its JSON has the bytes
            Matcher m = Pattern.compile("\\{[^{}]*\\}").matcher(Sh.engine("history", "--format", "json", image));
            while (m.find()) {
                Matcher size = Pattern.compile("\"size\":\\s*(\\d+)").matcher(m.group());
                Matcher by = Pattern.compile("\"CreatedBy\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(m.group());
                layers.add(0, new Layer(size.find() ? Long.parseLong(size.group(1)) : 0, by.find() ? by.group(1) : ""));
            }
            return layers;
        }
        String out = Sh.engine("history", "--no-trunc", "--human=false", "--format", "{{.Size}}\t{{.CreatedBy}}", image);
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", 2);
            if (f.length == 2 && f[0].trim().matches("\\d+")) {
                layers.add(0, new Layer(Long.parseLong(f[0].trim()), f[1]));
            }
        }
        return layers;
    }

    /** Bytes of the history entries above those of the base image (all of them for FROM scratch). */
    static long addedBytes(String image, String base) {
        List<Layer> mine = history(image);
        int baseCount = base.equals("scratch") ? 0 : history(base).size();
        return mine.subList(Math.min(baseCount, mine.size()), mine.size()).stream().mapToLong(Layer::size).sum();
    }

    /** The largest layer whose history line mentions the AOT cache (or a CDS archive), or -1. */
    static long aotCacheLayer(String image) {
        return history(image).stream().filter(l -> l.createdBy().toLowerCase(Locale.ROOT).matches("(?s).*(aot|\\.jsa).*"))
                .mapToLong(Layer::size).max().orElse(-1);
    }

    static String jdkOf(String image) {
        String v = Sh.engine(true, "run", "--rm", "--entrypoint", "java", image, "-version");
        return v.lines().filter(l -> l.contains("Runtime Environment")).findFirst()
                .or(() -> v.lines().filter(l -> l.contains(" version ")).findFirst()).orElse("?").trim();
    }

    static List<String> layerIds(String image) {
        return Sh.words(Sh.engine("image", "inspect", "--format", "{{range .RootFS.Layers}}{{.}} {{end}}", image).replace("sha256:", ""));
    }

    /** Uncompressed size of each layer of an image, by diff ID, read from the tar `save` writes. */
    static Map<String, Long> layerSizes(String image) throws IOException, InterruptedException {
        Map<String, Long> sizes = new HashMap<>();
        Process p = new ProcessBuilder(Sh.ENGINE, "save", image).redirectError(ProcessBuilder.Redirect.DISCARD).start();
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
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        p.waitFor();
        return sizes;
    }

    /** Bytes of the layers of `after` that `before` does not have (what a push or pull moves). */
    static long newLayerBytes(String before, String after, List<String> notes) throws IOException, InterruptedException {
        Set<String> old = new HashSet<>(layerIds(before));
        Map<String, Long> sizes = layerSizes(after);
        long sum = 0;
        for (String id : layerIds(after)) {
            if (!old.contains(id)) {
                if (!sizes.containsKey(id)) {
                    notes.add("`" + Sh.engineName() + " save " + after + "` has no uncompressed layer named " + id + ": its size is missing.");
                }
                sum += sizes.getOrDefault(id, 0L);
            }
        }
        return sum;
    }
}
