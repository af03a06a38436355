package dev.slipway.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.starter.testing.ContainerEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * .github/workflows/release.yml, this repository's release of the archetype: valid (actionlint, offline,
 * with the same tool that lints the generated project's ci.yml), least privilege, and doing what
 * CHANGELOG.md says: on a v* tag, `make test`, then the signed upload to Maven Central, then the
 * GitHub release. Root-only: no generated project gets it.
 */
class ReleaseWorkflowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORKFLOW = Path.of(".github/workflows/release.yml");
    /** github-config.mjs lints a project's whole .github: the workflow alone, with a dependabot.yml it accepts. */
    private static final String DEPENDABOT = """
            version: 2
            updates:
              - package-ecosystem: github-actions
                directory: /
                schedule:
                  interval: weekly
            """;

    @Test
    void theWorkflowPassesActionlint(@TempDir Path project) throws Exception {
        ContainerEngine.Result lint = lint(project, Files.readString(WORKFLOW));
        assertEquals(0, lint.exit(), "lint problems:\n" + lint.out() + lint.err());
        assertEquals("", lint.out());
    }

    /** Each broken copy must be caught, with a line naming the problem. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a permission that does not exist | 'contents: write' | 'contents: publish' | \"publish\" is invalid for permission of scope \"contents\"",
        "a job that needs a missing job | 'needs: publish' | 'needs: upload' | job \"github-release\" needs job \"upload\" which does not exist",
        "a typo in an expression | 'secrets.MAVEN_GPG_KEY }}' | 'secret.MAVEN_GPG_KEY }}' | undefined variable \"secret\"",
    })
    void aBrokenCopyIsCaught(String what, String from, String to, String expected, @TempDir Path project) throws Exception {
        String text = Files.readString(WORKFLOW);
        assertTrue(text.contains(from), "release.yml no longer contains '" + from + "': update this test");
        ContainerEngine.Result lint = lint(project, text.replace(from, to));
        assertNotEquals(0, lint.exit(), what + " was not caught:\n" + lint.out());
        assertThat(lint.out(), containsString(expected));
    }

    @Test
    void onlyAVersionTagStartsIt() throws Exception {
        JsonNode on = workflow().path("on");
        assertEquals("[\"push\"]", JSON.valueToTree(names(on)).toString());
        assertEquals("[\"v*\"]", on.path("push").path("tags").toString());
        assertTrue(on.path("push").path("branches").isMissingNode());
    }

    /** Nothing by default; read for the test and the upload; write only for the job that holds no secret. */
    @Test
    void leastPrivilege() throws Exception {
        JsonNode workflow = workflow();
        assertEquals("{}", workflow.path("permissions").toString());
        JsonNode jobs = workflow.path("jobs");
        assertEquals(List.of("test", "publish", "github-release"), names(jobs));
        assertEquals("{\"contents\":\"read\"}", jobs.path("test").path("permissions").toString());
        assertEquals("{\"contents\":\"read\"}", jobs.path("publish").path("permissions").toString());
        assertEquals("{\"contents\":\"write\"}", jobs.path("github-release").path("permissions").toString());
        for (String job : List.of("test", "github-release")) {
            assertTrue(!jobs.path(job).toString().contains("secrets."), job + " must not see the release secrets");
        }
    }

    @Test
    void theTestJobRunsTheWholeMakeTestWithTheContainerTests() throws Exception {
        JsonNode test = workflow().path("jobs").path("test");
        JsonNode makeTest = step(test, "make test");
        assertEquals("make test", makeTest.path("run").asText());
        assertEquals("true", makeTest.path("env").path("REQUIRE_CONTAINER_TESTS").asText());
        assertThat(step(test, "Install the Debian tools").path("run").asText(), containsString("proof/debian-packages.txt"));
        assertEquals("20", step(test, "actions/setup-node@").path("with").path("node-version").asText());
    }

    /** After the tests: the notes checked first, the tag's version set, the bundle signed and uploaded. */
    @Test
    void thePublishJobSignsAndUploadsTheTaggedVersion() throws Exception {
        JsonNode publish = workflow().path("jobs").path("publish");
        assertEquals("test", publish.path("needs").asText());
        List<String> runs = new ArrayList<>();
        publish.path("steps").forEach(s -> runs.add(s.path("name").asText(s.path("uses").asText())));
        assertEquals(List.of("actions/checkout@v4", "actions/setup-java@v4", "Release notes from CHANGELOG.md",
                "Set the release version from the tag", "Build, sign and upload to Maven Central", "actions/upload-artifact@v4"), runs);
        assertEquals("make set-version VERSION=\"${GITHUB_REF_NAME#v}\"", step(publish, "Set the release version").path("run").asText());
        JsonNode upload = step(publish, "Build, sign and upload");
        assertThat(upload.path("run").asText(), containsString("make release-publish"));
        for (String secret : List.of("CENTRAL_USERNAME", "CENTRAL_TOKEN", "MAVEN_GPG_KEY", "MAVEN_GPG_PASSPHRASE")) {
            assertEquals("${{ secrets." + secret + " }}", upload.path("env").path(secret).asText(), secret);
        }
        JsonNode java = step(publish, "actions/setup-java@").path("with");
        assertEquals("central", java.path("server-id").asText(), "the server the pom's publishingServerId names");
        assertEquals("CENTRAL_TOKEN", java.path("server-password").asText());
    }

    @Test
    void theGitHubReleaseComesLastWithTheBundle() throws Exception {
        JsonNode release = workflow().path("jobs").path("github-release");
        assertEquals("publish", release.path("needs").asText());
        String script = step(release, "Create the GitHub release").path("run").asText();
        assertThat(script, containsString("gh release create \"$GITHUB_REF_NAME\""));
        assertThat(script, containsString("--notes-file release-notes.md"));
        assertThat(script, containsString("central-bundle.zip"));
    }

    /** The workflow, the license and the changelog are this repository's: no generated project gets them. */
    @Test
    void theReleaseFilesAreRootOnly() throws Exception {
        List<String> rootOnly = Files.readAllLines(Path.of("archetype/root-only.txt"));
        for (String path : List.of(WORKFLOW.toString(), "LICENSE", "CHANGELOG.md")) {
            assertThat(rootOnly, hasItem("path " + path));
        }
    }

    private static ContainerEngine.Result lint(Path project, String workflow) throws Exception {
        Path file = project.resolve(WORKFLOW);
        Files.createDirectories(file.getParent());
        Files.writeString(file, workflow);
        Files.writeString(project.resolve(".github/dependabot.yml"), DEPENDABOT);
        return NodeTools.node("github-config.mjs", "lint", project.toString());
    }

    private static JsonNode workflow() throws Exception {
        ContainerEngine.Result json = NodeTools.node("github-config.mjs", "json", WORKFLOW.toAbsolutePath().toString())
                .orFail("reading " + WORKFLOW);
        return JSON.readTree(json.out());
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The step whose `uses`, `name` or `run` starts with the text. */
    private static JsonNode step(JsonNode job, String start) {
        for (JsonNode s : job.path("steps")) {
            for (String key : List.of("uses", "name", "run")) {
                if (s.path(key).asText().startsWith(start)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no step starting with '" + start + "' in " + job);
    }
}
