package dev.slipway.starter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stand-in for the native executable: src/test/native/stand-in-runner.c (a test fixture, not
 * the app), compiled with the host's gcc, so that the native image can be built and run where no
 * GraalVM/Mandrel is installed. Also compiles the small broken executables the negative tests need.
 */
public final class StandInRunner {

    public static final Path SOURCE = Path.of("src/test/native/stand-in-runner.c");
    /**
     * What it links, as Quarkus native executables do (see the source's first comment), each named
     * by its runtime file (glibc >= 2.34 has only empty static stubs behind -lpthread, -ldl, -lrt).
     */
    public static final List<String> LIBRARIES = List.of("libz.so.1", "libm.so.6", "libpthread.so.0",
            "libdl.so.2", "librt.so.1", "libstdc++.so.6");

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private StandInRunner() {
    }

    /** Compiles the stand-in to {@code target}; its `/` answers with this name and version. */
    public static void compile(Path target, String name, String version) {
        List<String> command = new ArrayList<>(List.of("-O2", "-o", target.toString(),
                "-DAPP_NAME=\"" + name + "\"", "-DAPP_VERSION=\"" + version + "\"",
                SOURCE.toAbsolutePath().toString(), "-Wl,--no-as-needed"));
        LIBRARIES.forEach(library -> command.add("-l:" + library));
        gcc(command, "the stand-in native executable");
        String needed = ContainerEngine.exec(TIMEOUT, List.of("readelf", "-d", target.toString())).orFail("readelf -d").out();
        for (String library : LIBRARIES) {
            if (!needed.contains("[" + library + "]")) {
                throw new AssertionError("the stand-in runner does not link " + library + " (readelf -d):\n" + needed);
            }
        }
    }

    /** Runs gcc with these arguments, or fails with one line saying what to install. */
    public static void gcc(List<String> arguments, String what) {
        List<String> command = new ArrayList<>(List.of("gcc"));
        command.addAll(arguments);
        ContainerEngine.Result result;
        try {
            result = ContainerEngine.exec(TIMEOUT, command);
        } catch (AssertionError noGcc) {
            throw new AssertionError("The native image tests compile " + SOURCE + " with gcc, which is not installed:"
                    + " install gcc, libc6-dev and zlib1g-dev (Debian/Ubuntu; gcc glibc-devel zlib-devel on Fedora),"
                    + " or skip the container tests with -DskipContainerTests", noGcc);
        }
        if (result.exit() != 0) {
            String hint = result.err().contains("zlib.h") || result.err().contains("cannot find -l")
                    ? " (missing headers or libraries: install libc6-dev and zlib1g-dev, or glibc-devel and zlib-devel)" : "";
            throw new AssertionError("compiling " + what + " with gcc failed" + hint + ":\n" + String.join(" ", command)
                    + "\n" + result.out() + result.err());
        }
    }

    /** Writes a C source to a temporary directory and returns its path. */
    public static Path source(Path dir, String fileName, String code) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(fileName), code);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
