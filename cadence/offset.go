package cadence

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit of an Offset.
type Unit uint8

// The units of an Offset. The zero Unit is Minutes, so the zero Offset is "0m".
const (
	Minutes      Unit = iota // "m": elapsed minutes
	Hours                    // "h": elapsed hours
	Days                     // "d": calendar days at the same local clock time
	BusinessDays             // "bd": business days (see Calendar.AddBusinessDays)
)

// MaxOffsetN is the largest number an Offset may have, in any unit.
const MaxOffsetN = 100000

// unitNames holds the written form of each Unit.
var unitNames = [...]string{Minutes: "m", Hours: "h", Days: "d", BusinessDays: "bd"}

// String returns the written form of the unit: "m", "h", "d" or "bd".
func (u Unit) String() string {
	if int(u) < len(unitNames) {
		return unitNames[u]
	}
	return fmt.Sprintf("Unit(%d)", uint8(u))
}

// Offset is a step offset like "30m", "4h", "2d", "5bd".
type Offset struct {
	N    int
	Unit Unit
}

// ParseOffset parses an offset written as a number and a unit: "30m", "4h",
// "2d" or "5bd". Surrounding spaces, a space between the number and the unit,
// and upper-case units are accepted. The number must be between 0 and
// MaxOffsetN.
func ParseOffset(s string) (Offset, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	o, ok := parseOffsetBody(t)
	switch {
	case !ok && strings.HasPrefix(t, "-"):
		if _, ok := parseOffsetBody(strings.TrimSpace(t[1:])); ok {
			return Offset{}, fmt.Errorf("%q is negative; offsets count forward, so write a number of 0 or more, e.g. 2d", s)
		}
	case ok && o.N > MaxOffsetN:
		return Offset{}, fmt.Errorf("%q is too large; an offset can be at most %d of its unit", s, MaxOffsetN)
	case ok:
		return o, nil
	}
	return Offset{}, fmt.Errorf("%q is not an offset; write a number and a unit: m, h, d or bd (e.g. 2d)", s)
}

// parseOffsetBody parses lower-case, trimmed digits and a unit. A number too
// large to hold comes back as MaxOffsetN+1.
func parseOffsetBody(t string) (Offset, bool) {
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	num, unitText := t[:i], strings.TrimSpace(t[i:])
	if num == "" {
		return Offset{}, false
	}
	for u, name := range unitNames {
		if unitText != name {
			continue
		}
		n, digits := 0, strings.TrimLeft(num, "0")
		if len(digits) > 6 {
			n = MaxOffsetN + 1
		} else if digits != "" {
			n, _ = strconv.Atoi(digits)
		}
		return Offset{N: n, Unit: Unit(u)}, true
	}
	return Offset{}, false
}

// String returns the offset as written for ParseOffset, e.g. "2d".
func (o Offset) String() string {
	return strconv.Itoa(o.N) + o.Unit.String()
}

// UnmarshalText parses an offset such as "2d" (see ParseOffset).
func (o *Offset) UnmarshalText(b []byte) error {
	v, err := ParseOffset(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// MarshalText writes the offset as ParseOffset reads it, e.g. "2d".
func (o Offset) MarshalText() ([]byte, error) {
	if int(o.Unit) >= len(unitNames) {
		return nil, fmt.Errorf("offset %s has an unknown unit; use m, h, d or bd", o)
	}
	if o.N < 0 || o.N > MaxOffsetN {
		return nil, fmt.Errorf("offset %s is out of range; the number must be between 0 and %d", o, MaxOffsetN)
	}
	return []byte(o.String()), nil
}

// Add returns t moved forward by o, in the team timezone:
//
//   - m, h: plain elapsed time, t.Add(N minutes or hours);
//   - d: N calendar days later at the same local clock time (a daylight-saving
//     change makes such a day 23 or 25 hours long);
//   - bd: AddBusinessDays(t, N), which does move the result into business
//     hours (0bd is NextOpen(t)).
//
// Only bd moves the result into business hours; callers that need that for
// other units call NextOpen. An N below 0 counts as 0 and above MaxOffsetN as
// MaxOffsetN; an unknown unit returns t.
func (c Calendar) Add(t time.Time, o Offset) time.Time {
	loc := c.calLoc()
	t = t.In(loc)
	n := min(max(o.N, 0), MaxOffsetN)
	switch o.Unit {
	case Minutes:
		return t.Add(time.Duration(n) * time.Minute)
	case Hours:
		return t.Add(time.Duration(n) * time.Hour)
	case Days:
		h, m, s := t.Clock()
		return civilTime(loc, t.Year(), t.Month(), t.Day()+n, h, m, s, t.Nanosecond())
	case BusinessDays:
		return c.AddBusinessDays(t, n)
	}
	return t
}
