package when

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parser holds one call's input and context.
type parser struct {
	in  string // trimmed input, as typed, for error messages
	now time.Time
	loc *time.Location
}

// ymd is a calendar date.
type ymd struct {
	y int
	m time.Month
	d int
}

func (p *parser) today() ymd {
	y, m, d := p.now.Date()
	return ymd{y, m, d}
}

// addDays returns the date n days after c.
func addDays(c ymd, n int) ymd {
	y, m, d := time.Date(c.y, c.m, c.d+n, 12, 0, 0, 0, time.UTC).Date()
	return ymd{y, m, d}
}

func (p *parser) parse() (time.Time, error) {
	if t, ok := parseRFC3339(p.in); ok {
		return t.In(p.loc), nil
	}
	toks := tokenize(p.in)
	if len(toks) == 0 {
		return time.Time{}, notDate(p.in)
	}
	if len(toks) == 1 && toks[0] == "now" {
		return p.now, nil
	}
	if toks[0] == "in" || strings.HasPrefix(toks[0], "+") {
		return p.relative(toks)
	}
	return p.absolute(toks)
}

// parseRFC3339 accepts a full RFC 3339 timestamp (any letter case).
func parseRFC3339(s string) (time.Time, bool) {
	if len(s) < 20 || (s[10] != 'T' && s[10] != 't') {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, strings.ToUpper(s))
	return t, err == nil
}

// tokenize lower-cases s and splits it into words. Commas count as spaces,
// a detached "am"/"pm" is glued to the number before it ("2 pm" -> "2pm"),
// and an ISO date joined to a time by "t" is split in two.
func tokenize(s string) []string {
	s = strings.ToLower(s)
	s = strings.NewReplacer(",", " ", "a.m.", "am", "p.m.", "pm").Replace(s)
	var toks []string
	for _, t := range strings.Fields(s) {
		n := len(toks)
		if (t == "am" || t == "pm") && n > 0 && isDigit(toks[n-1][len(toks[n-1])-1]) {
			toks[n-1] += t
			continue
		}
		if i := strings.IndexByte(t, 't'); i > 0 && i < len(t)-1 && strings.Contains(t[:i], "-") && onlyDigitsAnd(t[:i], '-') {
			toks = append(toks, t[:i], t[i+1:])
			continue
		}
		toks = append(toks, t)
	}
	return toks
}

// relative reads "+3d", "+3 days", "in 3 days", "in 3d" and "in a week".
func (p *parser) relative(toks []string) (time.Time, error) {
	var rest []string
	if toks[0] == "in" {
		rest = toks[1:]
	} else {
		rest = append([]string{toks[0][1:]}, toks[1:]...)
	}
	var num, unit string
	switch {
	case len(rest) == 1:
		i := 0
		for i < len(rest[0]) && isDigit(rest[0][i]) {
			i++
		}
		num, unit = rest[0][:i], rest[0][i:]
	case len(rest) == 2 && (rest[0] == "a" || rest[0] == "an"):
		num, unit = "1", rest[1]
	case len(rest) == 2 && onlyDigitsAnd(rest[0]):
		num, unit = rest[0], rest[1]
	default:
		return time.Time{}, notDate(p.in)
	}
	if num == "" {
		return time.Time{}, notDate(p.in)
	}
	if len(num) > 6 {
		return time.Time{}, invalid("%q is too far away; use a number below 1000000, as in \"+3d\"", p.in)
	}
	n, _ := strconv.Atoi(num)
	now := p.now
	switch unit {
	case "d", "day", "days":
		return p.sameClock(n), nil
	case "w", "wk", "wks", "week", "weeks":
		return p.sameClock(7 * n), nil
	case "h", "hr", "hrs", "hour", "hours":
		return now.Add(time.Duration(n) * time.Hour), nil
	case "m", "min", "mins", "minute", "minutes":
		return now.Add(time.Duration(n) * time.Minute), nil
	case "":
		return time.Time{}, invalid("%q has no unit; add d, h, m or w, as in \"+3d\" or \"in 2 hours\"", p.in)
	}
	return time.Time{}, invalid("%q is not a date: %q is not a unit; use d, h, m or w, as in \"+3d\" or \"in 2 hours\"", p.in, unit)
}

// sameClock is now's wall-clock time, n calendar days later.
func (p *parser) sameClock(n int) time.Time {
	t := p.now
	return time.Date(t.Year(), t.Month(), t.Day()+n, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), p.loc)
}

// absolute reads a date, a time, or both.
func (p *parser) absolute(toks []string) (time.Time, error) {
	if len(toks) > 1 {
		for i, t := range toks {
			if t == "at" {
				toks = append(toks[:i:i], toks[i+1:]...)
				break
			}
		}
	}
	var clock string
	day := toks
	switch n := len(toks); {
	case looksLikeClock(toks[n-1]):
		clock, day = toks[n-1], toks[:n-1]
	case n > 1 && looksLikeClock(toks[0]):
		clock, day = toks[0], toks[1:]
	}
	var date ymd
	if len(day) > 0 {
		var err error
		if date, err = p.date(day); err != nil {
			return time.Time{}, err
		}
	}
	h, m, s := DefaultHour, 0, 0
	if clock != "" {
		var why string
		if h, m, s, why = parseClock(clock); why != "" {
			return time.Time{}, badTime(p.in, why)
		}
	}
	if len(day) == 0 {
		c := p.today()
		t := time.Date(c.y, c.m, c.d, h, m, s, 0, p.loc)
		if !t.After(p.now) {
			t = time.Date(c.y, c.m, c.d+1, h, m, s, 0, p.loc)
		}
		return t, nil
	}
	return time.Date(date.y, date.m, date.d, h, m, s, 0, p.loc), nil
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "weds": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

var months = map[string]time.Month{
	"jan": time.January, "january": time.January,
	"feb": time.February, "february": time.February,
	"mar": time.March, "march": time.March,
	"apr": time.April, "april": time.April,
	"may": time.May,
	"jun": time.June, "june": time.June,
	"jul": time.July, "july": time.July,
	"aug": time.August, "august": time.August,
	"sep": time.September, "sept": time.September, "september": time.September,
	"oct": time.October, "october": time.October,
	"nov": time.November, "november": time.November,
	"dec": time.December, "december": time.December,
}

// date reads the day part of the input.
func (p *parser) date(toks []string) (ymd, error) {
	switch len(toks) {
	case 1:
		t := toks[0]
		switch t {
		case "today":
			return p.today(), nil
		case "tomorrow", "tmrw":
			return addDays(p.today(), 1), nil
		}
		if wd, ok := weekdays[t]; ok {
			return p.nextWeekday(wd), nil
		}
		if strings.Contains(t, "-") {
			return p.isoDate(t)
		}
		if strings.Contains(t, "/") {
			return p.usDate(t)
		}
	case 2:
		if wd, ok := weekdays[toks[1]]; ok && toks[0] == "next" {
			return p.nextWeekday(wd), nil
		}
		return p.monthDay(toks)
	case 3:
		return p.monthDay(toks)
	}
	return ymd{}, notDate(p.in)
}

// nextWeekday is the first day strictly after today that falls on wd.
func (p *parser) nextWeekday(wd time.Weekday) ymd {
	k := (int(wd) - int(p.now.Weekday()) + 7) % 7
	if k == 0 {
		k = 7
	}
	return addDays(p.today(), k)
}

// isoDate reads YYYY-MM-DD (one-digit month and day allowed).
func (p *parser) isoDate(t string) (ymd, error) {
	f := strings.Split(t, "-")
	if len(f) != 3 || !isNum(f[0], 4, 4) || !isNum(f[1], 1, 2) || !isNum(f[2], 1, 2) {
		return ymd{}, notDate(p.in)
	}
	return p.valid(atoi(f[0]), atoi(f[1]), atoi(f[2]), "")
}

// usDate reads MM/DD/YYYY (one-digit month and day allowed).
func (p *parser) usDate(t string) (ymd, error) {
	f := strings.Split(t, "/")
	if len(f) != 3 || !isNum(f[0], 1, 2) || !isNum(f[1], 1, 2) || !isNum(f[2], 4, 4) {
		return ymd{}, notDate(p.in)
	}
	return p.valid(atoi(f[2]), atoi(f[0]), atoi(f[1]), "; slashed dates are MM/DD/YYYY")
}

// valid checks a calendar date; note is appended to a bad-month message.
func (p *parser) valid(y, m, d int, note string) (ymd, error) {
	if m < 1 || m > 12 {
		return ymd{}, badDate(p.in, fmt.Sprintf("there is no month %d%s", m, note))
	}
	if n := daysIn(time.Month(m), y); d < 1 || d > n {
		return ymd{}, badDate(p.in, fmt.Sprintf("%s %d has %d days", time.Month(m), y, n))
	}
	return ymd{y, time.Month(m), d}, nil
}

// monthDay reads "dec 1", "1 dec", "dec 1st" and the same followed by a
// four-digit year. Without a year it is the next such date from today on.
func (p *parser) monthDay(toks []string) (ymd, error) {
	mon, ok := months[toks[0]]
	dayTok := toks[1]
	if !ok {
		if mon, ok = months[toks[1]]; !ok {
			return ymd{}, notDate(p.in)
		}
		dayTok = toks[0]
	}
	if n := len(dayTok); n > 2 && strings.Contains("st nd rd th", dayTok[n-2:]) {
		dayTok = dayTok[:n-2] // ordinal: 1st, 22nd, 3rd, 4th
	}
	if !isNum(dayTok, 1, 2) {
		return ymd{}, notDate(p.in)
	}
	d := atoi(dayTok)
	if len(toks) == 3 {
		if !isNum(toks[2], 4, 4) {
			return ymd{}, notDate(p.in)
		}
		return p.valid(atoi(toks[2]), int(mon), d, "")
	}
	if n := daysIn(mon, 2024); d < 1 || d > n { // 2024: a leap year
		return ymd{}, badDate(p.in, fmt.Sprintf("%s has %d days", mon, n))
	}
	today := p.today()
	for y := today.y; y <= today.y+8; y++ {
		c := ymd{y, mon, d}
		if d <= daysIn(mon, y) && !before(c, today) {
			return c, nil
		}
	}
	return ymd{}, notDate(p.in) // unreachable: a leap year comes within 8 years
}

func before(a, b ymd) bool {
	if a.y != b.y {
		return a.y < b.y
	}
	if a.m != b.m {
		return a.m < b.m
	}
	return a.d < b.d
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// onlyDigitsAnd reports whether s holds only digits and the given bytes.
func onlyDigitsAnd(s string, extra ...byte) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && strings.IndexByte(string(extra), s[i]) < 0 {
			return false
		}
	}
	return true
}

// isNum reports whether s is between lo and hi digits, and nothing else.
func isNum(s string, lo, hi int) bool {
	return len(s) >= lo && len(s) <= hi && onlyDigitsAnd(s)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
