package intake

import (
	"fmt"
	"strings"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/contact"
)

// FieldError is what is wrong with one field of an arriving lead.
type FieldError struct {
	Field Field
	Label string // where it came from: a column header, a request field
	Value string
	Why   string // e.g. "is not an email address"
}

// Error says it in one sentence: column "Email": "x" is not an email address.
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Why
	}
	return fmt.Sprintf("column %q: %q %s", strings.TrimPrefix(e.Label, "\ufeff"), e.Value, e.Why)
}

// Build makes a lead from the values of its fields: get returns a field's
// value and its label. It normalises phones (E.164, in opts.Region) and
// emails, reads dates in opts.Location, takes a missing timezone from the
// phone, and returns every field that is wrong (none: the lead is good).
func Build(get func(Field) (value, label string), opts Options) (cadence.Lead, []*FieldError) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	var l cadence.Lead
	var errs []*FieldError
	bad := func(f Field, label, value, why string) {
		errs = append(errs, &FieldError{Field: f, Label: label, Value: value, Why: why})
	}
	l.Name, _ = get(FieldName)
	if l.Name == "" {
		first, _ := get(FieldFirstName)
		last, _ := get(FieldLastName)
		l.Name = strings.TrimSpace(first + " " + last)
	}
	email, label := get(FieldEmail)
	var err error
	if l.Email, err = contact.Email(email); err != nil {
		bad(FieldEmail, label, email, "is not an email address")
	}
	phone, label := get(FieldPhone)
	if phone == "" {
		phone, label = get(FieldMobile)
	}
	var phoneZone string
	if l.Phone, phoneZone, err = contact.PhoneAndZone(phone, opts.Region); err != nil {
		bad(FieldPhone, label, phone, "is not a phone number: check its digits (too few, or a number not in use), and write one from abroad with its country code, e.g. +1 312 555 0142")
	}
	if l.Name == "" {
		l.Name = l.Email
	}
	if l.Name == "" && l.Phone != "" {
		l.Name = contact.Display(l.Phone)
	}
	if l.Name == "" && len(errs) == 0 {
		errs = append(errs, &FieldError{Why: "the row names no one: no name, email or phone"})
	}
	l.Company, _ = get(FieldCompany)
	l.Title, _ = get(FieldTitle)
	l.Industry, _ = get(FieldIndustry)
	l.Size, _ = get(FieldSize)
	l.Source, _ = get(FieldSource)
	if opts.Source != "" {
		l.Source = opts.Source
	}
	l.Owner, _ = get(FieldOwner)
	if tz, label := get(FieldTimezone); tz != "" {
		if _, err := cadence.LoadLocation(tz); err != nil {
			bad(FieldTimezone, label, tz, "is not a timezone; use an IANA name such as America/Chicago")
		}
		l.Timezone = tz
	} else {
		l.Timezone = phoneZone
	}
	l.ReceivedAt = opts.Now
	if v, label := get(FieldReceived); v != "" {
		t, err := parseDate(v, opts.Location)
		switch {
		case err != nil:
			bad(FieldReceived, label, v, "is not a date; write 2026-11-23 14:05, 11/23/2026 14:05 (month first) or RFC 3339")
		case t.After(opts.Now):
			bad(FieldReceived, label, v, "is in the future; fix the date, or leave the cell empty to count the lead as received now")
		case t.Year() < 2000:
			bad(FieldReceived, label, v, "is before 2000; check the date")
		default:
			l.ReceivedAt = t
		}
	}
	if v, label := get(FieldSMSOptIn); v != "" {
		if l.SMSOptIn, err = truth(v); err != nil {
			bad(FieldSMSOptIn, label, v, "is not yes or no")
		}
	}
	if v, label := get(FieldContactMe); v != "" {
		if l.ContactMe, err = truth(v); err != nil {
			bad(FieldContactMe, label, v, "is not yes or no")
		}
	}
	l.Interactions = 1
	return l, errs
}
