package dev.slipway.starter.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A detached container of an image under test, published on a free loopback port; removed on close. */
public final class RunningContainer implements AutoCloseable {

    /** The hardened run every image must pass (what serve-prod and the README's Kubernetes snippet do). */
    public static final List<String> HARDENED = List.of("--read-only", "--tmpfs", "/tmp",
            "--cap-drop=ALL", "--security-opt=no-new-privileges");

    public final String name = TestImages.scratchName();
    public final int port;

    private RunningContainer(int port) {
        this.port = port;
    }

    /** Runs the image with the options given; the app listens on containerPort inside. */
    public static RunningContainer start(String image, int containerPort, List<String> options) throws Exception {
        RunningContainer container = new RunningContainer(PackagedApp.freePort());
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container.name,
                "-p", "127.0.0.1:" + container.port + ":" + containerPort));
        args.addAll(options);
        args.add(image);
        ContainerEngine.run(Duration.ofMinutes(1), args).orFail("starting " + image);
        return container;
    }

    /** Runs the image with the hardened options plus the extra ones, and waits until it is ready. */
    public static RunningContainer startHardened(String image, int containerPort, String... extraOptions) throws Exception {
        List<String> options = new ArrayList<>(HARDENED);
        options.addAll(List.of(extraOptions));
        RunningContainer container = start(image, containerPort, options);
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
     * Waits until the image's HEALTHCHECK reports healthy. Podman without systemd runs no health
     * timers, so the check is triggered with `podman healthcheck run`; Docker runs it by itself.
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
        throw new AssertionError("health is '" + status + "' after " + timeout + ":\n" + logs());
    }

    /**
     * The uid of the container's main process (docker: `top -o uid`; podman: `top user`, which names
     * it from the image's /etc/passwd, where 1000 is "app").
     */
    public String processUid() {
        List<String> args = ContainerEngine.isPodman() ? List.of("top", name, "user") : List.of("top", name, "-o", "uid");
        List<String> lines = ContainerEngine.run(args.toArray(String[]::new)).orFail("top").out().lines()
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
