package present

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/followuphq/followup/cadence"
)

// LeadRecord is one lead of `followup export leads`.
type LeadRecord struct {
	ID             cadence.LeadID `json:"id"`
	Name           string         `json:"name"`
	Email          string         `json:"email"`
	Phone          string         `json:"phone"`
	Company        string         `json:"company"`
	Title          string         `json:"title"`
	Industry       string         `json:"industry"`
	Size           string         `json:"size"`
	Source         string         `json:"source"`
	ReceivedAt     Time           `json:"received_at"`
	EnteredAt      Time           `json:"entered_at"`
	AssignedAt     Time           `json:"assigned_at"`
	Timezone       string         `json:"timezone"`
	SMSOptIn       bool           `json:"sms_opt_in"`
	ContactMe      bool           `json:"contact_me"`
	Interactions   int            `json:"interactions"`
	Owner          string         `json:"owner"`
	Status         cadence.Status `json:"status"`
	Qualified      bool           `json:"qualified"`
	Touches        int            `json:"touches"`
	FirstContactAt Time           `json:"first_contact_at"`
	Step           int            `json:"step"` // the next cadence step, 1-based as the queue shows it

	NextDue    Time   `json:"next_due"`
	PhoneBad   bool   `json:"phone_bad"`
	LostReason string `json:"lost_reason"`
	ClosedAt   Time   `json:"closed_at"`
}

// Lead builds the export record of a lead, times in loc.
func Lead(l *cadence.Lead, loc *time.Location) LeadRecord {
	return LeadRecord{
		ID: l.ID, Name: l.Name, Email: l.Email, Phone: l.Phone, Company: l.Company, Title: l.Title,
		Industry: l.Industry, Size: l.Size, Source: l.Source,
		ReceivedAt: At(l.ReceivedAt, loc), EnteredAt: At(l.EnteredAt, loc), AssignedAt: At(l.AssignedAt, loc),
		Timezone: l.Timezone, SMSOptIn: l.SMSOptIn, ContactMe: l.ContactMe, Interactions: l.Interactions,
		Owner: l.Owner, Status: l.Status, Qualified: l.Qualified, Touches: l.Touches,
		FirstContactAt: At(l.FirstContactAt, loc), Step: l.Step + 1, NextDue: At(l.NextDue, loc),
		PhoneBad: l.PhoneBad, LostReason: l.LostReason, ClosedAt: At(l.ClosedAt, loc),
	}
}

// LeadCSVHeader is the header row of the leads CSV export.
var LeadCSVHeader = []string{"id", "name", "email", "phone", "company", "title", "industry", "size",
	"source", "received_at", "entered_at", "assigned_at", "timezone", "sms_opt_in", "contact_me",
	"interactions", "owner", "status", "qualified", "touches", "first_contact_at", "step", "next_due",
	"phone_bad", "lost_reason", "closed_at"}

// CSV returns the record as a CSV row in LeadCSVHeader's order.
func (r LeadRecord) CSV() []string {
	return []string{itoa(int(r.ID)), r.Name, r.Email, r.Phone, r.Company, r.Title, r.Industry, r.Size,
		r.Source, r.ReceivedAt.String(), r.EnteredAt.String(), r.AssignedAt.String(), r.Timezone,
		strconv.FormatBool(r.SMSOptIn), strconv.FormatBool(r.ContactMe), itoa(r.Interactions), r.Owner,
		r.Status.String(), strconv.FormatBool(r.Qualified), itoa(r.Touches), r.FirstContactAt.String(),
		itoa(r.Step), r.NextDue.String(), strconv.FormatBool(r.PhoneBad), r.LostReason, r.ClosedAt.String()}
}

// TouchRecord is one touch of `followup export touches`.
type TouchRecord struct {
	ID         cadence.TouchID  `json:"id"`
	LeadID     cadence.LeadID   `json:"lead_id"`
	At         Time             `json:"at"`
	Rep        string           `json:"rep"`
	Channel    cadence.Channel  `json:"channel"`
	Outcome    cadence.Outcome  `json:"outcome"`
	Note       string           `json:"note"`
	Until      Time             `json:"until"`
	Supersedes *cadence.TouchID `json:"supersedes"` // the touch this one corrects, or null
}

// Touch builds the export record of a touch, times in loc.
func Touch(t *cadence.Touch, loc *time.Location) TouchRecord {
	r := TouchRecord{ID: t.ID, LeadID: t.LeadID, At: At(t.At, loc), Rep: t.Rep, Channel: t.Channel,
		Outcome: t.Outcome, Note: t.Note, Until: At(t.Until, loc)}
	if t.Supersedes != 0 {
		sup := t.Supersedes
		r.Supersedes = &sup
	}
	return r
}

// TouchCSVHeader is the header row of the touches CSV export.
var TouchCSVHeader = []string{"id", "lead_id", "at", "rep", "channel", "outcome", "note", "until", "supersedes"}

// CSV returns the record as a CSV row in TouchCSVHeader's order.
func (r TouchRecord) CSV() []string {
	sup := ""
	if r.Supersedes != nil {
		sup = itoa(int(*r.Supersedes))
	}
	return []string{itoa(int(r.ID)), itoa(int(r.LeadID)), r.At.String(), r.Rep, r.Channel.String(),
		r.Outcome.String(), r.Note, r.Until.String(), sup}
}

func itoa(n int) string { return strconv.Itoa(n) }

// CSVWriter writes rows with a header, for spreadsheets: CRLF line ends.
func CSVWriter(w io.Writer, header []string) (*csv.Writer, error) {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return cw, cw.Write(header)
}
