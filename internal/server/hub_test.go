package server

import (
	"testing"

	"github.com/followuphq/followup/cadence"
)

// A rep's session hears of the rep's own leads (and of a lead handed away
// from them), a manager's of every lead, and an announcement with no owner
// reaches everyone.
func TestHubTellsTheSessionsConcerned(t *testing.T) {
	h := newHub()
	alice, cancelA := h.subscribe("alice")
	defer cancelA()
	bob, cancelB := h.subscribe("bob")
	defer cancelB()
	maria, cancelM := h.subscribe("")
	defer cancelM()

	h.publish(1, "alice")
	h.publish(2, "alice", "bob") // handed from alice to bob
	h.publish(3)                 // owner unknown
	heard := func(ch <-chan cadence.LeadID) []cadence.LeadID {
		var ids []cadence.LeadID
		for {
			select {
			case id := <-ch:
				ids = append(ids, id)
			default:
				return ids
			}
		}
	}
	for _, tc := range []struct {
		who  string
		ch   <-chan cadence.LeadID
		want []cadence.LeadID
	}{
		{"alice", alice, []cadence.LeadID{1, 2, 3}},
		{"bob", bob, []cadence.LeadID{2, 3}},
		{"maria", maria, []cadence.LeadID{1, 2, 3}},
	} {
		got := heard(tc.ch)
		if len(got) != len(tc.want) {
			t.Errorf("%s heard %v, want %v", tc.who, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s heard %v, want %v", tc.who, got, tc.want)
				break
			}
		}
	}
}
