// Runs after maven-archetype-plugin has copied the template (every file unfiltered, so Velocity never
// touches `##` lines or `$`): checks the properties, in batch mode too, then writes them into the
// generated project. The @root.*@ tokens are the root app's own values, filled in at archetype build time.
// Binding: request (org.apache.maven.archetype.ArchetypeGenerationRequest).
import java.nio.file.Files
import java.nio.file.StandardCopyOption

final Map<String, String> ROOT = [
        groupId    : '@root.groupId@',
        artifactId : '@root.artifactId@',
        version    : '@root.version@',
        'package'  : '@root.package@',
        appPort    : '@root.appPort@',
        javaVersion: '@root.javaVersion@',
]
final List<String> EXECUTABLES = '@root.executables@'.split(',').findAll { it } as List<String>
final Map<String, String> SYMLINKS = '@root.symlinks@'.split(',').findAll { it }.collectEntries { it.split('=', 2) as List }
final String HF_SPACES_PORT = '7860'
final Set<String> JAVA_KEYWORDS = ('abstract assert boolean break byte case catch char class const continue default do ' +
        'double else enum extends final finally float for goto if implements import instanceof int interface long ' +
        'native new package private protected public return short static strictfp super switch synchronized this ' +
        'throw throws transient try void volatile while true false null _').split(' ') as Set<String>

Properties props = request.properties ?: new Properties()
def value = { String key, String fallback ->
    String v = props.getProperty(key)
    (v == null || v.trim().isEmpty()) ? fallback : v.trim()
}
String groupId = request.groupId ?: props.getProperty('groupId')
String artifactId = request.artifactId ?: props.getProperty('artifactId')
String version = value('version', request.version ?: ROOT.version)
String pkg = value('package', request.package ?: groupId)
String hfSpace = value('hfSpace', 'false')
String appPort = value('appPort', 'auto')
String javaVersion = value('javaVersion', ROOT.javaVersion)
File projectDir = new File(request.outputDirectory, artifactId)

String problem = null
def check = { boolean ok, String key, String val, String allowed ->
    if (!ok && problem == null) {
        problem = "Invalid archetype property ${key}='${val}': ${allowed}"
    }
}
check(groupId ==~ /[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*/, 'groupId', groupId,
        'use a Maven groupId: dot-separated parts of letters, digits, _ and -, e.g. com.example')
check(artifactId ==~ /[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*/, 'artifactId', artifactId,
        'it also names the container image, so use lowercase letters and digits, separated by single ., _ or - (e.g. demo-svc)')
check(version ==~ /[A-Za-z0-9][A-Za-z0-9_.+\-]*/, 'version', version,
        'use a Maven version of letters, digits, ., -, _ and + (e.g. 1.0.0-SNAPSHOT)')
check(pkg.split('\\.', -1).every { it ==~ /[A-Za-z_$][A-Za-z0-9_$]*/ && !JAVA_KEYWORDS.contains(it) }, 'package', pkg,
        'use a Java package name: dot-separated identifiers (a letter or _ first, then letters, digits or _), no Java keyword (e.g. com.example.demo)')
check(hfSpace in ['true', 'false'], 'hfSpace', hfSpace, 'use true or false')
if (appPort == 'auto') {
    appPort = hfSpace == 'true' ? HF_SPACES_PORT : ROOT.appPort
}
check(appPort ==~ /[0-9]{1,5}/ && (appPort as int) in 1..65535, 'appPort', appPort,
        "use a whole number from 1 to 65535 (default ${ROOT.appPort}, or ${HF_SPACES_PORT} with hfSpace=true)")
// The management interface (Prometheus metrics) listens on Quarkus's default port 9000: the app's port must differ.
check(appPort != '9000', 'appPort', appPort, 'port 9000 is the management (metrics) port of the app: use another')
check(javaVersion in ['21', '25'], 'javaVersion', javaVersion, 'use 21 or 25')

if (problem != null) {
    // Leave nothing half-generated behind, then fail with the one message.
    projectDir.deleteDir()
    throw new IllegalArgumentException(problem + " (nothing was generated)")
}

// --- Write the values into the project -------------------------------------------------------
String pkgPath = pkg.replace('.', '/')
String rootPkgPath = ROOT.package.replace('.', '/')

// Package directories: every .../<root package path> below src/ moves to the new package path.
if (pkg != ROOT.package) {
    def sourceRoots = []
    new File(projectDir, 'src').eachDirRecurse { File d ->
        if (d.path.replace(File.separatorChar, '/' as char).endsWith('/' + rootPkgPath)) sourceRoots << d
    }
    sourceRoots.each { File oldDir ->
        File base = oldDir
        rootPkgPath.split('/').each { base = base.parentFile }
        File newDir = new File(base, pkgPath)
        File staging = new File(base, '.slipway-move-' + System.nanoTime())
        Files.move(oldDir.toPath(), staging.toPath())
        // Remove the now empty parents of the old package (dev/slipway), then put the sources in place.
        for (File p = oldDir.parentFile; p != base && p.list()?.length == 0; p = p.parentFile) p.delete()
        newDir.parentFile.mkdirs()
        Files.move(staging.toPath(), newDir.toPath(), StandardCopyOption.ATOMIC_MOVE)
    }
}

def replacements = [] // [regex, replacement] pairs, applied in order to every text file
replacements << [java.util.regex.Pattern.quote(ROOT.package), pkg]
replacements << [java.util.regex.Pattern.quote(rootPkgPath), pkgPath]
replacements << [java.util.regex.Pattern.quote(ROOT.artifactId), artifactId]
replacements << ['(?<![0-9])' + ROOT.appPort + '(?![0-9])', appPort]
// The bytecode level and the lowest JDK: pom properties and the prose that names them.
replacements << ['(?<=<maven\\.compiler\\.release>)' + ROOT.javaVersion + '(?=<)', javaVersion]
replacements << ['(?<=\\[)' + ROOT.javaVersion + '(?=,\\))', javaVersion]
replacements << ['(?<=(JDK|>=|release) )' + ROOT.javaVersion + '(?![0-9])', javaVersion]
// ...and the JDK the CI workflow tests on (actions/setup-java).
replacements << ['(?<=java-version: )' + ROOT.javaVersion + '(?![0-9])', javaVersion]
// Names Kubernetes requires to be DNS-1123 labels (lowercase letters, digits and -, at most 63):
// the artifactId with . and _ turned into - (svc.api -> svc-api).
String dnsName = artifactId.toLowerCase().replaceAll('[._]', '-').take(63).replaceAll('-+$', '')
def kubernetesName = ~('(?m)^(quarkus\\.(kubernetes|openshift|knative)\\.name[ \\t]*=[ \\t]*)' + java.util.regex.Pattern.quote(artifactId) + '[ \\t]*$')

projectDir.eachFileRecurse { File f ->
    if (!f.isFile()) return
    byte[] bytes = f.bytes
    if (bytes.any { it == 0 }) return // binary: leave as is
    String text = new String(bytes, 'UTF-8')
    String out = text
    replacements.each { pair -> out = out.replaceAll(pair[0], java.util.regex.Matcher.quoteReplacement(pair[1])) }
    if (f.name.endsWith('.properties')) {
        out = kubernetesName.matcher(out).replaceAll('$1' + java.util.regex.Matcher.quoteReplacement(dnsName))
    }
    // The Kubernetes resources merged into the generated manifests name the same objects (Deployment,
    // container, PDB, HPA and their selectors): the same DNS label there.
    if (f.parentFile.name == 'kubernetes' && f.parentFile.parentFile?.name == 'main' && f.name ==~ /.*\.ya?ml/) {
        out = out.replace(artifactId, dnsName)
    }
    if (f.name == 'pom.xml' && f.parentFile == projectDir) {
        out = out.replaceFirst('<groupId>' + java.util.regex.Pattern.quote(ROOT.groupId) + '</groupId>',
                java.util.regex.Matcher.quoteReplacement('<groupId>' + groupId + '</groupId>'))
        // The version in its two places only: a bare release version (1.0.0) also appears in lock
        // files and elsewhere, where it is not ours. Tests read it from the pom (app.version).
        out = out.replaceFirst('(?<=</artifactId>\\s{0,99}<version>)' + java.util.regex.Pattern.quote(ROOT.version) + '(?=</version>)',
                java.util.regex.Matcher.quoteReplacement(version))
    }
    if (f.name == 'README.md' && f.parentFile == projectDir) {
        // The sample answer of GET / (main keeps the -SNAPSHOT form while a release build has the bare one).
        out = out.replaceAll('"version":"' + java.util.regex.Pattern.quote(ROOT.version.replaceFirst('-SNAPSHOT$', '')) + '(-SNAPSHOT)?"',
                java.util.regex.Matcher.quoteReplacement('"version":"' + version + '"'))
    }
    if (f.name == 'README.md' && f.parentFile == projectDir && hfSpace == 'true') {
        // Hugging Face Spaces reads this front matter: a Docker Space whose app listens on appPort.
        out = "---\ntitle: ${artifactId}\nemoji: 🚢\ncolorFrom: blue\ncolorTo: gray\nsdk: docker\napp_port: ${appPort}\npinned: false\n---\n\n" + out
    }
    if (out != text) f.setText(out, 'UTF-8')
}

// The archetype jar keeps no file modes: restore the root app's executable files (mvnw, ...).
EXECUTABLES.each { new File(projectDir, it).setExecutable(true, false) }
// Nor links: the jar holds a copy of each linked file; link it again so there stays one file to edit.
SYMLINKS.each { String link, String target ->
    def path = new File(projectDir, link).toPath()
    try {
        Files.delete(path)
        Files.createSymbolicLink(path, java.nio.file.Paths.get(target))
    } catch (IOException | UnsupportedOperationException e) {
        // e.g. Windows without the right to create links: keep the copy, which is the same content
        Files.write(path, new File(path.parent.toFile(), target).bytes)
    }
}

println "[INFO] ${artifactId}: package ${pkg}, appPort ${appPort}, javaVersion ${javaVersion}, hfSpace ${hfSpace}"
