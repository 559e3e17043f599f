/* xinyu_connection.h: what the frame layer (xinyu_client.c) offers the call layer
 * (xinyu_call.c). Internal to the library. */
#ifndef XINYU_CONNECTION_H
#define XINYU_CONNECTION_H

#include "xinyu_client.h"
#include "xinyu_transport.h"

struct xinyu_conn {
    xinyu_transport transport;
    uint32_t next_stream_id;   /* odd, counting upwards (§6.1) */
    uint32_t host_max_frame;   /* the host's Limits.max_frame_bytes */
    uint32_t keepalive_ms;     /* Welcome.keepalive_interval_ms */
    uint64_t last_received_ms; /* any frame counts (§9.1) */
    uint64_t last_ping_ms;
    uint32_t active_stream;    /* the call being read, 0 for none */
    int established;           /* welcome received: keepalive pings may be sent */
    int going_away;            /* the host sent go_away: no new calls here */
    int broken;                /* the connection is unusable; `broken_status` says why */
    xinyu_status broken_status;
    Xinyu__Wire__V1__Envelope *welcome; /* kept for the principal */
};

struct xinyu_stream {
    xinyu_conn *conn;
    uint32_t id;
    const ProtobufCMessageDescriptor *type;
    uint64_t deadline_ms; /* 0 = none */
    uint64_t timeout_micros;
    char method[256];
    int over;
};

/* Fills `status` (NULL is fine) with a code and a printf-style message. */
void xinyu__set_status(xinyu_status *status, uint32_t code, const char *format, ...);

/* Milliseconds of a monotonic clock. */
uint64_t xinyu__now_ms(void);

/* Packs and writes one envelope; a body over the host's limit fails locally (§3.3). */
int xinyu__send_envelope(xinyu_conn *conn, const Xinyu__Wire__V1__Envelope *envelope, xinyu_status *status);

/* Reads one frame by `deadline_ms` (0 = none), keeping the connection alive meanwhile.
 * Returns 1 with `*out`, 0 when the deadline passed, -1 with `status`. */
int xinyu__read_frame(xinyu_conn *conn, uint64_t deadline_ms, Xinyu__Wire__V1__Envelope **out, xinyu_status *status);

/* Handles ping, go_away, error and calls from the host. Returns 1 when the frame was one of
 * those, 0 for a call's message or end, -1 when the connection is over (`status`). */
int xinyu__handle_connection_frame(xinyu_conn *conn, Xinyu__Wire__V1__Envelope *envelope, xinyu_status *status);

#endif
