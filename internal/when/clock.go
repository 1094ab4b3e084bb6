package when

import "strings"

// looksLikeClock reports whether t is meant as a time of day, valid or not:
// "noon", or digits and colons with a colon or an am/pm suffix.
func looksLikeClock(t string) bool {
	if t == "noon" {
		return true
	}
	body := strings.TrimSuffix(strings.TrimSuffix(t, "am"), "pm")
	if body == "" || !isDigit(body[0]) || !onlyDigitsAnd(body, ':') {
		return false
	}
	return body != t || strings.Contains(body, ":")
}

// parseClock reads a token for which looksLikeClock is true. A non-empty
// why says what is wrong with it.
func parseClock(t string) (h, m, s int, why string) {
	if t == "noon" {
		return 12, 0, 0, ""
	}
	suffix := ""
	if strings.HasSuffix(t, "am") || strings.HasSuffix(t, "pm") {
		t, suffix = t[:len(t)-2], t[len(t)-2:]
	}
	f := strings.Split(t, ":")
	if len(f) > 3 || (suffix != "" && len(f) > 2) || !isNum(f[0], 1, 2) {
		return 0, 0, 0, "write it as 14:00 or 2pm"
	}
	h = atoi(f[0])
	for i, name := range []string{"minutes", "seconds"} {
		if len(f) <= i+1 {
			break
		}
		if !isNum(f[i+1], 2, 2) {
			return 0, 0, 0, name + " take two digits, as in 9:05"
		}
		v := atoi(f[i+1])
		if v > 59 {
			return 0, 0, 0, name + " run from 00 to 59"
		}
		if i == 0 {
			m = v
		} else {
			s = v
		}
	}
	switch {
	case suffix == "" && h > 23:
		return 0, 0, 0, "hours run from 0 to 23"
	case suffix != "" && (h < 1 || h > 12):
		return 0, 0, 0, "with am or pm, hours run from 1 to 12"
	case suffix == "am" && h == 12:
		h = 0
	case suffix == "pm" && h != 12:
		h += 12
	}
	return h, m, s, ""
}
