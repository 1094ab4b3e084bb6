// Package cadence is the pure core of followup: the domain (leads, touches,
// notes, reps), business time and the response-time SLA, the cadence of
// follow-up steps, what each outcome does to a lead, the contact rules and
// the queue order.
//
// It does no I/O and imports nothing of the project. Time is always passed
// in, never read from the system clock, so every answer is reproducible.
package cadence
