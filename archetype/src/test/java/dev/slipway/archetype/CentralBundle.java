package dev.slipway.archetype;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.w3c.dom.Document;

/**
 * Checks a deployment bundle (a Maven repository layout, as central-publishing-maven-plugin zips it) the
 * way Maven Central validates one (central.sonatype.org/publish/requirements): every file signed, with
 * a signature that verifies against the given key; .md5 and .sha1 (and .sha256/.sha512 when present)
 * that match; a POM with the required elements; a sources and a javadoc jar beside each jar. Returns
 * one line per problem, naming the file; an empty list is a bundle Central would take.
 */
final class CentralBundle {

    private static final List<String> CHECKSUMS = List.of("md5", "sha1");
    private static final Map<String, String> ALGORITHMS = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256", "sha512", "SHA-512");
    /** XPath of each POM element Central requires, and how to name it in a problem. */
    private static final Map<String, String> REQUIRED_POM_ELEMENTS = Map.of(
            "/project/name", "<name>",
            "/project/description", "<description>",
            "/project/url", "<url>",
            "/project/licenses/license/name", "<licenses><license><name>",
            "/project/developers/developer/name", "<developers><developer><name>",
            "/project/scm/url", "<scm><url>",
            "/project/scm/connection", "<scm><connection>");

    private CentralBundle() {
    }

    /** Unpacks a bundle zip into dir (a file repository). */
    static void unzip(Path zip, Path dir) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("zip entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }

    /**
     * The problems of the bundle unpacked in repository; signatures are checked with {@code gpg --verify}
     * in gnupgHome, which should hold the release's public key and nothing else.
     */
    static List<String> problems(Path repository, Path gnupgHome) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(repository)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        List<Path> artifacts = files.stream().filter(f -> !isSidecar(f)).toList();
        if (artifacts.stream().noneMatch(f -> f.toString().endsWith(".pom"))) {
            problems.add(repository + ": no POM in the bundle");
        }
        for (Path file : artifacts) {
            String name = repository.relativize(file).toString();
            problems.addAll(signatureProblems(name, file, gnupgHome));
            problems.addAll(checksumProblems(name, file));
            if (name.endsWith(".pom")) {
                problems.addAll(pomProblems(repository, file));
            }
        }
        return problems;
    }

    private static boolean isSidecar(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".asc") || ALGORITHMS.keySet().stream().anyMatch(a -> name.endsWith("." + a));
    }

    private static List<String> signatureProblems(String name, Path file, Path gnupgHome) throws IOException, InterruptedException {
        Path signature = Path.of(file + ".asc");
        if (!Files.isRegularFile(signature)) {
            return List.of(name + ": no signature (" + name + ".asc)");
        }
        Commands.Result verify = Commands.exec(file.getParent(), Map.of(), Duration.ofMinutes(1), List.of(
                "gpg", "--homedir", gnupgHome.toString(), "--batch", "--verify", signature.toString(), file.toString()));
        return verify.exit() == 0 ? List.of() : List.of(name + ": the signature does not verify: " + verify.out().strip());
    }

    private static List<String> checksumProblems(String name, Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        for (var algorithm : ALGORITHMS.entrySet()) {
            Path sum = Path.of(file + "." + algorithm.getKey());
            if (!Files.isRegularFile(sum)) {
                if (CHECKSUMS.contains(algorithm.getKey())) {
                    problems.add(name + ": no ." + algorithm.getKey() + " checksum");
                }
                continue;
            }
            // The file holds the hex digest, possibly followed by the file name.
            String[] declared = Files.readString(sum).strip().split("\\s+");
            String actual = digest(file, algorithm.getValue());
            if (declared.length == 0 || !declared[0].equalsIgnoreCase(actual)) {
                problems.add(name + ": ." + algorithm.getKey() + " says " + String.join(" ", declared) + " but the file's is " + actual);
            }
        }
        return problems;
    }

    private static List<String> pomProblems(Path repository, Path pom) {
        String name = repository.relativize(pom).toString();
        List<String> problems = new ArrayList<>();
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = factory.newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            return List.of(name + ": not a well-formed POM: " + e.getMessage());
        }
        String groupId = text(doc, "/project/groupId");
        if (groupId.isEmpty()) {
            groupId = text(doc, "/project/parent/groupId");
        }
        String artifactId = text(doc, "/project/artifactId");
        String version = text(doc, "/project/version");
        if (version.isEmpty()) {
            version = text(doc, "/project/parent/version");
        }
        String expected = groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version + ".pom";
        if (!name.equals(expected)) {
            problems.add(name + ": its coordinates " + groupId + ":" + artifactId + ":" + version + " belong at " + expected);
        }
        if (version.endsWith("-SNAPSHOT")) {
            problems.add(name + ": version " + version + " is a SNAPSHOT: Central takes release versions only");
        }
        REQUIRED_POM_ELEMENTS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(required -> {
            if (text(doc, required.getKey()).isEmpty()) {
                problems.add(name + ": no " + required.getValue() + ": Central requires it");
            }
        });
        String packaging = text(doc, "/project/packaging");
        if (!packaging.equals("pom")) {
            String base = artifactId + "-" + version;
            for (String jar : List.of(base + ".jar", base + "-sources.jar", base + "-javadoc.jar")) {
                if (!Files.isRegularFile(pom.resolveSibling(jar))) {
                    problems.add(name + ": no " + jar + " beside it (packaging " + (packaging.isEmpty() ? "jar" : packaging) + ")");
                }
            }
        }
        return problems;
    }

    /** The text of the element at the XPath (local names, the POM namespace ignored), trimmed; "" when missing. */
    private static String text(Document doc, String path) {
        String xpath = path.replaceAll("/([A-Za-z]+)", "/*[local-name()='$1']");
        try {
            var node = (org.w3c.dom.Node) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODE);
            return node == null ? "" : node.getTextContent().strip();
        } catch (Exception e) {
            throw new IllegalStateException(xpath, e);
        }
    }

    static String digest(Path file, String algorithm) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
