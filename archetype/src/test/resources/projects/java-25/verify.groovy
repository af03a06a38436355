// (c) After the generated project's own `verify` passed (on a JDK >= 25): release and toolchain say 25.
File projectDir = context.projectDir // binding of archetype:integration-test: basedir (this folder), context
def loader = new GroovyClassLoader(getClass().classLoader)
File root = projectDir.canonicalFile; while (!new File(root, 'archetype/root-only.txt').isFile()) root = root.parentFile
def project = loader.parseClass(new File(root, 'archetype/src/test/groovy/GeneratedProject.groovy')).of(projectDir)

project.assertFileContains('pom.xml', '<maven.compiler.release>25</maven.compiler.release>')
project.assertFileContains('pom.xml', '<toolchain.jdk.version>[25,)</toolchain.jdk.version>')
assert !project.read('pom.xml').contains('>21<') && !project.read('README.md').contains('JDK 21')
project.assertPackage('org.acme.svc')
project.assertFileContains('Makefile', 'APP_PORT ?= 8080')
