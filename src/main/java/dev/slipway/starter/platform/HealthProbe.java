package dev.slipway.starter.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The container HEALTHCHECK: {@code <app> healthcheck} asks the running app's readiness endpoint
 * on loopback and exits 0 when it answers 200, 1 otherwise.
 * <p>
 * A raw HTTP/1.0 request over a socket keeps it to a handful of JDK classes, so the check starts fast,
 * uses little memory, and works the same in the JVM image and in the native executable.
 */
public final class HealthProbe {

    public static final String COMMAND = "healthcheck";
    static final String READINESS_PATH = "/q/health/ready";
    private static final int TIMEOUT_MILLIS = 2000;

    private HealthProbe() {
    }

    /**
     * The image's HEALTHCHECK runs this class directly ({@code java -cp '/app/app/*' <package>.platform.HealthProbe}):
     * it needs no Quarkus class, so the probe JVM skips the runner's class loader and its index
     * (docs/container-images.md, "The HEALTHCHECK"). Arguments are ignored.
     */
    public static void main(String[] args) {
        System.exit(check(System.getenv()));
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
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + READINESS_PATH + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The status line is "HTTP/1.x NNN Reason": the code is the 3 digits after the first space.
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            if (head.length() < 12 || !head.startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer on port " + port);
            }
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
