// (a) After the generated project's own `verify` passed: it is the root app, file for file.
File projectDir = context.projectDir // binding of archetype:integration-test: basedir (this folder), context
def loader = new GroovyClassLoader(getClass().classLoader)
File root = projectDir.canonicalFile; while (!new File(root, 'archetype/root-only.txt').isFile()) root = root.parentFile
def project = loader.parseClass(new File(root, 'archetype/src/test/groovy/GeneratedProject.groovy')).of(projectDir)

project.assertSameAsRootApp()
project.assertExecutable('mvnw')
project.assertSameLinksAsRootApp()
