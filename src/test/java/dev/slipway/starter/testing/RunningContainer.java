package dev.slipway.starter.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A container of an image under test, its app port published on a free loopback port; removed on
 * close. On Docker the HEALTHCHECK runs on Docker's own timer every 2 s, so that waiting for it stays
 * short whatever interval the image sets.
 */
public final class RunningContainer implements AutoCloseable {

    /** The hardened run every image must pass (what serve-prod, compose.yaml and the Kubernetes manifests do). */
    public static final List<String> HARDENED = List.of("--read-only", "--tmpfs", "/tmp",
            "--cap-drop=ALL", "--security-opt=no-new-privileges");

    public final String name;
    /** Where the tests reach the app, on 127.0.0.1. */
    public final int port;

    private RunningContainer(String name, int port) {
        this.name = name;
        this.port = port;
    }

    /** A container something else started (compose, `podman kube play`), the app published on that loopback port. */
    public static RunningContainer of(String name, int port) {
        return new RunningContainer(name, port);
    }

    /** Runs the image detached with the options given; the app listens on appPort inside the container. */
    public static RunningContainer start(String image, int appPort, List<String> options) throws Exception {
        RunningContainer container = new RunningContainer(TestImages.scratchName(), PackagedApp.freePort());
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container.name));
        if (!ContainerEngine.isPodman()) {
            args.add("--health-interval=2s");
        }
        args.addAll(options);
        args.addAll(List.of("-p", "127.0.0.1:" + container.port + ":" + appPort, image));
        ContainerEngine.run(Duration.ofMinutes(1), args).orFail("starting " + image);
        return container;
    }

    /** Runs the image with the hardened options plus the extra ones, and waits until it is ready. */
    public static RunningContainer startHardened(String image, int appPort, String... extraOptions) throws Exception {
        List<String> options = new ArrayList<>(HARDENED);
        options.addAll(List.of(extraOptions));
        RunningContainer container = start(image, appPort, options);
        try {
            container.awaitReady(Duration.ofSeconds(90));
            return container;
        } catch (Throwable e) {
            container.close();
            throw e;
        }
    }

    public HttpResponse<String> get(String path) throws Exception {
        return PackagedApp.get(port, path);
    }

    /** Waits until readiness answers 200 through the published port. */
    public void awaitReady(Duration timeout) throws Exception {
        PackagedApp.awaitReady(port, timeout, () -> {
            String status = inspect("{{.State.Status}}");
            return "running".equals(status) ? null : "container " + name + " is " + status;
        }, this::logs);
    }

    /**
     * Waits until the image's HEALTHCHECK reports healthy. With Podman the check is run on demand with
     * `podman healthcheck run` (its timers need systemd, which not every host has); Docker runs it on
     * its own timer, and this only reads the status.
     */
    public String awaitHealthy(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String status = "";
        while (Instant.now().isBefore(deadline)) {
            if (ContainerEngine.isPodman()) {
                ContainerEngine.run("healthcheck", "run", name);
            }
            status = inspect("{{.State.Health.Status}}");
            if ("healthy".equals(status)) {
                return status;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("health is '" + status + "' after " + timeout + ": "
                + inspect("{{json .State.Health}}") + "\n" + logs());
    }

    /**
     * The uid of the container's main process (docker: `top -o pid,uid`, the row of its PID; podman:
     * `top user`, which names it from the image's /etc/passwd, where 1000 is "app").
     */
    public String processUid() {
        if (!ContainerEngine.isPodman()) {
            String pid = inspect("{{.State.Pid}}");
            return ContainerEngine.run("top", name, "-o", "pid,uid").orFail("top").out().lines()
                    .map(l -> l.trim().split("\\s+")).filter(row -> row.length == 2 && row[0].equals(pid))
                    .map(row -> row[1]).findFirst().orElseThrow(() -> new AssertionError("no process " + pid + " in top of " + name));
        }
        List<String> lines = ContainerEngine.run("top", name, "user").orFail("top").out().lines()
                .map(String::trim).filter(l -> !l.isEmpty()).toList();
        String user = lines.get(lines.size() - 1);
        return "app".equals(user) ? "1000" : user;
    }

    public String inspect(String format) {
        return ContainerEngine.run("inspect", "--format", format, name).orFail("inspect " + name).out().trim();
    }

    public String logs() {
        ContainerEngine.Result result = ContainerEngine.run("logs", name);
        return result.out() + result.err();
    }

    @Override
    public void close() {
        ContainerEngine.run("rm", "-f", name);
    }
}
