// Package model holds inventory types.
package model

import "time"

// SKU identifies a product.
type SKU string

// Level is a stock level.
type Level struct {
	SKU       SKU       `json:"sku"`
	OnHand    int       `json:"onHand"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Reservation holds stock for a customer.
type Reservation struct {
	ID    string `json:"id"`
	Level Level  `json:"level"`
}
