package dev.slipway.starter.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** A container of an image under test, its app port published on a free loopback port; removed on close. */
public final class RunningContainer implements AutoCloseable {

    /** How serve-prod, compose.yaml and the Kubernetes manifests run the app. */
    public static final List<String> HARDENED = List.of("--read-only", "--tmpfs", "/tmp", "--cap-drop=ALL", "--security-opt=no-new-privileges");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final String name;
    public final int port;

    /** A container by name, the app on that loopback port (compose or `podman kube play` may start it). */
    public RunningContainer(String name, int port) {
        this.name = name;
        this.port = port;
    }

    /** Runs the image detached with these options; the app listens on appPort inside. Docker runs the HEALTHCHECK every 2 s. */
    public static RunningContainer start(String image, int appPort, List<String> options) throws Exception {
        RunningContainer container = new RunningContainer(TestImages.scratchName(), freePort());
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container.name));
        args.addAll(ContainerEngine.isPodman() ? List.of() : List.of("--health-interval=2s"));
        args.addAll(options);
        args.addAll(List.of("-p", "127.0.0.1:" + container.port + ":" + appPort, image));
        ContainerEngine.run(Duration.ofMinutes(1), args).orFail("starting " + image);
        return container;
    }

    /** Runs the image {@link #HARDENED} with the extra options, and waits until it is ready. */
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

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws Exception {
        return get(port, path);
    }

    /** Waits until readiness answers 200 through the published port. */
    public void awaitReady(Duration timeout) throws Exception {
        await(timeout, () -> {
            if (!"running".equals(inspect("{{.State.Status}}"))) {
                throw new AssertionError("container " + name + " stopped:\n" + logs());
            }
            try {
                return get("/q/health/ready").statusCode() == 200;
            } catch (IOException notListeningYet) {
                return false;
            }
        });
    }

    /** Waits until the HEALTHCHECK reports healthy; Podman runs it on demand (its timers need systemd). */
    public String awaitHealthy(Duration timeout) throws Exception {
        await(timeout, () -> {
            if (ContainerEngine.isPodman()) {
                ContainerEngine.run("healthcheck", "run", name);
            }
            return "healthy".equals(inspect("{{.State.Health.Status}}"));
        });
        return inspect("{{.State.Health.Status}}");
    }

    private void await(Duration timeout, Callable<Boolean> done) throws Exception {
        for (Instant deadline = Instant.now().plus(timeout); !done.call(); Thread.sleep(500)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not ready or healthy within " + timeout + ": " + inspect("{{json .State.Health}}") + "\n" + logs());
            }
        }
    }

    /** The uid of the app's process (Podman's `top user` names it from the image's /etc/passwd, where 1000 is "app"). */
    public String processUid() {
        if (ContainerEngine.isPodman()) {
            List<String> users = ContainerEngine.run("top", name, "user").orFail("top").out().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
            return users.get(users.size() - 1).replace("app", "1000");
        }
        String pid = inspect("{{.State.Pid}}");
        return ContainerEngine.run("top", name, "-o", "pid,uid").orFail("top").out().lines().map(l -> l.trim().split("\\s+"))
                .filter(row -> row.length == 2 && row[0].equals(pid)).map(row -> row[1]).findFirst().orElse("no process " + pid);
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
