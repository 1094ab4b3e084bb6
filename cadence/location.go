package cadence

import (
	"sync"
	"time"
)

var locations sync.Map // zone name → *time.Location

// LoadLocation is time.LoadLocation with a cache: the queue asks for the
// same few zones for every row it shows.
func LoadLocation(name string) (*time.Location, error) {
	if v, ok := locations.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}
