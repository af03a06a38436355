package dev.slipway.proof;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.TestImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SBOMs: the app's (Quarkus's quarkus:dependency-sbom in `package`, target/quarkus-app/sbom/)
 * and the runtime's (written by the Dockerfile's runtime stage), both in every JVM image under
 * /app/sbom/, named by the image's dev.slipway.starter.sbom label, valid CycloneDX 1.6, and true: they name
 * exactly the jars, JDK and modules that the image holds.
 */
class SbomContainerIT {

    static final String LABEL = "dev.slipway.starter.sbom";
    static final String APP_SBOM = "/app/sbom/app.cdx.json";
    static final String RUNTIME_SBOM = "/app/sbom/runtime.cdx.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLASSIFIER = Pattern.compile("[?&]classifier=([^&]+)");

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    @Test
    void packageWritesASchemaValidSbomUnderTarget() throws Exception {
        Path sbom = Path.of("target/quarkus-app/sbom/app.cdx.json");
        assertTrue(Files.isRegularFile(sbom), sbom + " is written by `./mvnw package`");
        assertValid(Files.readAllBytes(sbom), sbom.toString());
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"PROD", "JVM"})
    void labelNamesBothSbomsAndTheyAreSchemaValid(TestImages.Kind kind) throws Exception {
        String image = TestImages.image(kind);
        String label = ImageConfigContainerIT.inspect(image).path("Config").path("Labels").path(LABEL).asText();
        assertEquals(APP_SBOM + " " + RUNTIME_SBOM, label);
        Map<String, byte[]> files = copyOut(image, label.split(" "));
        files.forEach((path, content) -> assertValid(content, path));
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"PROD", "JVM"})
    void appSbomListsExactlyTheJarsOfTheImageWithTheirVersions(TestImages.Kind kind) throws Exception {
        String image = TestImages.image(kind);
        JsonNode sbom = JSON.readTree(copyOut(image, APP_SBOM).get(APP_SBOM));
        JsonNode app = sbom.path("metadata").path("component");
        Set<String> listed = new TreeSet<>();
        // the app: its jar is in /app/app/
        listed.add("app/" + app.path("name").asText() + "-" + app.path("version").asText() + ".jar");
        for (JsonNode component : sbom.path("components")) {
            if (component.path("bom-ref").equals(app.path("bom-ref"))) {
                continue;
            }
            // Quarkus names each jar in lib/ groupId.artifactId-version[-classifier].jar
            Matcher classifier = CLASSIFIER.matcher(component.path("purl").asText());
            listed.add("lib/" + component.path("group").asText() + "." + component.path("name").asText() + "-"
                    + component.path("version").asText() + (classifier.find() ? "-" + classifier.group(1) : "") + ".jar");
        }

        Set<String> inImage = TestImages.filesOf(image).stream()
                .filter(f -> f.endsWith(".jar") && (f.startsWith("/app/lib/") || f.startsWith("/app/app/")))
                .map(f -> f.startsWith("/app/lib/") ? "lib/" + f.substring(f.lastIndexOf('/') + 1) : f.substring("/app/".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(inImage.toString(), inImage.size(), greaterThan(50));
        assertThat("jars in the image that the SBOM does not list", minus(inImage, listed), empty());
        assertThat("SBOM components that are not in the image", minus(listed, inImage), empty());
        assertEquals(TestImages.VERSION, app.path("version").asText());
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"PROD", "JVM"})
    void runtimeSbomNamesTheJdkAndModulesTheImageRuns(TestImages.Kind kind) throws Exception {
        String image = TestImages.image(kind);
        JsonNode sbom = JSON.readTree(copyOut(image, RUNTIME_SBOM).get(RUNTIME_SBOM));
        Map<String, String> properties = javaInImage(image, "-XshowSettings:properties", "-version").lines()
                .map(String::stripLeading).filter(l -> l.contains(" = "))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(" = ")), l -> l.substring(l.indexOf(" = ") + 3), (a, b) -> a));
        JsonNode jdk = null;
        for (JsonNode component : sbom.path("components")) {
            if ("jdk".equals(component.path("bom-ref").asText())) {
                jdk = component;
            }
        }
        assertTrue(jdk != null, sbom.toPrettyString());
        assertEquals(properties.get("java.vendor"), jdk.path("supplier").path("name").asText());
        assertEquals(properties.get("java.runtime.version"), jdk.path("version").asText());

        List<String> modules = javaInImage(image, "--list-modules").lines().map(String::trim)
                .filter(l -> l.contains("@")).sorted().toList();
        List<String> listed = new ArrayList<>();
        jdk.path("components").forEach(m -> listed.add(m.path("name").asText() + "@" + m.path("version").asText()));
        assertThat(modules, hasSize(listed.size()));
        assertEquals(modules, listed.stream().sorted().toList());
        assertTrue(modules.stream().anyMatch(m -> m.startsWith("java.base@")), modules.toString());
    }

    static void assertValid(byte[] sbom, String name) {
        try {
            List<ParseException> errors = new JsonParser().validate(sbom, Version.VERSION_16);
            assertThat(name + " against the CycloneDX 1.6 JSON schema", errors, empty());
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot validate " + name, e);
        }
    }

    /** The files, copied out of a container of the image that never runs. */
    static Map<String, byte[]> copyOut(String image, String... paths) throws Exception {
        String container = ContainerEngine.run("create", "--network", "none", image).orFail("create").out().trim();
        Path dir = Files.createTempDirectory("sbom");
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (String path : paths) {
                Path target = dir.resolve(Path.of(path).getFileName().toString());
                ContainerEngine.run("cp", container + ":" + path, target.toString()).orFail("cp " + path);
                files.put(path, Files.readAllBytes(target));
                Files.delete(target);
            }
            return files;
        } finally {
            ContainerEngine.run("rm", "-f", container);
            Files.deleteIfExists(dir);
        }
    }

    /** What the image's own java prints (stdout and stderr) with these arguments. */
    private static String javaInImage(String image, String... args) {
        List<String> command = new ArrayList<>(List.of("run", "--rm", "--network", "none", "--entrypoint", "java", image));
        command.addAll(List.of(args));
        ContainerEngine.Result result = ContainerEngine.run(Duration.ofMinutes(1), command).orFail("java " + String.join(" ", args));
        return result.out() + "\n" + result.err();
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> difference = new TreeSet<>(a);
        difference.removeAll(b);
        return difference;
    }
}
