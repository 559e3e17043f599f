/* xinyu_transport.h: the byte stream under the Xinyu protocol (internal to the client library).
 *
 * A connected Unix socket, plain TCP (loopback tests only), or TCP with TLS 1.2+ and an optional
 * client certificate (mutual TLS, what agencies use). The frame layer above reads and writes
 * exact byte counts through it and waits for readability with a timeout, so pings are answered
 * while a call waits (docs/PROTOCOL.md §9.1).
 */
#ifndef XINYU_TRANSPORT_H
#define XINYU_TRANSPORT_H

#include <stddef.h>
#include <openssl/ssl.h>

typedef struct {
    int fd;
    SSL_CTX *ctx; /* NULL without TLS */
    SSL *ssl;     /* NULL without TLS */
} xinyu_transport;

/* Opens `address` (see xinyu_options in xinyu_client.h). With TLS, verifies the host against
 * ca_file and server_name (or the address's host), presenting cert_file/key_file if given.
 * Returns 0, or -1 with a sentence in `error`. */
int xinyu_transport_open(xinyu_transport *t, const char *address, int use_tls, const char *ca_file,
                         const char *cert_file, const char *key_file, const char *server_name,
                         char *error, size_t error_size);

/* Writes all `n` bytes. Returns 0, or -1 with `error` set. */
int xinyu_transport_write(xinyu_transport *t, const void *data, size_t n, char *error, size_t error_size);

/* Reads exactly `n` bytes. Returns 0; 1 on end of stream before the first byte; -1 with `error`. */
int xinyu_transport_read(xinyu_transport *t, void *data, size_t n, char *error, size_t error_size);

/* Waits until a read would not block, at most `timeout_ms` (-1 = forever).
 * Returns 1 readable, 0 timed out, -1 with `error`. */
int xinyu_transport_wait(xinyu_transport *t, int timeout_ms, char *error, size_t error_size);

void xinyu_transport_close(xinyu_transport *t);

#endif
