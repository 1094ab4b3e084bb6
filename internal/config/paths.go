package config

import (
	"path/filepath"

	"github.com/adrg/xdg"
)

// DefaultPath returns $XDG_CONFIG_HOME/followup/config.toml.
func DefaultPath() string {
	return filepath.Join(xdg.ConfigHome, "followup", "config.toml")
}

// DefaultDBPath returns $XDG_DATA_HOME/followup/followup.db.
func DefaultDBPath() string {
	return filepath.Join(xdg.DataHome, "followup", "followup.db")
}
