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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * .github/workflows/ci.yml and .github/dependabot.yml: valid (actionlint, offline), and doing what the
 * README says: `make test` on the lowest JDK the pom accepts, then the production image; on a v* tag
 * the image, for amd64 and arm64, pushed to ghcr.io by a job that alone may write packages.
 */
class GitHubConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORKFLOW = Path.of(".github/workflows/ci.yml");
    private static final Path DEPENDABOT = Path.of(".github/dependabot.yml");

    @Test
    void workflowAndDependabotPassTheLinters() {
        ContainerEngine.Result lint = NodeTools.node("github-config.mjs", "lint", Path.of("").toAbsolutePath().toString());
        assertEquals(0, lint.exit(), "lint problems:\n" + lint.out() + lint.err());
    }

    /** The copy the next test breaks passes as it is: each failure there comes from the one change. */
    @Test
    void anUnbrokenCopyPasses(@TempDir Path project) throws Exception {
        copyProjectShape(project);
        ContainerEngine.Result clean = NodeTools.node("github-config.mjs", "lint", project.toString());
        assertEquals(0, clean.exit(), "the unbroken copy must pass:\n" + clean.out());
        assertEquals("", clean.out());
    }

    /** Each broken copy must be caught, with a line naming the problem. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a permission that does not exist | ci.yml | 'packages: write' | 'packages: admin' | \"admin\" is invalid for permission of scope \"packages\"",
        "a typo in an expression | ci.yml | 'github.repository }}' | 'github.repo }}' | property \"repo\" is not defined",
        "a job that needs a missing job | ci.yml | 'needs: test' | 'needs: tests' | job \"push\" needs job \"tests\" which does not exist",
        "an unknown schedule | dependabot.yml | 'interval: weekly' | 'interval: hourly' | /schedule/interval must be equal to one of the allowed values",
        "a directory that does not exist | dependabot.yml | '- /src/main/docker' | '- /src/docker' | docker directory /src/docker does not exist",
        "an unknown ecosystem | dependabot.yml | 'package-ecosystem: maven' | 'package-ecosystem: mvn' | /package-ecosystem must be equal to one of the allowed values",
    })
    void aBrokenCopyIsCaught(String what, String file, String from, String to, String expected, @TempDir Path project)
            throws Exception {
        copyProjectShape(project);
        Path broken = project.resolve(file.equals("ci.yml") ? WORKFLOW : DEPENDABOT);
        String text = Files.readString(broken);
        assertTrue(text.contains(from), file + " no longer contains '" + from + "': update this test");
        Files.writeString(broken, text.replace(from, to));

        ContainerEngine.Result lint = NodeTools.node("github-config.mjs", "lint", project.toString());
        assertNotEquals(0, lint.exit(), what + " was not caught:\n" + lint.out());
        assertThat(lint.out(), containsString(expected));
    }

    @Test
    void testJobRunsMakeTestOnTheLowestJdkThenBuildsTheProductionImage() throws Exception {
        JsonNode workflow = yaml(WORKFLOW);
        assertEquals("{\"contents\":\"read\"}", workflow.path("permissions").toString(), "workflow-wide permissions");
        JsonNode test = workflow.path("jobs").path("test");
        assertTrue(test.path("permissions").isMissingNode(), "the test job needs no more than contents: read");
        JsonNode setupJava = step(test, "actions/setup-java@");
        assertEquals("temurin", setupJava.path("with").path("distribution").asText());
        assertEquals(lowestJdk(), setupJava.path("with").path("java-version").asText(), "JDK of the test job");
        List<String> runs = new ArrayList<>();
        test.path("steps").forEach(s -> runs.add(s.path("run").asText()));
        assertEquals(List.of("", "", "make test", "make build-prod"), runs);
        assertEquals("true", step(test, "make test").path("env").path("REQUIRE_CONTAINER_TESTS").asText(),
                "the container tests must run on the runner, not be skipped");
        assertThat(workflow.path("on").path("push").path("tags").toString(), containsString("v*"));
        assertThat(workflow.path("env").path("APP_SOURCE").asText(),
                containsString("${{ github.server_url }}/${{ github.repository }}"));
    }

    @Test
    void onlyTheTagJobMayWritePackagesAndItPushesToGhcr() throws Exception {
        JsonNode push = yaml(WORKFLOW).path("jobs").path("push");
        assertEquals("{\"contents\":\"read\",\"packages\":\"write\"}", push.path("permissions").toString());
        assertEquals("test", push.path("needs").asText());
        assertThat(push.path("if").asText(), containsString("startsWith(github.ref, 'refs/tags/v')"));
        String script = step(push, "Build and push").path("run").asText();
        assertThat(script, containsString("make build-prod PLATFORMS=linux/amd64,linux/arm64"));
        assertThat(script, containsString("make push IMAGE_TAG=\"${GITHUB_REF_NAME#v}\""));
        assertEquals("arm64", step(push, "docker/setup-qemu-action@").path("with").path("platforms").asText(),
                "arm64 is built under emulation");
        assertThat(step(push, "Log in").path("env").path("GITHUB_TOKEN").asText(), containsString("secrets.GITHUB_TOKEN"));
    }

    @Test
    void dependabotWatchesMavenDockerAndActions() throws Exception {
        List<String> ecosystems = new ArrayList<>();
        yaml(DEPENDABOT).path("updates").forEach(u -> ecosystems.add(u.path("package-ecosystem").asText()));
        for (String ecosystem : List.of("maven", "docker", "github-actions")) {
            assertThat(ecosystems, hasItem(ecosystem));
        }
    }

    private static JsonNode yaml(Path file) throws Exception {
        ContainerEngine.Result json = NodeTools.node("github-config.mjs", "json", file.toAbsolutePath().toString())
                .orFail("reading " + file);
        return JSON.readTree(json.out());
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

    /** The lowest JDK the pom's toolchain range accepts, e.g. 21 for [21,). */
    private static String lowestJdk() throws Exception {
        Matcher m = Pattern.compile("<toolchain.jdk.version>\\[(\\d+),").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "pom.xml has no toolchain.jdk.version range");
        return m.group(1);
    }

    /** What the checks look at: .github and the directories dependabot.yml names, with a file each (those there are). */
    private static void copyProjectShape(Path project) throws Exception {
        for (Path file : List.of(WORKFLOW, DEPENDABOT, Path.of("pom.xml"), Path.of("Dockerfile"),
                Path.of("src/main/docker/Dockerfile.native"), Path.of("proof/bench/Dockerfile.naive"), Path.of("proof/node/package.json"))) {
            if (Files.exists(file)) {
                Files.createDirectories(project.resolve(file).getParent());
                Files.copy(file, project.resolve(file));
            }
        }
    }
}
