/*
 * TEST FIXTURE, NOT THE APP: a stand-in for the native executable (target/<artifactId>-<version>-runner)
 * that GraalVM/Mandrel would build, for machines and CI runs that have no native-image. The
 * container tests compile it, build src/main/docker/Dockerfile.native around it and run that image.
 *
 * What it stands in for, and nothing more:
 * - the shared libraries a Quarkus native executable links dynamically: libz, libm, libpthread,
 *   libdl, librt and libc (ldd in quarkusio/quarkus#9640), libstdc++ (ldd in
 *   quarkusio/quarkus-images#176; the Quarkus guide "quarkus-runtime-base-image" lists glibc,
 *   libstdc++ and zlib), and through libstdc++ libgcc_s: the image must carry exactly that closure;
 * - what the image tests look at: APP_PORT (exit 2 and one line for a bad value), GET /, /hello,
 *   /q/health and its live, ready and started groups (JSON shaped like the app's), the `healthcheck`
 *   argument (exit 0 when ready, 1 otherwise), and SIGTERM: readiness DOWN for 1 s while it still
 *   answers, then exit 143; QUARKUS_HTTP_HOST picks the interface, as in the app.
 * It proves the image's construction (libraries, user, port, health check, signals), not that the
 * real executable works: that needs GraalVM/Mandrel (README, "Native image").
 *
 * Build (proof/native/compile-stand-in does, before the integration tests; needs gcc, libc6-dev and zlib1g-dev). Every library is named
 * by its runtime file: glibc >= 2.34 folded libpthread, libdl and librt into libc and left only empty
 * static stubs behind -lpthread & co, so `-l:libpthread.so.0` with --no-as-needed is what gives this
 * executable the NEEDED entries an executable linked against an older glibc (e.g. 2.28) has:
 *   gcc -O2 -o runner -DAPP_NAME='"name"' -DAPP_VERSION='"1.0"' proof/native/stand-in-runner.c \
 *       -Wl,--no-as-needed -l:libz.so.1 -l:libm.so.6 -l:libpthread.so.0 -l:libdl.so.2 -l:librt.so.1 \
 *       -l:libstdc++.so.6
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#ifndef APP_NAME
#define APP_NAME "stand-in"
#endif
#ifndef APP_VERSION
#define APP_VERSION "0"
#endif
#define DEFAULT_PORT 8080
/* Lets compile-stand-in tell this executable from a real native one, which it must never overwrite. */
__attribute__((used)) static const char STAND_IN_MARKER[] = "native-stand-in-runner";
#define MAX_NAME_LENGTH 100
#define DRAIN_MILLIS 1000

/* libstdc++ (C linkage): used once at startup so that the link is real. */
char *__cxa_demangle(const char *mangled, char *out, size_t *length, int *status);

static volatile sig_atomic_t stop_signal;
static struct timespec started_at;

static void on_signal(int signo) { stop_signal = signo; }

static long long millis_since(const struct timespec *since) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now); /* librt's, in libc since glibc 2.17 */
    double seconds = (double) (now.tv_sec - since->tv_sec) + (now.tv_nsec - since->tv_nsec) / 1e9;
    return llround(seconds * 1000.0); /* libm */
}

/* APP_PORT as the app reads it: unset or blank means 8080, else a whole number from 1 to 65535. */
static int port_from_env(void) {
    const char *value = getenv("APP_PORT");
    if (value == NULL || strspn(value, " \t") == strlen(value)) {
        return DEFAULT_PORT;
    }
    char *end;
    errno = 0;
    long port = strtol(value, &end, 10);
    while (*end == ' ' || *end == '\t') {
        end++;
    }
    if (errno != 0 || end == value || *end != '\0' || port < 1 || port > 65535) {
        fprintf(stderr, "ERROR: APP_PORT='%s' is not a valid port: set APP_PORT to a whole number from 1 to 65535"
                " (or leave it unset for %d)\n", value, DEFAULT_PORT);
        return -1;
    }
    return (int) port;
}

/* `<runner> healthcheck`: GET /q/health/ready on loopback; 0 when it answers 200, 1 otherwise. */
static int healthcheck(void) {
    int port = port_from_env();
    if (port < 0) {
        return 1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval timeout = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char head[13] = {0};
    const char *request = "GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n";
    if (connect(fd, (struct sockaddr *) &address, sizeof address) != 0
            || write(fd, request, strlen(request)) < 0 || recv(fd, head, 12, MSG_WAITALL) != 12) {
        fprintf(stderr, "healthcheck: no HTTP answer on port %d\n", port);
        close(fd);
        return 1;
    }
    close(fd);
    if (strncmp(head, "HTTP/", 5) == 0 && strcmp(head + 9, "200") == 0) {
        return 0;
    }
    fprintf(stderr, "healthcheck: /q/health/ready answered %s\n", head + 9);
    return 1;
}

static void respond(int fd, int status, const char *body) {
    const char *reason = status == 200 ? "OK" : status == 400 ? "Bad Request" : status == 404 ? "Not Found"
            : status == 405 ? "Method Not Allowed" : "Service Unavailable";
    char head[256];
    int length = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: application/json;charset=UTF-8\r\n"
            "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, reason, strlen(body));
    if (write(fd, head, length) >= 0) {
        (void) !write(fd, body, strlen(body));
    }
}

static void health(int fd, int live, int ready, int started, int draining) {
    char checks[1024] = "", body[1200];
    int up = 1;
    if (live) {
        snprintf(checks + strlen(checks), sizeof checks - strlen(checks), "%s{\"name\": \"app-live\", \"status\": \"UP\","
                " \"data\": {\"uptimeMillis\": %lld}}", *checks ? ", " : "", millis_since(&started_at));
    }
    if (ready) {
        const char *status = draining ? "DOWN" : "UP";
        snprintf(checks + strlen(checks), sizeof checks - strlen(checks), "%s{\"name\": \"app-ready\", \"status\": \"UP\"},"
                " {\"name\": \"Graceful Shutdown\", \"status\": \"%s\"}", *checks ? ", " : "", status);
        up = !draining;
    }
    if (started) {
        snprintf(checks + strlen(checks), sizeof checks - strlen(checks), "%s{\"name\": \"app-started\", \"status\": \"UP\"}",
                *checks ? ", " : "");
    }
    snprintf(body, sizeof body, "{\"status\": \"%s\", \"checks\": [%s]}", up ? "UP" : "DOWN", checks);
    respond(fd, up ? 200 : 503, body);
}

static void hello(int fd, const char *query) {
    char name[4 * MAX_NAME_LENGTH] = "world", body[8 * MAX_NAME_LENGTH];
    const char *value = query ? strstr(query, "name=") : NULL;
    if (value && (value == query || value[-1] == '&')) {
        size_t length = strcspn(value + 5, "&");
        if (length >= sizeof name) {
            length = sizeof name - 1;
        }
        memcpy(name, value + 5, length);
        name[length] = '\0';
    }
    if (strspn(name, " +") == strlen(name) || strlen(name) > MAX_NAME_LENGTH || strpbrk(name, "\"\\%")) {
        respond(fd, 400, "{\"status\":400,\"error\":\"Bad Request\",\"message\":\"name must be 1 to 100 plain characters\"}");
        return;
    }
    snprintf(body, sizeof body, "{\"message\":\"Hello, %s!\"}", name);
    respond(fd, 200, body);
}

static void serve(int fd, int draining) {
    char request[2048] = {0};
    struct timeval timeout = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    size_t used = 0;
    ssize_t got;
    while (used < sizeof request - 1 && !strstr(request, "\r\n\r\n")
            && (got = read(fd, request + used, sizeof request - 1 - used)) > 0) {
        used += (size_t) got;
    }
    char method[8] = "", target[1024] = "";
    if (sscanf(request, "%7s %1023s", method, target) != 2) {
        return;
    }
    if (strcmp(method, "GET") != 0) {
        respond(fd, 405, "{}");
        return;
    }
    char *query = strchr(target, '?');
    if (query) {
        *query++ = '\0';
    }
    if (strcmp(target, "/") == 0) {
        char body[256];
        snprintf(body, sizeof body, "{\"name\":\"%s\",\"version\":\"%s\",\"status\":\"%s\"}", APP_NAME, APP_VERSION,
                draining ? "DOWN" : "UP");
        respond(fd, 200, body);
    } else if (strcmp(target, "/hello") == 0) {
        hello(fd, query);
    } else if (strcmp(target, "/q/health") == 0) {
        health(fd, 1, 1, 1, draining);
    } else if (strcmp(target, "/q/health/live") == 0) {
        health(fd, 1, 0, 0, draining);
    } else if (strcmp(target, "/q/health/ready") == 0) {
        health(fd, 0, 1, 0, draining);
    } else if (strcmp(target, "/q/health/started") == 0) {
        health(fd, 0, 0, 1, draining);
    } else {
        respond(fd, 404, "{}");
    }
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    clock_gettime(CLOCK_MONOTONIC, &started_at);
    if (argc == 2 && strcmp(argv[1], "healthcheck") == 0) {
        return healthcheck();
    }
    int port = port_from_env();
    if (port < 0) {
        return 2;
    }
    /* libdl and libstdc++, each used once so that the link is not only on paper. */
    const char *(*zlib_version_of)(void) = (const char *(*)(void)) dlsym(RTLD_DEFAULT, "zlibVersion");
    int demangled;
    free(__cxa_demangle("_Z4mainiPPc", NULL, NULL, &demangled));

    struct sigaction action = {.sa_handler = on_signal};
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigset_t signals;
    sigemptyset(&signals);
    pthread_sigmask(SIG_SETMASK, &signals, NULL); /* libpthread's, in libc since glibc 2.34 */

    int server = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    /* the interface, as the app reads it (quarkus.http.host): all of them unless QUARKUS_HTTP_HOST says */
    const char *host = getenv("QUARKUS_HTTP_HOST");
    if (host == NULL || *host == '\0') {
        host = "0.0.0.0";
    }
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        fprintf(stderr, "ERROR: QUARKUS_HTTP_HOST='%s' is not an IPv4 address\n", host);
        return 2;
    }
    if (bind(server, (struct sockaddr *) &address, sizeof address) != 0 || listen(server, 64) != 0) {
        fprintf(stderr, "ERROR: cannot listen on port %d: %s\n", port, strerror(errno));
        return 1;
    }
    printf("stand-in runner (test fixture, zlib %s, demangle %s): Listening on: http://%s:%d\n",
            zlib_version_of ? zlib_version_of() : zlibVersion(), demangled == 0 ? "ok" : "failed", host, port);

    struct timespec drain_start;
    for (;;) {
        if (stop_signal) {
            if (stop_signal > 0) {
                printf("stand-in runner: signal %d, readiness DOWN for %d ms\n", (int) stop_signal, DRAIN_MILLIS);
                clock_gettime(CLOCK_MONOTONIC, &drain_start);
                stop_signal = -stop_signal;
            }
            if (millis_since(&drain_start) >= DRAIN_MILLIS) {
                printf("stand-in runner: stopped\n");
                return 128 - stop_signal;
            }
        }
        struct pollfd waiting = {.fd = server, .events = POLLIN};
        if (poll(&waiting, 1, 50) > 0) {
            int client = accept(server, NULL, NULL);
            if (client >= 0) {
                serve(client, stop_signal != 0);
                close(client);
            }
        }
    }
}
