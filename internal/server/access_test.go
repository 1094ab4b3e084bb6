package server

import (
	"testing"

	"github.com/followuphq/followup/cadence"
)

func TestAccessLevels(t *testing.T) {
	if !(NoAccess < ReadOnly && ReadOnly < ReadWrite && ReadWrite < Admin) {
		t.Fatal("access levels are out of order")
	}
	for a := NoAccess; a <= Admin; a++ {
		text, _ := a.MarshalText()
		var back Access
		if err := back.UnmarshalText(text); err != nil || back != a {
			t.Errorf("%s did not round-trip: %v %v", a, back, err)
		}
	}
	if _, err := ParseAccess("superuser"); err == nil {
		t.Error("an unknown level parsed")
	}
	if AccessOf(cadence.RoleManager) != ReadOnly || AccessOf(cadence.RoleRep) != ReadWrite || AccessOf(cadence.RoleAdmin) != Admin {
		t.Error("roles map to the wrong levels")
	}
}
