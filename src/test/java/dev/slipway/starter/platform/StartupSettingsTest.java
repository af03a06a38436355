package dev.slipway.starter.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StartupSettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "7860", "65535", " 8081 "})
    void acceptsPortsInRangeAndDefaultsTo8080(String value) {
        assertEquals(Integer.parseInt(value.trim()), StartupSettings.port(Map.of("APP_PORT", value)));
        assertEquals(8080, StartupSettings.port(Map.of()));
        assertEquals(8080, StartupSettings.port(Map.of("APP_PORT", "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "65536", "80.5", "99999999999"})
    void rejectsBadPortsNamingTheVariableTheValueAndTheRange(String value) {
        assertEquals("APP_PORT='" + value + "' is not a valid port: set APP_PORT to a whole number from 1 to 65535 (or leave it unset for 8080)",
                assertThrows(IllegalArgumentException.class, () -> StartupSettings.port(Map.of("APP_PORT", value))).getMessage());
    }

    @Test
    void aListedSecretMustBeSetAndNoneIsByDefault() {
        assertEquals(List.of(), StartupSettings.problems(Map.of()));
        assertEquals(1, StartupSettings.problems(Map.of("APP_REQUIRED_SECRETS", "API_TOKEN, DB_PASSWORD", "DB_PASSWORD", "s3cret")).size());
        assertEquals("API_TOKEN is not set", StartupSettings.problems(Map.of("APP_REQUIRED_SECRETS", "API_TOKEN", "API_TOKEN", " ")).get(0)
                .substring(0, 20));
        assertEquals(List.of(), StartupSettings.problems(Map.of("APP_REQUIRED_SECRETS", "API_TOKEN", "API_TOKEN", "t0ken")));
    }

    @Test
    void appPortMustNotBeTheManagementPort() {
        assertEquals(List.of("APP_PORT=9000 is also the management port (metrics): set APP_PORT to another port,"
                + " or move the metrics with QUARKUS_MANAGEMENT_PORT=..."), StartupSettings.problems(Map.of("APP_PORT", "9000")));
        assertEquals(1, StartupSettings.problems(Map.of("APP_PORT", "9100", "QUARKUS_MANAGEMENT_PORT", "9100")).size());
        assertEquals(List.of(), StartupSettings.problems(Map.of("APP_PORT", "9000", "QUARKUS_MANAGEMENT_PORT", "9100")));
    }
}
