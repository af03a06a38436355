// Load: wrk (Debian's package) against one running container, and its report parsed.

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /**
     * The measured runs: round the targets (label to URI) {@code rounds} times, one wrk run each per round,
     * so that a burst of background load hits every target alike. Each target's results, in run order.
     */
    static Map<String, List<Result>> rounds(String what, Map<String, URI> targets, int rounds, int connections, int seconds) {
        Map<String, List<Result>> results = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (Map.Entry<String, URI> target : targets.entrySet()) {
                Result res = run(target.getValue(), connections, seconds);
                Sh.log(String.format("  %s %d/%d %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors", what, r, rounds, target.getKey(),
                        res.rps(), res.p50Ms(), res.p99Ms(), res.errors()));
                results.computeIfAbsent(target.getKey(), k -> new ArrayList<>()).add(res);
            }
        }
        return results;
    }

    /** A target's runs as report fields: median requests/s (and its range), median p50 and p99, errors summed. */
    static Map<String, Object> summary(List<Result> rs) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("rps", Math.round(Sh.medianD(rs.stream().map(Result::rps).toList())));
        row.put("rps_min", Math.round(rs.stream().mapToDouble(Result::rps).min().orElse(-1)));
        row.put("rps_max", Math.round(rs.stream().mapToDouble(Result::rps).max().orElse(-1)));
        row.put("p50_ms", Sh.medianD(rs.stream().map(Result::p50Ms).toList()));
        row.put("p99_ms", Sh.medianD(rs.stream().map(Result::p99Ms).toList()));
        row.put("errors", rs.stream().mapToLong(Result::errors).sum());
        return row;
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
