package server

import (
	"fmt"
	"strings"

	"github.com/followuphq/followup/cadence"
)

// Access is what a session may do. Levels are ordered, so a check reads
// `if a < ReadWrite { … }`; a session's level is decided once, when it
// starts.
type Access uint8

// The access levels, lowest first.
const (
	NoAccess  Access = iota
	ReadOnly         // managers: the compliance view
	ReadWrite        // reps: their own queue
	Admin            // admins
)

var accessNames = [...]string{"no-access", "read-only", "read-write", "admin"}

// String returns the level's name.
func (a Access) String() string {
	if int(a) < len(accessNames) {
		return accessNames[a]
	}
	return fmt.Sprintf("access(%d)", uint8(a))
}

// ParseAccess reads a level's name.
func ParseAccess(s string) (Access, error) {
	for i, n := range accessNames {
		if n == strings.ToLower(strings.TrimSpace(s)) {
			return Access(i), nil
		}
	}
	return NoAccess, fmt.Errorf("%q is not an access level; use no-access, read-only, read-write or admin", s)
}

// MarshalText implements encoding.TextMarshaler.
func (a Access) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Access) UnmarshalText(b []byte) error {
	v, err := ParseAccess(string(b))
	*a = v
	return err
}

// AccessOf is the level a role gets: a manager reads, a rep writes.
func AccessOf(r cadence.Role) Access {
	switch r {
	case cadence.RoleRep:
		return ReadWrite
	case cadence.RoleManager:
		return ReadOnly
	case cadence.RoleAdmin:
		return Admin
	}
	return NoAccess
}
