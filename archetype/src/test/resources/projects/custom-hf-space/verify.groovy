// (b) After the generated project's own `verify` passed: the values given are used everywhere.
File projectDir = context.projectDir // binding of archetype:integration-test: basedir (this folder), context
def loader = new GroovyClassLoader(getClass().classLoader)
File root = projectDir.canonicalFile; while (!new File(root, 'archetype/root-only.txt').isFile()) root = root.parentFile
def project = loader.parseClass(new File(root, 'archetype/src/test/groovy/GeneratedProject.groovy')).of(projectDir)

assert project.read('README.md').startsWith('---\ntitle: demo-svc\n')
project.assertFileContains('README.md', '\nsdk: docker\napp_port: 7860\n')
// The owner's README, front matter included (so the longest one generated): task-first and short.
project.assertAtMostLines('README.md', 250)
project.assertNoFileContains('8080')
project.assertNoFileContains('slipway-starter')
project.assertNoFileContains('dev.slipway')
project.assertPackage('com.example.demo.api')
project.assertFileContains('pom.xml', '<groupId>com.example</groupId>\n    <artifactId>demo-svc</artifactId>\n    <version>0.1.0-SNAPSHOT</version>')
project.assertFileContains('README.md', '"version":"0.1.0-SNAPSHOT"')
project.assertFileContains('Makefile', 'APP_PORT ?= 7860')
project.assertFileContains('src/main/resources/application.properties', '${APP_PORT:7860}')
project.assertExecutable('mvnw')
assert project.files().containsAll(['.gitignore', '.dockerignore', '.mvn/wrapper/maven-wrapper.properties'])
