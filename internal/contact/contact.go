// Package contact normalises the contact data of a lead: phone numbers to
// E.164, email addresses checked and lowercased, and a timezone guessed
// from a phone number when the lead has none.
//
// The phone number library decides what a valid number is and where it
// rings. North American numbers, most of an import, skip its parser, and its
// answers are remembered per six-digit prefix when the prefix decides them
// (nanp.go says why that is exact).
package contact

import (
	"fmt"
	"net/mail"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Phone returns raw as an E.164 number ("+13125550142"). Numbers written
// without a country code are read in region (ISO 3166 code, e.g. "US").
func Phone(raw, region string) (string, error) {
	e164, _, err := PhoneAndZone(raw, region)
	return e164, err
}

// PhoneAndZone is Phone and TimezoneOf with one parse of the number (the
// parse is most of the cost of reading a lead).
func PhoneAndZone(raw, region string) (e164, zone string, err error) {
	return phoneAndZone(raw, region, nanpPrefixes)
}

// phoneAndZone is PhoneAndZone with the memo of North American prefixes
// to consult.
func phoneAndZone(raw, region string, memo *prefixMemo) (e164, zone string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", "", nil
	}
	var n *phonenumbers.PhoneNumber
	if national, ok := parseNANP(raw, region); ok {
		if v := memo.lookup(&national); v.known {
			if !v.valid {
				return "", "", notAPhoneNumber(raw)
			}
			return "+1" + string(national[:]), v.zone, nil
		}
		n = nanpNumber(&national)
	} else if n, err = phonenumbers.Parse(raw, strings.ToUpper(region)); err != nil {
		n = nil
	}
	if n == nil || !phonenumbers.IsValidNumber(n) {
		return "", "", notAPhoneNumber(raw)
	}
	return phonenumbers.Format(n, phonenumbers.E164), zoneOf(n), nil
}

// notAPhoneNumber is the error for a raw number the library does not take.
func notAPhoneNumber(raw string) error {
	return fmt.Errorf("%q is not a phone number: check its digits (too few, or a number not in use), and write one from abroad with its country code, e.g. +1 312 555 0142", raw)
}

// Email returns raw checked and lowercased; a display name is dropped.
func Email(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	address := raw
	if !plainAddress(raw) { // most are; the rest take the full grammar
		a, err := mail.ParseAddress(raw)
		if err != nil {
			return "", fmt.Errorf("%q is not an email address", raw)
		}
		address = a.Address
	}
	if !strings.Contains(address[strings.LastIndexByte(address, '@')+1:], ".") {
		return "", fmt.Errorf("%q is not an email address", raw)
	}
	return strings.ToLower(address), nil
}

// plainAddress reports whether s is a bare address of the plainest kind,
// which mail.ParseAddress takes as it is: dot-separated runs of letters,
// digits and "_%+-" before the @, and of letters, digits and "-" after
// it. Parsing it is then only this look.
func plainAddress(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && dotRuns(s[:at], "_%+-") && dotRuns(s[at+1:], "-")
}

// dotRuns reports whether s is one or more non-empty runs of ASCII
// letters, digits and the bytes of extra, separated by single dots.
func dotRuns(s, extra string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if run == 0 {
				return false
			}
			run = 0
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte(extra, c) >= 0:
			run++
		default:
			return false
		}
	}
	return run > 0
}

// TimezoneOf guesses the IANA timezone of an E.164 number: the zone its
// number range lies in when there is exactly one, otherwise "".
func TimezoneOf(e164 string) string {
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return ""
	}
	return zoneOf(n)
}

func zoneOf(n *phonenumbers.PhoneNumber) string {
	zones, err := phonenumbers.GetTimezonesForNumber(n)
	if err != nil || len(zones) != 1 || zones[0] == "Etc/Unknown" {
		return ""
	}
	return zones[0]
}

// Display writes an E.164 number the way people read it, e.g.
// "+1 312-555-0142"; anything else comes back as it is.
func Display(e164 string) string {
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// parseNANP reads the common shapes of a North American number without
// the library's parser (a dozen regular expressions a number): "+1" and ten
// digits, or ten digits alone in a North American region, with only
// spaces, dots, dashes, slashes and parentheses between them, the area code
// starting 2–9. For these the library finds the same number (country code
// 1, the ten digits, which parseNANP returns in ASCII); anything else (an
// extension, letters, a leading trunk 1 without "+", another country) is
// left to it: ok is false.
func parseNANP(raw, region string) (national [10]byte, ok bool) {
	var digits [11]byte
	n, plus := 0, false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c >= '0' && c <= '9':
			if n == len(digits) {
				return national, false
			}
			digits[n] = c
			n++
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')':
		default:
			return national, false
		}
	}
	switch {
	case plus && n == 11 && digits[0] == '1':
		copy(national[:], digits[1:])
	case !plus && n == 10 && nanpRegion(region):
		copy(national[:], digits[:10])
	default:
		return national, false
	}
	return national, national[0] >= '2'
}

// nanpNumber is the library's number for ten national digits (ASCII) of
// country code 1.
func nanpNumber(national *[10]byte) *phonenumbers.PhoneNumber {
	var v uint64
	for _, d := range national {
		v = v*10 + uint64(d-'0')
	}
	cc := int32(1)
	return &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &v}
}

// nanpRegion reports whether numbers without a country code are read as
// North American (+1) in region.
func nanpRegion(region string) bool {
	if len(region) != 2 {
		return false
	}
	r := strings.ToUpper(region)
	return r == "US" || r == "CA" || phonenumbers.GetCountryCodeForRegion(r) == 1
}
