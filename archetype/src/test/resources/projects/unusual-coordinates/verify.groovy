// (d) A project its owner can call theirs: generated with unusual coordinates, it names neither this
// repository nor its machine, holds exactly the root app's tracked files, keeps the three kinds of code
// apart, and its own `make help`, `make test` (container tests included: no skipping, with only a JDK
// and Podman on PATH) and the image targets work in it. Then the template's proof (proof/, run by the
// root's Maven with -Dproof.project) runs against it. goal.txt only validates (the archetype plugin runs
// Maven goals, and this script only after them): `make test` below is the build.
File projectDir = context.projectDir // binding of archetype:integration-test: basedir (this folder), context
def loader = new GroovyClassLoader(getClass().classLoader)
File root = projectDir.canonicalFile; while (!new File(root, 'archetype/root-only.txt').isFile()) root = root.parentFile
def project = loader.parseClass(new File(root, 'archetype/src/test/groovy/GeneratedProject.groovy')).of(projectDir)
String pkg = 'org.acme.corp.billing.api'

// Files and layout.
project.assertSameFilesAsRootApp(pkg) // nothing untracked, nothing root-only (docs/, .ci/, archetype/)
def proofFiles = project.files().findAll { it ==~ /(proof|bench|src\/test\/(node|native))\/.*/ }
assert proofFiles.isEmpty(): "the template's proof reached the generated project: ${proofFiles}"
project.assertPackage(pkg)
project.assertLayout(pkg)
project.assertExecutable('mvnw')

// Not named after this repository.
project.assertNoFileMentions(['slipway'], [:])
// Nothing about this repository's machine, figures or proof (its code and configuration; the README's
// words are checked with the other words).
project.assertNoFileMentions(['this machine', 'GraalVM here', 'Not run here', 'stand-ins', 'stand-in base', 'Podman 4.3.1',
        'Measured by `make bench`', 'container-engine/setup', 'load average', "template's proof", 'issue 5'], [:])
project.assertNoFileMentions(['stand-in', 'proof/', 'dev.slipway.proof'], [:], ['README.md', 'docs/'])
assert !project.read('README.md').contains('<!-- make bench writes from here -->'): 'the figures block is root-only'
// The owner's README and docs/ link only to what the project has (not to the figures or proof/).
project.assertRelativeLinksResolve()

// The coordinates, and names valid where a dot is not.
project.assertFileContains('pom.xml', '<groupId>org.acme-corp</groupId>\n    <artifactId>svc.api</artifactId>\n    <version>0.3.0-SNAPSHOT</version>')
project.assertFileContains('Makefile', 'IMAGE ?= svc.api\n')
project.assertFileContains('.github/workflows/ci.yml', 'java-version: 21\n')
String properties = project.read('src/main/resources/application.properties')
// Kubernetes names are DNS-1123 labels: no dot, in the property and in the resources merged with it.
assert properties.contains('quarkus.kubernetes.name=svc-api\n'): properties.readLines().findAll { it.contains('kubernetes.name') }
String kubernetes = project.read('src/main/kubernetes/kubernetes.yml')
assert kubernetes.contains('name: svc-api\n') && !kubernetes.contains('svc.api'): kubernetes

// As its owner starts: a git repository of its own, with a remote.
project.run(['git', 'init', '-q'])
project.run(['git', 'remote', 'add', 'origin', 'https://ci:token@github.com/acme-corp/svc.api.git'])
String help = project.run(['make', 'help'])
['serve', 'test', 'build-prod', 'serve-prod'].each { assert help =~ /(?m)^\s+\S*${it}\S*\s/ : "make help lists no ${it}:\n${help}" }
assert !(help =~ /(?im)^\s+\S*(archetype|bench)|^\S*(Archetype|Benchmark)/): "make help offers this repository's own targets:\n${help}"
// build-prod's recipe for real, with `echo` as the engine: its arguments as the shell expands them.
String buildProd = project.run(['make', 'build-prod', 'CONTAINER_ENGINE=echo'])
assert buildProd.contains('-t svc.api:prod .') && buildProd.contains(' --build-arg APP_REVISION=unknown ') &&
        buildProd.contains(' --build-arg APP_SOURCE=https://github.com/acme-corp/svc.api ') && !buildProd.contains('token'): buildProd
String serveProd = project.run(['make', '-n', 'serve-prod'])
assert serveProd.contains('--name svc.api-serve-prod') && serveProd.contains('svc.api:prod'): serveProd

// Its own test suite, container tests included (REQUIRE_CONTAINER_TESTS: a skip fails), with only a JDK,
// Podman, make, git and the shell's tools on PATH.
long start = System.nanoTime()
project.run(REQUIRE_CONTAINER_TESTS: 'true', PATH: project.ownerPath(), CONTAINER_ENGINE: 'podman',
        ['make', 'test', 'MVN_ARGS=-B -ntp -DskipContainerTests=false'])
println "[verify] make test in the generated project: ${(System.nanoTime() - start).intdiv(1_000_000_000)} s"
// Ran, and passed; skipped only where no native executable exists (`make build-native` makes one).
def ran = { File reports, String name ->
    File report = new File(reports, "TEST-${name}.xml")
    assert report.isFile(): "no report of ${name}: did it run?"
    def suite = new groovy.xml.XmlSlurper().parse(report)
    def count = { String attribute -> suite."@${attribute}".text() as int }
    assert count('tests') > 0 && count('failures') == 0 && count('errors') == 0: "${name}: ${suite.attributes()}"
    def skipped = suite.testcase.findAll { !it.skipped.isEmpty() }.collect { it.skipped.text() }
    assert skipped.every { it.contains('No native executable') } && skipped.size() == count('skipped'): "${name} skipped: ${skipped}"
}
File failsafe = new File(projectDir, 'target/failsafe-reports'), surefire = new File(projectDir, 'target/surefire-reports')
['ImageContentContainerIT', 'ImageRunContainerIT', 'KubernetesManifestsIT', 'PackagedAppIT']
        .each { ran(failsafe, "${pkg}.platform.${it}") }
['ComposeFileTest', 'StartupSettingsTest'].each { ran(surefire, "${pkg}.platform.${it}") }

// The template's proof against this project (its images, compose file, manifests and workflow), by the
// root's Maven: the compose run, `podman kube play`, the schema and workflow validators, the native stand-in.
// Not the proofs of the template's own build (the AOT cache on a big host, reproducible layers, the
// registry, file ownership, multi-arch, the release workflow): they test files the project shares
// unchanged, and each costs whole image builds.
def proofOfAProject = ['ComposeContainerIT', 'KubernetesPodContainerIT', 'ManifestSchemaIT', 'NativeImageContainerIT',
                       'PrometheusScrapeContainerIT']
File rootReports = new File(root, 'target/failsafe-reports')
rootReports.listFiles()?.findAll { it.name.startsWith('TEST-dev.slipway.proof.') }?.each { it.delete() }
start = System.nanoTime()
project.run(REQUIRE_CONTAINER_TESTS: 'true', CI: 'true', CONTAINER_ENGINE: 'podman',
        [new File(root, 'mvnw').path, '-B', '-ntp', '-f', new File(root, 'pom.xml').path, 'verify', '-DskipContainerTests=false',
         "-Dproof.project=${projectDir.canonicalPath}".toString(), '-Dapp.name=svc.api', '-Dapp.version=0.3.0-SNAPSHOT',
         "-Dit.test=${proofOfAProject.collect { 'dev/slipway/proof/' + it }.join(',')}".toString(),
         '-Dtest=dev/slipway/proof/GitHubConfigTest', '-Dsurefire.failIfNoSpecifiedTests=false'])
println "[verify] the proof against the generated project: ${(System.nanoTime() - start).intdiv(1_000_000_000)} s"
proofOfAProject.each { ran(rootReports, "dev.slipway.proof.${it}") }
ran(new File(root, 'target/surefire-reports'), 'dev.slipway.proof.GitHubConfigTest')
