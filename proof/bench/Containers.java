// Run and measure: start a container, time it to its first 200, read its memory and CPU, stop it.

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class Containers {

    static final String READY_PATH = "/q/health/ready";

    /** A running container: its name, the loopback port mapped to the app and the time to its first 200. */
    record Running(String name, String image, int port, long readyMs) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    /** Memory of one process in kB: resident, proportional (shared pages split among their users), unique. */
    record Memory(long rssKb, long pssKb, long ussKb) {
    }

    private Containers() {
    }

    /**
     * `run -d -p 127.0.0.1:<free port>:<APP_PORT>` with the given JDK_JAVA_OPTIONS and run args, then
     * polls the readiness path every 10 ms: readyMs is from the `run` command to the first 200.
     */
    static Running start(String image, String name, String javaOpts, List<String> runArgs, int appPort) throws Exception {
        Sh.engine(true, "rm", "-f", name);
        int port = Sh.freePort();
        List<String> cmd = new ArrayList<>(List.of(Sh.ENGINE, "run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":" + appPort));
        if (!javaOpts.isBlank()) {
            cmd.addAll(List.of("-e", "JDK_JAVA_OPTIONS=" + javaOpts));
        }
        cmd.addAll(runArgs);
        cmd.add(image);
        URI ready = URI.create("http://127.0.0.1:" + port + READY_PATH);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        int polls = 0;
        while (Sh.status(ready) != 200) {
            if (System.nanoTime() - t0 > 120_000_000_000L) {
                throw new IllegalStateException(image + " not ready after 120 s: " + logs(name));
            }
            if (!p.isAlive() && p.exitValue() != 0) {
                throw new IllegalStateException(Sh.engineName() + " run failed: " + new String(p.getInputStream().readAllBytes()));
            }
            if (!p.isAlive() && ++polls % 100 == 0 && Sh.engine(true, "inspect", "--format", "{{.State.Status}}", name).contains("exited")) {
                throw new IllegalStateException(image + " exited before it was ready: " + logs(name));
            }
            Thread.sleep(10);
        }
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        p.waitFor();
        return new Running(name, image, port, readyMs);
    }

    /** Time of `stop` (SIGTERM, then the app's own graceful shutdown); the container is removed after. */
    static long stop(Running c) {
        long t0 = System.nanoTime();
        Sh.engine(true, "stop", "-t", "30", c.name());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return ms;
    }

    static void remove(String name) {
        Sh.engine(true, "rm", "-f", name);
    }

    static String logs(String name) {
        return Sh.engine(true, "logs", name);
    }

    /** The app's own "started in 0.123s" log line, in ms, or -1. */
    static long startedMs(String name) {
        Matcher m = Pattern.compile("started in (\\d+)\\.(\\d+)s").matcher(logs(name));
        return m.find() ? Long.parseLong(m.group(1)) * 1000 + Long.parseLong((m.group(2) + "00").substring(0, 3)) : -1;
    }

    /** The container's main process on this host (the java process when PID 1 is a wrapper), or -1 when not visible. */
    static long pid(String name) {
        String pid = Sh.engine(true, "inspect", "--format", "{{.State.Pid}}", name).trim();
        if (!pid.matches("\\d+") || pid.equals("0") || !Files.isReadable(Path.of("/proc", pid, "status"))) {
            return -1;
        }
        return ProcessHandle.of(Long.parseLong(pid))
                .map(h -> isJava(h.pid()) ? h.pid() : h.descendants().filter(d -> isJava(d.pid())).map(ProcessHandle::pid).findFirst().orElse(h.pid()))
                .orElse(-1L);
    }

    static boolean isJava(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim().equals("java");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * RSS, PSS and USS (Private_Clean + Private_Dirty) of the container's process, from
     * /proc/&lt;pid&gt;/smaps_rollup. Needs the engine's containers on this host and the right to read
     * another user's smaps (root); null otherwise.
     */
    static Memory memory(String name) {
        long pid = pid(name);
        if (pid < 0) {
            return null;
        }
        try {
            long rss = 0, pss = 0, priv = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                String[] f = line.split("\\s+");
                switch (f[0]) {
                    case "Rss:" -> rss = Long.parseLong(f[1]);
                    case "Pss:" -> pss = Long.parseLong(f[1]);
                    case "Private_Clean:", "Private_Dirty:" -> priv += Long.parseLong(f[1]);
                    default -> {
                    }
                }
            }
            return new Memory(rss, pss, priv);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A file of the container's cgroup (v1: under the named controller; v2: the unified one), e.g.
     * cpuacct.usage or memory.max_usage_in_bytes; null when it cannot be found.
     */
    static Path cgroupFile(String name, String v1Controller, String v1File, String v2File) {
        long pid = pid(name);
        if (pid < 0) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
                String[] f = line.split(":", 3);
                boolean v2 = f[0].equals("0") && f[1].isEmpty();
                Path file = v2 ? Path.of("/sys/fs/cgroup" + f[2], v2File)
                        : List.of(f[1].split(",")).contains(v1Controller) ? Path.of("/sys/fs/cgroup/" + f[1] + f[2], v1File) : null;
                if (file != null && Files.isReadable(file)) {
                    return file;
                }
            }
        } catch (IOException e) {
            // not visible
        }
        return null;
    }

    /** CPU time the container's cgroup has used, in µs (cgroup v1 cpuacct.usage or v2 cpu.stat usage_usec). */
    static long cpuMicros(Path file) throws IOException {
        String s = Files.readString(file).trim();
        if (file.getFileName().toString().equals("cpu.stat")) {
            for (String l : s.split("\n")) {
                if (l.startsWith("usage_usec ")) {
                    return Long.parseLong(l.substring(11).trim());
                }
            }
            return -1;
        }
        return Long.parseLong(s) / 1000;
    }

    /** CPU time of a container's cgroup: used, and spent throttled by its CPU quota (--cpus), in µs; -1 where unreadable. */
    record Cpu(long usageUs, long throttledUs) {
    }

    /**
     * The container cgroup's CPU so far: v2 cpu.stat (usage_usec, throttled_usec), or v1 cpuacct.usage
     * and the cpu controller's cpu.stat (throttled_time, in ns).
     */
    static Cpu cpu(String name) {
        try {
            Path usage = cgroupFile(name, "cpuacct", "cpuacct.usage", "cpu.stat");
            Path stat = cgroupFile(name, "cpu", "cpu.stat", "cpu.stat");
            long throttled = -1;
            if (stat != null) {
                for (String l : Files.readAllLines(stat)) {
                    String[] f = l.split(" ");
                    if (f.length == 2 && f[0].equals("throttled_usec")) {
                        throttled = Long.parseLong(f[1]);
                    } else if (f.length == 2 && f[0].equals("throttled_time")) {
                        throttled = Long.parseLong(f[1]) / 1000;
                    }
                }
            }
            return new Cpu(usage == null ? -1 : cpuMicros(usage), throttled);
        } catch (IOException | RuntimeException e) {
            return new Cpu(-1, -1);
        }
    }

    /** The JVM's own "Create VM" time from -Xlog:startuptime in the container's log, in ms, or -1. */
    static long jvmCreateMs(String name) {
        Matcher m = Pattern.compile("\\[startuptime\\] Create VM, ([0-9.]+) secs").matcher(logs(name));
        return m.find() ? Math.round(Double.parseDouble(m.group(1)) * 1000) : -1;
    }

    /**
     * Classes the JVM had loaded by the time the app was ready (a run with -Xlog:class+load), by where
     * they came from: the AOT cache or CDS archive ("shared objects file"), or anywhere else (class
     * files parsed at run time, and classes generated at run time).
     */
    record Classes(long fromCache, long other) {
    }

    static Classes classes(String name) {
        long cached = 0, other = 0;
        for (String l : logs(name).split("\n")) {
            if (l.contains("[class,load]") && l.contains(" source: ")) {
                if (l.contains("source: shared objects file")) {
                    cached++;
                } else {
                    other++;
                }
            }
        }
        return new Classes(cached, other);
    }

    /** HEALTHCHECK as the image declares it: its exec-form command (after "CMD") and its interval in seconds. */
    record Probe(List<String> command, double intervalS) {
    }

    static Probe probeOf(String image) {
        String json = Images.inspect(image, "{{json .Config.Healthcheck}}");
        if (!json.contains("Test")) {
            json = Images.inspect(image, "{{json .Healthcheck}}");
        }
        Matcher test = Pattern.compile("\"Test\":\\s*\\[(.*?)]").matcher(json);
        if (!test.find()) {
            return null;
        }
        List<String> cmd = new ArrayList<>();
        Matcher s = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(test.group(1));
        while (s.find()) {
            cmd.add(s.group(1).replace("\\u0026", "&").replace("\\\"", "\""));
        }
        if (cmd.isEmpty() || !cmd.get(0).equals("CMD")) {
            return null;
        }
        Matcher interval = Pattern.compile("\"Interval\":\\s*(\\d+)").matcher(json);
        double intervalS = interval.find() && Long.parseLong(interval.group(1)) > 0 ? Long.parseLong(interval.group(1)) / 1e9 : 30;
        return new Probe(cmd.subList(1, cmd.size()), intervalS);
    }

    /** CPU and memory of one probe command run with `exec` in a running container. */
    record ProbeCost(double cpuMsPerProbe, double wallMsPerProbe, long peakKb, int exitCode) {
    }

    /**
     * Runs the probe {@code n} times with `exec` in the idle container. CPU: the growth of the
     * container cgroup's CPU time during the probes, minus the idle rate measured just before over
     * as long a time (-1 where the cgroup is not readable). Peak: the largest VmHWM (peak RSS) of a
     * process in the container other than the app, polled every 2 ms while the probes run.
     */
    static ProbeCost probeCost(Running c, List<String> command, int n) throws Exception {
        Path cpu = cgroupFile(c.name(), "cpuacct", "cpuacct.usage", "cpu.stat");
        Path procs = cgroupFile(c.name(), "memory", "cgroup.procs", "cgroup.procs");
        long app = pid(c.name());
        List<String> exec = new ArrayList<>(List.of(Sh.ENGINE, "exec", c.name()));
        exec.addAll(command);
        long idle0 = cpu == null ? -1 : cpuMicros(cpu), t0 = System.nanoTime();
        Thread.sleep(Math.min(20_000, 300L * n));
        long idle1 = cpu == null ? -1 : cpuMicros(cpu), t1 = System.nanoTime();
        AtomicLong peakKb = new AtomicLong(-1);
        AtomicBoolean done = new AtomicBoolean();
        Thread poller = Thread.ofPlatform().daemon().start(() -> {
            while (procs != null && !done.get()) {
                try {
                    for (String p : Files.readAllLines(procs)) {
                        if (!p.isBlank() && Long.parseLong(p.trim()) != app) {
                            for (String l : Files.readAllLines(Path.of("/proc", p.trim(), "status"))) {
                                if (l.startsWith("VmHWM:")) {
                                    peakKb.accumulateAndGet(Long.parseLong(l.replaceAll("\\D", "")), Math::max);
                                }
                            }
                        }
                    }
                    Thread.sleep(2);
                } catch (IOException | RuntimeException e) {
                    // the process ended between the two reads
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        int exit = -1;
        for (int i = 0; i < n; i++) {
            Process p = new ProcessBuilder(exec).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            exit = Math.max(exit, p.waitFor());
        }
        long busy = cpu == null ? -1 : cpuMicros(cpu), t2 = System.nanoTime();
        done.set(true);
        poller.join();
        double wallMs = (t2 - t1) / 1e6 / n;
        if (cpu == null) {
            return new ProbeCost(-1, wallMs, peakKb.get(), exit);
        }
        double idleRate = (idle1 - idle0) / ((t1 - t0) / 1e3); // µs of CPU per µs of wall time
        double cpuUs = (busy - idle1) - idleRate * ((t2 - t1) / 1e3);
        return new ProbeCost(cpuUs / 1000 / n, wallMs, peakKb.get(), exit);
    }
}
