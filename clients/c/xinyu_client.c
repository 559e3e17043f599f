/* xinyu_client.c: frames, the handshake, keepalive and connection frames of the Xinyu protocol
 * v1 (calls are in xinyu_call.c).
 *
 * Frame (PROTOCOL.md §3):
 *
 *   +--------+--------+--------+--------+--------+---------------------------------+
 *   | flags  |     length (uint32, big-endian)   |  xinyu.wire.v1.Envelope          |
 *   | = 0x00 |     body bytes, header excluded   |  (`length` bytes)                |
 *   +--------+--------+--------+--------+--------+---------------------------------+
 */
#define _GNU_SOURCE
#include "xinyu_connection.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define XINYU_MAX_FRAME 4194304u /* what we announce in hello and enforce on reads (§3.3) */
#define XINYU_DEFAULT_KEEPALIVE_MS 10000u

static const char *const code_names[] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
    "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

const char *xinyu_code_name(uint32_t code) {
    return code <= 16 ? code_names[code] : "UNKNOWN";
}

const char *xinyu_status_text(const xinyu_status *status, char *buffer, size_t size) {
    snprintf(buffer, size, "%s (%u)%s%s", xinyu_code_name(status->code), status->code,
             status->message[0] ? ": " : "", status->message);
    return buffer;
}

void xinyu__set_status(xinyu_status *status, uint32_t code, const char *format, ...) {
    if (!status) return;
    status->code = code;
    va_list args;
    va_start(args, format);
    vsnprintf(status->message, sizeof status->message, format, args);
    va_end(args);
}

uint64_t xinyu__now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Marks the connection unusable: every later call fails with the same status (§6.9). */
static void break_connection(xinyu_conn *conn, const xinyu_status *why) {
    if (conn->broken) return;
    conn->broken = 1;
    conn->broken_status = *why;
    xinyu_transport_close(&conn->transport);
}

/* Packs and writes one envelope. A body over the host's limit fails locally (§3.3). */
int xinyu__send_envelope(xinyu_conn *conn, const Xinyu__Wire__V1__Envelope *envelope, xinyu_status *status) {
    if (conn->broken) {
        *status = conn->broken_status;
        return -1;
    }
    size_t length = xinyu__wire__v1__envelope__get_packed_size(envelope);
    uint32_t limit = conn->host_max_frame ? conn->host_max_frame : XINYU_MAX_FRAME;
    if (length > limit) {
        xinyu__set_status(status, XINYU_RESOURCE_EXHAUSTED, "request of %zu bytes exceeds the host's frame limit of %u bytes", length, limit);
        return -1;
    }
    uint8_t *frame = malloc(5 + length);
    if (!frame) {
        xinyu__set_status(status, XINYU_RESOURCE_EXHAUSTED, "out of memory for a frame of %zu bytes", length);
        return -1;
    }
    frame[0] = 0; /* flags: always 0 in v1 */
    frame[1] = (uint8_t)(length >> 24);
    frame[2] = (uint8_t)(length >> 16);
    frame[3] = (uint8_t)(length >> 8);
    frame[4] = (uint8_t)length;
    xinyu__wire__v1__envelope__pack(envelope, frame + 5);
    char error[512];
    int rc = xinyu_transport_write(&conn->transport, frame, 5 + length, error, sizeof error);
    free(frame);
    if (rc != 0) {
        xinyu_status lost;
        xinyu__set_status(&lost, XINYU_UNAVAILABLE, "%s", error);
        break_connection(conn, &lost);
        *status = lost;
        return -1;
    }
    return 0;
}

/* A connection error we detected: tell the host (best effort, §9.3), then close. */
static void fail_connection(xinyu_conn *conn, uint32_t code, const char *message, xinyu_status *status) {
    Xinyu__Wire__V1__ConnectionError error = XINYU__WIRE__V1__CONNECTION_ERROR__INIT;
    error.code = code;
    error.message = (char *)message;
    Xinyu__Wire__V1__Envelope envelope = XINYU__WIRE__V1__ENVELOPE__INIT;
    envelope.kind_case = XINYU__WIRE__V1__ENVELOPE__KIND_ERROR;
    envelope.error = &error;
    xinyu_status ignored;
    xinyu__send_envelope(conn, &envelope, &ignored);
    xinyu_status why;
    xinyu__set_status(&why, code, "%s", message);
    break_connection(conn, &why);
    *status = why;
}

static int send_ping(xinyu_conn *conn, xinyu_status *status) {
    Xinyu__Wire__V1__Ping ping = XINYU__WIRE__V1__PING__INIT;
    ping.opaque = xinyu__now_ms();
    Xinyu__Wire__V1__Envelope envelope = XINYU__WIRE__V1__ENVELOPE__INIT;
    envelope.kind_case = XINYU__WIRE__V1__ENVELOPE__KIND_PING;
    envelope.ping = &ping;
    conn->last_ping_ms = xinyu__now_ms();
    return xinyu__send_envelope(conn, &envelope, status);
}

/* Reads one frame, waiting at most until `deadline_ms` (0 = no deadline), answering nothing.
 * Returns 1 with `*out`, 0 when the deadline passed, -1 with `status` (the connection is then
 * broken). Sends our own pings after a keepalive interval of silence and gives up after three. */
int xinyu__read_frame(xinyu_conn *conn, uint64_t deadline_ms, Xinyu__Wire__V1__Envelope **out, xinyu_status *status) {
    char error[512];
    for (;;) {
        if (conn->broken) {
            *status = conn->broken_status;
            return -1;
        }
        uint64_t now = xinyu__now_ms();
        if (deadline_ms && now >= deadline_ms) return 0;
        uint64_t silent = now - conn->last_received_ms;
        if (conn->established && silent >= 3u * conn->keepalive_ms) {
            char message[128];
            snprintf(message, sizeof message, "host stopped answering pings for %llu ms", (unsigned long long)silent);
            fail_connection(conn, XINYU_UNAVAILABLE, message, status);
            return -1;
        }
        if (conn->established && silent >= conn->keepalive_ms && now - conn->last_ping_ms >= conn->keepalive_ms && send_ping(conn, status) != 0) return -1;
        /* Wake at the next keepalive tick or the deadline, whichever comes first. */
        uint64_t wait = conn->keepalive_ms / 2 + 1;
        if (deadline_ms && deadline_ms - now < wait) wait = deadline_ms - now;
        int ready = xinyu_transport_wait(&conn->transport, (int)wait, error, sizeof error);
        if (ready < 0) {
            xinyu__set_status(status, XINYU_UNAVAILABLE, "%s", error);
            break_connection(conn, status);
            return -1;
        }
        if (ready == 0) continue;

        uint8_t header[5];
        int rc = xinyu_transport_read(&conn->transport, header, 5, error, sizeof error);
        if (rc != 0) {
            xinyu__set_status(status, XINYU_UNAVAILABLE, "%s", rc == 1 ? "connection closed by peer" : error);
            break_connection(conn, status);
            return -1;
        }
        if (header[0] != 0) {
            snprintf(error, sizeof error, "frame flags 0x%x are not defined in protocol v1 (must be 0)", header[0]);
            fail_connection(conn, XINYU_INVALID_ARGUMENT, error, status);
            return -1;
        }
        uint32_t length = (uint32_t)header[1] << 24 | (uint32_t)header[2] << 16 | (uint32_t)header[3] << 8 | header[4];
        if (length > XINYU_MAX_FRAME) {
            snprintf(error, sizeof error, "frame of %u bytes exceeds the limit of %u bytes announced in the handshake", length, XINYU_MAX_FRAME);
            fail_connection(conn, XINYU_RESOURCE_EXHAUSTED, error, status);
            return -1;
        }
        uint8_t *body = malloc(length ? length : 1);
        if (!body) {
            fail_connection(conn, XINYU_RESOURCE_EXHAUSTED, "out of memory for a frame", status);
            return -1;
        }
        rc = length ? xinyu_transport_read(&conn->transport, body, length, error, sizeof error) : 0;
        if (rc != 0) {
            free(body);
            xinyu__set_status(status, XINYU_UNAVAILABLE, "%s", rc == 1 ? "connection closed in the middle of a frame" : error);
            break_connection(conn, status);
            return -1;
        }
        Xinyu__Wire__V1__Envelope *envelope = xinyu__wire__v1__envelope__unpack(NULL, length, body);
        free(body);
        if (!envelope) {
            fail_connection(conn, XINYU_INVALID_ARGUMENT, "frame body is not a valid xinyu.wire.v1.Envelope", status);
            return -1;
        }
        conn->last_received_ms = xinyu__now_ms();
        *out = envelope;
        return 1;
    }
}

/* The kind's field name, as the protocol's messages name it. */
static const char *kind_name(const Xinyu__Wire__V1__Envelope *envelope) {
    switch (envelope->kind_case) {
    case XINYU__WIRE__V1__ENVELOPE__KIND_HELLO: return "hello";
    case XINYU__WIRE__V1__ENVELOPE__KIND_WELCOME: return "welcome";
    case XINYU__WIRE__V1__ENVELOPE__KIND_CALL_START: return "call_start";
    case XINYU__WIRE__V1__ENVELOPE__KIND_MESSAGE: return "message";
    case XINYU__WIRE__V1__ENVELOPE__KIND_END: return "end";
    case XINYU__WIRE__V1__ENVELOPE__KIND_CANCEL: return "cancel";
    case XINYU__WIRE__V1__ENVELOPE__KIND_PING: return "ping";
    case XINYU__WIRE__V1__ENVELOPE__KIND_PONG: return "pong";
    case XINYU__WIRE__V1__ENVELOPE__KIND_GO_AWAY: return "go_away";
    case XINYU__WIRE__V1__ENVELOPE__KIND_ERROR: return "error";
    default: return "an empty envelope";
    }
}

/* Handles a connection-level frame after the handshake (ping, go_away, error, a call from the
 * host...). Returns 1 when it was one of those (nothing for the call), 0 for message/end,
 * -1 when the connection is over (`status`). */
int xinyu__handle_connection_frame(xinyu_conn *conn, Xinyu__Wire__V1__Envelope *envelope, xinyu_status *status) {
    Xinyu__Wire__V1__Envelope answer = XINYU__WIRE__V1__ENVELOPE__INIT;
    char message[1100];
    switch (envelope->kind_case) {
    case XINYU__WIRE__V1__ENVELOPE__KIND_MESSAGE:
    case XINYU__WIRE__V1__ENVELOPE__KIND_END:
        return 0;
    case XINYU__WIRE__V1__ENVELOPE__KIND_PING: {
        Xinyu__Wire__V1__Pong pong = XINYU__WIRE__V1__PONG__INIT;
        pong.opaque = envelope->ping->opaque;
        answer.kind_case = XINYU__WIRE__V1__ENVELOPE__KIND_PONG;
        answer.pong = &pong;
        return xinyu__send_envelope(conn, &answer, status) == 0 ? 1 : -1;
    }
    case XINYU__WIRE__V1__ENVELOPE__KIND_PONG:
    case XINYU__WIRE__V1__ENVELOPE__KIND_CANCEL: /* we serve no calls, so there is nothing to cancel */
        return 1;
    case XINYU__WIRE__V1__ENVELOPE__KIND_GO_AWAY:
        conn->going_away = 1; /* the call in flight still finishes (§9.2) */
        return 1;
    case XINYU__WIRE__V1__ENVELOPE__KIND_CALL_START: {
        /* The host may call us; a client serves nothing. */
        Xinyu__Wire__V1__CallEnd end = XINYU__WIRE__V1__CALL_END__INIT;
        snprintf(message, sizeof message, "this peer serves no methods (%s)", envelope->call_start->method);
        end.code = XINYU_UNIMPLEMENTED;
        end.message = message;
        answer.stream_id = envelope->stream_id;
        answer.kind_case = XINYU__WIRE__V1__ENVELOPE__KIND_END;
        answer.end = &end;
        return xinyu__send_envelope(conn, &answer, status) == 0 ? 1 : -1;
    }
    case XINYU__WIRE__V1__ENVELOPE__KIND_ERROR: {
        xinyu_status why;
        xinyu__set_status(&why, XINYU_UNAVAILABLE, "peer closed the connection: %s: %s", xinyu_code_name(envelope->error->code), envelope->error->message);
        break_connection(conn, &why);
        *status = why;
        return -1;
    }
    case XINYU__WIRE__V1__ENVELOPE__KIND_HELLO:
    case XINYU__WIRE__V1__ENVELOPE__KIND_WELCOME:
        snprintf(message, sizeof message, "protocol error: unexpected %s frame after the handshake", kind_name(envelope));
        fail_connection(conn, XINYU_FAILED_PRECONDITION, message, status);
        return -1;
    default:
        fail_connection(conn, XINYU_FAILED_PRECONDITION, "protocol error: unexpected empty frame after the handshake", status);
        return -1;
    }
}

xinyu_conn *xinyu_connect(const xinyu_options *options, xinyu_status *status) {
    xinyu__set_status(status, XINYU_OK, "");
    if (!options || !options->address) {
        xinyu__set_status(status, XINYU_INVALID_ARGUMENT, "no address to connect to");
        return NULL;
    }
    xinyu_conn *conn = calloc(1, sizeof *conn);
    if (!conn) {
        xinyu__set_status(status, XINYU_RESOURCE_EXHAUSTED, "out of memory");
        return NULL;
    }
    char error[1024];
    if (xinyu_transport_open(&conn->transport, options->address, !options->insecure_no_tls, options->ca_file, options->cert_file,
                             options->key_file, options->server_name, error, sizeof error) != 0) {
        xinyu__set_status(status, XINYU_UNAVAILABLE, "%s", error);
        free(conn);
        return NULL;
    }
    conn->next_stream_id = 1;
    conn->keepalive_ms = XINYU_DEFAULT_KEEPALIVE_MS;
    conn->last_received_ms = xinyu__now_ms();

    /* hello: versions 1-1, our limits, and a token if we have one (§5.1). */
    Xinyu__Wire__V1__Limits limits = XINYU__WIRE__V1__LIMITS__INIT;
    limits.max_frame_bytes = XINYU_MAX_FRAME;
    limits.max_concurrent_streams = 16;
    Xinyu__Wire__V1__Credentials credentials = XINYU__WIRE__V1__CREDENTIALS__INIT;
    Xinyu__Wire__V1__Hello hello = XINYU__WIRE__V1__HELLO__INIT;
    hello.min_version = 1;
    hello.max_version = 1;
    hello.peer_name = (char *)(options->peer_name ? options->peer_name : "xinyu-c/1.0");
    hello.limits = &limits;
    if (options->token) {
        credentials.kind_case = XINYU__WIRE__V1__CREDENTIALS__KIND_BEARER_TOKEN;
        credentials.bearer_token = (char *)options->token;
        hello.credentials = &credentials;
    }
    Xinyu__Wire__V1__Envelope envelope = XINYU__WIRE__V1__ENVELOPE__INIT;
    envelope.kind_case = XINYU__WIRE__V1__ENVELOPE__KIND_HELLO;
    envelope.hello = &hello;
    if (xinyu__send_envelope(conn, &envelope, status) != 0) {
        xinyu_close(conn);
        return NULL;
    }

    /* Send nothing more until welcome or error (§5.3: do not pipeline). */
    int timeout = options->connect_timeout_ms > 0 ? options->connect_timeout_ms : 10000;
    Xinyu__Wire__V1__Envelope *first = NULL;
    int rc = xinyu__read_frame(conn, xinyu__now_ms() + (uint64_t)timeout, &first, status);
    if (rc == 0) xinyu__set_status(status, XINYU_DEADLINE_EXCEEDED, "handshake not completed within %d ms", timeout);
    if (rc != 1) {
        xinyu_close(conn);
        return NULL;
    }
    if (first->kind_case == XINYU__WIRE__V1__ENVELOPE__KIND_ERROR) {
        xinyu__set_status(status, first->error->code, "%s", first->error->message); /* the host's refusal, as it said it */
        xinyu__wire__v1__envelope__free_unpacked(first, NULL);
        xinyu_close(conn);
        return NULL;
    }
    if (first->kind_case != XINYU__WIRE__V1__ENVELOPE__KIND_WELCOME) {
        xinyu__set_status(status, XINYU_FAILED_PRECONDITION, "protocol error: expected welcome from the host, got %s", kind_name(first));
        xinyu__wire__v1__envelope__free_unpacked(first, NULL);
        xinyu_close(conn);
        return NULL;
    }
    if (first->welcome->version != 1) {
        xinyu__set_status(status, XINYU_FAILED_PRECONDITION, "peer chose protocol version %u, this side speaks 1\u20131", first->welcome->version);
        xinyu__wire__v1__envelope__free_unpacked(first, NULL);
        xinyu_close(conn);
        return NULL;
    }
    conn->welcome = first;
    conn->established = 1;
    if (first->welcome->limits) conn->host_max_frame = first->welcome->limits->max_frame_bytes;
    if (first->welcome->keepalive_interval_ms) conn->keepalive_ms = first->welcome->keepalive_interval_ms;
    return conn;
}

const Xinyu__Wire__V1__Principal *xinyu_principal(const xinyu_conn *conn) {
    return conn->welcome->welcome->principal;
}

const char *xinyu_peer_name(const xinyu_conn *conn) {
    return conn->welcome->welcome->peer_name;
}

void xinyu_close(xinyu_conn *conn) {
    if (!conn) return;
    xinyu_transport_close(&conn->transport);
    if (conn->welcome) xinyu__wire__v1__envelope__free_unpacked(conn->welcome, NULL);
    free(conn);
}
