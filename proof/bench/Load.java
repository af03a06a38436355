// Load: wrk (Debian's package) against one running container, and its report parsed.

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class Load {

    /** One wrk run: requests per second, latency percentiles, and requests that failed. */
    record Result(double rps, double p50Ms, double p99Ms, long errors) {
    }

    private Load() {
    }

    /** wrk on PATH; as root, installs Debian's package when it is missing; else stops with how to get it. */
    static void ensureWrk() {
        if (Sh.onPath("wrk")) {
            return;
        }
        if ("root".equals(System.getProperty("user.name")) && Sh.onPath("apt-get")) {
            Sh.log("wrk is missing: apt-get install -y wrk");
            Sh.run(Path.of("."), 600, true, "apt-get", "update", "-qq");
            Sh.run(Path.of("."), 600, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "wrk");
            if (Sh.onPath("wrk")) {
                return;
            }
        }
        throw new IllegalStateException("make bench needs the load generator wrk: install it (Debian/Ubuntu: sudo apt-get install wrk;"
                + " Fedora: sudo dnf install wrk; macOS: brew install wrk), or skip the load phase with BENCH_ARGS=--no-load");
    }

    /** {@code wrk -t1 -c<connections> -d<seconds>s --latency <uri>}, parsed. */
    static Result run(URI uri, int connections, int seconds) {
        String out = Sh.run(Path.of("."), seconds + 60, "wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
                "--latency", uri.toString());
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        if (!rps.find()) {
            throw new IllegalStateException("wrk printed no Requests/sec:\n" + out);
        }
        long errors = 0;
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)").matcher(out);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher sock = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        if (sock.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(sock.group(i));
            }
        }
        return new Result(Double.parseDouble(rps.group(1)), percentile(out, "50"), percentile(out, "99"), errors);
    }

    /** A line of wrk's "Latency Distribution", e.g. " 99%    4.12ms", in ms. */
    static double percentile(String out, String pct) {
        Matcher m = Pattern.compile("(?m)^\\s+" + pct + "%\\s+([0-9.]+)(us|ms|s)\\s*$").matcher(out);
        if (!m.find()) {
            return -1;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}
