#!/usr/bin/env bash
# Seeds the demo city (明湖市, fictional) into a running host through its public API, exactly
# as people and systems would: roster CSV imports, principals and tokens through the admin
# service, then each plugin's methods called as the person whose job they are.
# Usage (scripts/run-host.sh --demo runs it): XINYU=path/to/xinyu XINYU_SOCKET=... seed.sh DEMO_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
demo="$1"
xinyu() { "$XINYU" "$@"; }
# as WHO METHOD JSON: calls METHOD as the principal whose token is $demo/WHO.token; prints the answer.
as() { "$XINYU" call "$2" --token-file "$demo/$1.token" --json "$3"; }
# field NAME: reads one top-level field of the JSON answer on stdin.
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
day() { TZ=Asia/Shanghai date -d "$1" +%F; }
today=$(day today)

echo "demo: directory (3 schools, 4 classes, 11 students, 12 guardians, 12 staff) ..."
for kind in schools staff classes students guardians; do
  xinyu directory import "$kind" "$here/$kind.csv" >/dev/null
done

echo "demo: one principal and token per default role ..."
# principal ID KIND NAME ROLE SCOPE TOKEN-NAME [AGENCY-KIND]
principal() {
  local extra=()
  [ -n "${7:-}" ] && extra=(--agency-kind "$7")
  xinyu admin principals create "$1" --kind "$2" --name "$3" --role "$4" --scope "$5" "${extra[@]}" >/dev/null
  xinyu admin tokens issue "$1" --label "demo: $6" --days 30 --output "$demo/$6.token" >/dev/null
}
principal staff:CITY-01 person 周明远 city_staff city city-staff
principal staff:CITY-PO person 孙慧琳 privacy_officer city privacy-officer
principal staff:GC-01 person 林嘉怡 growth_centre city growth-centre
principal staff:HS-PR person 郑国华 principal school:MH-HS-01 principal
principal staff:HS-P1 person 陈静 psych_teacher school:MH-HS-01 psych-teacher
principal staff:HS-T1 person 王海燕 class_teacher class:MH-HS01-101 class-teacher
principal staff:HS-M1 person 赵雪梅 mentor class:MH-HS01-101 mentor
principal staff:HS-S1 person 黄伟 subject_teacher school:MH-HS-01 subject-teacher
principal service:screening service 心理健康普测平台 screening_platform city screening-platform
principal agency:kangning agency 明湖市康宁医院 agency_hospital agency:kangning hospital hospital
principal agency:police agency 明湖市公安局东湖分局 agency_partner agency:police police police
principal agency:hotline agency 明湖市心理咨询热线 agency_hotline agency:hotline hotline hotline

echo "demo: partnership (agencies, agreements, a hotline call) ..."
as growth-centre xinyu.partnership.v1.Partnership/CreateAgency \
  '{"id":"kangning","kind":"AGENCY_KIND_HOSPITAL","name":"明湖市康宁医院","contacts":["心理科 绿色通道"]}' >/dev/null
as growth-centre xinyu.partnership.v1.Partnership/CreateAgency \
  '{"id":"police","kind":"AGENCY_KIND_POLICE","name":"明湖市公安局东湖分局"}' >/dev/null
as growth-centre xinyu.partnership.v1.Partnership/SignAgreement \
  "{\"agency_id\":\"kangning\",\"signed_on\":\"$(day '-30 days')\",\"expires_on\":\"$(day '+700 days')\",\"scope\":\"心理危机学生绿色通道转介\"}" >/dev/null
as hotline xinyu.partnership.v1.Partnership/RecordHotlineCall \
  '{"caller_kind":"CALLER_KIND_PARENT","topic":"孩子考试焦虑","risk":"CALL_RISK_LOW","counsellor":"热线值班员"}' >/dev/null

echo "demo: crisis (screening, levels, a case with a plan, a referral, a concern) ..."
for student in MH2024-0102 MH2024-0103 MH2024-0106 MH2024-0201; do
  as screening-platform xinyu.crisis.v1.Crisis/SubmitScreening \
    "{\"submission\":{\"student_id\":\"$student\",\"instrument_id\":\"phq-a\",\"answers\":[0,1,0,0,1,0,0,0,0]}}" >/dev/null
done
as psych-teacher xinyu.crisis.v1.Crisis/SubmitScreening \
  '{"submission":{"student_id":"MH2024-0101","instrument_id":"phq-a","answers":[1,0,1,0,1,0,1,0,2]}}' >/dev/null
as psych-teacher xinyu.crisis.v1.Crisis/SetWarningLevel \
  '{"student_id":"MH2024-0104","level":2,"reason":"班主任反映近期情绪低落，面谈后评估","evidence":"面谈记录"}' >/dev/null
as psych-teacher xinyu.crisis.v1.Crisis/SetWarningLevel \
  '{"student_id":"MH2024-0105","level":3,"reason":"学业压力大，持续关注"}' >/dev/null
case_id=$(as psych-teacher xinyu.crisis.v1.Crisis/OpenCase '{"student_id":"MH2024-0101","reason":"普测一级预警（第9题阳性）"}' | field id)
as psych-teacher xinyu.crisis.v1.Crisis/AssignCase "{\"case_id\":\"$case_id\",\"owner_id\":\"HS-P1\"}" >/dev/null
as psych-teacher xinyu.crisis.v1.Crisis/SavePlan "{\"case_id\":\"$case_id\",\"goals\":[\"情绪稳定\",\"恢复正常学习\"],
  \"measures\":[{\"description\":\"每日课间关注，异常及时报告\",\"responsible_id\":\"HS-T1\"}],
  \"follow_up_start\":\"$(day '+7 days')\",\"follow_up_interval_days\":7,\"follow_up_count\":4}" >/dev/null
# The mother's separate consent goes into the consent registry (homeschool) first: crisis asks it.
mother=$(as psych-teacher xinyu.directory.v1.Directory/ListGuardians '{"student_id":"MH2024-0101"}' |
  python3 -c 'import json,sys; print(next(g["id"] for g in json.load(sys.stdin)["guardians"] if g["relation"] == "母亲"))')
as psych-teacher xinyu.homeschool.v1.Homeschool/RecordConsent "{\"student_id\":\"MH2024-0101\",\"purpose\":\"referral\",
  \"agency\":\"kangning\",\"scope\":\"筛查结果, 个案摘要\",\"sensitive\":true,\"guardian_id\":\"$mother\",
  \"given_on\":\"$today\",\"evidence_ref\":\"心理档案 知情同意书 DEMO-001\"}" >/dev/null
as psych-teacher xinyu.crisis.v1.Crisis/RequestReferral "{\"case_id\":\"$case_id\",\"agency\":\"kangning\",
  \"reason\":\"需要精神科评估（绿色通道）\",\"urgent\":true,\"legal_basis\":\"LEGAL_BASIS_GUARDIAN_CONSENT\"}" >/dev/null
as class-teacher xinyu.crisis.v1.Crisis/RaiseConcern \
  '{"student_id":"MH2024-0102","description":"最近上课注意力不集中，课间常独自一人"}' >/dev/null

echo "demo: training (a C certificate course, a session, an enrolment) ..."
course_id=$(as growth-centre xinyu.training.v1.Training/CreateCourse '{"kind":"COURSE_KIND_C_CERTIFICATE","title":"C证培训 第一批"}' | field id)
session_id=$(as growth-centre xinyu.training.v1.Training/CreateSession "{\"course_id\":\"$course_id\",\"starts_on\":\"$(day '+14 days')\",
  \"ends_on\":\"$(day '+16 days')\",\"place\":\"明湖市教师发展中心\",\"trainer\":\"林嘉怡\",\"capacity\":30,\"hours\":24}" | field id)
as class-teacher xinyu.training.v1.Training/Enrol "{\"session_id\":\"$session_id\",\"staff_id\":\"HS-T1\"}" >/dev/null

echo "demo: facilities (a counselling room) ..."
as psych-teacher xinyu.facilities.v1.Facilities/SaveRoom \
  '{"school_id":"MH-HS-01","name":"心理辅导室","location":"行政楼三楼","area_m2":60,"opening_hours":"周一至周五 12:00-13:30","equipment":["沙盘","放松椅","宣泄墙"]}' >/dev/null

echo "demo: homeschool (a home visit) ..."
as class-teacher xinyu.homeschool.v1.Homeschool/RecordVisit \
  '{"student_id":"MH2024-0101","mode":"VISIT_MODE_IN_PERSON","met":["母亲"],"notes":"家长配合，约定每周沟通"}' >/dev/null
echo "demo: seeded"
