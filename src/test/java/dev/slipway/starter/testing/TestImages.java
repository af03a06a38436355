package dev.slipway.starter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The images under test, built once per run from the real Dockerfiles and removed when the JVM exits.
 * Their build context is a copy of the working tree plus target/, with canary secrets planted where
 * real ones end up (.env, .git, settings.xml): no canary may reach an image.
 */
public final class TestImages {

    public enum Kind {
        /** `docker build .` (Maven inside). */
        PROD(List.of()),
        /** `--target jvm`, from target/quarkus-app. */
        JVM(List.of("--target", "jvm")),
        /** Dockerfile.native around the executable of `make build-native`; skipped without one. */
        NATIVE(List.of("-f", "src/main/docker/Dockerfile.native"));

        final List<String> args;

        Kind(List<String> args) {
            this.args = args;
        }
    }

    public static final String CANARY = "CANARY-" + UUID.randomUUID();
    public static final String VERSION = System.getProperty("app.version", "unknown");
    /** The artifactId: it prefixes every image, container and directory the tests make. */
    public static final String APP_NAME = System.getProperty("app.name", "app");
    public static final String SOURCE = "https://git.example/" + APP_NAME;
    public static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
    public static final String NATIVE_RUNNER = "target/" + APP_NAME + "-" + VERSION + "-runner";

    private static final String PREFIX = scratchName();
    private static final Map<String, String> BUILT = new ConcurrentHashMap<>();
    private static Path context;
    private static boolean nativeSkipReported;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> BUILT.values().forEach(image -> ContainerEngine.run("rmi", "-f", image))));
    }

    public static String image(Kind kind) {
        return image(kind, List.of());
    }

    /** The image of that kind with these extra build arguments, built on first use. */
    public static synchronized String image(Kind kind, List<String> buildArgs) {
        if (kind == Kind.NATIVE && !Files.isRegularFile(Path.of(NATIVE_RUNNER))) {
            String message = "No native executable (" + NATIVE_RUNNER + "): the native image tests did NOT run (`make build-native` makes one).";
            if (!nativeSkipReported) {
                nativeSkipReported = true;
                System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
            }
            Assumptions.assumeTrue(false, message);
        }
        String key = kind + " " + buildArgs;
        if (BUILT.containsKey(key)) {
            return BUILT.get(key);
        }
        String tag = PREFIX + ":" + kind.name().toLowerCase() + "-" + BUILT.size();
        List<String> command = new ArrayList<>(List.of(ContainerEngine.name(), "build", "-t", tag, "--build-arg", "APP_VERSION=" + VERSION,
                "--build-arg", "APP_REVISION=test-revision", "--build-arg", "APP_SOURCE=" + SOURCE, "--build-arg", "APP_CREATED=" + Instant.now()));
        Stream.of(ContainerEngine.buildOptions(), List.of("--secret", "id=build_ca,src=" + buildCa()), kind.args, buildArgs, List.of(".")).forEach(command::addAll);
        Instant start = Instant.now();
        ContainerEngine.exec(BUILD_TIMEOUT, command, context()).orFail("building " + tag);
        System.out.printf("built %s (%s) in %d s%n", tag, kind, Duration.between(start, Instant.now()).toSeconds());
        BUILT.put(key, tag);
        return tag;
    }

    /** The build context: the working tree (as git sees it), target/quarkus-app, the native executable, the canaries. */
    public static synchronized Path context() {
        if (context == null) {
            try {
                Path copy = Files.createTempDirectory(APP_NAME + "-context");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> ContainerEngine.exec(Duration.ofMinutes(1),
                        List.of("rm", "-rf", copy.toString(), copy + "-build-ca.pem"))));
                // Without git (a project just generated): every file but target/ and .git/.
                ContainerEngine.exec(Duration.ofMinutes(2), List.of("bash", "-c", "{ if [ -e .git ]; then git ls-files -z --cached --others"
                        + " --exclude-standard; else find . \\( -path ./target -o -path ./.git \\) -prune -o ! -type d -print0; fi;"
                        + " find target/quarkus-app target/*-runner -type f -print0 2>/dev/null; }"
                        + " | tar --null --no-recursion --ignore-failed-read -cf - -T - | tar -xf - -C \"$0\"", copy.toString())).orFail("copying");
                for (String file : canaryFiles()) {
                    Files.createDirectories(copy.resolve(file).getParent());
                    Files.writeString(copy.resolve(file), file.endsWith("settings.xml")
                            ? "<settings><servers><server><password>" + CANARY + "</password></server></servers></settings>\n"
                            : "API_TOKEN=" + CANARY + "\n");
                }
                context = copy;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return context;
    }

    /** A fresh name for a test image or container. */
    public static String scratchName() {
        return APP_NAME + "-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every regular file and link of the image's filesystem, as absolute paths. */
    public static List<String> filesOf(String image) {
        String container = ContainerEngine.run("create", "--network", "none", image).orFail("create").out().trim();
        try {
            return ContainerEngine.exec(Duration.ofMinutes(2), List.of("bash", "-c", "\"$0\" export \"$1\" | tar -t",
                    ContainerEngine.name(), container)).orFail("export").out()
                    .lines().filter(l -> !l.endsWith("/")).map(l -> "/" + l.replaceFirst("^\\./", "")).toList();
        } finally {
            ContainerEngine.run("rm", "-f", container);
        }
    }

    /** Where real secrets end up in a checkout; .dockerignore must keep every one out. */
    public static List<String> canaryFiles() {
        return List.of(".env", ".env.local", ".git/config", ".git/CANARY_HEAD", "settings.xml", ".mvn/settings.xml",
                ".m2/settings.xml", "id_rsa.pem");
    }

    /** The CAs of a TLS-intercepting proxy (BUILD_CA_FILES, as the Makefile finds them) in one file, maybe empty. */
    private static Path buildCa() {
        String files = Objects.requireNonNullElse(ContainerEngine.setting("BUILD_CA_FILES"), "/usr/local/share/ca-certificates/*.crt");
        Path bundle = context().resolveSibling(context().getFileName() + "-build-ca.pem");
        ContainerEngine.exec(Duration.ofSeconds(30), List.of("bash", "-c", "shopt -s nullglob; cat /dev/null $0 >\"$1\"", files, bundle.toString()))
                .orFail("reading BUILD_CA_FILES");
        return bundle;
    }
}
