/*
 * Test fixture (not the app): tries, as the user it runs as, every way to change what is under a
 * directory (default /app): create a file or directory in it, write, delete, rename, chmod, chown,
 * touch. Compiled static by the tests so that it runs in an image with no shell and no libc of its
 * own choosing, mounted read-only and started with --entrypoint.
 *
 * Prints "checked <path>" for every path tried and "CHANGED <operation> <path>" for every attempt
 * that succeeded; before that, the same operations in /tmp ("control ok"), which must succeed, so
 * that a probe that cannot change anything at all is not taken for a protected /app.
 * Exit 0: nothing changed; 1: something changed; 2: the control failed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int changed;

static void attempt(int succeeded, const char *operation, const char *path) {
    if (succeeded) {
        printf("CHANGED %s %s\n", operation, path);
        changed++;
    }
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    char other[4096];
    (void) ftw;
    printf("checked %s\n", path);
    attempt(chmod(path, (st->st_mode | 0222) & 07777) == 0, "chmod", path);
    attempt(chown(path, getuid(), getgid()) == 0, "chown", path);
    attempt(utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW) == 0, "touch", path);
    snprintf(other, sizeof other, "%s.probe-renamed", path);
    attempt(rename(path, other) == 0, "rename", path);
    if (type == FTW_F) {
        int fd = open(path, O_WRONLY | O_APPEND);
        attempt(fd >= 0, "write", path);
        if (fd >= 0) close(fd);
        attempt(unlink(path) == 0, "delete", path);
    } else if (type == FTW_D) {
        snprintf(other, sizeof other, "%s/probe-new-file", path);
        int fd = open(other, O_WRONLY | O_CREAT | O_EXCL, 0644);
        attempt(fd >= 0, "create-file-in", path);
        if (fd >= 0) close(fd);
        snprintf(other, sizeof other, "%s/probe-new-dir", path);
        attempt(mkdir(other, 0755) == 0, "create-dir-in", path);
    }
    return 0;
}

static int control(void) {
    const char *file = "/tmp/probe-control", *renamed = "/tmp/probe-control-renamed";
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "x", 1) != 1 || close(fd) != 0 || chmod(file, 0600) != 0
            || utimensat(AT_FDCWD, file, NULL, 0) != 0 || rename(file, renamed) != 0 || unlink(renamed) != 0
            || mkdir("/tmp/probe-control-dir", 0755) != 0 || rmdir("/tmp/probe-control-dir") != 0) {
        perror("control: cannot change /tmp");
        return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "/app";
    printf("uid %d gid %d\n", (int) getuid(), (int) getgid());
    if (!control()) {
        return 2;
    }
    printf("control ok\n");
    if (nftw(root, visit, 16, FTW_PHYS) != 0) {
        perror(root);
        return 2;
    }
    printf("changed %d\n", changed);
    return changed ? 1 : 0;
}
