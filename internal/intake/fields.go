// Package intake turns what arrives — CSV exports of CRMs, intake requests
// — into leads: it recognises the usual columns, normalises phones to
// E.164 and emails to lowercase, reads the common date formats, and says
// of each bad row what is wrong, where.
package intake

import (
	"fmt"
	"sort"
	"strings"
)

// Field is a lead field a column can fill.
type Field string

// The fields a column can fill.
const (
	FieldName      Field = "name"
	FieldFirstName Field = "first_name"
	FieldLastName  Field = "last_name"
	FieldEmail     Field = "email"
	FieldPhone     Field = "phone"
	FieldMobile    Field = "mobile"
	FieldCompany   Field = "company"
	FieldTitle     Field = "title"
	FieldIndustry  Field = "industry"
	FieldSize      Field = "size"
	FieldSource    Field = "source"
	FieldReceived  Field = "received"
	FieldTimezone  Field = "timezone"
	FieldSMSOptIn  Field = "sms_opt_in"
	FieldContactMe Field = "contact_me"
	FieldOwner     Field = "owner"
)

// headers maps the column names of HubSpot, Salesforce, Pipedrive and
// Close exports (lowercase, spaces folded) to fields.
var headers = map[string]Field{
	"name": FieldName, "full name": FieldName, "contact name": FieldName, "lead name": FieldName,
	"person - name": FieldName, "contact": FieldName, "display name": FieldName,
	"first name": FieldFirstName, "firstname": FieldFirstName, "first": FieldFirstName, "given name": FieldFirstName,
	"last name": FieldLastName, "lastname": FieldLastName, "last": FieldLastName, "surname": FieldLastName,
	"email": FieldEmail, "e-mail": FieldEmail, "email address": FieldEmail, "primary email": FieldEmail,
	"person - email": FieldEmail, "contact email": FieldEmail, "work email": FieldEmail, "emails": FieldEmail,
	"phone": FieldPhone, "phone number": FieldPhone, "work phone": FieldPhone, "primary phone": FieldPhone,
	"person - phone": FieldPhone, "contact phone": FieldPhone, "business phone": FieldPhone, "phones": FieldPhone,
	"mobile": FieldMobile, "mobile phone": FieldMobile, "mobile phone number": FieldMobile, "cell": FieldMobile,
	"company": FieldCompany, "company name": FieldCompany, "account name": FieldCompany, "organization": FieldCompany,
	"organization - name": FieldCompany, "organisation": FieldCompany, "lead - organization": FieldCompany,
	"title": FieldTitle, "job title": FieldTitle, "position": FieldTitle, "role": FieldTitle,
	"industry":     FieldIndustry,
	"company size": FieldSize, "size": FieldSize, "employees": FieldSize, "number of employees": FieldSize,
	"lead source": FieldSource, "source": FieldSource, "original source": FieldSource, "lead - source": FieldSource,
	"create date": FieldReceived, "created date": FieldReceived, "created": FieldReceived, "created at": FieldReceived,
	"date created": FieldReceived, "lead created": FieldReceived, "lead - created": FieldReceived,
	"time zone": FieldTimezone, "timezone": FieldTimezone,
	"sms opt-in": FieldSMSOptIn, "sms opt in": FieldSMSOptIn, "sms consent": FieldSMSOptIn, "text opt-in": FieldSMSOptIn,
	"contact me": FieldContactMe, "requested contact": FieldContactMe, "contact request": FieldContactMe,
	"owner": FieldOwner, "lead owner": FieldOwner, "contact owner": FieldOwner,
}

// fieldNames is every field, for messages.
func fieldNames() string {
	seen := map[Field]bool{}
	for _, f := range headers {
		seen[f] = true
	}
	var names []string
	for f := range seen {
		names = append(names, string(f))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// ParseField reads a field name as --map takes it.
func ParseField(s string) (Field, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, f := range headers {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("%q is not a field; use one of %s", s, fieldNames())
}

// fold normalises a header for lookup: lowercase, trimmed, a BOM and
// repeated spaces removed.
func fold(h string) string {
	h = strings.TrimPrefix(h, "\ufeff")
	return strings.Join(strings.Fields(strings.ToLower(h)), " ")
}
