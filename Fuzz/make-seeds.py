#!/usr/bin/env python3
"""Writes the committed seed corpus of every harness into Fuzz/Corpus/<harness>/.

Seeds are small valid and near-valid inputs: the fuzzer mutates from them, so each one is a
door into a code path (a frame of every kind, a file of every import kind and encoding, every
settings file as shipped). Run it again after changing it; the files are committed so that a
fuzz run needs nothing but the checkout. Each input starts with the harness's selector byte
(read size, field limit, import kind; ignored by the settings harness)."""
import os
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent
REPO = ROOT.parent
CORPUS = ROOT / "Corpus"


# --- protobuf by hand (envelope.proto), so the seeds need no generated code ---
def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, value):
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(number << 3 | 2) + varint(len(value)) + value


def msg(*fields):
    return b"".join(field(n, v) for n, v in fields if v not in (None, 0, b"", ""))


def frame(stream_id=0, kind=None, body=b"", payload=b"", flags=0):
    envelope = msg((1, stream_id))
    if kind is not None:
        envelope += field(kind, body)
    if payload:
        envelope += field(15, payload)
    return bytes([flags]) + len(envelope).to_bytes(4, "big") + envelope


limits = msg((1, 65536), (2, 4))
principal = msg((1, "psych-1"), (2, 1), (3, "王老师"), (4, "psych_teacher"), (5, "crisis.read"))
hello = frame(kind=2, body=msg((1, 1), (2, 1), (3, "xinyu-cli"), (4, limits), (5, msg((1, "xyt_token")))))
welcome = frame(kind=3, body=msg((1, 1), (2, "xinyu-host"), (3, limits), (4, principal), (5, 10000)))
call_start = lambda sid, method="xinyu.crisis.v1.Crisis/GetCase", timeout=0, payload=b"\x0a\x02C1": frame(
    sid, 4, msg((1, method), (2, msg((1, "k"), (2, "v"))), (3, timeout), (4, "idem-1")), payload)
message = lambda sid, payload=b"\x0a\x03abc": frame(sid, 5, b"", payload)
end = lambda sid, code=0, text="": frame(sid, 6, msg((1, code), (2, text), (3, msg((1, "t"), (2, "v")))))
cancel = lambda sid: frame(sid, 7, msg((1, "user pressed stop")))
ping = frame(kind=8, body=msg((1, 42)))
pong = frame(kind=9, body=msg((1, 1)))
go_away = frame(kind=10, body=msg((1, 4), (2, 14), (3, "restarting")))
error = frame(kind=11, body=msg((1, 3), (2, "bad")))

frames_seeds = {
    "hello": b"\x00" + hello,
    "welcome-calls": b"\x03" + welcome + call_start(2) + call_start(1) + message(1) + end(1) + ping + pong,
    "hello-calls": b"\x07" + hello + call_start(1, timeout=500) + call_start(3) + cancel(3) + go_away + error,
    "every-kind": b"\x0f" + welcome + call_start(2) + message(2) + end(2, 5, "not found") + cancel(4) + ping + pong + go_away + error,
    "payload-first": b"\x01" + b"\x00" + (lambda e: len(e).to_bytes(4, "big") + e)(field(15, b"xyz") + field(1, 2) + field(5, b"")),
    "bad-flags": b"\x02" + frame(kind=8, body=msg((1, 1)), flags=1),
    "too-large": b"\x00\x00\x7f\xff\xff\xff",
    "truncated": b"\x04" + welcome[:-3],
    "varint-long": b"\x00\x00\x00\x00\x00\x0b" + b"\x08" + b"\xff" * 10,
    "unknown-field": b"\x05" + (lambda e: b"\x00" + len(e).to_bytes(4, "big") + e)(field(99, b"x") + field(3, msg((1, 1)))),
    "empty-envelope": b"\x00\x00\x00\x00\x00\x00",
}
# The connection harness: everything the acceptor sends to us, the opener, after our hello
# (first byte: read size 1-64 in the low six bits, time step in the high two).
connection_seeds = {
    "welcome-only": b"\x3f" + welcome,
    "welcome-calls": b"\x07" + welcome + call_start(2) + call_start(4, timeout=300000) + message(1) + end(1) + ping,
    "welcome-timeouts": b"\xc3" + welcome + call_start(2, timeout=100) + call_start(6) + cancel(6),
    "welcome-goaway": b"\x10" + welcome + call_start(2) + go_away + call_start(4) + pong,
    "refused": b"\x00" + error,
    "wrong-first": b"\x01" + hello,
    "bad-parity": b"\x3f" + welcome + call_start(3),
    "flood": b"\x3f" + welcome + b"".join(call_start(2 * i) for i in range(1, 8)),
    "bad-frame-after": b"\x3f" + welcome + b"\x01\x00\x00\x00\x00",
}

# --- CSV files ---
students = "student_id,name,gender,birth_date,school_id,class_id\nS1,张小明,男,2013-04-23,SCH1,C1\nS2,李华,女,2013/5/1,SCH1,C1\n"
csv_seeds = {
    "utf8": b"\x07" + students.encode(),
    "bom": b"\x07" + b"\xef\xbb\xbf" + students.encode(),
    "gbk": b"\x07" + students.encode("gbk"),
    "crlf-quoted": b"\x03" + b'id,"name, full",note\r\n1,"A ""quoted"" name","two\r\nlines"\r\n2, spaced ,\r\n,,\r\n',
    "lone-cr": b"\x02" + b"a,b\rx,y\r\n",
    "unterminated": b"\x05" + b'a,b\n1,"never closed\n2,3\n',
    "wide": b"\x00" + b"a,b,c,d,e,f,g,h,i,j\n1,2,3,4,5,6,7,8,9,10,11\n",
    "duplicate-header": b"\x07" + b"Student ID,student_id\n1,2\n",
    "empty-header": b"\x07" + b"a,,c\n1,2,3\n",
    "blank-lines": b"\x07" + b"\n\n  \n" + b"a,b\n\n1,2\n",
    "text-after-quote": b"\x07" + b'a,b\n"x"y , z\n',
    "mixed-encodings": b"\x07" + "姓名\n张三\n".encode() + "李四\n".encode("gbk"),
    "bad-bom": b"\x07" + b"\xef\xbb\xbfa,b\n\xff\xfe,1\n",
}
# The import harness: first byte 0-4 a roster kind (schools, classes, students, guardians,
# staff), 5 a crisis screening round.
imports_seeds = {
    "schools": b"\x00" + "school_id,name,district,kind,sub_centre\nSCH2,第二中学,西城区,senior,是\nSCH1,第一中学,东城区,junior,否\nSCH2,重复,西城区,primary,\n".encode(),
    "classes": b"\x01" + "班级代码,学校代码,年级,班级名称,班主任工号\nC2,SCH1,7,初一(2)班,T2\nC1,SCH2,13,初一(1)班,T9\n".encode(),
    "students": b"\x02" + (students + "S3,王五,x,2013年4月31日,SCH9,C1\nS1,重复,男,20130423,SCH1,C1\n").encode(),
    "guardians": b"\x03" + "学籍号,监护人姓名,关系,手机号\nS1,张父,父亲,13800138000\nS9,李母,mother,+86 138-0013-8000\nS1,张父,father,12\n".encode(),
    "staff": b"\x04" + "工号,姓名,学校代码,角色\nT3,赵老师,SCH1,psych_teacher;class_teacher\nT1,王老师,,city_staff\nT4,钱,SCH9,nonsense\n".encode(),
    "students-gbk": b"\x02" + students.encode("gbk"),
    "missing-columns": b"\x02" + b"student_id,name\nS1,x\n",
    "screening": b"\x05" + b"student_id,instrument,taken_on,q1,q2,q3,q4,q5,q6,q7,q8,q9\nS1,phq-9,2026-08-30,0,1,2,3,0,1,2,3,1\nS2,phq-a,2026-08-30,1,1,1,1,1,1,1,1,1\nS1,gad-7,2030-01-01,x,,,,,,,,\n",
    "screening-cssrs": b"\x05" + "学籍号,量表,日期,题1,题2,self_harm\nS1,c-ssrs-screener,2026-08-01,是,否,yes\nS1,phq-9,2026-13-01,1,2,maybe\n".encode(),
    "students-national-id": b"\x02" + "学籍号,姓名,性别,出生日期,学校代码,班级代码,全国学籍号\nS2,李华,女,2013-05-01,SCH1,C1,G110101201305010022\nS3,王五,男,2013-06-01,SCH1,C1,G110101201305010022\n".encode(),
    "staff-moves": b"\x04" + "工号,姓名,学校代码,角色\nT1,王老师,,\nT2,李老师,SCH1,psych_teacher\n".encode(),
    "screening-no-items": b"\x05" + b"student_id,date\nS1,2026-01-01\n",
}

# Settings: every shipped file (the harness ignores the first byte).
settings_seeds = {}
for index, name in enumerate(["xinyu.toml", "roles.toml"]):
    settings_seeds[name] = bytes([index]) + (REPO / "Config" / name).read_bytes()
for index, name in enumerate(["crisis", "training", "facilities", "homeschool", "partnership"], start=2):
    settings_seeds[name] = bytes([index]) + (REPO / "Config" / "plugins" / f"{name}.toml").read_bytes()
settings_seeds.update({
    "walk": b"\x07" + 'a = 1\nb = "x"\n[t]\nc = [1, 2]\nd = 1.5\n[[arr]]\ne = true\n[[arr]]\nf = 1979-05-27T07:32:00Z\n'.encode(),
    "walk-nested": b"\x07" + b'x = { y = { z = [ { w = 1 } ] } }\n"" = 3\n',
    "syntax-error": b"\x00" + b"[server\nlisten = \n",
    "wrong-types": b"\x02" + b'[[instruments]]\nid = 5\nitems = "many"\nbands = [ { lower = 9, upper = 1, name = "" } ]\n',
    "unicode": b"\x03" + "grid_ratio = 15\n# 注释\ntitle = \"心育\\u5FC3\"\n".encode(),
})


def write(name, seeds):
    folder = CORPUS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for seed, data in seeds.items():
        (folder / seed).write_bytes(data)


write("frames", frames_seeds)
write("connection", connection_seeds)
write("csv", csv_seeds)
write("imports", imports_seeds)
write("settings", settings_seeds)
print(f"wrote {sum(len(s) for s in [frames_seeds, connection_seeds, csv_seeds, imports_seeds, settings_seeds])} seeds under {CORPUS.relative_to(REPO)}")
