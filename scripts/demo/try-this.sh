#!/usr/bin/env bash
# Prints the demo's "try this": real commands, each checked by scripts/demo-check.sh.
# Usage: try-this.sh DEMO_DIR BIN_DIR
demo="$1"; bin="$2"
t="--token-file $demo"
cat <<TEXT

Demo city 明湖市 (fictional) is running. In another terminal, from the repository root:

  alias xinyu=$bin/xinyu; export XINYU_SOCKET=$demo/run/xinyu.sock

As the psych teacher 陈静 (明湖市第一中学): the warning list, the cases, a student's screening
  xinyu call xinyu.crisis.v1.Crisis/ListWarnings $t/psych-teacher.token
  xinyu call xinyu.crisis.v1.Crisis/ListCases $t/psych-teacher.token
  xinyu call xinyu.crisis.v1.Crisis/ListScreeningResults $t/psych-teacher.token --json '{"student_id":"MH2024-0101"}'
As the class teacher 王海燕 (高一1班): a student's warning level and her home visit; not the statistics
  xinyu call xinyu.crisis.v1.Crisis/GetWarningLevel $t/class-teacher.token --json '{"student_id":"MH2024-0101"}'
  xinyu call xinyu.homeschool.v1.Homeschool/ListVisits $t/class-teacher.token --json '{"student_id":"MH2024-0101"}'
  xinyu call xinyu.crisis.v1.Crisis/GetStatistics $t/class-teacher.token        # refused: PERMISSION_DENIED
As the hospital 明湖市康宁医院: the referrals shared with it (and nothing else)
  xinyu call xinyu.partnership.v1.Partnership/ListReferrals $t/hospital.token
  xinyu call xinyu.crisis.v1.Crisis/ListCases $t/hospital.token                 # refused: PERMISSION_DENIED
As city staff 周明远 (市教育局): statistics across the city, not individual records
  xinyu call xinyu.crisis.v1.Crisis/GetStatistics $t/city-staff.token
  xinyu call xinyu.training.v1.Training/GetStatistics $t/city-staff.token
  xinyu call xinyu.facilities.v1.Facilities/GetCoverage $t/city-staff.token
  xinyu call xinyu.homeschool.v1.Homeschool/GetCoverage $t/city-staff.token
  xinyu call xinyu.crisis.v1.Crisis/ListCases $t/city-staff.token               # refused: PERMISSION_DENIED
As the privacy officer 孙慧琳: who has looked at 张子涵's records
  xinyu audit who MH2024-0101 $t/privacy-officer.token
As the operator (the local socket, no token): plugins, methods and their permissions, the audit chain, a backup
  xinyu plugins
  xinyu methods
  xinyu audit verify
  xinyu admin backup --to $demo/backups/\$(date +%F-%H%M%S)

Every token is in $demo/ (mode 0600): $(cd "$demo" && ls ./*.token | sed 's|^\./||' | tr '\n' ' ')
Stop with Ctrl-C; start again with the same command (the data stays); start over: rm -rf $demo
TEXT
