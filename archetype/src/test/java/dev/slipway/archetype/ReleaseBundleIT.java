package dev.slipway.archetype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as Maven Central would receive it, from a copy of this repository's tracked files:
 * `make set-version` to the release version, `make release-bundle` signed with a throwaway key made
 * here (never committed), the bundle validated as Central would (and the validator shown to catch a
 * missing signature and a POM without scm), then a project generated from the bundle alone, with an
 * empty local repository, whose own `make test` must pass.
 */
class ReleaseBundleIT {

    private static final String GROUP_ID = System.getProperty("archetype.groupId");
    private static final String ARTIFACT_ID = System.getProperty("archetype.artifactId");
    /** The version a release of the current one would have: main keeps X-SNAPSHOT, the release X. */
    private static final String RELEASE_VERSION = System.getProperty("archetype.version").replaceFirst("-SNAPSHOT$", "");

    @TempDir
    static Path scratch;
    private static Path repo;
    /** GNUPGHOME of the throwaway signing key, and one holding only its public key, for verifying. */
    private static Path signingHome;
    private static Path verifyingHome;
    private static Path bundle;

    @BeforeAll
    static void buildTheReleaseBundle() throws Exception {
        Path root = Commands.repositoryRoot();
        assumeTrue(Files.exists(root.resolve(".git")), "not a git checkout: the release is built from the tracked files");
        repo = scratch.resolve("repo");
        Commands.copyTrackedFiles(root, repo);

        signingHome = gnupgHome("signing");
        gpg(signingHome, "--passphrase", "", "--quick-gen-key", "Slipway release test <release-test@example.invalid>", "ed25519", "sign", "never");
        Path secretKey = scratch.resolve("secret.asc");
        gpg(signingHome, "--armor", "--output", secretKey.toString(), "--export-secret-keys");
        Path publicKey = scratch.resolve("public.asc");
        gpg(signingHome, "--armor", "--output", publicKey.toString(), "--export");
        verifyingHome = gnupgHome("verifying");
        gpg(verifyingHome, "--import", publicKey.toString());

        // The builds here reuse this build's local repository: building the bundle is the maintainer's step.
        String mvnArgs = "MVN_ARGS=-B -ntp -Dmaven.repo.local=" + System.getProperty("local.repository");
        Commands.run(repo, Map.of(), Duration.ofMinutes(5), "make", "set-version", "VERSION=" + RELEASE_VERSION, mvnArgs);
        String build = Commands.run(repo, Map.of("MAVEN_GPG_KEY", Files.readString(secretKey), "MAVEN_GPG_PASSPHRASE", ""), Duration.ofMinutes(10),
                "make", "release-bundle", mvnArgs);
        assertTrue(build.contains("Skipping the upload of the bundle"), "the bundle must not be uploaded:\n" + Commands.tail(build));
        bundle = repo.resolve("archetype/target/central-publishing/central-bundle.zip");
        assertTrue(Files.isRegularFile(bundle), "no bundle at " + bundle + ":\n" + Commands.tail(build));
    }

    @AfterAll
    static void stopTheGpgAgents() throws Exception {
        for (Path home : new Path[] {signingHome, verifyingHome}) {
            if (home != null) {
                Commands.exec(scratch, Map.of("GNUPGHOME", home.toString()), Duration.ofSeconds(30), List.of("gpgconf", "--kill", "all"));
            }
        }
    }

    @Test
    void theBundleHasWhatCentralRequires() throws Exception {
        Path unpacked = unpack("valid");
        List<String> files;
        try (Stream<Path> walk = Files.walk(unpacked)) {
            files = walk.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
        String base = ARTIFACT_ID + "-" + RELEASE_VERSION;
        for (String artifact : List.of(base + ".pom", base + ".jar", base + "-sources.jar", base + "-javadoc.jar")) {
            for (String suffix : List.of("", ".asc", ".md5", ".sha1")) {
                assertTrue(files.contains(artifact + suffix), "the bundle has no " + artifact + suffix + ": " + files);
            }
        }
        assertEquals(List.of(), CentralBundle.problems(unpacked, verifyingHome));
    }

    @Test
    void aMissingSignatureIsCaught() throws Exception {
        Path unpacked = unpack("unsigned-jar");
        Path jar = componentDir(unpacked).resolve(ARTIFACT_ID + "-" + RELEASE_VERSION + ".jar");
        Files.delete(Path.of(jar + ".asc"));
        String name = unpacked.relativize(jar).toString();
        assertEquals(List.of(name + ": no signature (" + name + ".asc)"), CentralBundle.problems(unpacked, verifyingHome));
    }

    @Test
    void aSignatureFromAnotherKeyIsCaught() throws Exception {
        Path unpacked = unpack("other-key");
        Path pom = componentDir(unpacked).resolve(ARTIFACT_ID + "-" + RELEASE_VERSION + ".pom");
        Path otherHome = gnupgHome("other");
        gpg(otherHome, "--passphrase", "", "--quick-gen-key", "Someone else <other@example.invalid>", "ed25519", "sign", "never");
        gpg(otherHome, "--yes", "--armor", "--detach-sign", "--output", pom + ".asc", pom.toString());
        Commands.exec(scratch, Map.of("GNUPGHOME", otherHome.toString()), Duration.ofSeconds(30), List.of("gpgconf", "--kill", "all"));
        List<String> problems = CentralBundle.problems(unpacked, verifyingHome);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(unpacked.relativize(pom) + ": the signature does not verify"), problems.get(0));
    }

    /** The POM is re-signed and re-summed after the edit: the missing scm is its one problem. */
    @Test
    void aPomWithoutScmIsCaught() throws Exception {
        Path unpacked = unpack("no-scm");
        Path pom = componentDir(unpacked).resolve(ARTIFACT_ID + "-" + RELEASE_VERSION + ".pom");
        String text = Files.readString(pom);
        String withoutScm = text.replaceAll("(?s)\\s*<scm>.*?</scm>", "");
        assertTrue(!withoutScm.equals(text), "the released POM has no <scm> to remove");
        Files.writeString(pom, withoutScm);
        for (var algorithm : Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256", "sha512", "SHA-512").entrySet()) {
            Path sum = Path.of(pom + "." + algorithm.getKey());
            if (Files.exists(sum)) {
                Files.writeString(sum, CentralBundle.digest(pom, algorithm.getValue()));
            }
        }
        gpg(signingHome, "--yes", "--armor", "--detach-sign", "--output", pom + ".asc", pom.toString());
        String name = unpacked.relativize(pom).toString();
        assertEquals(List.of(name + ": no <scm><connection>: Central requires it", name + ": no <scm><url>: Central requires it"),
                CentralBundle.problems(unpacked, verifyingHome));
    }

    /**
     * The bundle unpacked as the only repository besides Central, and an empty local repository: the
     * archetype can only come from the bundle, the dependencies only from Central, nothing from ~/.m2
     * or this checkout. Then the generated project's own `make test`, container tests included.
     */
    @Test
    void aProjectGeneratedFromTheBundleAlonePassesItsMakeTest() throws Exception {
        Path fileRepository = unpack("file-repository");
        Path settings = scratch.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <profiles>
                    <profile>
                      <id>release-bundle</id>
                      <repositories>
                        <repository>
                          <id>release-bundle</id>
                          <url>%s</url>
                        </repository>
                      </repositories>
                    </profile>
                  </profiles>
                  <activeProfiles>
                    <activeProfile>release-bundle</activeProfile>
                  </activeProfiles>
                </settings>
                """.formatted(fileRepository.toUri()));
        Path emptyRepository = Files.createDirectories(scratch.resolve("empty-local-repository"));
        Path workDir = Files.createDirectories(scratch.resolve("generated"));
        String project = "bundle-svc";
        Commands.run(workDir, Map.of(), Duration.ofMinutes(10), repo.resolve("mvnw").toString(), "-B", "-ntp",
                "-s", settings.toString(), "-Dmaven.repo.local=" + emptyRepository,
                "org.apache.maven.plugins:maven-archetype-plugin:" + System.getProperty("archetype.plugin.version") + ":generate",
                "-DarchetypeGroupId=" + GROUP_ID, "-DarchetypeArtifactId=" + ARTIFACT_ID, "-DarchetypeVersion=" + RELEASE_VERSION,
                "-DgroupId=com.example", "-DartifactId=" + project, "-Dpackage=com.example.bundle");
        Path archetypeInLocal = emptyRepository.resolve(GROUP_ID.replace('.', '/')).resolve(ARTIFACT_ID).resolve(RELEASE_VERSION);
        assertTrue(Files.readString(archetypeInLocal.resolve("_remote.repositories")).contains(">release-bundle="),
                "the archetype was not resolved from the bundle");

        Path generated = workDir.resolve(project);
        Commands.run(generated, "git", "init", "-q");
        long start = System.nanoTime();
        String test = Commands.run(generated, Map.of(), Duration.ofMinutes(45), "make", "test",
                "MVN_ARGS=-B -ntp -Dmaven.repo.local=" + emptyRepository);
        // Surefire's and Failsafe's totals (the lines without " -- in "), so the log shows what ran and was skipped.
        List<String> totals = test.lines().filter(l -> l.contains("Tests run:") && !l.contains(" -- in ")).toList();
        System.out.printf("ReleaseBundleIT: the generated project's make test took %d s: %s%n",
                (System.nanoTime() - start) / 1_000_000_000L, totals);
        assertTrue(test.contains("BUILD SUCCESS"), Commands.tail(test));
    }

    private static Path unpack(String name) throws IOException {
        Path dir = scratch.resolve("bundles").resolve(name);
        Files.createDirectories(dir);
        CentralBundle.unzip(bundle, dir);
        return dir;
    }

    private static Path componentDir(Path unpacked) {
        return unpacked.resolve(GROUP_ID.replace('.', '/')).resolve(ARTIFACT_ID).resolve(RELEASE_VERSION);
    }

    private static Path gnupgHome(String name) throws IOException {
        Path home = scratch.resolve("gnupg-" + name);
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------")); // gpg refuses others' access
        return home;
    }

    /** Runs gpg on the keyring in home; fails the test unless it exits 0. */
    private static String gpg(Path home, String... args) throws IOException, InterruptedException {
        String[] command = Stream.concat(Stream.of("gpg", "--batch", "--quiet"), Stream.of(args)).toArray(String[]::new);
        return Commands.run(scratch, Map.of("GNUPGHOME", home.toString()), Duration.ofMinutes(2), command);
    }
}
