package store

// The lead record, in the wire format of codec.go (which has the other
// records).

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/followuphq/followup/cadence"
)

// Lead record fields. Numbers are forever: never reuse one.
const (
	fLeadName protowire.Number = iota + 1
	fLeadEmail
	fLeadPhone
	fLeadCompany
	fLeadTitle
	fLeadIndustry
	fLeadSize
	fLeadSource
	fLeadReceived
	fLeadEntered
	fLeadAssigned
	fLeadTimezone
	fLeadSMSOptIn
	fLeadContactMe
	fLeadInteractions
	fLeadOwner
	fLeadStatus
	fLeadQualified
	fLeadQualifiedAt
	fLeadClosedAt
	fLeadLostReason
	fLeadPhoneBad
	fLeadTouches
	fLeadFirstContact
	fLeadLastContact
	fLeadLastTouch
	fLeadRecentCall
	fLeadStep
	fLeadNextDue
	fLeadNextChannel
	fLeadPauseFrom // paired in order with fLeadPauseUntil
	fLeadPauseUntil
	fLeadRecords // the record fingerprints, 16 bytes each, end to end
)

func encodeLead(buf []byte, l *cadence.Lead) []byte {
	e := encoder{b: buf[:0]}
	e.string(fLeadName, l.Name)
	e.string(fLeadEmail, l.Email)
	e.string(fLeadPhone, l.Phone)
	e.string(fLeadCompany, l.Company)
	e.string(fLeadTitle, l.Title)
	e.string(fLeadIndustry, l.Industry)
	e.string(fLeadSize, l.Size)
	e.string(fLeadSource, l.Source)
	e.time(fLeadReceived, l.ReceivedAt)
	e.time(fLeadEntered, l.EnteredAt)
	e.time(fLeadAssigned, l.AssignedAt)
	e.string(fLeadTimezone, l.Timezone)
	e.bool(fLeadSMSOptIn, l.SMSOptIn)
	e.bool(fLeadContactMe, l.ContactMe)
	e.int(fLeadInteractions, int64(l.Interactions))
	e.string(fLeadOwner, l.Owner)
	e.uint(fLeadStatus, uint64(l.Status))
	e.bool(fLeadQualified, l.Qualified)
	e.time(fLeadQualifiedAt, l.QualifiedAt)
	e.time(fLeadClosedAt, l.ClosedAt)
	e.string(fLeadLostReason, l.LostReason)
	e.bool(fLeadPhoneBad, l.PhoneBad)
	e.int(fLeadTouches, int64(l.Touches))
	e.time(fLeadFirstContact, l.FirstContactAt)
	e.time(fLeadLastContact, l.LastContactAt)
	e.time(fLeadLastTouch, l.LastTouchAt)
	for _, c := range l.RecentCalls {
		e.time(fLeadRecentCall, c)
	}
	e.int(fLeadStep, int64(l.Step))
	e.time(fLeadNextDue, l.NextDue)
	e.uint(fLeadNextChannel, uint64(l.NextChannel))
	for _, p := range l.Pauses {
		e.time(fLeadPauseFrom, p.From)
		e.time(fLeadPauseUntil, p.Until)
	}
	if len(l.Records) > 0 {
		e.b = protowire.AppendTag(e.b, fLeadRecords, protowire.BytesType)
		e.b = protowire.AppendVarint(e.b, uint64(len(l.Records)*len(cadence.Fingerprint{})))
		for _, r := range l.Records {
			e.b = append(e.b, r[:]...)
		}
	}
	return e.b
}

func decodeLead(id cadence.LeadID, b []byte) (cadence.Lead, error) {
	l := cadence.Lead{ID: id}
	err := decode(b, func(f field) {
		switch f.num {
		case fLeadName:
			l.Name = f.string()
		case fLeadEmail:
			l.Email = f.string()
		case fLeadPhone:
			l.Phone = f.string()
		case fLeadCompany:
			l.Company = f.string()
		case fLeadTitle:
			l.Title = f.string()
		case fLeadIndustry:
			l.Industry = f.string()
		case fLeadSize:
			l.Size = f.string()
		case fLeadSource:
			l.Source = f.string()
		case fLeadReceived:
			l.ReceivedAt = f.time()
		case fLeadEntered:
			l.EnteredAt = f.time()
		case fLeadAssigned:
			l.AssignedAt = f.time()
		case fLeadTimezone:
			l.Timezone = f.string()
		case fLeadSMSOptIn:
			l.SMSOptIn = f.bool()
		case fLeadContactMe:
			l.ContactMe = f.bool()
		case fLeadInteractions:
			l.Interactions = f.count()
		case fLeadOwner:
			l.Owner = f.string()
		case fLeadStatus:
			l.Status = cadence.Status(f.u8())
		case fLeadQualified:
			l.Qualified = f.bool()
		case fLeadQualifiedAt:
			l.QualifiedAt = f.time()
		case fLeadClosedAt:
			l.ClosedAt = f.time()
		case fLeadLostReason:
			l.LostReason = f.string()
		case fLeadPhoneBad:
			l.PhoneBad = f.bool()
		case fLeadTouches:
			l.Touches = f.count()
		case fLeadFirstContact:
			l.FirstContactAt = f.time()
		case fLeadLastContact:
			l.LastContactAt = f.time()
		case fLeadLastTouch:
			l.LastTouchAt = f.time()
		case fLeadRecentCall:
			l.RecentCalls = append(l.RecentCalls, f.time())
		case fLeadStep:
			l.Step = f.count()
		case fLeadNextDue:
			l.NextDue = f.time()
		case fLeadNextChannel:
			l.NextChannel = cadence.Channel(f.u8())
		case fLeadPauseFrom:
			l.Pauses = append(l.Pauses, cadence.Pause{From: f.time()})
		case fLeadPauseUntil:
			if n := len(l.Pauses); n > 0 {
				l.Pauses[n-1].Until = f.time()
			}
		case fLeadRecords:
			for b := f.bytes; len(b) >= len(cadence.Fingerprint{}); b = b[len(cadence.Fingerprint{}):] {
				l.Records = append(l.Records, cadence.Fingerprint(b))
			}
		}
	})
	if err != nil {
		return l, fmt.Errorf("lead %d: %w", id, err)
	}
	return l, nil
}
