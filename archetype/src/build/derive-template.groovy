// Derives the archetype from the root app at build time (gmavenplus, generate-resources phase):
// archetype-resources/ = every app file git tracks, as it is (root-only parts cut, see archetype/root-only.txt),
// and META-INF/archetype-post-generate.groovy = src/main/archetype/ with the root app's own values
// (coordinates, package, port, Java release, executable files, links) filled in, so nothing here names them.
// Variables from gmavenplus: project (the archetype's MavenProject), log.

import groovy.xml.XmlSlurper

import java.nio.file.Files

def archetypeDir = project.basedir
def tree = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(archetypeDir, 'src/build/AppTree.groovy'))
        .getDeclaredConstructor(File).newInstance(new File(archetypeDir, '..'))
def root = tree.root

def pom = new XmlSlurper().parse(new File(root, 'pom.xml'))
def rootValues = [
        groupId    : pom.groupId.text(),
        artifactId : pom.artifactId.text(),
        version    : pom.version.text(),
        javaVersion: pom.properties.'maven.compiler.release'.text(),
        appPort    : (new File(root, 'src/main/resources/application.properties').text =~ /\$\{APP_PORT:(\d+)\}/)[0][1],
]
if (rootValues.version != project.version) {
    throw new IllegalStateException("archetype/pom.xml has version ${project.version} but the root app has " +
            "${rootValues.version}: set the archetype's <version> to the root app's (the root pom is the source)")
}

def files = tree.appFiles()
// Only what git tracks is the app: name what was left out, so a forgotten `git add` shows.
def untracked = tree.untrackedFiles(root).findAll { !tree.isRootOnly(it) }
if (untracked) {
    log.warn("Not in the archetype (not tracked by git; `git add` what belongs to the app): ${untracked.join(', ')}")
}
// The app's package: the directory holding every main Java source.
def javaDirs = files.findAll { it.startsWith('src/main/java/') && it.endsWith('.java') }
        .collect { it.substring('src/main/java/'.length(), it.lastIndexOf('/')).split('/') as List }
def common = javaDirs.inject { a, b -> def n = 0; while (n < a.size() && n < b.size() && a[n] == b[n]) n++; a.take(n) }
rootValues.package = common.join('.')
rootValues.executables = files.findAll { new File(root, it).canExecute() }.join(',')
// Links (src/main/docker/Dockerfile.jvm -> the root Dockerfile): the jar holds a copy, the script re-links.
rootValues.symlinks = files.findAll { Files.isSymbolicLink(new File(root, it).toPath()) }
        .collect { it + '=' + Files.readSymbolicLink(new File(root, it).toPath()) }.join(',')

def out = new File(project.build.directory, 'generated-resources/archetype')
out.deleteDir()
// maven-resources-plugin never deletes: without this a file removed from the app would stay in the jar.
new File(project.build.outputDirectory, 'archetype-resources').deleteDir()
def resources = new File(out, 'archetype-resources')
files.each { String path ->
    def target = new File(resources, path)
    target.parentFile.mkdirs()
    byte[] bytes = tree.templateBytes(path)
    if (path == 'pom.xml') {
        // The archetype plugin always runs the root pom through Velocity: an unparsed block keeps it verbatim.
        bytes = ('#[[' + new String(bytes, 'UTF-8') + ']]#').getBytes('UTF-8')
    }
    target.bytes = bytes
}

def script = new File(archetypeDir, 'src/main/archetype/archetype-post-generate.groovy').getText('UTF-8')
rootValues.each { k, v -> script = script.replace("@root.${k}@", v) }
def scriptFile = new File(out, 'META-INF/archetype-post-generate.groovy')
scriptFile.parentFile.mkdirs()
scriptFile.setText(script, 'UTF-8')
log.info("Archetype template: ${files.size()} files of ${root}, root values ${rootValues}")
