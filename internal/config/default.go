package config

// defaultFile is written on first run. Every key is shown with its default
// and a comment, so the team can see what there is to change.
const defaultFile = `# followup configuration.
# Every value below is the default; change what your team does differently.
# Durations: 30m, 1h30m. Offsets: 30m, 4h, 2d (calendar days), 5bd (business days).

[team]
# The team's timezone (IANA name): business hours and the SLA run on it.
timezone = "America/New_York"
# The region used to read phone numbers written without a country code.
phone_region = "US"
# The rep this terminal acts as when --as is not given (empty: ask for --as).
rep = ""

[hours]
# Business hours, in the team's timezone.
open = "09:00"
close = "17:00"
days = ["mon", "tue", "wed", "thu", "fri"]
# Whole days off, e.g. ["2026-12-25", "2027-01-01"].
holidays = []

[sla]
# Business time from receipt to first contact. The goal is 30 minutes.
first_response = "30m"

[contact]
# Calls and texts only in this window of the lead's local time.
call_from = "08:00"
call_until = "21:00"
# The least time between two contact attempts.
min_gap = "1bd"
# Call attempts per 24 hours; 0 means no cap.
max_calls_per_day = 3

# The cadence: one [[cadence.step]] per planned touch, at an offset from the
# first contact. channel: call, email, sms, social, mail or research.
# requires = "sms-opt-in" makes a step apply only to leads who opted in.
[[cadence.step]]
at = "0d"
channel = "call"
label = "first call"

[[cadence.step]]
at = "1d"
channel = "research"
label = "research the company"

[[cadence.step]]
at = "2d"
channel = "email"
label = "introduction email"

[[cadence.step]]
at = "5d"
channel = "email"
label = "follow-up email"

[[cadence.step]]
at = "7d"
channel = "social"
label = "connect on social"

[[cadence.step]]
at = "8d"
channel = "call"
label = "second call"

[[cadence.step]]
at = "10d"
channel = "email"
label = "email with a resource"

[[cadence.step]]
at = "12d"
channel = "email"
label = "check-in email"

[[cadence.step]]
at = "14d"
channel = "mail"
label = "letter by mail"

[[cadence.step]]
at = "18d"
channel = "call"
label = "third call"

[[cadence.step]]
at = "21d"
channel = "email"
label = "final email"

[nurture]
# After the last step, a touch this often until the lead is closed.
every = "30bd"
channels = ["email", "call"]

[server]
# followup serve: an SSH session idle this long is closed.
idle_timeout = "30m"
# Sessions at once; more are asked to try again.
max_sessions = 200

[intake]
# followup serve --intake ADDR takes leads at POST /v1/leads from web forms
# and other systems that send "Authorization: Bearer <token>". Set a long
# random token to turn it on, e.g. the output of: openssl rand -hex 24
token = ""

[backup]
# followup serve snapshots the database this often: a consistent copy taken
# while it runs ("0s" turns it off), into dir (a relative one is beside the
# database), keeping the newest keep copies. Check one with followup check FILE;
# to restore, stop followup and copy it over the database file.
every = "24h"
keep = 7
dir = "backups"

[qualify]
# How many times a person must reach out (form fills, imports, calls in)
# to become a lead. Below that they wait on the nurture list, outside every
# queue, until they reach out again. A "please contact me" is a lead at once.
min_interactions = 1

[assign]
# Who gets a new lead, among the reps not away:
# "least-loaded" (fewest untouched leads) or "round-robin" (each in turn).
method = "least-loaded"

[goals]
# What followup report marks met or missed; followup report --check exits 1
# when one is missed (for a daily cron). 0 (or "0s") means no goal.
# Percentage of leads with at least one contact attempt: the goal is 100.
follow_up_rate = 100
# Median business time from receipt to the first contact attempt, at most.
median_response = "30m"
# Percentage of leads that become qualified prospects, at least (e.g. 25).
qualified_rate = 0
# Percentage of leads that become orders, at least (e.g. 10).
won_rate = 0

# What a lead costs, by source (as leads' --source spells it), for the
# report's cost per order and the spend on leads never touched. One
# [[source]] per source; uncomment and repeat:
# [[source]]
# name = "webinar"
# cost = 35

[keys]
# The TUI key of each outcome; uncomment to remap.
# no-answer = "1"
# voicemail = "2"
# connected = "3"
# meeting = "4"
# not-now = "5"
# bad-number = "6"
# qualified = "7"
# won = "8"
# lost = "9"
# do-not-contact = "0"
`
