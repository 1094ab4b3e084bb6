package ui

import (
	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// Reader is what the screens read. A manager's session gets only this.
type Reader interface {
	QueueKeys(owner string) ([]cadence.QueueKey, error)
	Leads(ids []cadence.LeadID) ([]cadence.Lead, error)
	Lead(id cadence.LeadID) (cadence.Lead, error)
	Touches(id cadence.LeadID) ([]cadence.Touch, error)
	Notes(id cadence.LeadID) ([]cadence.Note, error)
	Events(id cadence.LeadID) ([]store.Event, error)
	Draft(rep string, lead cadence.LeadID) (string, error)
	SearchQueue(owner, query string) ([]cadence.LeadID, error)
}

// Writer is what a rep's session may change. A read-only session (a
// manager's) has none: no write method is within its reach.
type Writer interface {
	LogTouch(p cadence.Policy, t cadence.Touch) (cadence.Lead, cadence.Touch, error)
	AddNote(n cadence.Note) (cadence.Note, error)
	SaveDraft(rep string, lead cadence.LeadID, text string) error
	AddLead(l cadence.Lead) (cadence.Lead, error)
}
