/* xinyu-agency: a partner agency's referral desk over the Xinyu protocol (example program).
 *
 * Lists the agency's open referrals, follows WatchReferrals, and reports an appointment, as the
 * agency whose client certificate (or token) it presents. See README.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xinyu/partnership/v1/partnership.pb-c.h"
#include "xinyu_client.h"

#define PARTNERSHIP "xinyu.partnership.v1.Partnership/"

static const char usage_text[] =
    "usage: xinyu-agency [connection options] COMMAND [arguments]\n"
    "\n"
    "commands:\n"
    "  referrals                      list the agency's open referrals (--all: closed ones too)\n"
    "  watch [--cursor C] [--max N]   follow new and changed referrals, printing each change and\n"
    "                                 its cursor; resume later with --cursor (the last one printed);\n"
    "                                 stop after N changes (default: until interrupted)\n"
    "  appointment REFERRAL_ID --at \"YYYY-MM-DD HH:MM\" --place P --doctor D [--key K]\n"
    "                                 report an appointment (accepting the referral first if it is\n"
    "                                 still requested); --at also takes YYYY-MM-DDTHH:MM[:00].\n"
    "                                 Retry a failed run with the --key it printed: the host then\n"
    "                                 applies it once.\n"
    "\n"
    "connection options (agencies use TCP with TLS and their client certificate):\n"
    "  --address A         tcp://host:port, host:port, or unix:/path (default $XINYU_ADDRESS)\n"
    "  --ca FILE           the CA that signed the host's certificate (PEM)\n"
    "  --cert FILE         the agency's client certificate (PEM)\n"
    "  --key-file FILE     its private key (PEM)\n"
    "  --server-name NAME  the name in the host's certificate (default: the address's host)\n"
    "  --token-file FILE   an API token instead of a certificate (e.g. on the local Unix socket)\n"
    "  --no-tls            plain TCP (only to a loopback host with insecure_no_tls, for tests)\n"
    "  --timeout SECONDS   deadline for each call (default 30; watch: none)\n";

static int usage(const char *problem) {
    if (problem) fprintf(stderr, "xinyu-agency: %s\n\n", problem);
    fputs(usage_text, stderr);
    return 2;
}

static int call_failed(const char *what, const xinyu_status *status) {
    char text[1200];
    fprintf(stderr, "xinyu-agency: %s: %s\n", what, xinyu_status_text(status, text, sizeof text));
    return 1;
}

/* "appointment_booked" for REFERRAL_STATUS_APPOINTMENT_BOOKED. */
static const char *status_name(Xinyu__Partnership__V1__ReferralStatus value, char *buffer, size_t size) {
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(&xinyu__partnership__v1__referral_status__descriptor, (int)value);
    const char *name = v ? v->name + strlen("REFERRAL_STATUS_") : "unknown";
    size_t i = 0;
    for (; name[i] && i + 1 < size; i++) buffer[i] = (char)tolower((unsigned char)name[i]);
    buffer[i] = 0;
    return buffer;
}

static const char *utc(int64_t ms, char *buffer, size_t size) {
    time_t seconds = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&seconds, &tm);
    strftime(buffer, size, "%Y-%m-%dT%H:%MZ", &tm);
    return buffer;
}

static void print_referral(const char *prefix, const Xinyu__Partnership__V1__Referral *r) {
    char status[64], due[32];
    printf("%sreferral %s  %s  %s  student %s %s  %s  %s  respond by %s  legal basis %s", prefix, r->id,
           status_name(r->status, status, sizeof status), r->urgent ? "urgent" : "routine", r->student_id, r->student_name,
           r->school_name, r->reason, utc(r->respond_by_ms, due, sizeof due), r->legal_basis);
    if (r->overdue) printf("  OVERDUE");
    if (r->appointment && r->appointment->at[0]) printf("  appointment %s at %s with %s", r->appointment->at, r->appointment->place, r->appointment->doctor);
    printf("  version %lld\n", (long long)r->version);
}

static int list_referrals(xinyu_conn *conn, uint64_t timeout, int all) {
    char page_token[512] = "";
    int count = 0;
    do {
        Xinyu__Partnership__V1__ListReferralsRequest request = XINYU__PARTNERSHIP__V1__LIST_REFERRALS_REQUEST__INIT;
        request.open_only = !all;
        request.page_token = page_token;
        xinyu_call call = {.method = PARTNERSHIP "ListReferrals", .timeout_micros = timeout};
        ProtobufCMessage *answer = NULL;
        xinyu_status status;
        if (xinyu_unary(conn, &call, &request.base, &xinyu__partnership__v1__list_referrals_response__descriptor, &answer, &status) != 0) {
            return call_failed("ListReferrals", &status);
        }
        Xinyu__Partnership__V1__ListReferralsResponse *response = (Xinyu__Partnership__V1__ListReferralsResponse *)answer;
        for (size_t i = 0; i < response->n_referrals; i++, count++) print_referral("", response->referrals[i]);
        snprintf(page_token, sizeof page_token, "%s", response->next_page_token);
        protobuf_c_message_free_unpacked(answer, NULL);
    } while (page_token[0]);
    printf("%d %sreferral%s\n", count, all ? "" : "open ", count == 1 ? "" : "s");
    return 0;
}

static int watch_referrals(xinyu_conn *conn, const char *cursor, long max) {
    Xinyu__Partnership__V1__WatchReferralsRequest request = XINYU__PARTNERSHIP__V1__WATCH_REFERRALS_REQUEST__INIT;
    request.cursor = (char *)cursor;
    xinyu_call call = {.method = PARTNERSHIP "WatchReferrals"};
    xinyu_status status;
    xinyu_stream *stream = xinyu_stream_start(conn, &call, &request.base, &xinyu__partnership__v1__referral_change__descriptor, &status);
    if (!stream) return call_failed("WatchReferrals", &status);
    long seen = 0;
    int rc = 0;
    while (max <= 0 || seen < max) {
        ProtobufCMessage *message = NULL;
        int next = xinyu_stream_next(stream, &message, &status);
        if (next == 0) break; /* the host ended the stream OK */
        if (next < 0) {
            rc = call_failed("WatchReferrals", &status);
            break;
        }
        Xinyu__Partnership__V1__ReferralChange *change = (Xinyu__Partnership__V1__ReferralChange *)message;
        char prefix[600];
        snprintf(prefix, sizeof prefix, "change cursor %s  ", change->cursor);
        if (change->referral) print_referral(prefix, change->referral);
        fflush(stdout); /* a consumer reading a pipe sees each change as it comes */
        protobuf_c_message_free_unpacked(message, NULL);
        seen++;
    }
    xinyu_stream_cancel(stream, "the agency stopped watching");
    return rc;
}

/* "2024-10-09T14:30", "2024-10-09 14:30" or with ":00" seconds -> "2024-10-09 14:30". */
static int local_time(const char *text, char out[17]) {
    static const char pattern[] = "dddd-dd-dd?dd:dd";
    if (strlen(text) != 16 && !(strlen(text) == 19 && strcmp(text + 16, ":00") == 0)) return -1;
    for (int i = 0; i < 16; i++) {
        if (pattern[i] == 'd' ? !isdigit((unsigned char)text[i]) : pattern[i] == '?' ? (text[i] != 'T' && text[i] != ' ') : text[i] != pattern[i]) return -1;
    }
    memcpy(out, text, 16);
    out[10] = ' ';
    out[16] = 0;
    int month = atoi(out + 5), day = atoi(out + 8), hour = atoi(out + 11), minute = atoi(out + 14);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 ? 0 : -1;
}

/* One step with its own key; on failure says which --key retries the whole run safely. */
static int update(xinyu_conn *conn, uint64_t timeout, const char *run_key, const char *key, Xinyu__Partnership__V1__UpdateReferralRequest *request) {
    xinyu_call call = {.method = PARTNERSHIP "UpdateReferral", .timeout_micros = timeout, .idempotency_key = key};
    ProtobufCMessage *answer = NULL;
    xinyu_status status;
    if (xinyu_unary(conn, &call, &request->base, &xinyu__partnership__v1__referral__descriptor, &answer, &status) != 0) {
        char what[300];
        snprintf(what, sizeof what, "UpdateReferral (retry with --key %s)", run_key);
        return call_failed(what, &status);
    }
    print_referral("", (Xinyu__Partnership__V1__Referral *)answer);
    protobuf_c_message_free_unpacked(answer, NULL);
    return 0;
}

static int report_appointment(xinyu_conn *conn, uint64_t timeout, const char *id, const char *at, const char *place,
                              const char *doctor, const char *key) {
    Xinyu__Partnership__V1__GetReferralRequest get = XINYU__PARTNERSHIP__V1__GET_REFERRAL_REQUEST__INIT;
    get.referral_id = (char *)id;
    xinyu_call call = {.method = PARTNERSHIP "GetReferral", .timeout_micros = timeout};
    ProtobufCMessage *answer = NULL;
    xinyu_status status;
    if (xinyu_unary(conn, &call, &get.base, &xinyu__partnership__v1__referral__descriptor, &answer, &status) != 0) {
        return call_failed("GetReferral", &status);
    }
    Xinyu__Partnership__V1__ReferralStatus current = ((Xinyu__Partnership__V1__Referral *)answer)->status;
    protobuf_c_message_free_unpacked(answer, NULL);

    /* One logical operation, two steps: each step has its own key derived from the run's key,
     * so re-running with the same --key replays the steps already applied. */
    char step_key[128];
    if (current == XINYU__PARTNERSHIP__V1__REFERRAL_STATUS__REFERRAL_STATUS_REQUESTED) {
        Xinyu__Partnership__V1__UpdateReferralRequest accept = XINYU__PARTNERSHIP__V1__UPDATE_REFERRAL_REQUEST__INIT;
        accept.referral_id = (char *)id;
        accept.to = XINYU__PARTNERSHIP__V1__REFERRAL_STATUS__REFERRAL_STATUS_ACCEPTED;
        snprintf(step_key, sizeof step_key, "%s-accept", key);
        if (update(conn, timeout, key, step_key, &accept) != 0) return 1;
    }
    Xinyu__Partnership__V1__Appointment appointment = XINYU__PARTNERSHIP__V1__APPOINTMENT__INIT;
    appointment.at = (char *)at;
    appointment.place = (char *)place;
    appointment.doctor = (char *)doctor;
    Xinyu__Partnership__V1__UpdateReferralRequest book = XINYU__PARTNERSHIP__V1__UPDATE_REFERRAL_REQUEST__INIT;
    book.referral_id = (char *)id;
    book.to = XINYU__PARTNERSHIP__V1__REFERRAL_STATUS__REFERRAL_STATUS_APPOINTMENT_BOOKED;
    book.appointment = &appointment;
    snprintf(step_key, sizeof step_key, "%s-book", key);
    return update(conn, timeout, key, step_key, &book);
}

/* Whether argv[*i] is option `name`; if so takes its value (a missing value is a usage error). */
static int option(const char *arg, const char *name, int argc, char **argv, int *i, const char **value) {
    if (strcmp(arg, name) != 0) return 0;
    if (*i + 1 >= argc) {
        char problem[100];
        snprintf(problem, sizeof problem, "option %s needs a value", name);
        exit(usage(problem));
    }
    *value = argv[++*i];
    return 1;
}

static char *read_token(const char *path) {
    FILE *file = fopen(path, "r");
    if (!file) return NULL;
    static char token[512];
    size_t n = fread(token, 1, sizeof token - 1, file);
    fclose(file);
    token[n] = 0;
    while (n > 0 && isspace((unsigned char)token[n - 1])) token[--n] = 0;
    return token;
}

int main(int argc, char **argv) {
    xinyu_options options = {.address = getenv("XINYU_ADDRESS"), .peer_name = "xinyu-agency/1.0"};
    double timeout_seconds = 30;
    const char *command = NULL, *referral = NULL, *cursor = "", *at = NULL, *place = NULL, *doctor = NULL, *key = NULL;
    long max = 0;
    int all = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = NULL;
#define OPTION(name) option(a, name, argc, argv, &i, &value)
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (OPTION("--address")) options.address = value;
        else if (OPTION("--ca")) options.ca_file = value;
        else if (OPTION("--cert")) options.cert_file = value;
        else if (OPTION("--key-file")) options.key_file = value;
        else if (OPTION("--server-name")) options.server_name = value;
        else if (OPTION("--token-file")) {
            options.token = read_token(value);
            if (!options.token) {
                fprintf(stderr, "xinyu-agency: cannot read the token file %s\n", value);
                return 2;
            }
        } else if (strcmp(a, "--no-tls") == 0) options.insecure_no_tls = 1;
        else if (OPTION("--timeout")) timeout_seconds = atof(value);
        else if (OPTION("--cursor")) cursor = value;
        else if (OPTION("--max")) max = atol(value);
        else if (strcmp(a, "--all") == 0) all = 1;
        else if (OPTION("--at")) at = value;
        else if (OPTION("--place")) place = value;
        else if (OPTION("--doctor")) doctor = value;
        else if (OPTION("--key")) key = value;
        else if (a[0] == '-') {
            char problem[300];
            snprintf(problem, sizeof problem, "unknown option %s", a);
            return usage(problem);
        } else if (!command) command = a;
        else if (!referral) referral = a;
        else {
            char problem[300];
            snprintf(problem, sizeof problem, "unexpected argument %s", a);
            return usage(problem);
        }
#undef OPTION
    }
    if (!command) return usage("no command given");
    int is_referrals = strcmp(command, "referrals") == 0, is_watch = strcmp(command, "watch") == 0;
    int is_appointment = strcmp(command, "appointment") == 0;
    if (!is_referrals && !is_watch && !is_appointment) {
        char problem[300];
        snprintf(problem, sizeof problem, "unknown command %s", command);
        return usage(problem);
    }
    if (referral && !is_appointment) return usage("only appointment takes a REFERRAL_ID");
    char at_local[17], generated_key[37];
    if (is_appointment) {
        if (!referral) return usage("appointment needs a REFERRAL_ID");
        if (!at || !place || !doctor) return usage("appointment needs --at, --place and --doctor");
        if (local_time(at, at_local) != 0) {
            fprintf(stderr, "xinyu-agency: --at \"%s\" is not a local time (use YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM)\n", at);
            return 2;
        }
        if (!key) {
            if (xinyu_new_idempotency_key(generated_key) != 0) {
                fprintf(stderr, "xinyu-agency: no randomness for an idempotency key; pass --key\n");
                return 1;
            }
            key = generated_key;
        }
    }
    if (!options.address) return usage("no --address (or XINYU_ADDRESS) given");
    if (timeout_seconds < 0) return usage("--timeout must be a number of seconds");
    uint64_t timeout = (uint64_t)(timeout_seconds * 1e6);

    xinyu_status status;
    xinyu_conn *conn = xinyu_connect(&options, &status);
    if (!conn) {
        char what[600];
        snprintf(what, sizeof what, "cannot connect to %s", options.address);
        return call_failed(what, &status);
    }
    const Xinyu__Wire__V1__Principal *principal = xinyu_principal(conn);
    fprintf(stderr, "xinyu-agency: connected to %s as %s\n", xinyu_peer_name(conn), principal ? principal->id : "?");
    int rc;
    if (is_referrals) rc = list_referrals(conn, timeout, all);
    else if (is_watch) rc = watch_referrals(conn, cursor, max);
    else rc = report_appointment(conn, timeout, referral, at_local, place, doctor, key);
    xinyu_close(conn);
    return rc;
}
