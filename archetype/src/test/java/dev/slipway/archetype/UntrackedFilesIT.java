package dev.slipway.archetype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template is what git tracks: a scratch file in the checkout (say `make archetype > arch.log`)
 * never reaches a generated project, and the build names it. Runs the template derivation
 * (generate-resources) on a copy of this repository's tracked files in a fresh git repository, with
 * an untracked and an ignored file planted, so the real checkout is never touched.
 */
class UntrackedFilesIT {

    @Test
    void untrackedAndIgnoredFilesStayOutOfTheTemplate(@TempDir Path scratch) throws Exception {
        Path root = Commands.repositoryRoot();
        assumeTrue(Files.exists(root.resolve(".git")), "not a git checkout: the template is every file the .gitignore keeps");
        Path copy = scratch.resolve("repo");
        Commands.copyTrackedFiles(root, copy);
        Files.writeString(copy.resolve("arch.log"), "scratch output, never committed\n");
        Files.createDirectories(copy.resolve("src/main/java/scratch"));
        Files.writeString(copy.resolve("src/main/java/scratch/Draft.java"), "class Draft {}\n");
        Files.createDirectories(copy.resolve("target"));
        Files.writeString(copy.resolve("target/ignored.txt"), "build output\n");

        String output = Commands.run(copy, Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(), "-B", "-o", "-ntp",
                "-Dmaven.repo.local=" + System.getProperty("local.repository"),
                "-f", copy.resolve("archetype/pom.xml").toString(), "generate-resources");

        Path template = copy.resolve("archetype/target/generated-resources/archetype/archetype-resources");
        assertTrue(Files.isRegularFile(template.resolve("Makefile")), "the tracked files are in the template");
        assertTrue(Files.isRegularFile(template.resolve("pom.xml")));
        assertFalse(Files.exists(template.resolve("arch.log")), "an untracked file reached the template");
        assertFalse(Files.exists(template.resolve("src/main/java/scratch")), "an untracked source reached the template");
        assertFalse(Files.exists(template.resolve("target")), "an ignored file reached the template");
        List<String> warnings = output.lines().filter(l -> l.contains("Not in the archetype (not tracked by git")).toList();
        assertEquals(1, warnings.size(), output);
        assertTrue(warnings.get(0).endsWith(": arch.log, src/main/java/scratch/Draft.java"), warnings.get(0));
    }
}
