package dev.slipway.starter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The images under test, built once per test run from the real Dockerfiles and shared by every
 * container test class (Failsafe runs them in one JVM); removed when the JVM exits.
 * <p>
 * They are built from a copy of the build context (the working tree as git sees it, plus
 * target/quarkus-app) into which canary secrets were planted where real ones end up: a .env file,
 * .git, and Maven settings.xml files. No canary may reach any image.
 */
public final class TestImages {

    public enum Kind {
        /** `docker build .`: Maven inside, default target. */
        PROD(List.of()),
        /** `--target jvm`: from target/quarkus-app. */
        JVM(List.of("--target", "jvm")),
        /**
         * src/main/docker/Dockerfile.native around the native executable `./mvnw package -Dnative`
         * writes ({@link #NATIVE_RUNNER}); without one, the tests of this kind are skipped.
         */
        NATIVE(List.of("-f", "src/main/docker/Dockerfile.native"));

        final List<String> args;

        Kind(List<String> args) {
            this.args = args;
        }
    }

    public static final String CANARY = "CANARY-" + UUID.randomUUID();
    public static final String VERSION = System.getProperty("app.version", "unknown");
    /** The artifactId (Failsafe's app.name): it prefixes every image, container and directory the tests make. */
    public static final String APP_NAME = System.getProperty("app.name", "app");
    /** The OCI source label the test images are built with. */
    public static final String SOURCE = "https://git.example/" + APP_NAME;
    public static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);

    /** Where `./mvnw package -Dnative` (or `make build-native`) writes the native executable. */
    public static final String NATIVE_RUNNER = "target/" + APP_NAME + "-" + VERSION + "-runner";

    private static final String PREFIX = scratchName();
    private static final Map<String, String> BUILT = new ConcurrentHashMap<>();
    private static Path context;
    private static boolean nativeSkipReported;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> BUILT.values().forEach(
                image -> ContainerEngine.exec(Duration.ofMinutes(1), List.of(ContainerEngine.name(), "rmi", "-f", image)))));
    }

    private TestImages() {
    }

    /** The image of that kind, built on first use. */
    public static String image(Kind kind) {
        return image(kind, List.of());
    }

    /** An image built with extra build arguments (each distinct set built once). */
    public static synchronized String image(Kind kind, List<String> buildArgs) {
        if (kind == Kind.NATIVE && !Files.isRegularFile(Path.of(NATIVE_RUNNER))) {
            String message = "No native executable (" + NATIVE_RUNNER + "): the native image tests did NOT run."
                    + " `make build-native` (GraalVM/Mandrel, or its builder image) makes one.";
            if (!nativeSkipReported) {
                nativeSkipReported = true;
                System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
            }
            Assumptions.assumeTrue(false, message);
        }
        String key = kind + " " + buildArgs;
        String existing = BUILT.get(key);
        if (existing != null) {
            return existing;
        }
        String tag = PREFIX + ":" + kind.name().toLowerCase() + "-" + BUILT.size();
        List<String> args = new ArrayList<>(List.of("build", "-t", tag,
                "--build-arg", "APP_VERSION=" + VERSION,
                "--build-arg", "APP_REVISION=test-revision",
                "--build-arg", "APP_SOURCE=" + SOURCE,
                "--build-arg", "APP_CREATED=" + Instant.now()));
        args.addAll(ContainerEngine.buildOptions());
        Path ca = buildCa();
        if (ca != null) {
            args.addAll(List.of("--secret", "id=build_ca,src=" + ca));
        }
        args.addAll(kind.args);
        args.addAll(buildArgs);
        args.add(".");
        List<String> command = new ArrayList<>(List.of(ContainerEngine.name()));
        command.addAll(args);
        Instant start = Instant.now();
        ContainerEngine.exec(BUILD_TIMEOUT, command, context()).orFail("building " + tag);
        System.out.printf("built %s (%s) in %d s%n", tag, kind, Duration.between(start, Instant.now()).toSeconds());
        BUILT.put(key, tag);
        return tag;
    }

    /**
     * The build context: the working tree's files (see {@link #workingTreeFiles}), the
     * packaged app, the native executable when there is one, and the canaries.
     */
    public static synchronized Path context() {
        if (context != null) {
            return context;
        }
        try {
            Path root = Path.of("").toAbsolutePath();
            Path copy = Files.createTempDirectory(APP_NAME + "-context");
            for (String file : workingTreeFiles(root)) {
                if (!file.isEmpty() && Files.exists(root.resolve(file), LinkOption.NOFOLLOW_LINKS)) {
                    copy(root.resolve(file), copy.resolve(file));
                }
            }
            Path app = root.resolve("target/quarkus-app");
            try (Stream<Path> walk = Files.walk(app)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    copy(file, copy.resolve(root.relativize(file)));
                }
            }
            if (Files.isRegularFile(root.resolve(NATIVE_RUNNER))) {
                copy(root.resolve(NATIVE_RUNNER), copy.resolve(NATIVE_RUNNER));
            }
            plantCanaries(copy);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(copy)));
            context = copy;
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The working tree as git sees it (tracked, and untracked but not ignored files); outside a git
     * work tree, e.g. a project just generated from the archetype, every file but build output.
     */
    public static List<String> workingTreeFiles(Path root) throws IOException {
        ContainerEngine.Result git = ContainerEngine.exec(Duration.ofSeconds(30),
                List.of("git", "-C", root.toString(), "ls-files", "-z", "--cached", "--others", "--exclude-standard"));
        if (git.exit() == 0 && Files.isDirectory(root.resolve(".git"))) {
            return Arrays.asList(git.out().split("\0"));
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(path -> !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
                    .map(root::relativize)
                    .filter(path -> !path.startsWith("target") && !path.startsWith(".git"))
                    .map(Path::toString)
                    .toList();
        }
    }

    /** A fresh name for a test image or container: the artifactId, "-it-", 8 random hex digits. */
    public static String scratchName() {
        return APP_NAME + "-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every regular file and link of the image's filesystem, as absolute paths. */
    public static List<String> filesOf(String image) {
        String container = ContainerEngine.run("create", "--network", "none", image).orFail("create").out().trim();
        try {
            return ContainerEngine.exec(Duration.ofMinutes(2), List.of("bash", "-c",
                    "\"$0\" export \"$1\" | tar -t", ContainerEngine.name(), container)).orFail("export").out()
                    .lines().filter(l -> !l.endsWith("/")).map(l -> "/" + l.replaceFirst("^\\./", "")).toList();
        } finally {
            ContainerEngine.run("rm", "-f", container);
        }
    }

    /** Files where real secrets end up in a checkout; .dockerignore must keep every one out. */
    public static List<String> canaryFiles() {
        return List.of(".env", ".env.local", ".git/config", ".git/CANARY_HEAD", "settings.xml",
                ".mvn/settings.xml", ".m2/settings.xml", "id_rsa.pem");
    }

    private static void plantCanaries(Path dir) throws IOException {
        for (String file : canaryFiles()) {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            String content = file.endsWith("settings.xml")
                    ? "<settings><servers><server><id>central</id><password>" + CANARY + "</password></server></servers></settings>\n"
                    : "API_TOKEN=" + CANARY + "\n";
            Files.writeString(path, content);
        }
    }

    /** The CAs a TLS-intercepting proxy needs, as the Makefile's BUILD_CA_FILES finds them, in one file. */
    private static Path buildCa() {
        String configured = ContainerEngine.setting("BUILD_CA_FILES");
        try {
            List<Path> cas;
            if (configured != null) {
                cas = Arrays.stream(configured.trim().split("\\s+")).filter(s -> !s.isEmpty()).map(Path::of).toList();
            } else {
                Path dir = Path.of("/usr/local/share/ca-certificates");
                try (Stream<Path> list = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
                    cas = list.filter(p -> p.toString().endsWith(".crt")).sorted().toList();
                }
            }
            if (cas.isEmpty()) {
                return null;
            }
            Path bundle = Files.createTempFile("build-ca", ".pem");
            for (Path ca : cas) {
                Files.writeString(bundle, Files.readString(ca) + "\n", java.nio.file.StandardOpenOption.APPEND);
            }
            bundle.toFile().deleteOnExit();
            return bundle;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
