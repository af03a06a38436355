package dev.slipway.starter.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The container HEALTHCHECK: exits 0 when the app's readiness endpoint on loopback answers 200, 1
 * otherwise. Raw HTTP/1.0 over a socket and no Quarkus class, so the probe JVM (which runs this
 * class straight from the app's jar) and the native executable start fast and small
 * (docs/container-images.md, "The HEALTHCHECK").
 */
public final class HealthProbe {

    public static final String COMMAND = "healthcheck";
    static final String READINESS_PATH = "/q/health/ready";
    private static final int TIMEOUT_MILLIS = 2000;

    private HealthProbe() {
    }

    /**
     * {@code java -cp '/app/app/*' <package>.platform.HealthProbe}; arguments are ignored. halt, not exit:
     * System.exit looks up a System.Logger for its exit event, about a tenth of the probe's CPU time, and
     * the probe has no shutdown hook to run.
     */
    public static void main(String[] args) {
        Runtime.getRuntime().halt(check(System.getenv()));
    }

    static int check(Map<String, String> env) {
        try {
            int status = readinessStatus(StartupSettings.port(env));
            if (status == 200) {
                return 0;
            }
            System.err.println("healthcheck: " + READINESS_PATH + " answered " + status);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("healthcheck: " + e.getMessage());
        }
        return 1;
    }

    static int readinessStatus(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(("GET " + READINESS_PATH + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // The status line is "HTTP/1.x NNN Reason": the code is the 3 digits after the first space.
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            if (head.length() < 12 || !head.startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer on port " + port);
            }
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
