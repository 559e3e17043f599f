/* xinyu_transport.c: Unix socket, TCP and TLS byte streams for the Xinyu client. */
#define _POSIX_C_SOURCE 200809L
#include "xinyu_transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

static void set_error(char *error, size_t size, const char *what, const char *detail) {
    snprintf(error, size, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

/* The most recent OpenSSL error as text (e.g. "certificate verify failed"), or `fallback`. */
static const char *ssl_reason(const char *fallback) {
    static __thread char buffer[256];
    unsigned long code = ERR_peek_last_error();
    if (code == 0) return fallback;
    ERR_error_string_n(code, buffer, sizeof buffer);
    ERR_clear_error();
    return buffer;
}

static int open_unix(const char *path, char *error, size_t error_size) {
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof address.sun_path) {
        set_error(error, error_size, "Unix socket path is too long", path);
        return -1;
    }
    strcpy(address.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        char what[600];
        snprintf(what, sizeof what, "cannot connect to unix:%s", path);
        set_error(error, error_size, what, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

static int open_tcp(const char *host, const char *port, char *error, size_t error_size) {
    struct addrinfo hints, *found = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    char what[600];
    snprintf(what, sizeof what, "cannot connect to tcp://%s:%s", host, port);
    int rc = getaddrinfo(host, port, &hints, &found);
    if (rc != 0) {
        set_error(error, error_size, what, gai_strerror(rc));
        return -1;
    }
    int fd = -1, last = 0;
    for (struct addrinfo *a = found; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
        last = errno;
        if (fd >= 0) close(fd);
        fd = -1;
    }
    freeaddrinfo(found);
    if (fd < 0) {
        set_error(error, error_size, what, strerror(last));
        return -1;
    }
    int one = 1; /* PROTOCOL.md §2.2: both sides set TCP_NODELAY (small frames, request/answer) */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Splits "tcp://host:port", "host:port" or "[v6]:port" into host and port. */
static int split_host_port(const char *address, char *host, size_t host_size, char *port, size_t port_size) {
    if (strncmp(address, "tcp://", 6) == 0) address += 6;
    const char *colon;
    if (address[0] == '[') {
        const char *close = strchr(address, ']');
        if (!close || close[1] != ':') return -1;
        if ((size_t)(close - address - 1) >= host_size) return -1;
        memcpy(host, address + 1, (size_t)(close - address - 1));
        host[close - address - 1] = 0;
        colon = close + 1;
    } else {
        colon = strrchr(address, ':');
        if (!colon || (size_t)(colon - address) >= host_size || colon == address) return -1;
        memcpy(host, address, (size_t)(colon - address));
        host[colon - address] = 0;
    }
    if (strlen(colon + 1) == 0 || strlen(colon + 1) >= port_size) return -1;
    strcpy(port, colon + 1);
    return 0;
}

static int start_tls(xinyu_transport *t, const char *host, const char *ca_file, const char *cert_file,
                     const char *key_file, const char *server_name, char *error, size_t error_size) {
    t->ctx = SSL_CTX_new(TLS_client_method());
    if (!t->ctx) {
        set_error(error, error_size, "cannot create a TLS context", ssl_reason(NULL));
        return -1;
    }
    SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION); /* PROTOCOL.md §2.2: TLS 1.2 or later */
    SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
    if (ca_file) {
        if (SSL_CTX_load_verify_locations(t->ctx, ca_file, NULL) != 1) {
            char what[600];
            snprintf(what, sizeof what, "cannot read the CA file %s", ca_file);
            set_error(error, error_size, what, ssl_reason(NULL));
            return -1;
        }
    } else if (SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
        set_error(error, error_size, "cannot load the system's trusted CAs", ssl_reason(NULL));
        return -1;
    }
    if (cert_file || key_file) {
        if (!cert_file || !key_file) {
            set_error(error, error_size, "a client certificate needs both --cert and --key", NULL);
            return -1;
        }
        char what[600];
        if (SSL_CTX_use_certificate_chain_file(t->ctx, cert_file) != 1) {
            snprintf(what, sizeof what, "cannot read the client certificate %s", cert_file);
            set_error(error, error_size, what, ssl_reason(NULL));
            return -1;
        }
        if (SSL_CTX_use_PrivateKey_file(t->ctx, key_file, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(t->ctx) != 1) {
            snprintf(what, sizeof what, "cannot use the private key %s with %s", key_file, cert_file);
            set_error(error, error_size, what, ssl_reason(NULL));
            return -1;
        }
    }
    t->ssl = SSL_new(t->ctx);
    if (!t->ssl || SSL_set_fd(t->ssl, t->fd) != 1) {
        set_error(error, error_size, "cannot create a TLS session", ssl_reason(NULL));
        return -1;
    }
    /* Check the host's name (or IP address) in its certificate; SNI only for DNS names. */
    const char *name = server_name ? server_name : host;
    unsigned char ip[16];
    int is_ip = inet_pton(AF_INET, name, ip) == 1 || inet_pton(AF_INET6, name, ip) == 1;
    X509_VERIFY_PARAM *param = SSL_get0_param(t->ssl);
    if (is_ip) {
        X509_VERIFY_PARAM_set1_ip_asc(param, name);
    } else {
        SSL_set_tlsext_host_name(t->ssl, name);
        SSL_set1_host(t->ssl, name);
    }
    if (SSL_connect(t->ssl) != 1) {
        long verify = SSL_get_verify_result(t->ssl);
        char what[600];
        snprintf(what, sizeof what, "TLS handshake with %s failed", name);
        if (verify != X509_V_OK) {
            set_error(error, error_size, what, X509_verify_cert_error_string(verify));
        } else {
            /* e.g. the host refused our certificate: "tlsv13 alert certificate required" */
            set_error(error, error_size, what, ssl_reason("the host closed the connection"));
        }
        return -1;
    }
    return 0;
}

int xinyu_transport_open(xinyu_transport *t, const char *address, int use_tls, const char *ca_file,
                         const char *cert_file, const char *key_file, const char *server_name,
                         char *error, size_t error_size) {
    memset(t, 0, sizeof *t);
    t->fd = -1;
    if (strncmp(address, "unix:", 5) == 0 || address[0] == '/' || address[0] == '.') {
        const char *path = strncmp(address, "unix:", 5) == 0 ? address + 5 : address;
        t->fd = open_unix(path, error, error_size);
        return t->fd < 0 ? -1 : 0;
    }
    char host[256], port[16];
    if (split_host_port(address, host, sizeof host, port, sizeof port) != 0) {
        set_error(error, error_size, "cannot read the address (use unix:/path, tcp://host:port or [v6]:port)", address);
        return -1;
    }
    t->fd = open_tcp(host, port, error, error_size);
    if (t->fd < 0) return -1;
    if (!use_tls) return 0;
    if (start_tls(t, host, ca_file, cert_file, key_file, server_name, error, error_size) != 0) {
        xinyu_transport_close(t);
        return -1;
    }
    return 0;
}

int xinyu_transport_write(xinyu_transport *t, const void *data, size_t n, char *error, size_t error_size) {
    const unsigned char *bytes = data;
    while (n > 0) {
        ssize_t written;
        if (t->ssl) {
            int w = SSL_write(t->ssl, bytes, (int)n);
            if (w <= 0) {
                set_error(error, error_size, "cannot write to the host", ssl_reason("the connection is closed"));
                return -1;
            }
            written = w;
        } else {
            written = send(t->fd, bytes, n, MSG_NOSIGNAL);
            if (written < 0 && errno == EINTR) continue;
            if (written < 0) {
                set_error(error, error_size, "cannot write to the host", strerror(errno));
                return -1;
            }
        }
        bytes += written;
        n -= (size_t)written;
    }
    return 0;
}

int xinyu_transport_read(xinyu_transport *t, void *data, size_t n, char *error, size_t error_size) {
    unsigned char *bytes = data;
    size_t got = 0;
    while (got < n) {
        ssize_t r;
        if (t->ssl) {
            int rr = SSL_read(t->ssl, bytes + got, (int)(n - got));
            if (rr <= 0) {
                int reason = SSL_get_error(t->ssl, rr);
                if (reason == SSL_ERROR_ZERO_RETURN || (reason == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) {
                    r = 0;
                } else {
                    set_error(error, error_size, "cannot read from the host", ssl_reason("TLS error"));
                    return -1;
                }
            } else {
                r = rr;
            }
        } else {
            r = recv(t->fd, bytes + got, n - got, 0);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) {
                set_error(error, error_size, "cannot read from the host", strerror(errno));
                return -1;
            }
        }
        if (r == 0) {
            if (got == 0) return 1;
            char what[128];
            snprintf(what, sizeof what, "connection closed in the middle of a frame (%zu bytes missing)", n - got);
            set_error(error, error_size, what, NULL);
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

int xinyu_transport_wait(xinyu_transport *t, int timeout_ms, char *error, size_t error_size) {
    /* TLS may already hold decrypted bytes that poll() cannot see. */
    if (t->ssl && SSL_pending(t->ssl) > 0) return 1;
    struct pollfd p = {.fd = t->fd, .events = POLLIN};
    for (;;) {
        int rc = poll(&p, 1, timeout_ms);
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0) {
            set_error(error, error_size, "cannot wait for the host", strerror(errno));
            return -1;
        }
        return rc > 0 ? 1 : 0;
    }
}

void xinyu_transport_close(xinyu_transport *t) {
    if (t->ssl) {
        SSL_shutdown(t->ssl);
        SSL_free(t->ssl);
    }
    if (t->ctx) SSL_CTX_free(t->ctx);
    if (t->fd >= 0) close(t->fd);
    t->ssl = NULL;
    t->ctx = NULL;
    t->fd = -1;
}
