/* xinyu_call.c: calls over an established connection: unary, server streams, cancel and the
 * caller's own deadline (PROTOCOL.md §6). */
#define _GNU_SOURCE
#include "xinyu_connection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

xinyu_stream *xinyu_stream_start(xinyu_conn *conn, const xinyu_call *call, const ProtobufCMessage *request,
                                 const ProtobufCMessageDescriptor *response_type, xinyu_status *status) {
    xinyu__set_status(status, XINYU_OK, "");
    if (conn->broken) {
        *status = conn->broken_status;
        return NULL;
    }
    if (conn->going_away) {
        xinyu__set_status(status, XINYU_UNAVAILABLE, "%s is shutting down this connection; retry", xinyu_peer_name(conn));
        return NULL;
    }
    if (conn->active_stream) {
        xinyu__set_status(status, XINYU_FAILED_PRECONDITION, "a call is still running on this connection (one at a time; open another connection)");
        return NULL;
    }
    if (conn->next_stream_id > 0x7ffffffd) {
        xinyu__set_status(status, XINYU_UNAVAILABLE, "stream ids of this connection are used up; open a new connection");
        return NULL;
    }
    xinyu_stream *stream = calloc(1, sizeof *stream);
    size_t request_size = protobuf_c_message_get_packed_size(request);
    uint8_t *request_bytes = malloc(request_size ? request_size : 1);
    Xinyu__Wire__V1__MetadataEntry *entries = calloc(call->metadata_count ? call->metadata_count : 1, sizeof *entries);
    Xinyu__Wire__V1__MetadataEntry **entry_pointers = calloc(call->metadata_count ? call->metadata_count : 1, sizeof *entry_pointers);
    if (!stream || !request_bytes || !entries || !entry_pointers) {
        xinyu__set_status(status, XINYU_RESOURCE_EXHAUSTED, "out of memory");
        free(stream), free(request_bytes), free(entries), free(entry_pointers);
        return NULL;
    }
    protobuf_c_message_pack(request, request_bytes);

    Xinyu__Wire__V1__CallStart start = XINYU__WIRE__V1__CALL_START__INIT;
    start.method = (char *)call->method;
    start.timeout_micros = call->timeout_micros;
    if (call->idempotency_key) start.idempotency_key = (char *)call->idempotency_key;
    for (size_t i = 0; i < call->metadata_count; i++) {
        xinyu__wire__v1__metadata_entry__init(&entries[i]);
        entries[i].key = (char *)call->metadata[i].key;
        entries[i].value = (char *)call->metadata[i].value;
        entry_pointers[i] = &entries[i];
    }
    start.n_metadata = call->metadata_count;
    start.metadata = entry_pointers;
    Xinyu__Wire__V1__Envelope envelope = XINYU__WIRE__V1__ENVELOPE__INIT;
    envelope.stream_id = conn->next_stream_id;
    envelope.kind_case = XINYU__WIRE__V1__ENVELOPE__KIND_CALL_START;
    envelope.call_start = &start;
    envelope.payload.len = request_size; /* field 15: protobuf-c writes it last (§3.2) */
    envelope.payload.data = request_bytes;
    int rc = xinyu__send_envelope(conn, &envelope, status);
    free(request_bytes), free(entries), free(entry_pointers);
    if (rc != 0) {
        free(stream);
        return NULL;
    }
    stream->conn = conn;
    stream->id = conn->next_stream_id;
    stream->type = response_type;
    stream->timeout_micros = call->timeout_micros;
    stream->deadline_ms = call->timeout_micros ? xinyu__now_ms() + (call->timeout_micros + 999) / 1000 : 0;
    snprintf(stream->method, sizeof stream->method, "%s", call->method);
    conn->next_stream_id += 2;
    conn->active_stream = stream->id;
    return stream;
}

static void send_cancel(xinyu_stream *stream, const char *reason) {
    Xinyu__Wire__V1__Cancel cancel = XINYU__WIRE__V1__CANCEL__INIT;
    if (reason) cancel.reason = (char *)reason;
    Xinyu__Wire__V1__Envelope envelope = XINYU__WIRE__V1__ENVELOPE__INIT;
    envelope.stream_id = stream->id;
    envelope.kind_case = XINYU__WIRE__V1__ENVELOPE__KIND_CANCEL;
    envelope.cancel = &cancel;
    xinyu_status ignored;
    xinyu__send_envelope(stream->conn, &envelope, &ignored);
}

/* The call is over for us: frames for it that still arrive are ignored. */
static void finish(xinyu_stream *stream) {
    stream->over = 1;
    if (stream->conn->active_stream == stream->id) stream->conn->active_stream = 0;
}

int xinyu_stream_next(xinyu_stream *stream, ProtobufCMessage **message, xinyu_status *status) {
    xinyu__set_status(status, XINYU_OK, "");
    *message = NULL;
    if (stream->over) {
        xinyu__set_status(status, XINYU_FAILED_PRECONDITION, "the call %s has already ended", stream->method);
        return -1;
    }
    xinyu_conn *conn = stream->conn;
    for (;;) {
        Xinyu__Wire__V1__Envelope *envelope = NULL;
        int rc = xinyu__read_frame(conn, stream->deadline_ms, &envelope, status);
        if (rc == 0) {
            /* Our own timer (§6.5): give up, tell the host, report DEADLINE_EXCEEDED. */
            char reason[400];
            snprintf(reason, sizeof reason, "deadline of %llu ms passed waiting for %s", (unsigned long long)(stream->timeout_micros / 1000), stream->method);
            send_cancel(stream, reason);
            finish(stream);
            xinyu__set_status(status, XINYU_DEADLINE_EXCEEDED, "%s", reason);
            return -1;
        }
        if (rc < 0) {
            finish(stream);
            return -1;
        }
        int handled = xinyu__handle_connection_frame(conn, envelope, status);
        if (handled != 0 || envelope->stream_id != stream->id) {
            xinyu__wire__v1__envelope__free_unpacked(envelope, NULL);
            if (handled < 0) {
                finish(stream);
                return -1;
            }
            continue; /* a connection frame, or a late frame of a call we gave up */
        }
        if (envelope->kind_case == XINYU__WIRE__V1__ENVELOPE__KIND_END) {
            uint32_t code = envelope->end->code;
            xinyu__set_status(status, code, "%s", envelope->end->message ? envelope->end->message : "");
            xinyu__wire__v1__envelope__free_unpacked(envelope, NULL);
            finish(stream);
            return code == XINYU_OK ? 0 : -1;
        }
        *message = protobuf_c_message_unpack(stream->type, NULL, envelope->payload.len, envelope->payload.data);
        xinyu__wire__v1__envelope__free_unpacked(envelope, NULL);
        if (!*message) {
            char reason[400];
            snprintf(reason, sizeof reason, "the response of %s is not a valid %s", stream->method, stream->type->name);
            send_cancel(stream, reason);
            finish(stream);
            xinyu__set_status(status, XINYU_INVALID_ARGUMENT, "%s", reason);
            return -1;
        }
        return 1;
    }
}

void xinyu_stream_cancel(xinyu_stream *stream, const char *reason) {
    if (!stream) return;
    if (!stream->over) {
        send_cancel(stream, reason);
        finish(stream);
    }
    free(stream);
}

int xinyu_unary(xinyu_conn *conn, const xinyu_call *call, const ProtobufCMessage *request,
                const ProtobufCMessageDescriptor *response_type, ProtobufCMessage **response, xinyu_status *status) {
    *response = NULL;
    xinyu_stream *stream = xinyu_stream_start(conn, call, request, response_type, status);
    if (!stream) return -1;
    ProtobufCMessage *first = NULL;
    int rc = xinyu_stream_next(stream, &first, status);
    if (rc == 1) {
        ProtobufCMessage *extra = NULL;
        rc = xinyu_stream_next(stream, &extra, status); /* the end, after exactly one message */
        if (rc == 1) {
            protobuf_c_message_free_unpacked(extra, NULL);
            xinyu__set_status(status, XINYU_INTERNAL, "unary call %s answered more than one message", call->method);
            rc = -1;
        }
    } else if (rc == 0) {
        xinyu__set_status(status, XINYU_INTERNAL, "unary call %s ended OK without a response", call->method);
        rc = -1;
    }
    xinyu_stream_cancel(stream, "unexpected answer");
    if (rc != 0) {
        if (first) protobuf_c_message_free_unpacked(first, NULL);
        return -1;
    }
    *response = first;
    return 0;
}

int xinyu_new_idempotency_key(char out[37]) {
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0) return -1;
        got += (size_t)n;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return 0;
}
