package dev.slipway.proof;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Dockerfile.native gives the executable exactly the shared libraries it links, read from the
 * executable at build time, and refuses to build an image in which it could not start. The executable
 * is the stand-in (proof/native, compiled before the integration tests by compile-stand-in), which
 * links what a Quarkus native executable links; small broken executables are compiled here with gcc.
 * (How the native image runs: the project's ImageRunContainerIT; its config and files: ImageContentContainerIT.)
 */
class NativeImageContainerIT {

    private static final String DOCKERFILE = "src/main/docker/Dockerfile.native";

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    @Test
    void carriesExactlyTheLibrariesItsExecutableLinks() {
        Path runner = TestImages.context().resolve(TestImages.NATIVE_RUNNER);
        // What the host's dynamic loader resolves for the stand-in: the libraries it names, and
        // what those need in turn (libstdc++ needs libgcc_s), and the loader itself.
        Set<String> linked = libraryNames(ContainerEngine.exec(TestImages.BUILD_TIMEOUT,
                List.of("ldd", runner.toString())).orFail("ldd").out().lines()
                .map(String::trim).filter(l -> l.startsWith("/") || l.contains("=> /"))
                .map(l -> l.contains("=> ") ? l.split("=> ")[1] : l).map(l -> l.split(" ")[0]).toList());
        assertThat(linked, hasItems("libz.so.1", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
                "libstdc++.so.6", "libc.so.6", "libgcc_s.so.1"));

        List<String> files = TestImages.filesOf(TestImages.image(TestImages.Kind.NATIVE));
        Set<String> shipped = libraryNames(files.stream().filter(f -> f.contains(".so")).toList());
        assertEquals(linked, shipped, "the image's shared libraries are exactly what the executable links:\n" + files);
    }

    @Test
    void buildFailsNamingALibraryNoImageHas(@TempDir Path dir) throws Exception {
        Path lib = source(dir.resolve("lib"), "needsmissing.c", "int needs_missing(void) { return 0; }\n");
        gcc(List.of("-shared", "-fPIC", "-o", dir.resolve("lib/libneedsmissing.so").toString(), lib.toString()),
                "libneedsmissing.so");
        Path main = source(dir, "main.c", "int needs_missing(void);\nint main(void) { return needs_missing(); }\n");
        Path context = context(dir);
        gcc(List.of("-o", context.resolve(TestImages.NATIVE_RUNNER).toString(), main.toString(),
                "-L" + dir.resolve("lib"), "-lneedsmissing"), "an executable that needs libneedsmissing.so");

        String output = failingBuild(context);
        assertThat(output, containsString("Dockerfile.native: the native executable needs libneedsmissing.so, which"));
    }

    @Test
    void buildFailsNamingANewerGlibcThanTheImageHas(@TempDir Path dir) throws Exception {
        // A libc.so.6 that defines the version GLIBC_2.99, only to link against: the executable then
        // needs glibc 2.99, as one linked on a glibc newer than NATIVE_LIBS_IMAGE's needs its version.
        Path fake = source(dir.resolve("fake"), "glibc.c", "int needs_newer_glibc(void) { return 0; }\n");
        Path versions = source(dir.resolve("fake"), "glibc.map",
                "GLIBC_2.99 { global: needs_newer_glibc; local: *; };\n");
        gcc(List.of("-shared", "-fPIC", "-nostdlib", "-o", dir.resolve("fake/libc.so.6").toString(),
                fake.toString(), "-Wl,--version-script=" + versions, "-Wl,-soname,libc.so.6"), "a libc.so.6 with GLIBC_2.99");
        Path main = source(dir, "main.c",
                "int needs_newer_glibc(void);\nvoid _start(void) { needs_newer_glibc(); for (;;) {} }\n");
        Path context = context(dir);
        gcc(List.of("-nostdlib", "-o", context.resolve(TestImages.NATIVE_RUNNER).toString(), main.toString(),
                dir.resolve("fake/libc.so.6").toString()), "an executable that needs GLIBC_2.99");

        String output = failingBuild(context);
        assertThat(output, containsString("Dockerfile.native: the native executable needs GLIBC_2.99, newer than the glibc"));
    }

    /** A build context with what Dockerfile.native reads: itself, .dockerignore and target/. */
    private static Path context(Path dir) throws Exception {
        Path context = dir.resolve("context");
        Files.createDirectories(context.resolve("src/main/docker"));
        Files.createDirectories(context.resolve("target"));
        Files.copy(Path.of(DOCKERFILE), context.resolve(DOCKERFILE), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(".dockerignore"), context.resolve(".dockerignore"), StandardCopyOption.REPLACE_EXISTING);
        return context;
    }

    /** `docker build -f src/main/docker/Dockerfile.native .`, which must fail; its output. */
    private static String failingBuild(Path context) {
        String tag = "native-it-must-fail-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> command = new ArrayList<>(List.of(ContainerEngine.name(), "build", "-t", tag, "-f", DOCKERFILE));
        command.addAll(ContainerEngine.buildOptions());
        command.add(".");
        try {
            ContainerEngine.Result build = ContainerEngine.exec(TestImages.BUILD_TIMEOUT, command, context);
            String output = build.out() + build.err();
            assertNotEquals(0, build.exit(), "the image build should have failed:\n" + output);
            return output;
        } finally {
            ContainerEngine.run("rmi", "-f", tag);
        }
    }

    /** Runs gcc with these arguments (gcc, libc6-dev: proof/debian-packages.txt). */
    static void gcc(List<String> arguments, String what) {
        List<String> command = new ArrayList<>(List.of("gcc"));
        command.addAll(arguments);
        ContainerEngine.exec(Duration.ofMinutes(2), command).orFail("compiling " + what + " with gcc: " + String.join(" ", command));
    }

    /** Writes a C source to a directory and returns its path. */
    private static Path source(Path dir, String fileName, String code) throws Exception {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(fileName), code);
    }

    private static Set<String> libraryNames(List<String> paths) {
        Set<String> names = new TreeSet<>();
        paths.forEach(path -> names.add(Path.of(path).getFileName().toString()));
        return names;
    }
}
