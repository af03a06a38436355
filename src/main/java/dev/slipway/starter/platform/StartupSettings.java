package dev.slipway.starter.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The settings read from the environment before Quarkus starts, and their rules: {@code APP_PORT}, the
 * HTTP port (1-65535, default 8080); {@code APP_REQUIRED_SECRETS}, comma-separated names of variables the
 * app must not start without (none by default; secrets come at run time, never in an image); and
 * Quarkus's {@code QUARKUS_MANAGEMENT_PORT} (metrics, default 9000), which must differ from APP_PORT.
 */
public final class StartupSettings {

    public static final String PORT_VARIABLE = "APP_PORT";
    public static final int DEFAULT_PORT = 8080;
    public static final int MIN_PORT = 1;
    public static final int MAX_PORT = 65535;
    public static final String REQUIRED_SECRETS_VARIABLE = "APP_REQUIRED_SECRETS";
    public static final String MANAGEMENT_PORT_VARIABLE = "QUARKUS_MANAGEMENT_PORT";
    public static final int DEFAULT_MANAGEMENT_PORT = 9000;

    private StartupSettings() {
    }

    /** The port from {@code APP_PORT}, or the default when it is unset or empty. */
    public static int port(Map<String, String> env) {
        String value = env.get(PORT_VARIABLE);
        if (value == null || value.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= MIN_PORT && port <= MAX_PORT) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(PORT_VARIABLE + "='" + value + "' is not a valid port: set "
                + PORT_VARIABLE + " to a whole number from " + MIN_PORT + " to " + MAX_PORT
                + " (or leave it unset for " + DEFAULT_PORT + ")");
    }

    /** Every problem with the environment, one sentence each naming the variable to fix; empty when it is fine. */
    public static List<String> problems(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        try {
            int port = port(env);
            String management = env.getOrDefault(MANAGEMENT_PORT_VARIABLE, "").trim();
            if (port == (management.isEmpty() ? DEFAULT_MANAGEMENT_PORT : Integer.parseInt(management))) {
                problems.add(PORT_VARIABLE + "=" + port + " is also the management port (metrics): set " + PORT_VARIABLE
                        + " to another port, or move the metrics with " + MANAGEMENT_PORT_VARIABLE + "=...");
            }
        } catch (NumberFormatException badManagementPort) {
            // Quarkus reports a bad QUARKUS_MANAGEMENT_PORT itself
        } catch (IllegalArgumentException badPort) {
            problems.add(badPort.getMessage());
        }
        for (String secret : requiredSecrets(env)) {
            String value = env.get(secret);
            if (value == null || value.isBlank()) {
                problems.add(secret + " is not set, and " + REQUIRED_SECRETS_VARIABLE
                        + " lists it as required: pass it at run time (e.g. docker run -e " + secret
                        + "=...) or remove it from " + REQUIRED_SECRETS_VARIABLE);
            }
        }
        return problems;
    }

    static List<String> requiredSecrets(Map<String, String> env) {
        return Arrays.stream(env.getOrDefault(REQUIRED_SECRETS_VARIABLE, "").split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).toList();
    }
}
