package dev.slipway.archetype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad property values fail {@code mvn -B archetype:generate} (batch mode, where maven-archetype-plugin
 * ignores validationRegex) with one message naming the property, the value and what is allowed, and
 * leave no directory behind. Runs Maven on the archetype jar just packaged, put in a scratch local
 * repository in front of the usual one (maven.repo.local.tail), so nothing is installed for this.
 */
class InvalidPropertiesIT {

    private static Path repository;

    @BeforeAll
    static void installIntoScratchRepository(@TempDir Path scratch) throws IOException {
        repository = scratch.resolve("repository");
        String name = property("archetype.artifactId") + "-" + property("archetype.version");
        Path dir = repository.resolve(property("archetype.groupId").replace('.', '/'))
                .resolve(property("archetype.artifactId")).resolve(property("archetype.version"));
        Files.createDirectories(dir);
        Files.copy(Path.of(property("archetype.jar")), dir.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(property("archetype.pom")), dir.resolve(name + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "appPort     | abc       | use a whole number from 1 to 65535",
        "appPort     | 0         | use a whole number from 1 to 65535",
        "appPort     | 70000     | use a whole number from 1 to 65535",
        "package     | com.1bad  | use a Java package name",
        "package     | class.x   | no Java keyword",
        "package     | my-pkg    | use a Java package name",
        "artifactId  | Bad_Name! | lowercase letters and digits",
        "javaVersion | 17        | use 21 or 25",
        "hfSpace     | yes       | use true or false",
    })
    void badValueFailsWithOneMessageAndLeavesNothing(String key, String value, String allowed, @TempDir Path workDir)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(property("maven.home"), "bin", "mvn").toString(), "-B", "-o", "-ntp",
                "-Dmaven.repo.local=" + repository,
                "-Dmaven.repo.local.tail=" + property("local.repository"),
                "org.apache.maven.plugins:maven-archetype-plugin:" + property("archetype.plugin.version") + ":generate",
                "-DarchetypeCatalog=internal",
                "-DarchetypeGroupId=" + property("archetype.groupId"),
                "-DarchetypeArtifactId=" + property("archetype.artifactId"),
                "-DarchetypeVersion=" + property("archetype.version"),
                "-DgroupId=com.example"));
        if (!key.equals("artifactId")) {
            command.add("-DartifactId=demo-svc");
        }
        command.add("-D" + key + "=" + value);
        Process maven = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = maven.waitFor();

        assertNotEquals(0, exit, output);
        String message = "Invalid archetype property " + key + "='" + value + "': ";
        List<String> errors = output.lines().filter(l -> l.contains(message)).toList();
        assertEquals(1, errors.size(), output);
        assertTrue(errors.get(0).contains(allowed), errors.get(0));
        assertTrue(errors.get(0).contains("(nothing was generated)"), errors.get(0));
        assertTrue(output.lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace expected:\n" + output);
        try (Stream<Path> left = Files.list(workDir)) {
            assertEquals(List.of(), left.toList(), "generation left files behind");
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run through `mvn verify`)");
        }
        return value;
    }
}
