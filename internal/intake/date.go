package intake

import (
	"fmt"
	"strings"
	"time"
)

// dateLayouts are the formats CRM exports write dates in.
var dateLayouts = []string{
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02",
	"01/02/2006 15:04:05", "01/02/2006 15:04", "1/2/2006 15:04", "01/02/2006 3:04 PM", "1/2/2006 3:04 PM",
	"01/02/2006", "1/2/2006",
}

// separators counts the dashes, slashes and colons in s. A date matches a
// layout only with the same counts (its numbers are digits, the rest of
// the layout literal), so a layout with other counts need not be tried:
// a failed time.Parse costs an error of its own.
func separators(s string) [3]int {
	var n [3]int
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '-':
			n[0]++
		case '/':
			n[1]++
		case ':':
			n[2]++
		}
	}
	return n
}

// layoutSeparators are separators(layout) for each of dateLayouts.
var layoutSeparators = func() [][3]int {
	out := make([][3]int, len(dateLayouts))
	for i, l := range dateLayouts {
		out[i] = separators(l)
	}
	return out
}()

// parseDate reads a date in RFC 3339 or a common export layout (US
// month/day order for slashes), in loc when it has no zone.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	if strings.ContainsAny(s, "Tt") { // RFC 3339 has its T, whatever else it has
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, nil
		}
	}
	if t, ok := parseISODate(s, loc); ok {
		return t, nil
	}
	seps := separators(s)
	for i, layout := range dateLayouts {
		if layoutSeparators[i] != seps {
			continue
		}
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

// parseISODate reads the layouts exports write most, "2006-01-02 15:04",
// "2006-01-02 15:04:05" and "2006-01-02", as time.ParseInLocation would,
// without its general machinery (a third of a row's reading); ok is false
// for anything else, which the layouts then read or refuse.
func parseISODate(s string, loc *time.Location) (time.Time, bool) {
	if len(s) != 10 && len(s) != 16 && len(s) != 19 {
		return time.Time{}, false
	}
	bad := false
	num := func(at, n int) int {
		v := 0
		for _, c := range []byte(s[at : at+n]) {
			if c < '0' || c > '9' {
				bad = true
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	sep := func(at int, c byte) {
		if s[at] != c {
			bad = true
		}
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	sep(4, '-')
	sep(7, '-')
	hour, minute, second := 0, 0, 0
	if len(s) >= 16 {
		sep(10, ' ')
		sep(13, ':')
		hour, minute = num(11, 2), num(14, 2)
	}
	if len(s) == 19 {
		sep(16, ':')
		second = num(17, 2)
	}
	if bad || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 ||
		day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, 0, loc), true
}
