// Package contact normalises the contact data of a lead: phone numbers to
// E.164, email addresses checked and lowercased, and a timezone guessed
// from a phone number when the lead has none.
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
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", "", nil
	}
	n, err := phonenumbers.Parse(raw, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", "", fmt.Errorf("%q is not a phone number; write it with its country code, e.g. +1 312 555 0142", raw)
	}
	return phonenumbers.Format(n, phonenumbers.E164), zoneOf(n), nil
}

// Email returns raw checked and lowercased; a display name is dropped.
func Email(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(raw)
	if err != nil || !strings.Contains(a.Address[strings.LastIndexByte(a.Address, '@')+1:], ".") {
		return "", fmt.Errorf("%q is not an email address", raw)
	}
	return strings.ToLower(a.Address), nil
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
