// (d) A project its owner can call theirs: generated with unusual coordinates, it names neither this
// repository nor its machine, holds exactly the root app's tracked files, keeps the three kinds of code
// apart, and its own `make help`, `make test` (container tests included: no skipping) and the image
// targets work in it. goal.txt only validates (the archetype plugin runs Maven goals, and this script
// only after them): `make test` below is the build.
File projectDir = context.projectDir // binding of archetype:integration-test: basedir (this folder), context
def loader = new GroovyClassLoader(getClass().classLoader)
File root = projectDir.canonicalFile; while (!new File(root, 'archetype/root-only.txt').isFile()) root = root.parentFile
def project = loader.parseClass(new File(root, 'archetype/src/test/groovy/GeneratedProject.groovy')).of(projectDir)
String pkg = 'org.acme.corp.billing.api'

// Files and layout.
project.assertSameFilesAsRootApp(pkg) // nothing untracked, nothing root-only (docs/, .ci/, archetype/)
project.assertPackage(pkg)
project.assertLayout(pkg)
project.assertExecutable('mvnw')

// Not named after this repository.
project.assertNoFileMentions(['slipway'], [:])
// Nothing about this repository's machine or figures (bench/ is left out: its code writes the owner's
// own machine facts, such as the load average, into the owner's docs/).
project.assertNoFileMentions(['this machine', 'GraalVM here', 'Not run here', 'stand-ins', 'stand-in base', 'Podman 4.3.1',
        'Measured by `make bench`', 'container-engine/setup', 'load average', "template's proof", 'issue 5'], [:], ['bench/'])
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
['serve', 'test', 'build-prod', 'serve-prod', 'bench'].each { assert help =~ /(?m)^\s+\S*${it}\S*\s/ : "make help lists no ${it}:\n${help}" }
assert !(help =~ /(?im)^\s+\S*archetype|^\S*Archetype/): "make help offers this repository's archetype targets:\n${help}"
// build-prod's recipe for real, with `echo` as the engine: its arguments as the shell expands them.
String buildProd = project.run(['make', 'build-prod', 'CONTAINER_ENGINE=echo'])
assert buildProd.contains('-t svc.api:prod .') && buildProd.contains(' --build-arg APP_REVISION=unknown ') &&
        buildProd.contains(' --build-arg APP_SOURCE=https://github.com/acme-corp/svc.api ') && !buildProd.contains('token'): buildProd
String serveProd = project.run(['make', '-n', 'serve-prod'])
assert serveProd.contains('--name svc.api-serve-prod') && serveProd.contains('svc.api:prod'): serveProd
String bench = project.run(['make', '-n', 'bench'])
assert bench.contains('bench/Bench.java'): bench

// Its own test suite, container tests included (REQUIRE_CONTAINER_TESTS: a skip fails).
long start = System.nanoTime()
project.run(REQUIRE_CONTAINER_TESTS: 'true', ['make', 'test', 'MVN_ARGS=-B -ntp -DskipContainerTests=false'])
println "[verify] make test in the generated project: ${(System.nanoTime() - start).intdiv(1_000_000_000)} s"
def ran = { String dir, String test ->
    File report = new File(projectDir, "target/${dir}/TEST-${pkg}.${test}.xml")
    assert report.isFile(): "no report of ${test}: did it run?"
    String suite = (report.getText('UTF-8') =~ /<testsuite [^>]*>/)[0]
    def count = { String attribute -> (suite =~ /\b${attribute}="(\d+)"/)[0][1] as int }
    assert count('tests') > 0 && count('skipped') == 0 && count('failures') == 0 && count('errors') == 0: "${test}: ${suite}"
}
['platform.BuildContextContainerIT', 'platform.ImageContentContainerIT', 'platform.ImageRunContainerIT',
 'platform.NativeImageContainerIT', 'platform.KubernetesManifestsIT', 'platform.KubernetesPodContainerIT',
 'platform.ComposeContainerIT', 'platform.PackagedAppIT'].each { ran('failsafe-reports', it) }
ran('surefire-reports', 'platform.GitHubConfigTest') // the generated project lints its own workflow
