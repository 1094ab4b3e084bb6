package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/contact"
	"github.com/followuphq/followup/internal/when"
)

func runAdd(e *env, args []string) error {
	fs := e.newFlags("add", "add --name NAME [--email E] [--phone P] [--company C] [--title T] [--source S] [--tz ZONE] [--owner REP] [--sms-opt-in] [--contact-me]")
	var l cadence.Lead
	var received string
	fs.StringVar(&l.Name, "name", "", "the person's `name` (required)")
	fs.StringVar(&l.Email, "email", "", "email `address`")
	fs.StringVar(&l.Phone, "phone", "", "phone `number`, with country code or in the config's phone_region")
	fs.StringVar(&l.Company, "company", "", "company `name`")
	fs.StringVar(&l.Title, "title", "", "job `title`")
	fs.StringVar(&l.Industry, "industry", "", "`industry`")
	fs.StringVar(&l.Size, "size", "", "company `size`, e.g. 11-50")
	fs.StringVar(&l.Source, "source", "", "where the lead came from, e.g. webinar")
	fs.StringVar(&l.Timezone, "tz", "", "the lead's IANA `timezone` (default: from the phone number, else the team's)")
	fs.StringVar(&l.Owner, "owner", "", "the `rep` who follows the lead up (default: --as)")
	fs.BoolVar(&l.SMSOptIn, "sms-opt-in", false, "the lead agreed to be texted")
	fs.BoolVar(&l.ContactMe, "contact-me", false, "the lead asked to be contacted")
	fs.StringVar(&received, "received", "", "when the lead arrived (default: now), e.g. "+when.Examples)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("add", "add takes flags only, not %q", pos[0])
	}
	if strings.TrimSpace(l.Name) == "" {
		return usageError("add", "a lead needs a name: add --name \"Dana Scully\"")
	}
	cfg, now, err := e.configAt()
	if err != nil {
		return err
	}
	l.Name = strings.TrimSpace(l.Name)
	if l.Email, err = contact.Email(l.Email); err != nil {
		return fmt.Errorf("--email: %w", err)
	}
	if l.Phone, err = contact.Phone(l.Phone, cfg.Team.PhoneRegion); err != nil {
		return fmt.Errorf("--phone: %w", err)
	}
	if l.Timezone != "" {
		if _, err := cadence.LoadLocation(l.Timezone); err != nil {
			return fmt.Errorf("--tz: %q is not a timezone; use an IANA name such as America/Chicago", l.Timezone)
		}
	} else if l.Phone != "" {
		l.Timezone = contact.TimezoneOf(l.Phone)
	}
	l.ReceivedAt = now
	if received != "" {
		if l.ReceivedAt, err = when.Parse(received, now, cfg.Location()); err != nil {
			return fmt.Errorf("--received: %w", err)
		}
		// A weekday names the last one when the next is still to come:
		// "fri 16:50" on a Monday is last Friday.
		if l.ReceivedAt.After(now) && startsWithWeekday(received) {
			l.ReceivedAt = l.ReceivedAt.AddDate(0, 0, -7)
		}
		if l.ReceivedAt.Year() < 2000 {
			return fmt.Errorf("--received %s is %s; give a date after 2000", received, l.ReceivedAt.Format("2006-01-02"))
		}
		if l.ReceivedAt.After(now) {
			return fmt.Errorf("--received %s is %s, in the future; a lead is received before it is entered (write e.g. 2026-11-20 16:50 or fri 16:50)",
				received, l.ReceivedAt.Format("Mon Jan 2 15:04"))
		}
	}
	if l.Owner == "" {
		l.Owner = e.rep()
	}
	if l.Owner == "" {
		return usageError("add", "who follows this lead up? name the rep with --owner REP (or --as REP)")
	}
	l.EnteredAt, l.AssignedAt, l.Interactions = now, now, 1

	s, err := e.open(writeOrCreate)
	if err != nil {
		return err
	}
	defer s.Close()
	l, err = s.AddLead(l)
	if err != nil {
		return err
	}
	p := cfg.Policy()
	sla := p.SLAOf(&l, now)
	fmt.Fprintf(e.stdout, "added lead %d (%s) for %s; first contact due by %s\n",
		l.ID, l.Name, l.Owner, sla.Due.In(cfg.Location()).Format("Mon Jan 2 15:04 MST"))
	return nil
}

// startsWithWeekday reports whether s begins with a day name ("fri 16:50").
func startsWithWeekday(s string) bool {
	first := strings.ToLower(strings.Fields(s + " x")[0])
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if len(first) >= 3 && strings.HasPrefix(name, first) {
			return true
		}
	}
	return false
}
