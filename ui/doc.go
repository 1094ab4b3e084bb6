// Package ui holds followup's Bubble Tea models: the rep's queue, lead
// detail and notes panes, the manager's compliance view, forms and styles.
// Models take a *lipgloss.Renderer and narrow store interfaces, so the same
// code serves the local terminal and SSH sessions.
package ui
