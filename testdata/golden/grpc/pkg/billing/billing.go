// Package billing holds billing types.
package billing

// Address is where invoices go.
type Address struct {
	Company string `json:"company"`
	VAT     string `json:"vat"`
}
