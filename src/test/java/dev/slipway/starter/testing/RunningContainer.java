package dev.slipway.starter.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A detached container of an image under test, reachable on a free loopback port; removed on close.
 * <p>
 * On a bridge network (Podman, a usual Docker) the app's port is published on that free port. Where
 * the engine has only the host's network ({@link ContainerEngine#hostNetwork()}: a Docker daemon
 * without a bridge) the container runs with {@code --network host}, and the free port is given to
 * the app as its APP_PORT, bound to loopback only. On Docker the HEALTHCHECK runs on Docker's own
 * timer every 2 s, so that waiting for it stays short whatever interval the image sets.
 */
public final class RunningContainer implements AutoCloseable {

    /** The hardened run every image must pass (what serve-prod, compose.yaml and the Kubernetes manifests do). */
    public static final List<String> HARDENED = List.of("--read-only", "--tmpfs", "/tmp",
            "--cap-drop=ALL", "--security-opt=no-new-privileges");

    public final String name = TestImages.scratchName();
    /** Where the tests reach the app, on 127.0.0.1. */
    public final int port;

    private RunningContainer(int port) {
        this.port = port;
    }

    /**
     * Runs the image with the options given; the app listens on containerPort inside. Under host
     * networking it listens on a free port instead (a later {@code -e APP_PORT}); use
     * {@link #startOnAppPort} to test the port setting itself.
     */
    public static RunningContainer start(String image, int containerPort, List<String> options) throws Exception {
        return launch(image, containerPort, options, true);
    }

    /**
     * Runs the image with the options given, where the image (its APP_PORT build ARG) or the options
     * ({@code -e APP_PORT=...}) already make the app listen on appPort: it is left as it is. Under
     * host networking appPort must be free on the host: take it from {@link #testAppPort()}.
     */
    public static RunningContainer startOnAppPort(String image, int appPort, List<String> options) throws Exception {
        return launch(image, appPort, options, false);
    }

    /** A port for a test that sets APP_PORT itself: 7860 (Hugging Face's) on a bridge, a free one under host networking. */
    public static int testAppPort() throws Exception {
        return ContainerEngine.hostNetwork() ? PackagedApp.freePort() : 7860;
    }

    private static RunningContainer launch(String image, int containerPort, List<String> options, boolean mayMovePort)
            throws Exception {
        boolean host = ContainerEngine.hostNetwork();
        int port = host && !mayMovePort ? containerPort : PackagedApp.freePort();
        RunningContainer container = new RunningContainer(port);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container.name));
        if (!ContainerEngine.isPodman()) {
            args.add("--health-interval=2s");
        }
        args.addAll(options);
        if (!host) {
            args.addAll(List.of("-p", "127.0.0.1:" + port + ":" + containerPort));
        } else {
            // after the caller's options: the last -e of a name wins
            args.addAll(List.of("--network", "host", "-e", "QUARKUS_HTTP_HOST=127.0.0.1", "-e", "QUARKUS_MANAGEMENT_HOST=127.0.0.1"));
            if (options.stream().noneMatch(o -> o.startsWith("QUARKUS_MANAGEMENT_PORT="))) {
                // each container its own metrics port too
                args.addAll(List.of("-e", "QUARKUS_MANAGEMENT_PORT=" + PackagedApp.freePort()));
            }
            if (mayMovePort) {
                args.addAll(List.of("-e", "APP_PORT=" + port));
            }
        }
        args.add(image);
        ContainerEngine.run(Duration.ofMinutes(1), args).orFail("starting " + image);
        return container;
    }

    /** Runs the image with the hardened options plus the extra ones, and waits until it is ready. */
    public static RunningContainer startHardened(String image, int containerPort, String... extraOptions) throws Exception {
        List<String> options = new ArrayList<>(HARDENED);
        options.addAll(List.of(extraOptions));
        return awaitReadyOrClose(start(image, containerPort, options));
    }

    /** {@link #startOnAppPort} with the hardened options plus the extra ones, waiting until it is ready. */
    public static RunningContainer startHardenedOnAppPort(String image, int appPort, String... extraOptions) throws Exception {
        List<String> options = new ArrayList<>(HARDENED);
        options.addAll(List.of(extraOptions));
        return awaitReadyOrClose(startOnAppPort(image, appPort, options));
    }

    private static RunningContainer awaitReadyOrClose(RunningContainer container) throws Exception {
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
     * timers, so the check is triggered with `podman healthcheck run`; Docker runs it by itself (its
     * own timer, every 2 s here), and this only reads the status.
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
