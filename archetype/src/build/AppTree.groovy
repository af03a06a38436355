import java.nio.file.Files
import java.util.regex.Pattern

/**
 * The root app as the archetype sees it: which files it has and what each one looks like once the
 * root-only parts listed in archetype/root-only.txt are cut. Used by the build, to derive the
 * template, and by the archetype's tests, to compare a generated project with the root app.
 */
class AppTree {
    final File root
    final List<String> rootOnlyPaths = []
    final List<String> markers = []

    AppTree(File root) {
        this.root = root.canonicalFile
        new File(this.root, 'archetype/root-only.txt').eachLine('UTF-8') { String line ->
            def parts = line.trim().split(/\s+/, 2)
            if (parts.length == 2 && parts[0] == 'path') rootOnlyPaths << parts[1].replaceAll('/+$', '')
            if (parts.length == 2 && parts[0] == 'marker') markers << parts[1]
        }
    }

    /** Relative paths ('/'-separated, sorted) of the app's files, root-only paths left out. */
    List<String> appFiles() {
        (listFiles(root) as List<String>).findAll { !isRootOnly(it) }.sort()
    }

    boolean isRootOnly(String path) {
        rootOnlyPaths.any { path == it || path.startsWith(it + '/') }
    }

    /** The file's bytes, with the marked root-only line ranges cut when it is text that has some. */
    byte[] templateBytes(String path) {
        byte[] bytes = new File(root, path).bytes
        if (isBinary(bytes)) return bytes
        String text = new String(bytes, 'UTF-8')
        String cut = text
        markers.each { String m ->
            cut = cut.replaceAll('(?m)^[^\\n]*' + Pattern.quote(m + ':begin') + '[\\s\\S]*?' + Pattern.quote(m + ':end') + '[^\\n]*(\\n|$)', '')
        }
        cut == text ? bytes : cut.getBytes('UTF-8')
    }

    static boolean isBinary(byte[] bytes) {
        bytes.any { it == 0 }
    }

    /**
     * What the template is made of: the files git tracks (`git ls-files --cached`: committed or staged),
     * so scratch files lying in the checkout never reach it; outside a git work tree (a source archive,
     * a generated project), every file not ignored by the root .gitignore.
     */
    static List<String> listFiles(File dir) {
        List<String> tracked = git(dir, '--cached')
        if (tracked != null) {
            return tracked.findAll { new File(dir, it).isFile() }
        }
        List<Pattern> ignored = gitignorePatterns(new File(dir, '.gitignore')) + [Pattern.compile('^\\.git(/.*)?$')]
        def files = []
        def base = dir.toPath()
        Files.walk(base).withCloseable { stream ->
            stream.filter { Files.isRegularFile(it) }.forEach { p ->
                String rel = base.relativize(p).toString().replace(File.separatorChar, '/' as char)
                if (!ignored.any { it.matcher(rel).find() }) files << rel
            }
        }
        files
    }

    /** Files git neither tracks nor ignores (left out of the template), or [] outside a git work tree. */
    static List<String> untrackedFiles(File dir) {
        git(dir, '--others', '--exclude-standard') ?: []
    }

    /** `git ls-files -z <options>` in dir, or null when dir is not a git work tree or there is no git. */
    private static List<String> git(File dir, String... options) {
        if (!new File(dir, '.git').exists()) return null
        try {
            def proc = (['git', '-C', dir.path, 'ls-files', '-z'] + (options as List)).execute()
            def out = new ByteArrayOutputStream()
            proc.waitForProcessOutput(out, new ByteArrayOutputStream())
            if (proc.exitValue() != 0) return null
            return new String(out.toByteArray(), 'UTF-8').split('\u0000').findAll { it }.unique().sort()
        } catch (IOException ignored) {
            return null // no git on this machine
        }
    }

    /** The usual subset of .gitignore syntax (no `!` negation): `dir/`, `*.ext`, `a/b/file`. */
    static List<Pattern> gitignorePatterns(File gitignore) {
        if (!gitignore.isFile()) return []
        gitignore.readLines('UTF-8').collect { it.trim() }.findAll { it && !it.startsWith('#') && !it.startsWith('!') }.collect { String p ->
            boolean dirOnly = p.endsWith('/')
            p = p.replaceAll('/+$', '')
            boolean anchored = p.contains('/')
            p = p.replaceAll('^/', '')
            String glob = p.split('\\*\\*', -1).collect { part ->
                part.split('\\*', -1).collect { Pattern.quote(it).replace('?', '\\E[^/]\\Q') }.join('[^/]*')
            }.join('.*')
            Pattern.compile((anchored ? '^' : '(^|/)') + glob + (dirOnly ? '/' : '(/|$)'))
        }
    }
}
